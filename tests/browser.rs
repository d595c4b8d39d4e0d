//! Both editions as a reader sees them: served by `sockbook serve`, opened
//! in headless Chromium (Debian's `chromium`), searched with mdBook's own
//! search box, and switched from one language to the other.
//!
//! Without Chromium the test prints why and passes (`sockbook::netns::skip`);
//! under `CI=true` that is a failure, since `.ci/run` installs it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use headless_chrome::{Browser, LaunchOptions, Tab};

mod common;

/// Chromium's limit for each wait; a broken page fails in seconds.
const WAIT: Duration = Duration::from_secs(10);

/// What a reader types, and the chapter that must come back among the
/// first results.
const SEARCHES: &[(&str, &str, &str)] = &[
    ("zh", "套接字", "ch01-what-is-a-socket"),
    ("zh", "三次握手", "ch09-three-way-handshake"),
    ("zh", "地址复用", "ch15-reuseaddr-and-reuseport"),
    ("zh", "术语表", "ch20-glossary"),
    ("zh", "端口", "ch06-common-ports"),
    ("zh", "临时端口", "ch08-tcp-call-sequence"),
    ("zh", "协议号", "ch04-tuples-and-protocol-numbers"),
    ("zh", "七层", "ch02-network-models"),
    ("zh", "消息边界", "ch03-tcp-and-udp"),
    ("en", "socket", "ch01-what-is-a-socket"),
    ("en", "handshake", "ch09-three-way-handshake"),
    ("en", "TIME_WAIT", "ch11-closing-and-time-wait"),
    ("en", "ephemeral port", "ch08-tcp-call-sequence"),
    ("en", "protocol number", "ch04-tuples-and-protocol-numbers"),
    ("en", "message boundaries", "ch03-tcp-and-udp"),
];

/// How many results count as "the first".
const TOP: usize = 5;

/// `sockbook serve` on a free port, killed when dropped.
struct Server {
    child: Child,
    url: String,
    _site: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let site = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_sockbook"))
            .args(["serve", "--port", "0"])
            .env("MDBOOK_BUILD__BUILD_DIR", site.path())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // The first line names the address, once the book is built.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server {
            child,
            url,
            _site: site,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's Chromium, or the one `CHROMIUM` names.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.exists() {
        return Some(path);
    }
    let why = format!("no Chromium at {}", path.display());
    sockbook::netns::skip("the browser test", &why);
    None
}

fn browser(path: PathBuf) -> Browser {
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        // Root cannot use Chromium's sandbox; the pages are our own.
        .sandbox(false)
        .idle_browser_timeout(Duration::from_secs(60))
        .args(
            [
                "--disable-quic",
                "--disable-component-update",
                "--lang=en-US",
            ]
            .iter()
            .map(|arg| arg.as_ref())
            .collect(),
        )
        .build()
        .unwrap();
    Browser::new(options).unwrap()
}

/// Opens `url` and waits for its menu bar.
fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url).unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("#mdbook-menu-bar").unwrap();
}

fn eval(tab: &Tab, expression: &str) -> String {
    let value = tab.evaluate(expression, false).unwrap().value;
    match value {
        Some(serde_json::Value::String(text)) => text,
        other => panic!("{expression}: {other:?}"),
    }
}

/// Types `query` into the search box (opening it first if needed) as a
/// reader does, and returns the links of the results, in order.
fn search(tab: &Tab, query: &str) -> Vec<String> {
    if eval(
        tab,
        "String(document.getElementById('mdbook-search-wrapper').classList.contains('hidden'))",
    ) == "true"
    {
        tab.wait_for_element("#mdbook-search-toggle")
            .unwrap()
            .click()
            .unwrap();
    }
    // mdBook focuses the box when it opens; empty it for the next query.
    tab.wait_for_element("#mdbook-searchbar:focus").unwrap();
    tab.evaluate(
        "document.getElementById('mdbook-searchbar').value = ''",
        false,
    )
    .unwrap();
    // The query arrives as committed text, as from an input method or a
    // paste (key by key, each letter would run a search of its own); the
    // key after it is what mdBook's search box listens for.
    tab.send_character(query).unwrap();
    tab.press_key("End").unwrap();
    // The header names the query once its results are shown.
    tab.wait_for_xpath(&format!(
        "//*[@id='mdbook-searchresults-header'][contains(., \"'{query}'\")]"
    ))
    .unwrap();
    let links = eval(
        tab,
        "Array.from(document.querySelectorAll('#mdbook-searchresults li a'))\
         .map((a) => a.href).join('\\n')",
    );
    links.lines().map(str::to_string).collect()
}

/// Every chapter of SUMMARY.md, as a page name.
fn pages() -> Vec<String> {
    common::chapters()
        .iter()
        .map(|chapter| chapter.replace(".md", ".html"))
        .collect()
}

/// Waits (in the page, up to 10 s) for mermaid to draw every diagram, and
/// returns what each one became: "flowchart-v2", "sequence", … or "error".
const DIAGRAMS: &str = "new Promise((resolve) => {
    const deadline = Date.now() + 10000;
    const check = () => {
        const pres = [...document.querySelectorAll('pre.mermaid')];
        const svgs = pres.map((pre) => pre.querySelector('svg'));
        if (svgs.every((svg) => svg) || Date.now() > deadline) {
            resolve(svgs.map((svg) => svg ? svg.getAttribute('aria-roledescription') : 'not drawn').join(' '));
        } else {
            setTimeout(check, 50);
        }
    };
    check();
})";

#[test]
fn every_diagram_is_drawn_in_both_editions() {
    let Some(path) = chromium() else { return };
    let server = Server::start();
    let browser = browser(path);
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(WAIT);
    let mut diagrams = 0;
    for lang in ["zh", "en"] {
        for page in pages() {
            open(&tab, &format!("{}{lang}/{page}", server.url));
            let drawn = tab.evaluate(DIAGRAMS, true).unwrap().value;
            let Some(serde_json::Value::String(drawn)) = drawn else {
                panic!("{lang}/{page}: {drawn:?}")
            };
            for kind in drawn.split_whitespace() {
                assert!(
                    kind != "error" && kind != "not drawn",
                    "{lang}/{page}: a diagram was not drawn: {drawn}"
                );
                diagrams += 1;
            }
        }
    }
    assert!(diagrams > 0);
}

#[test]
fn a_reader_searches_and_switches_languages() {
    let Some(path) = chromium() else { return };
    let server = Server::start();
    let browser = browser(path);
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(WAIT);

    // The front page sends an English-speaking browser to /en/.
    open(&tab, &server.url);
    assert_eq!(tab.get_url(), format!("{}en/", server.url));
    assert_eq!(eval(&tab, "document.documentElement.lang"), "en");

    for lang in ["zh", "en"] {
        open(&tab, &format!("{}{lang}/ch00-preface.html", server.url));
        for &(_, query, chapter) in SEARCHES.iter().filter(|search| search.0 == lang) {
            let links = search(&tab, query);
            let prefix = format!("{}{lang}/", server.url);
            assert!(
                links.iter().all(|link| link.starts_with(&prefix)),
                "{query}: results outside the {lang} edition: {links:#?}"
            );
            let expected = format!("{prefix}{chapter}.html");
            assert!(
                links
                    .iter()
                    .take(TOP)
                    .any(|link| link.starts_with(&expected)),
                "{query}: {chapter} is not among the first {TOP} results: {links:#?}"
            );
        }
    }

    // The switch leads to the same chapter in the other edition, and back.
    let chapter = "ch08-tcp-call-sequence.html";
    open(&tab, &format!("{}zh/{chapter}", server.url));
    for (from, to) in [("zh", "en"), ("en", "zh")] {
        assert_eq!(eval(&tab, "document.documentElement.lang"), from);
        let switch = tab.wait_for_element("a.language-switch").unwrap();
        switch.click().unwrap();
        tab.wait_until_navigated().unwrap();
        tab.wait_for_element("#mdbook-menu-bar").unwrap();
        assert_eq!(tab.get_url(), format!("{}{to}/{chapter}", server.url));
        assert_eq!(eval(&tab, "document.documentElement.lang"), to);
    }
}
