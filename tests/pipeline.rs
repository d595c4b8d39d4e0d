//! The listing pipeline, seen from the outside: every Rust listing of every
//! chapter became a test named after its chapter and the line of its fence.
//! (`src/reader/listings.rs` tests what happens to broken chapters.)

use std::fs;

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/listings.rs"));

#[test]
fn every_rust_listing_is_a_test_named_after_its_line() {
    let mut listings = 0;
    for entry in fs::read_dir("book").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name == "SUMMARY.md" {
            continue;
        }
        let module = name.trim_end_matches(".md").replace('-', "_");
        let text = fs::read_to_string(&path).unwrap();
        for (index, line) in text.lines().enumerate() {
            if line.starts_with("```rust") {
                let number = index + 1;
                let test = format!(
                    "#[test] fn line_{number}() {{\n    eprintln!(\"the listing at book/{name}:{number}\");"
                );
                let (_, module_body) = GENERATED
                    .split_once(&format!("mod {module} {{\n"))
                    .unwrap_or_else(|| panic!("no tests for {name}"));
                assert!(
                    module_body.contains(&test),
                    "book/{name}:{number} has no test"
                );
                listings += 1;
            }
        }
    }
    assert!(listings > 0);
    assert_eq!(
        GENERATED.matches("#[test]").count(),
        listings,
        "a test without a listing"
    );
}

/// Every listing file, with its text.
fn listings() -> Vec<(std::path::PathBuf, String)> {
    let mut listings = Vec::new();
    for chapter in fs::read_dir("snippets").unwrap() {
        for listing in fs::read_dir(chapter.unwrap().path()).unwrap() {
            let path = listing.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            listings.push((path, text));
        }
    }
    listings
}

/// A listing waits on the kernel's state or a channel, never on a timer.
#[test]
fn listings_never_sleep_to_synchronise() {
    for (path, text) in listings() {
        assert!(!text.contains("sleep("), "{}: sleeps", path.display());
    }
}

/// Both editions show the code that ran, so only comments are translated
/// (src/reader/gettext.rs): a string literal stays as it is, and must be
/// English to read well in the English edition.
#[test]
fn listing_string_literals_are_english() {
    let chinese_literal = regex::Regex::new(r#""[^"\n]*\p{Han}[^"\n]*""#).unwrap();
    let mut found = Vec::new();
    for (path, text) in listings() {
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            if chinese_literal.is_match(code) {
                found.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Chinese in string literals:\n{}",
        found.join("\n")
    );
}

/// The test names the book and the README give as examples are real, so a
/// reader who runs one finds it.
#[test]
fn test_names_cited_as_examples_exist() {
    let cited = regex::Regex::new(r"(ch\d\d_\w+?)::line_(\d+)").unwrap();
    let mut documents: Vec<_> = fs::read_dir("book")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    documents.push("README.md".into());
    for path in documents {
        let text = fs::read_to_string(&path).unwrap();
        for found in cited.captures_iter(&text) {
            let (module, line) = (&found[1], &found[2]);
            let module_body = GENERATED
                .split_once(&format!("mod {module} {{\n"))
                .map(|(_, body)| body.split("\nmod ").next().unwrap())
                .unwrap_or("");
            assert!(
                module_body.contains(&format!("fn line_{line}()")),
                "{}: cites {module}::line_{line}, which is not a test",
                path.display()
            );
        }
    }
}

/// mdbook-xgettext extracts a code block of a language it does not know,
/// such as mermaid, only if it holds a `"` or `//`; any other diagram would
/// stay Chinese in the English edition.
#[test]
fn every_diagram_can_be_translated() {
    for entry in fs::read_dir("book").unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let mut lines = text.lines().enumerate();
        while let Some((start, line)) = lines.next() {
            if line.trim() == "```mermaid" {
                let body: Vec<&str> = lines
                    .by_ref()
                    .map(|(_, line)| line)
                    .take_while(|line| line.trim() != "```")
                    .collect();
                assert!(
                    body.iter().any(|line| line.contains('"')),
                    "{}:{}: quote the diagram's labels (A[\"…\"]), or the translation tools skip it",
                    path.display(),
                    start + 1
                );
            }
        }
    }
}

/// Each row of the fact-check appendix gives a verdict and links to the
/// listings that show it; every link must lead to a chapter whose listing
/// of that number exists and is included, so that it runs as a test.
#[test]
fn every_fact_check_row_links_to_a_listing_that_runs() {
    let appendix = fs::read_to_string("book/ch19-fact-check.md").unwrap();
    let link = regex::Regex::new(r"\[示例 (\d+-\d+)\]\((ch\d\d-[a-z0-9-]+\.md)\)").unwrap();
    let verdict = regex::Regex::new(r"^(对|错|部分对|仅 BSD)(：|$)").unwrap();
    let include = regex::Regex::new(r"\{\{#(?:rustdoc_)?include \.\./(snippets/[^:}]+)").unwrap();
    let mut rows = 0;
    for (index, line) in appendix.lines().enumerate() {
        let place = format!("book/ch19-fact-check.md:{}", index + 1);
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if !line.starts_with('|') || cells[0] == "说法" || cells[0].starts_with('-') {
            continue;
        }
        assert_eq!(cells.len(), 3, "{place}: a row has three cells");
        assert!(
            verdict.is_match(cells[1]),
            "{place}: no verdict: {}",
            cells[1]
        );
        let links: Vec<_> = link.captures_iter(cells[2]).collect();
        assert!(!links.is_empty(), "{place}: no listing: {}", cells[2]);
        for found in links {
            let (number, chapter) = (&found[1], &found[2]);
            let text = fs::read_to_string(format!("book/{chapter}"))
                .unwrap_or_else(|err| panic!("{place}: book/{chapter}: {err}"));
            let caption = text
                .lines()
                .find(|line| line.contains(&format!("示例 {number}：")))
                .unwrap_or_else(|| panic!("{place}: book/{chapter} has no listing {number}"));
            let file = caption
                .split('`')
                .find(|part| part.starts_with("snippets/"))
                .unwrap_or_else(|| panic!("{place}: listing {number} names no file"));
            assert!(
                include
                    .captures_iter(&text)
                    .any(|included| &included[1] == file),
                "{place}: listing {number} ({file}) is not included in book/{chapter}"
            );
        }
        rows += 1;
    }
    assert!(rows >= 30, "only {rows} rows");
}

/// An exercise file no chapter shows would be tested but never read:
/// every `exercise-*.rs` under snippets/ is shown by an `{{#exercise}}` line.
#[test]
fn every_exercise_file_is_shown() {
    let mut shown = String::new();
    for entry in fs::read_dir("book").unwrap() {
        shown.push_str(&fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for (path, _) in listings() {
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("exercise-") {
            let directive = format!("{{{{#exercise ../{}}}}}", path.display());
            assert!(
                shown.contains(&directive),
                "no chapter shows {}",
                path.display()
            );
        }
    }
}

/// Every teaching chapter ends with at least two exercises and a few
/// self-check questions; the preface and the appendices teach nothing new.
#[test]
fn every_chapter_has_exercises_and_questions() {
    let mut chapters = 0;
    for entry in fs::read_dir("book").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let number: u32 = match name.get(2..4).and_then(|n| n.parse().ok()) {
            Some(n) if name.ends_with(".md") && name.starts_with("ch") && (1..=18).contains(&n) => {
                n
            }
            _ => continue,
        };
        let text = fs::read_to_string(&path).unwrap();
        let exercises = text.matches("{{#exercise ").count();
        let questions = text.matches("**问题 ").count();
        assert!(exercises >= 2, "{name}: {exercises} exercises");
        assert!(questions >= 3, "{name}: {questions} self-check questions");
        assert!(
            text.contains(&format!("### 练习 {number}-1：")),
            "{name}: no exercise {number}-1"
        );
        chapters += 1;
    }
    assert_eq!(chapters, 18);
}
