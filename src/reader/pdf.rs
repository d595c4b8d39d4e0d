//! The book on paper: each edition's print page (mdBook's `print.html`,
//! every chapter on one page) printed to PDF by headless Chromium, for
//! reading offline or printing.
//!
//! Chromium draws the diagrams (mermaid runs in the page) and takes its
//! fonts from fontconfig: the Chinese edition needs a CJK font, such as
//! Debian's `fonts-noto-cjk`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::book;
use super::edition::Edition;

/// How long Chromium may take to print one edition (about 15 s here).
const LIMIT: Duration = Duration::from_secs(180);

/// The page's own time, in milliseconds, that Chromium lets pass before it
/// prints: mermaid draws every diagram of the book within it. Virtual time
/// runs as fast as the page allows, so this is not waited out.
const VIRTUAL_TIME_MS: u32 = 20_000;

/// Builds the book, then prints each edition to `sockbook-<lang>.pdf`
/// beside the editions' folders. Returns the PDFs' paths.
pub fn print_all(root: &Path) -> Result<Vec<PathBuf>, String> {
    let chromium = chromium()?;
    let site = book::build(root)?;
    Edition::all()
        .map(|edition| {
            let page = site.join(edition.lang).join("print.html");
            let pdf = site.join(format!("sockbook-{}.pdf", edition.lang));
            print(&chromium, &page, &pdf).map(|()| pdf)
        })
        .collect()
}

/// Debian's Chromium, or the one `CHROMIUM` names; checked before the
/// build, so that a missing browser is reported at once.
pub fn chromium() -> Result<PathBuf, String> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no Chromium at {}: install Debian's chromium package, or set CHROMIUM=path",
            path.display()
        ))
    }
}

/// Prints `page` to `pdf` with `chromium --headless --print-to-pdf`.
fn print(chromium: &Path, page: &Path, pdf: &Path) -> Result<(), String> {
    let profile = tempfile::tempdir().map_err(|err| format!("a temporary folder: {err}"))?;
    // A PDF left by an earlier run must not pass for this one's.
    let _ = std::fs::remove_file(pdf);
    let mut command = Command::new(chromium);
    command.args([
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
    ]);
    if is_root() {
        // Chromium's sandbox refuses root; the page is our own.
        command.arg("--no-sandbox");
    }
    command
        .arg(format!("--virtual-time-budget={VIRTUAL_TIME_MS}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null());
    let output = run(command)?;
    let written = std::fs::metadata(pdf).map(|meta| meta.len()).unwrap_or(0);
    if output.status.success() && written > 0 {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last: Vec<&str> = stderr.lines().rev().take(5).collect();
    Err(format!(
        "Chromium did not print {} ({}): {}",
        pdf.display(),
        output.status,
        last.into_iter().rev().collect::<Vec<_>>().join(" / ")
    ))
}

/// Runs `command` to its end, or kills it after [`LIMIT`].
fn run(mut command: Command) -> Result<Output, String> {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot start {:?}: {err}", command.get_program()))?;
    let pid = child.id();
    let (done, waited) = mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    match waited.recv_timeout(LIMIT) {
        Ok(output) => output.map_err(|err| format!("Chromium: {err}")),
        Err(_) => {
            // kill(2): the waiting thread then reaps it.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            Err(format!(
                "Chromium did not finish printing within {} s",
                LIMIT.as_secs()
            ))
        }
    }
}

/// geteuid(2): Chromium's sandbox cannot run as root.
fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}
