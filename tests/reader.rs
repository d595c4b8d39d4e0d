//! The reader's command, run as a reader runs it: its output and exit codes.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

fn sockbook(args: &[&str], build_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sockbook"))
        .args(args)
        // mdBook reads its configuration from the environment too: keep the
        // test's book out of the reader's target/book.
        .env("MDBOOK_BUILD__BUILD_DIR", build_dir)
        .output()
        .unwrap()
}

/// A failure is one plain line on stderr and a non-zero exit, no panic.
fn assert_plain_failure(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn build_renders_every_chapter_with_its_diagrams() {
    let out = tempfile::tempdir().unwrap();
    let output = sockbook(&["build"], out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = std::fs::read_to_string("book/SUMMARY.md").unwrap();
    let chapters: Vec<&str> = summary
        .split(['(', ')'])
        .filter(|part| part.ends_with(".md"))
        .collect();
    assert!(chapters.len() >= 3, "{chapters:?}");
    for chapter in chapters {
        let page = out.path().join(chapter.replace(".md", ".html"));
        let html = std::fs::read_to_string(&page)
            .unwrap_or_else(|err| panic!("{}: {err}", page.display()));
        assert!(
            !html.contains("{{#include"),
            "{chapter}: an include was left unexpanded"
        );
        if std::fs::read_to_string(Path::new("book").join(chapter))
            .unwrap()
            .contains("```mermaid")
        {
            assert!(
                html.contains("<pre class=\"mermaid\">"),
                "{chapter}: no diagram"
            );
            assert!(
                html.contains("src=\"theme/mermaid-"),
                "{chapter}: no mermaid script"
            );
        }
    }
    let files: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let search = files.iter().any(|name| name.starts_with("searchindex"));
    assert!(search, "no search index: {files:?}");
}

#[test]
fn an_unknown_command_is_refused_plainly() {
    let out = tempfile::tempdir().unwrap();
    assert_plain_failure(
        &sockbook(&["frobnicate"], out.path()),
        "unrecognized subcommand 'frobnicate'",
    );
}

#[test]
fn a_missing_book_is_refused_plainly() {
    let out = tempfile::tempdir().unwrap();
    let output = sockbook(&["build", "--book", "/nonexistent/book"], out.path());
    assert_plain_failure(&output, "error: /nonexistent/book/book.toml");
}

#[test]
fn a_port_in_use_is_refused_with_a_suggestion() {
    let out = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = sockbook(&["serve", "--port", &port], out.path());
    assert_plain_failure(
        &output,
        &format!("error: port {port} is in use: choose another with --port"),
    );
}
