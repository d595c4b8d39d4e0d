//! The book on a phone: every chapter of both editions in a 390×844
//! viewport (a phone's, with touch), where nothing may make the page
//! scroll sideways (code blocks and tables scroll inside their own boxes,
//! as mdBook means them to), every diagram fits its column or scrolls
//! inside its own box, tabs (where a chapter has them) fit, and the
//! sidebar's button opens the sidebar and closes it again. Screenshots go
//! to target/mobile-390.png (a chapter with diagrams) and
//! target/mobile-390-sidebar.png (its sidebar open).
//!
//! Run with `cargo test --features browser --test mobile`.

use headless_chrome::protocol::cdp::{Emulation, Page};
use headless_chrome::Tab;

#[allow(dead_code)]
mod common;

use common::browser::{browser, chromium, diagrams, eval, load, Server, WAIT};

/// An iPhone's width and height in CSS pixels.
const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;

/// The chapter shown in the screenshot: it has wide diagrams.
const SHOWN: &str = "ch02-network-models.html";

/// The smallest share of its drawn size a diagram may be shown at: below,
/// its labels are too small to read (theme/diagram-fit.js).
const READABLE: f64 = 0.59;

/// Scrolls the page to its widest diagram.
/// Scrolls the first row of tabs into view; true if it has several buttons
/// and every one is within the screen (they wrap their names, not the page).
const TABS_FIT: &str = "(() => {
    const row = document.querySelector('.mdbook-tabs');
    row.scrollIntoView();
    const buttons = [...row.querySelectorAll('.mdbook-tab')];
    const right = Math.max(...buttons.map((b) => b.getBoundingClientRect().right));
    return String(buttons.length > 1 && right <= window.innerWidth + 1) + ' ' + buttons.length + ' buttons, right edge ' + right;
})()";

const WIDEST: &str = "(() => {
    const svgs = [...document.querySelectorAll('pre.mermaid svg')];
    const widest = svgs.reduce((a, b) => (a.viewBox.baseVal.width >= b.viewBox.baseVal.width ? a : b));
    widest.closest('pre').scrollIntoView();
    return String(widest.viewBox.baseVal.width);
})()";

/// What sticks out of the viewport on the right or left, outside the
/// sidebar and outside any box that scrolls (or clips) sideways by itself;
/// and the page's scroll width.
const OVERFLOW: &str = "(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el) => {
        for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
            const overflow = getComputedStyle(box).overflowX;
            if (overflow !== 'visible' && box.getBoundingClientRect().right <= width + 1) {
                return true;
            }
        }
        return false;
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        if (el.closest('#mdbook-sidebar')) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        if (rect.right <= width + 1 && rect.left >= -1) continue;
        if (scrolls(el)) continue;
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
        out.push(name + ' [' + Math.round(rect.left) + ', ' + Math.round(rect.right) + ']');
    }
    return JSON.stringify({ scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 8) });
})()";

/// Each diagram's width on screen against the width it was drawn at
/// (below 1 it was shrunk to fit), once mermaid has sized every drawing
/// (it sets the size last; waited for frame by frame, up to 5 s).
const DIAGRAM_SCALES: &str = "new Promise((resolve) => {
    const deadline = Date.now() + 5000;
    const drawn = (svg) => (svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0);
    const check = () => {
        const svgs = [...document.querySelectorAll('pre.mermaid svg')];
        if (svgs.every(drawn) || Date.now() > deadline) {
            resolve(svgs.map((svg) => drawn(svg) ? (svg.getBoundingClientRect().width / drawn(svg)).toFixed(2) : 'unsized').join(' '));
        } else {
            requestAnimationFrame(check);
        }
    };
    check();
})";

/// Whether the sidebar is open, and where its edges are.
const SIDEBAR: &str = "(() => {
    const rect = document.getElementById('mdbook-sidebar').getBoundingClientRect();
    const open = document.documentElement.classList.contains('sidebar-visible');
    return open + ' ' + Math.round(rect.left) + ' ' + Math.round(rect.right);
})()";

/// Waits (in the page, frame by frame, up to 5 s) for the sidebar to slide
/// fully in (`true`) or out (`false`), and returns [`SIDEBAR`].
fn sidebar_settles(tab: &Tab, open: bool) -> String {
    let wait = format!(
        "new Promise((resolve) => {{
            const deadline = Date.now() + 5000;
            const check = () => {{
                const rect = document.getElementById('mdbook-sidebar').getBoundingClientRect();
                const there = {open} ? rect.left >= 0 && rect.width > 0 : rect.right <= 0;
                if (there || Date.now() > deadline) {{ resolve({SIDEBAR}); }}
                else {{ requestAnimationFrame(check); }}
            }};
            check();
        }})"
    );
    match tab.evaluate(&wait, true).unwrap().value {
        Some(serde_json::Value::String(state)) => state,
        other => panic!("sidebar: {other:?}"),
    }
}

fn phone(tab: &Tab) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width: WIDTH,
        height: HEIGHT,
        device_scale_factor: 2.0,
        mobile: true,
        scale: None,
        screen_width: Some(WIDTH),
        screen_height: Some(HEIGHT),
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
    tab.call_method(Emulation::SetTouchEmulationEnabled {
        enabled: true,
        max_touch_points: Some(5),
    })
    .unwrap();
}

fn screenshot(tab: &Tab, name: &str) {
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    std::fs::create_dir_all("target").unwrap();
    std::fs::write(format!("target/{name}"), png).unwrap();
}

/// The chapters whose built page has tabs (mdbook-tabs' markup).
fn chapters_with_tabs(server: &Server, lang: &str) -> Vec<String> {
    pages()
        .into_iter()
        .filter(|page| {
            let html = std::fs::read_to_string(server.site().join(lang).join(page)).unwrap();
            html.contains("mdbook-tabs")
        })
        .collect()
}

fn pages() -> Vec<String> {
    common::chapters()
        .iter()
        .map(|chapter| chapter.replace(".md", ".html"))
        .collect()
}

#[test]
fn every_chapter_is_usable_on_a_phone() {
    let Some(path) = chromium("the phone test") else {
        return;
    };
    let server = Server::start();
    let browser = browser(path);
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(WAIT);
    phone(&tab);

    let mut problems = Vec::new();
    let mut shrunk = Vec::new();
    for lang in ["zh", "en"] {
        for page in pages() {
            let name = format!("{lang}/{page}");
            load(&tab, &format!("{}{name}", server.url));
            diagrams(&tab);
            let overflow: serde_json::Value = serde_json::from_str(&eval(&tab, OVERFLOW)).unwrap();
            let scroll_width = overflow["scrollWidth"].as_u64().unwrap();
            if scroll_width > u64::from(WIDTH) + 2 || overflow["out"] != serde_json::json!([]) {
                problems.push(format!(
                    "{name}: scrolls sideways ({scroll_width} px wide): {}",
                    overflow["out"]
                ));
            }
            let scales = match tab.evaluate(DIAGRAM_SCALES, true).unwrap().value {
                Some(serde_json::Value::String(scales)) => scales,
                other => panic!("{name}: {other:?}"),
            };
            for scale in scales.split_whitespace() {
                let scale: f64 = scale
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: a diagram not sized: {scales}"));
                if scale < 0.999 {
                    shrunk.push(format!("{name} {scale}"));
                }
                if scale < READABLE {
                    problems.push(format!("{name}: a diagram shrunk to {scale} of its size"));
                }
            }
        }
    }
    println!("diagrams drawn smaller to fit: {shrunk:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let tabs = chapters_with_tabs(&server, "zh");
    println!("chapters with tabs: {tabs:?}");
    if let Some(page) = tabs.first() {
        load(&tab, &format!("{}zh/{page}", server.url));
        let fits = eval(&tab, TABS_FIT);
        screenshot(&tab, "mobile-390-tabs.png");
        assert!(fits.starts_with("true"), "{page}: the tab buttons: {fits}");
    }

    // The sidebar: closed on a phone, opened and closed by its button.
    load(&tab, &format!("{}zh/{SHOWN}", server.url));
    diagrams(&tab);
    eval(&tab, WIDEST);
    screenshot(&tab, "mobile-390.png");
    assert!(
        eval(&tab, SIDEBAR).starts_with("false"),
        "{}",
        eval(&tab, SIDEBAR)
    );
    let toggle = tab.wait_for_element("#mdbook-sidebar-toggle").unwrap();
    toggle.click().unwrap();
    let state = sidebar_settles(&tab, true);
    assert!(
        state.starts_with("true 0 "),
        "the sidebar did not open: {state}"
    );
    screenshot(&tab, "mobile-390-sidebar.png");
    toggle.click().unwrap();
    let state = sidebar_settles(&tab, false);
    assert!(
        state.starts_with("false"),
        "the sidebar did not close: {state}"
    );
}
