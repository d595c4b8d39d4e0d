//! Both editions as a reader sees them: served by `sockbook serve`, opened
//! in headless Chromium (Debian's `chromium`), searched with mdBook's own
//! search box, and switched from one language to the other. Every page and
//! diagram is opened by tests/crawl.rs.
//!
//! Run with `cargo test --features browser`. Without Chromium the test
//! prints why and passes (`sockbook::netns::skip`); under `CI=true` that is
//! a failure, since `.ci/run` installs it.

use headless_chrome::Tab;

#[allow(dead_code)]
mod common;

use common::browser::{browser, chromium, eval, open, Server, WAIT};

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

#[test]
fn a_reader_searches_and_switches_languages() {
    let Some(path) = chromium("the browser test") else {
        return;
    };
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
