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

/// A listing waits on the kernel's state or a channel, never on a timer.
#[test]
fn listings_never_sleep_to_synchronise() {
    for chapter in fs::read_dir("snippets").unwrap() {
        for listing in fs::read_dir(chapter.unwrap().path()).unwrap() {
            let path = listing.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            assert!(!text.contains("sleep("), "{}: sleeps", path.display());
        }
    }
}
