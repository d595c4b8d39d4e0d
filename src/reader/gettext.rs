//! Translations, with the gettext workflow of mdbook-i18n-helpers.
//!
//! `po/messages.pot` holds every message of the Chinese source, as
//! mdbook-xgettext extracts them: paragraphs, headings, list items, table
//! cells, chapter titles, diagrams, and the comments and string literals of
//! listings. `po/en.po` holds their English. The gettext preprocessor swaps
//! each message for its translation when the English edition is built.
//!
//! Two changes to what mdbook-xgettext extracts:
//! - The book's title (from book.toml) is a message too.
//! - String literals of listings are left out. The listings run as the
//!   Chinese edition shows them; a literal that a test compares must stay
//!   byte for byte what ran, in both editions. So listings keep literals in
//!   English, and only their comments are translated.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use mdbook_i18n_helpers::renderers::Xgettext;
use mdbook_i18n_helpers::xgettext::create_catalogs;
use mdbook_renderer::RenderContext;
use polib::message::{Message, MessageFlags};
use polib::metadata::CatalogMetadata;
use polib::po_file;
use regex::Regex;

use super::edition::{self, Edition};

/// The template: every message of the Chinese source.
pub const POT: &str = "po/messages.pot";

/// Where a message comes from when it is the title in book.toml.
const TITLE_SOURCE: &str = "book.toml";

/// The translations of one language, from `po/<lang>.po`.
pub struct Catalog(polib::catalog::Catalog);

/// `po/<lang>.po` under `root`.
pub fn po_path(root: &Path, lang: &str) -> PathBuf {
    root.join("po").join(format!("{lang}.po"))
}

fn read(path: &Path) -> Result<polib::catalog::Catalog, String> {
    po_file::parse(path).map_err(|err| format!("{}: {err}", path.display()))
}

fn write(catalog: &polib::catalog::Catalog, path: &Path) -> Result<(), String> {
    po_file::write(catalog, path).map_err(|err| format!("{}: {err}", path.display()))
}

impl Catalog {
    /// Reads `po/<lang>.po`.
    pub fn load(root: &Path, lang: &str) -> Result<Catalog, String> {
        read(&po_path(root, lang)).map(Catalog)
    }

    /// The translation of `msgid`, or `msgid` itself while it has none.
    pub fn translate(&self, msgid: &str) -> String {
        self.0
            .find_message(None, msgid, None)
            .filter(|message| message.is_translated() && !message.is_fuzzy())
            .and_then(|message| message.msgstr().ok())
            .unwrap_or(msgid)
            .to_string()
    }
}

/// A listing's string literal, as mdbook-xgettext extracts it: the whole
/// message is one quoted literal (Rust's raw and byte strings included).
fn is_string_literal(msgid: &str) -> bool {
    static LITERAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r##"^(?s)((b|c|f)?"([^"\\]|\\.)*"|b?r#*".*"#*|b?'([^'\\]|\\.)*')$"##).unwrap()
    });
    LITERAL.is_match(msgid.trim())
}

/// The header of a catalog; no dates, so that an unchanged source writes
/// unchanged files.
fn metadata(language: &str) -> CatalogMetadata {
    let mut metadata = CatalogMetadata::new();
    metadata.project_id_version = "sockbook".into();
    metadata.language = language.into();
    metadata.mime_version = "1.0".into();
    metadata.content_type = "text/plain; charset=UTF-8".into();
    metadata.content_transfer_encoding = "8bit".into();
    metadata
}

/// Extracts the messages of the Chinese source.
pub fn extract(root: &Path) -> Result<polib::catalog::Catalog, String> {
    let book = edition::load(root, edition::book_config(root)?)?;
    let (chapters, _) = book
        .preprocess_book(&Xgettext)
        .map_err(|err| format!("cannot expand the book: {err:#}"))?;
    let mut config = book.config.clone();
    // No line numbers: a line added above a message would change it.
    config
        .set("output.xgettext.granularity", 0)
        .map_err(|err| err.to_string())?;
    let title = config.book.title.clone();
    let context = RenderContext::new(root, chapters, config, root.join("po"));
    let extracted = create_catalogs(&context, fs::read_to_string)
        .map_err(|err| format!("cannot extract messages: {err:#}"))?;

    let mut catalog = polib::catalog::Catalog::new(metadata(""));
    if let Some(title) = title {
        catalog.append_or_update(
            Message::build_singular()
                .with_source(TITLE_SOURCE.into())
                .with_msgid(title)
                .done(),
        );
    }
    for (_, part) in extracted {
        for message in part.messages() {
            if !is_string_literal(message.msgid()) {
                catalog.append_or_update(
                    Message::build_singular()
                        .with_source(message.source().into())
                        .with_comments(message.comments().into())
                        .with_msgid(message.msgid().into())
                        .done(),
                );
            }
        }
    }
    Ok(catalog)
}

/// Writes `po/messages.pot`, and brings each `po/<lang>.po` in line with
/// it: translations are kept, new messages come in untranslated, messages
/// gone from the source go. Returns what is left to translate.
pub fn update(root: &Path) -> Result<Vec<String>, String> {
    let template = extract(root)?;
    write(&template, &root.join(POT))?;
    let mut todo = Vec::new();
    for edition in &edition::TRANSLATIONS {
        let path = po_path(root, edition.lang);
        let old = if path.exists() {
            read(&path)?
        } else {
            polib::catalog::Catalog::new(CatalogMetadata::new())
        };
        let mut po = polib::catalog::Catalog::new(metadata(edition.lang));
        for message in template.messages() {
            let mut merged = Message::build_singular();
            merged
                .with_source(message.source().into())
                .with_comments(message.comments().into())
                .with_msgid(message.msgid().into());
            if let Some(known) = old.find_message(None, message.msgid(), None) {
                merged
                    .with_msgstr(known.msgstr().unwrap_or_default().into())
                    .with_flags(known.flags().clone());
            } else if let Some(close) = old
                .messages()
                .find(|known| known.is_translated() && same_words(known.msgid(), message.msgid()))
            {
                // Only punctuation or spacing changed: offer the old
                // translation, marked fuzzy until someone checks it.
                let mut fuzzy = MessageFlags::new();
                fuzzy.add_flag("fuzzy");
                merged
                    .with_msgstr(close.msgstr().unwrap_or_default().into())
                    .with_flags(fuzzy);
            }
            po.append_or_update(merged.done());
        }
        write(&po, &path)?;
        todo.extend(problems_in(edition, &po, &template));
    }
    Ok(todo)
}

/// Whether two messages differ only in punctuation and spacing, and are
/// the same kind of text: a listing's comment is not a table cell that
/// happens to hold the same word. Text without letters is never close to
/// anything: in `10.7%` and `10-7` the punctuation is the meaning.
fn same_words(a: &str, b: &str) -> bool {
    let words = |text: &str| -> String { text.chars().filter(|c| c.is_alphanumeric()).collect() };
    let kind = |text: &str| (text.trim_start().starts_with("//"), text.ends_with('\n'));
    let has_letters = words(a).chars().any(char::is_alphabetic);
    has_letters && words(a) == words(b) && kind(a) == kind(b)
}

/// What keeps the translations from being complete: a stale template, a
/// message untranslated or fuzzy, Chinese left in a translated edition.
pub fn check(root: &Path) -> Result<Vec<String>, String> {
    let template = extract(root)?;
    let mut problems = stale(&read(&root.join(POT))?, &template);
    for edition in &edition::TRANSLATIONS {
        let po = read(&po_path(root, edition.lang))?;
        problems.extend(problems_in(edition, &po, &template));
        problems.extend(untranslated_text(root, edition)?);
    }
    Ok(problems)
}

/// Messages of the source missing from the committed template, and the
/// other way round.
fn stale(committed: &polib::catalog::Catalog, fresh: &polib::catalog::Catalog) -> Vec<String> {
    let ids = |catalog: &polib::catalog::Catalog| -> BTreeMap<String, String> {
        catalog
            .messages()
            .map(|message| (message.msgid().to_string(), message.source().to_string()))
            .collect()
    };
    let (committed, fresh) = (ids(committed), ids(fresh));
    let mut problems = Vec::new();
    for (msgid, source) in &fresh {
        if !committed.contains_key(msgid) {
            problems.push(format!(
                "{}: not in {POT} (run `cargo run -- translations`): {}",
                chapters(source),
                excerpt(msgid)
            ));
        }
    }
    for (msgid, source) in &committed {
        if !fresh.contains_key(msgid) {
            problems.push(format!(
                "{POT}: no longer in {} (run `cargo run -- translations`): {}",
                chapters(source),
                excerpt(msgid)
            ));
        }
    }
    problems
}

/// Messages of the template that `po` leaves untranslated or fuzzy.
fn problems_in(
    edition: &Edition,
    po: &polib::catalog::Catalog,
    template: &polib::catalog::Catalog,
) -> Vec<String> {
    template
        .messages()
        .filter_map(|message| {
            let state = match po.find_message(None, message.msgid(), None) {
                None => "missing from",
                Some(found) if !found.is_translated() => "untranslated in",
                Some(found) if found.is_fuzzy() => "fuzzy in",
                Some(_) => return None,
            };
            Some(format!(
                "{}: {state} po/{}.po: {}",
                chapters(message.source()),
                edition.lang,
                excerpt(message.msgid())
            ))
        })
        .collect()
}

/// The chapters a message's `#:` sources name.
fn chapters(sources: &str) -> String {
    let names: BTreeSet<&str> = sources.split_whitespace().collect();
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// The start of a message, on one line.
fn excerpt(msgid: &str) -> String {
    let line: String = msgid.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((end, _)) => format!("«{}…»", &line[..end]),
        None => format!("«{line}»"),
    }
}

/// Renders `edition` into a scratch folder and reports every run of
/// Chinese left on its pages, outside `<span lang="zh">`, which marks a
/// Chinese term shown on purpose beside its English.
fn untranslated_text(root: &Path, edition: &Edition) -> Result<Vec<String>, String> {
    let scratch =
        tempfile::tempdir().map_err(|err| format!("cannot make a scratch folder: {err}"))?;
    edition
        .load(root, scratch.path())?
        .build()
        .map_err(|err| format!("cannot build the {} edition: {err:#}", edition.lang))?;
    let source = edition::book_config(root)?.book.src;
    let mut problems = Vec::new();
    for entry in fs::read_dir(scratch.path())
        .map_err(|err| err.to_string())?
        .flatten()
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let page = match name.strip_suffix(".html") {
            // print.html repeats every chapter.
            Some("print") => continue,
            Some("toc") => "the sidebar".to_string(),
            Some(stem) if root.join(&source).join(format!("{stem}.md")).exists() => {
                source.join(format!("{stem}.md")).display().to_string()
            }
            Some(_) => format!("the page {name}"),
            None if name.starts_with("toc") && name.ends_with(".js") => "the sidebar".to_string(),
            None => continue,
        };
        let html = fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        for run in chinese_in(&html) {
            problems.push(format!(
                "{page}: Chinese left in the {} edition: {}",
                edition.lang,
                excerpt(&run)
            ));
        }
    }
    problems.sort();
    Ok(problems)
}

/// The runs of Chinese in a page's text, outside `<span lang="zh">` and
/// outside tags.
fn chinese_in(html: &str) -> Vec<String> {
    let allowed = Regex::new(r#"(?s)<span lang="zh">.*?</span>"#).unwrap();
    let tag = Regex::new(r"(?s)<[^>]*>").unwrap();
    let chinese = Regex::new(r"[\p{Han}\u3000-\u303F\uFF00-\uFFEF][^<>\n]{0,40}").unwrap();
    let text = tag
        .replace_all(&allowed.replace_all(html, ""), " ")
        .into_owned();
    chinese
        .find_iter(&text)
        .map(|found| found.as_str().trim_end().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_told_from_comments_and_prose() {
        for literal in [
            r#""pong""#,
            r##"r#"a "b" c"#"##,
            r#"b"ping""#,
            "'x'",
            "\"two\nlines\"",
        ] {
            assert!(is_string_literal(literal), "{literal}");
        }
        for other in [
            "// 说明",
            "/* 块注释 */",
            "套接字是\"插座\"",
            r#""a" + "b""#,
        ] {
            assert!(!is_string_literal(other), "{other}");
        }
    }

    #[test]
    fn chinese_outside_marked_terms_is_found() {
        let html = r#"<p>A socket (<span lang="zh">套接字</span>) is an end.</p>
<p title="标题">Left: 三次握手。</p>"#;
        assert_eq!(chinese_in(html), ["三次握手。"]);
    }

    #[test]
    fn punctuation_changes_keep_the_words() {
        assert!(same_words("称\"文档\"", "称“文档”"));
        assert!(!same_words("称\"文档\"", "称\"文件\""));
        assert!(!same_words("`EAGAIN`", "// EAGAIN\n"));
        assert!(!same_words("10.7%", "10-7"));
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("a\n  b"), "«a b»");
        assert_eq!(excerpt(&"字".repeat(70)), format!("«{}…»", "字".repeat(60)));
    }

    #[test]
    fn a_stale_template_names_the_message_and_chapter() {
        let message = |msgid: &str| {
            Message::build_singular()
                .with_source("book/ch01-what-is-a-socket.md".into())
                .with_msgid(msgid.into())
                .done()
        };
        let mut committed = polib::catalog::Catalog::new(CatalogMetadata::new());
        committed.append_or_update(message("旧的一句"));
        let mut fresh = polib::catalog::Catalog::new(CatalogMetadata::new());
        fresh.append_or_update(message("新的一句"));
        let problems = stale(&committed, &fresh);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("book/ch01-what-is-a-socket.md: not in po/messages.pot"));
        assert!(problems[0].ends_with("«新的一句»"));
        assert!(problems[1].contains("no longer in book/ch01-what-is-a-socket.md"));
    }

    #[test]
    fn untranslated_and_fuzzy_messages_are_reported() {
        let mut template = polib::catalog::Catalog::new(CatalogMetadata::new());
        let mut po = polib::catalog::Catalog::new(CatalogMetadata::new());
        for msgid in ["一", "二", "三", "四"] {
            template.append_or_update(
                Message::build_singular()
                    .with_source("book/ch08-tcp-call-sequence.md".into())
                    .with_msgid(msgid.into())
                    .done(),
            );
        }
        let mut fuzzy = polib::message::MessageFlags::new();
        fuzzy.add_flag("fuzzy");
        let translated = |msgid: &str, msgstr: &str| {
            Message::build_singular()
                .with_msgid(msgid.into())
                .with_msgstr(msgstr.into())
                .done()
        };
        po.append_or_update(translated("一", "one"));
        po.append_or_update(translated("二", ""));
        po.append_or_update(
            Message::build_singular()
                .with_msgid("三".into())
                .with_msgstr("three".into())
                .with_flags(fuzzy)
                .done(),
        );
        let problems = problems_in(&edition::TRANSLATIONS[0], &po, &template);
        assert_eq!(
            problems,
            [
                "book/ch08-tcp-call-sequence.md: untranslated in po/en.po: «二»",
                "book/ch08-tcp-call-sequence.md: fuzzy in po/en.po: «三»",
                "book/ch08-tcp-call-sequence.md: missing from po/en.po: «四»",
            ]
        );
    }
}
