//! What the browser tests share (`--features browser`): the book served by
//! `sockbook serve`, Debian's Chromium driven over the DevTools protocol,
//! and a record of what went wrong in a page.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Log, Network, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};

/// Chromium's limit for each wait; a broken page fails in seconds.
pub const WAIT: Duration = Duration::from_secs(10);

/// `sockbook serve` on a free port, with the book built into a temporary
/// folder; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`, the top of the site.
    pub url: String,
    site: tempfile::TempDir,
}

impl Server {
    pub fn start() -> Server {
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
        Server { child, url, site }
    }

    /// The folder the server serves: `zh/`, `en/` and the front page.
    pub fn site(&self) -> &Path {
        self.site.path()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's Chromium, or the one `CHROMIUM` names; without it the test
/// skips (`sockbook::netns::skip`: a failure under `CI=true`).
pub fn chromium(what: &str) -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.exists() {
        return Some(path);
    }
    let why = format!("no Chromium at {}", path.display());
    sockbook::netns::skip(what, &why);
    None
}

pub fn browser(path: PathBuf) -> Browser {
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
pub fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url).unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("#mdbook-menu-bar").unwrap();
}

/// True once the page has loaded; false in the page being left.
const LOADED: &str = "window.sockbookLeft ? false : new Promise((resolve) => {
    if (document.readyState === 'complete') { resolve(true); }
    else { addEventListener('load', () => resolve(true)); }
})";

/// Opens `url` and waits for its load event: all its scripts, styles,
/// fonts and images. (`wait_until_navigated` waits besides for the
/// network to stay quiet for half a second, a second or two a page.)
pub fn load(tab: &Tab, url: &str) {
    // Marks the page being left, to tell it from the new one.
    let _ = tab.evaluate("window.sockbookLeft = true", false);
    tab.navigate_to(url).unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        // An error is the old page's context going away: ask the new one.
        let loaded = tab
            .evaluate(LOADED, true)
            .ok()
            .and_then(|result| result.value);
        if loaded == Some(serde_json::Value::Bool(true)) {
            return;
        }
        assert!(Instant::now() < deadline, "{url} did not load");
    }
}

/// The value of `expression`, a string.
pub fn eval(tab: &Tab, expression: &str) -> String {
    let value = tab.evaluate(expression, false).unwrap().value;
    match value {
        Some(serde_json::Value::String(text)) => text,
        other => panic!("{expression}: {other:?}"),
    }
}

/// Waits (in the page, up to 10 s) for mermaid to draw every diagram, and
/// returns what each one became: "flowchart-v2", "sequence", … or "error".
pub const DIAGRAMS: &str = "new Promise((resolve) => {
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

/// The kinds of the page's diagrams once drawn (see [`DIAGRAMS`]).
pub fn diagrams(tab: &Tab) -> Vec<String> {
    match tab.evaluate(DIAGRAMS, true).unwrap().value {
        Some(serde_json::Value::String(drawn)) => {
            drawn.split_whitespace().map(str::to_string).collect()
        }
        other => panic!("diagrams: {other:?}"),
    }
}

/// What went wrong in the tab since the last [`Troubles::take`]: console
/// errors, uncaught exceptions, the browser's own error log, requests that
/// failed or came back with a status of 400 or more.
#[derive(Clone, Default)]
pub struct Troubles {
    found: Arc<Mutex<Vec<String>>>,
    urls: Arc<Mutex<HashMap<String, String>>>,
}

impl Troubles {
    /// Listens to `tab`'s DevTools events (Runtime, Log and Network).
    pub fn watch(tab: &Tab) -> Troubles {
        tab.enable_runtime().unwrap();
        tab.enable_log().unwrap();
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap();
        let troubles = Troubles::default();
        let listener = troubles.clone();
        tab.add_event_listener(Arc::new(move |event: &Event| listener.note(event)))
            .unwrap();
        troubles
    }

    fn note(&self, event: &Event) {
        let trouble = match event {
            Event::RuntimeConsoleAPICalled(called)
                if matches!(
                    called.params.Type,
                    Runtime::ConsoleAPICalledEventTypeOption::Error
                        | Runtime::ConsoleAPICalledEventTypeOption::Assert
                ) =>
            {
                let args: Vec<String> = called
                    .params
                    .args
                    .iter()
                    .map(|arg| match (&arg.value, &arg.description) {
                        (Some(value), _) => value.to_string(),
                        (None, Some(description)) => description.clone(),
                        (None, None) => format!("{:?}", arg.Type),
                    })
                    .collect();
                format!("console.error: {}", args.join(" "))
            }
            Event::RuntimeExceptionThrown(thrown) => {
                let details = &thrown.params.exception_details;
                let what = details
                    .exception
                    .as_ref()
                    .and_then(|exception| exception.description.clone())
                    .unwrap_or_else(|| details.text.clone());
                format!(
                    "uncaught exception at {}:{}: {what}",
                    details.url.as_deref().unwrap_or("?"),
                    details.line_number
                )
            }
            Event::LogEntryAdded(added)
                if added.params.entry.level == Log::LogEntryLevel::Error =>
            {
                let entry = &added.params.entry;
                format!(
                    "log: {} ({})",
                    entry.text,
                    entry.url.as_deref().unwrap_or("")
                )
            }
            Event::NetworkRequestWillBeSent(sent) => {
                self.urls.lock().unwrap().insert(
                    sent.params.request_id.clone(),
                    sent.params.request.url.clone(),
                );
                return;
            }
            Event::NetworkResponseReceived(received) if received.params.response.status >= 400 => {
                let response = &received.params.response;
                format!("HTTP {} for {}", response.status, response.url)
            }
            Event::NetworkLoadingFailed(failed) if failed.params.canceled != Some(true) => {
                let url = self
                    .urls
                    .lock()
                    .unwrap()
                    .get(&failed.params.request_id)
                    .cloned();
                format!(
                    "request failed ({}): {}",
                    failed.params.error_text,
                    url.as_deref().unwrap_or("?")
                )
            }
            _ => return,
        };
        self.found.lock().unwrap().push(trouble);
    }

    /// What went wrong since the last call.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.found.lock().unwrap())
    }
}
