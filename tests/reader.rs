//! The reader's command, run as a reader runs it: its output and exit codes.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::chapters;

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
fn build_renders_both_editions_of_every_chapter_with_its_diagrams() {
    let out = tempfile::tempdir().unwrap();
    let output = sockbook(&["build"], out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let chapters = chapters();
    assert!(chapters.len() >= 3, "{chapters:?}");
    let front = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    for lang in ["zh", "en"] {
        assert!(front.contains(&format!("href=\"{lang}/\"")), "{front}");
        let site = out.path().join(lang);
        for chapter in &chapters {
            let page = site.join(chapter.replace(".md", ".html"));
            let html = std::fs::read_to_string(&page)
                .unwrap_or_else(|err| panic!("{}: {err}", page.display()));
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{lang}/{chapter}: not marked as {lang}"
            );
            assert!(
                !html.contains("{{#include"),
                "{lang}/{chapter}: an include was left unexpanded"
            );
            assert!(
                html.contains("src=\"theme/language-switch-"),
                "{lang}/{chapter}: no language switch"
            );
            let source = std::fs::read_to_string(Path::new("book").join(chapter)).unwrap();
            if source.contains("{{#tabs") {
                // Listings in several languages: one global group of tabs,
                // so that a reader's choice follows them from page to page.
                assert!(
                    html.contains(
                        "<div class=\"mdbook-tabs-container\" data-tabglobal=\"language\">"
                    ) && html.contains("<button class=\"mdbook-tab\" data-tabname=\"Python\">")
                        && !html.contains("{{#tab"),
                    "{lang}/{chapter}: tabs not rendered"
                );
                assert!(
                    html.contains("src=\"theme/tabs-"),
                    "{lang}/{chapter}: no tabs script"
                );
            }
            if source.contains("```mermaid") {
                assert!(
                    html.contains("<pre class=\"mermaid\">"),
                    "{lang}/{chapter}: no diagram"
                );
                assert!(
                    html.contains("src=\"theme/mermaid-"),
                    "{lang}/{chapter}: no mermaid script"
                );
            }
        }
        let files: Vec<String> = std::fs::read_dir(&site)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let search = files.iter().any(|name| name.starts_with("searchindex"));
        assert!(search, "{lang}: no search index: {files:?}");
    }
    // The English edition's title is translated too.
    let title = |lang: &str| {
        let html = std::fs::read_to_string(out.path().join(lang).join("index.html")).unwrap();
        let start = html.find("<title>").unwrap();
        html[start..html[start..].find("</title>").unwrap() + start].to_string()
    };
    assert_ne!(title("zh"), title("en"));
}

/// The gate against Chinese text landing without its English: a stale
/// po/messages.pot, a message of po/en.po untranslated or fuzzy, Chinese
/// left on an English page. Each problem names its chapter.
#[test]
fn translations_are_current_and_complete() {
    let out = tempfile::tempdir().unwrap();
    let output = sockbook(&["translations", "--check"], out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
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

/// Copies the book (not the crate) into a scratch folder, with only the
/// preface in its SUMMARY.md: the translation checks then render one page,
/// not the whole book.
fn copy_of_the_preface() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .args(["-r", "book.toml", "book", "snippets", "theme", "po"])
        .arg(copy.path())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(
        copy.path().join("book/SUMMARY.md"),
        "# 目录\n\n[前言](ch00-preface.md)\n",
    )
    .unwrap();
    copy
}

#[test]
fn chinese_without_its_english_is_caught_with_its_chapter() {
    let copy = copy_of_the_preface();
    let chapter = copy.path().join("book/ch00-preface.md");
    let mut text = std::fs::read_to_string(&chapter).unwrap();
    text.push_str("\n新加的一段，还没有英文。\n");
    std::fs::write(&chapter, text).unwrap();
    let book = copy.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = sockbook(&["translations", "--check", "--book", book], out.path());
    assert_plain_failure(
        &output,
        "book/ch00-preface.md: not in po/messages.pot (run `cargo run -- translations`): «新加的一段，还没有英文。»",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("book/ch00-preface.md: missing from po/en.po: «新加的一段，还没有英文。»"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "book/ch00-preface.md: Chinese left in the en edition: «新加的一段，还没有英文。»"
        ),
        "{stderr}"
    );

    // Updating brings the message in, untranslated: the check still fails.
    let output = sockbook(&["translations", "--book", book], out.path());
    assert!(output.status.success());
    let output = sockbook(&["translations", "--check", "--book", book], out.path());
    assert_plain_failure(
        &output,
        "book/ch00-preface.md: untranslated in po/en.po: «新加的一段，还没有英文。»",
    );
}
