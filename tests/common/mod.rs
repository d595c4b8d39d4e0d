//! What several integration tests read from the book.

/// Every chapter of book/SUMMARY.md, as its file name, in order.
pub fn chapters() -> Vec<String> {
    let summary = std::fs::read_to_string("book/SUMMARY.md").unwrap();
    summary
        .split(['(', ')'])
        .filter(|part| part.ends_with(".md"))
        .map(str::to_string)
        .collect()
}

/// The browser tests' helpers, compiled only with `--features browser`.
#[cfg(feature = "browser")]
#[allow(dead_code)]
pub mod browser;
