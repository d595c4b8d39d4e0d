//! Building the book with mdBook's library and the preprocessors it needs,
//! linked in so that readers install nothing.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_mermaid::Mermaid;

use super::listings::BookDirs;

/// Checks every chapter's listings, then renders the book. Returns the
/// directory of the rendered site.
pub fn build(root: &Path) -> Result<PathBuf, String> {
    check_listings(root)?;
    let mut book = MDBook::load(root)
        .map_err(|err| format!("cannot load the book at {}: {err:#}", root.display()))?;
    // book.toml names the preprocessor so that mdBook runs it in its place;
    // this replaces the external command mdBook would look for.
    book.with_preprocessor(Mermaid);
    book.build()
        .map_err(|err| format!("cannot build the book: {err:#}"))?;
    Ok(book.build_dir_for("html"))
}

/// The same checks `cargo test` makes: mdBook only logs an include it
/// cannot expand and renders the page anyway.
fn check_listings(root: &Path) -> Result<(), String> {
    let dirs = BookDirs::load(root)?;
    let problems: Vec<String> = dirs
        .chapters()?
        .iter()
        .filter_map(|chapter| dirs.expand(chapter).err())
        .flatten()
        .map(|problem| problem.to_string())
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
