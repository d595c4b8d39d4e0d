//! Every page of both editions opens: each HTML file `sockbook serve`
//! serves is loaded in headless Chromium (one browser, one tab), which
//! must report no console error, no uncaught exception, no failed request
//! and no diagram left undrawn; meanwhile every internal link of every
//! page (`<a href>`, with its `#anchor`), every image, script, stylesheet
//! and frame is checked against the built files, in parallel threads.
//! All failures are reported at once, naming the page and the link.
//!
//! Run with `cargo test --features browser --test crawl`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

#[allow(dead_code)]
mod common;

use common::browser::{browser, chromium, diagrams, load, Troubles, WAIT};

/// What a page names: its ids, and the links it makes the browser follow
/// or load, as `(tag, attribute, value)`.
#[derive(Default)]
struct Page {
    ids: HashSet<String>,
    links: Vec<(String, &'static str, String)>,
    base: Option<String>,
}

/// The attribute of each tag that names another file.
const LINKS: &[(&str, &str)] = &[
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
];

/// html5ever's tokenizer, fed a whole page: the tags are enough, no tree
/// is needed.
#[derive(Default)]
struct Collect(std::cell::RefCell<Page>);

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let mut page = self.0.borrow_mut();
        for attr in &tag.attrs {
            let (attr_name, value): (&str, &str) = (&attr.name.local, &attr.value);
            if attr_name == "id" || (name == "a" && attr_name == "name") {
                page.ids.insert(value.to_string());
            }
            if name == "base" && attr_name == "href" {
                page.base = Some(value.to_string());
            }
            if let Some(&(_, wanted)) = LINKS.iter().find(|(tag, _)| *tag == name) {
                if attr_name == wanted {
                    page.links
                        .push((name.to_string(), wanted, value.to_string()));
                }
            }
        }
        // The tokenizer alone does not know that a script's text is not
        // markup; the tree builder would tell it.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "noframes" => TokenSinkResult::RawData(RawKind::Rawtext),
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }
}

fn parse(html: &str) -> Page {
    let tokenizer = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Every HTML file under `dir`, as a path relative to `site`.
fn html_files(site: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(site, &path, found);
        } else if path.extension().is_some_and(|ext| ext == "html") {
            let relative = path.strip_prefix(site).unwrap();
            found.push(relative.to_str().unwrap().to_string());
        }
    }
}

/// `%E5%A5%97` and the like back to text.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where `link`, found on `page` (relative to the site), leads: a file
/// relative to the site and an anchor, or `None` for another site.
fn resolve(page: &str, base: Option<&str>, link: &str) -> Option<Result<(String, String), String>> {
    let scheme = link
        .find(':')
        .is_some_and(|colon| !link[..colon].contains(['/', '?', '#']));
    if scheme {
        return None;
    }
    let (rest, anchor) = link.split_once('#').unwrap_or((link, ""));
    let path = rest.split('?').next().unwrap();
    let from = match base {
        Some(base) if base.starts_with('/') => base.to_string(),
        Some(base) => format!("/{}", join_dir(page, base)),
        None => format!("/{page}"),
    };
    let joined = if path.is_empty() {
        from.trim_start_matches('/').to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        join_dir(from.trim_start_matches('/'), path)
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err("leads outside the site".to_string()));
                }
            }
            part => parts.push(part),
        }
    }
    let mut file = percent_decode(&parts.join("/"));
    if joined.ends_with('/') || file.is_empty() {
        file = format!("{file}/index.html")
            .trim_start_matches('/')
            .to_string();
    }
    Some(Ok((file, percent_decode(anchor))))
}

/// `relative` taken from the folder of `file` (both relative to the site).
fn join_dir(file: &str, relative: &str) -> String {
    match file.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{relative}"),
        None => relative.to_string(),
    }
}

/// Every link of every page checked against the built files and their
/// ids. Returns the failures and how many links were checked.
fn check_links(site: &Path, files: &[String]) -> (Vec<String>, usize) {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    let pages: HashMap<&str, Page> = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|file| {
                            let html = std::fs::read_to_string(site.join(file)).unwrap();
                            (file.as_str(), parse(&html))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in files {
        let page = &pages[file.as_str()];
        for (tag, attr, link) in &page.links {
            let Some(target) = resolve(file, page.base.as_deref(), link) else {
                continue;
            };
            // mdBook's not-found page has `<base href>` (site-url) so that
            // it works at any depth; its heading's link to itself (`#…`)
            // therefore leads to the edition's first page: harmless.
            if file.ends_with("/404.html") && link.starts_with('#') {
                continue;
            }
            checked += 1;
            let fail = |why: String| format!("{file}: <{tag} {attr}=\"{link}\">: {why}");
            let (target, anchor) = match target {
                Ok(target) => target,
                Err(why) => {
                    failures.push(fail(why));
                    continue;
                }
            };
            if !site.join(&target).is_file() {
                failures.push(fail(format!("no file {target}")));
            } else if !anchor.is_empty() {
                match pages.get(target.as_str()) {
                    Some(page) if page.ids.contains(&anchor) => {}
                    Some(_) => failures.push(fail(format!("no id \"{anchor}\" in {target}"))),
                    None => failures.push(fail(format!("#{anchor} in a file that is not a page"))),
                }
            }
        }
    }
    (failures, checked)
}

#[test]
fn every_page_of_both_editions_opens() {
    let Some(path) = chromium("the crawler") else {
        return;
    };
    let server = common::browser::Server::start();
    let site = server.site().to_path_buf();
    let mut files = vec!["index.html".to_string()];
    for lang in ["zh", "en"] {
        html_files(&site, &site.join(lang), &mut files);
    }
    files.sort();
    let editions = |file: &&String| file.starts_with("zh/") || file.starts_with("en/");
    assert!(files.iter().filter(editions).count() >= 40, "{files:?}");

    let (mut failures, checked) = std::thread::scope(|scope| {
        let links = scope.spawn(|| check_links(&site, &files));
        let opened = open_every_page(&server.url, path, &files);
        let (mut failures, checked) = links.join().unwrap();
        failures.extend(opened);
        (failures, checked)
    });
    failures.sort();
    println!(
        "{} pages opened, {checked} links checked, {} failures",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 1000, "only {checked} links");
}

/// Loads every page in one tab and returns what went wrong, page by page.
fn open_every_page(url: &str, chromium: PathBuf, files: &[String]) -> Vec<String> {
    let browser = browser(chromium);
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(WAIT);
    let troubles = Troubles::watch(&tab);
    let mut failures = Vec::new();
    let mut drawn = 0;
    for file in files {
        troubles.take();
        load(&tab, &format!("{url}{file}"));
        for kind in diagrams(&tab) {
            if kind == "error" || kind == "not drawn" {
                failures.push(format!("{file}: a diagram was not drawn ({kind})"));
            }
            drawn += 1;
        }
        failures.extend(
            troubles
                .take()
                .into_iter()
                // Chromium asks for /favicon.ico by itself when a page
                // names no icon (toc.html, the frame of the sidebar
                // without scripts): no page links it.
                .filter(|trouble| {
                    !trouble.ends_with("/favicon.ico") && !trouble.ends_with("/favicon.ico)")
                })
                .map(|trouble| format!("{file}: {trouble}")),
        );
    }
    if drawn == 0 {
        failures.push("no diagram drawn on any page".to_string());
    }
    println!("{drawn} diagrams drawn");
    failures
}

#[test]
fn links_resolve_like_a_browser() {
    let ok = |file: &str, anchor: &str| Some(Ok((file.to_string(), anchor.to_string())));
    assert_eq!(resolve("zh/a.html", None, "b.html#x"), ok("zh/b.html", "x"));
    assert_eq!(
        resolve("zh/a.html", None, "#%E5%A5%97"),
        ok("zh/a.html", "套")
    );
    assert_eq!(
        resolve("zh/a.html", None, "../en/a.html"),
        ok("en/a.html", "")
    );
    assert_eq!(resolve("zh/a.html", None, "./"), ok("zh/index.html", ""));
    assert_eq!(
        resolve("zh/a.html", Some("/"), "css/x.css"),
        ok("css/x.css", "")
    );
    assert_eq!(
        resolve("zh/a.html", Some("/zh/"), "x.js?v=1"),
        ok("zh/x.js", "")
    );
    assert_eq!(resolve("zh/a.html", None, "https://example.org/"), None);
    assert!(matches!(
        resolve("zh/a.html", None, "../../x"),
        Some(Err(_))
    ));
    let page = parse("<a id=x href='b.html'>b</a><script>'<a href=\"no\">'</script>");
    assert!(page.ids.contains("x"));
    assert_eq!(
        page.links,
        [("a".to_string(), "href", "b.html".to_string())]
    );
}

#[test]
fn broken_links_and_anchors_are_reported() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("zh")).unwrap();
    let page = r##"<h2 id="here">here</h2><a href="#here">ok</a> <a href="b.html#there">gone</a>
        <a href="missing.html">missing</a> <img src="x.png"> <a href="https://example.org/">away</a>"##;
    std::fs::write(site.path().join("zh/a.html"), page).unwrap();
    std::fs::write(site.path().join("zh/b.html"), "<p id=elsewhere>b</p>").unwrap();
    let files = ["zh/a.html".to_string(), "zh/b.html".to_string()];
    let (failures, checked) = check_links(site.path(), &files);
    assert_eq!(checked, 4);
    assert_eq!(
        failures,
        [
            "zh/a.html: <a href=\"b.html#there\">: no id \"there\" in zh/b.html",
            "zh/a.html: <a href=\"missing.html\">: no file zh/missing.html",
            "zh/a.html: <img src=\"x.png\">: no file zh/x.png",
        ]
    );
}
