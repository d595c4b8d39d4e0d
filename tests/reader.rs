//! The reader's command, run as a reader runs it: its output and exit codes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

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

/// Our own errors (not clap's usage errors) are exactly one line.
fn assert_one_line_failure(output: &Output, expected: &str) {
    assert_plain_failure(output, expected);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}

#[test]
fn a_missing_book_is_refused_plainly() {
    let out = tempfile::tempdir().unwrap();
    for command in ["build", "serve", "translations"] {
        let output = sockbook(&[command, "--book", "/nonexistent/book"], out.path());
        assert_one_line_failure(
            &output,
            "error: /nonexistent/book: no such folder (--book names the folder that holds book.toml)",
        );
    }
}

#[test]
fn a_folder_without_a_book_is_refused_plainly() {
    let out = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let folder = empty.path().to_str().unwrap();
    assert_one_line_failure(
        &sockbook(&["build", "--book", folder], out.path()),
        &format!("error: {folder}: no book.toml in this folder (--book names the folder that holds book.toml)"),
    );
    let file = empty.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let file = file.to_str().unwrap();
    assert_one_line_failure(
        &sockbook(&["build", "--book", file], out.path()),
        &format!("error: {file}: not a folder"),
    );
}

/// A book this user may not read. Root reads any file (the capabilities
/// `CAP_DAC_OVERRIDE` and `CAP_DAC_READ_SEARCH`, capabilities(7)), so the
/// command runs without them: dropped from its bounding set before it
/// starts, with `prctl(PR_CAPBSET_DROP)` (prctl(2)). An ordinary user has
/// neither, and `prctl` then fails harmlessly.
#[test]
fn an_unreadable_book_is_refused_plainly() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
    const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;

    let out = tempfile::tempdir().unwrap();
    let book = tempfile::tempdir().unwrap();
    let config = book.path().join("book.toml");
    std::fs::write(&config, "[book]\n").unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_sockbook"));
    command
        .args(["build", "--book"])
        .arg(book.path())
        .env("MDBOOK_BUILD__BUILD_DIR", out.path());
    // SAFETY: prctl(2) is a system call; nothing is allocated or locked
    // between fork and exec.
    unsafe {
        command.pre_exec(|| {
            for capability in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                libc::prctl(libc::PR_CAPBSET_DROP, capability, 0, 0, 0);
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    assert_one_line_failure(
        &output,
        &format!(
            "error: {}: cannot read it: Permission denied",
            config.display()
        ),
    );
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

/// The reader's server, killed when the test ends, whatever happens.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How long `serve` may take to render a one-page book both ways and say
/// where it serves it.
const SERVE_START: Duration = Duration::from_secs(60);

/// Starts `sockbook serve --port 0` on `book`, rendering into `site`, and
/// returns the address it prints (the kernel chose the port: no race for a
/// free one).
fn serve(book: &Path, site: &Path) -> (Server, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sockbook"))
        .args(["serve", "--port", "0", "--book"])
        .arg(book)
        .env("MDBOOK_BUILD__BUILD_DIR", site)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let (line, said) = mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = BufReader::new(stdout).read_line(&mut first);
        let _ = line.send(first);
    });
    let said = said.recv_timeout(SERVE_START).unwrap();
    let url = said
        .strip_prefix("Serving the book at http://")
        .and_then(|rest| rest.split_once('/'))
        .unwrap_or_else(|| panic!("{said:?}"))
        .0;
    (server, url.parse().unwrap())
}

/// One request written by hand, so that the path reaches the server as
/// written (an HTTP client would tidy `..` away).
fn get(addr: SocketAddr, path: &str) -> String {
    let mut client = sockbook::loopback::connect(addr).unwrap();
    write!(
        client,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    client.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_keeps_requests_inside_the_site() {
    let book = copy_of_the_preface();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    std::fs::write(out.path().join("secret.txt"), "the secret beside the site").unwrap();
    let (_server, addr) = serve(book.path(), &site);
    assert!(addr.ip().is_loopback(), "{addr}");
    assert!(get(addr, "/zh/").starts_with("HTTP/1.1 200"));
    for path in [
        "/../secret.txt",
        "/zh/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/zh/%2e%2e/%2e%2e/secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
    ] {
        let response = get(addr, path);
        let status = response.lines().next().unwrap_or_default();
        println!("{path}: {status}");
        assert!(status.starts_with("HTTP/1.1 4"), "{path}: {status}");
        assert!(!response.contains("the secret"), "{path}: {response}");
        assert!(!response.contains("root:"), "{path}: {response}");
    }
}
