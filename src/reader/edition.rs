//! The book's two editions: the Chinese original and its English
//! translation, rendered side by side as `zh/` and `en/` under the build
//! directory, with a page at the top that sends the browser to one of them.

use std::fs;
use std::path::{Path, PathBuf};

use mdbook_driver::config::Config;
use mdbook_driver::MDBook;
use mdbook_mermaid::Mermaid;
use mdbook_tabs::TabsPreprocessor;

use super::exercise::Exercises;
use super::translation_cache::CachedGettext;
use super::{gettext, search};

/// An edition of the book: a language and the name of its switch.
pub struct Edition {
    /// The language code: `book.language`, the folder, and `po/<lang>.po`.
    pub lang: &'static str,
    /// What the switch to this edition says, in its own language.
    pub label: &'static str,
}

/// The original, written in `book/`.
pub const ORIGINAL: Edition = Edition {
    lang: "zh",
    label: "中文",
};

/// The translations, each from `po/<lang>.po`.
pub const TRANSLATIONS: [Edition; 1] = [Edition {
    lang: "en",
    label: "English",
}];

impl Edition {
    /// Every edition, the original first.
    pub fn all() -> impl Iterator<Item = &'static Edition> {
        std::iter::once(&ORIGINAL).chain(TRANSLATIONS.iter())
    }

    /// Loads the book as this edition, to be rendered into `site`.
    pub fn load(&self, root: &Path, site: &Path) -> Result<MDBook, String> {
        let mut config = book_config(root)?;
        if self.lang != ORIGINAL.lang {
            let catalog = gettext::Catalog::load(root, self.lang)?;
            config.book.title = config.book.title.map(|title| catalog.translate(&title));
        }
        config.book.language = Some(self.lang.to_string());
        // The not-found page loads its styles and scripts from `site-url`:
        // each edition is a folder of the site (tests/crawl.rs opens it).
        config
            .set("output.html.site-url", format!("/{}/", self.lang))
            .map_err(|err| format!("site-url: {err:#}"))?;
        config.build.build_dir = site.to_path_buf();
        load(root, config)
    }
}

/// Loads the book with the preprocessors linked in.
pub fn load(root: &Path, config: Config) -> Result<MDBook, String> {
    let mut book = MDBook::load_with_config(root, config)
        .map_err(|err| format!("cannot load the book at {}: {err:#}", root.display()))?;
    // book.toml names these preprocessors so that mdBook runs them in order
    // (exercises, links, gettext, tabs, mermaid); these replace the external
    // commands mdBook would look for. gettext does nothing for the original:
    // there is no po/zh.po. Tabs come after gettext, so that the text inside
    // a tab is translated as the rest of the page is.
    book.with_preprocessor(Exercises);
    book.with_preprocessor(CachedGettext::new(root));
    book.with_preprocessor(TabsPreprocessor::new());
    book.with_preprocessor(Mermaid);
    Ok(book)
}

/// book.toml, with the `MDBOOK_*` overrides from the environment.
pub fn book_config(root: &Path) -> Result<Config, String> {
    let path = root.join("book.toml");
    let mut config =
        Config::from_disk(&path).map_err(|err| format!("{}: {err:#}", path.display()))?;
    config
        .update_from_env()
        .map_err(|err| format!("{}: {err:#}", path.display()))?;
    Ok(config)
}

/// Renders every edition under the build directory, and returns it.
pub fn build_all(root: &Path) -> Result<PathBuf, String> {
    let site = root.join(&book_config(root)?.build.build_dir);
    for edition in Edition::all() {
        let dir = site.join(edition.lang);
        edition
            .load(root, &dir)?
            .build()
            .map_err(|err| format!("cannot build the {} edition: {err:#}", edition.lang))?;
        search::reindex(&dir)?;
    }
    let index = site.join("index.html");
    fs::write(&index, redirect_page()).map_err(|err| format!("{}: {err}", index.display()))?;
    Ok(site)
}

/// The site's front page: the edition in the browser's language, else
/// the original's translation, English.
fn redirect_page() -> String {
    let fallback = TRANSLATIONS[0].lang;
    let links: String = Edition::all()
        .map(|edition| {
            format!(
                "<li><a href=\"{0}/\" hreflang=\"{0}\" lang=\"{0}\">{1}</a></li>",
                edition.lang, edition.label
            )
        })
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>sockbook</title>
<script>
const editions = [{}];
const wanted = (navigator.languages || [navigator.language]).map((l) => l.slice(0, 2));
location.replace((wanted.find((l) => editions.includes(l)) || "{fallback}") + "/");
</script>
</head>
<body><ul>{links}</ul></body>
</html>
"#,
        Edition::all()
            .map(|edition| format!("\"{}\"", edition.lang))
            .collect::<Vec<_>>()
            .join(", "),
    )
}
