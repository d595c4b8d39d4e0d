//! Search that finds Chinese words.
//!
//! mdBook's search index splits text on spaces only, and its English
//! trimmer keeps ASCII letters only, so a Chinese sentence is indexed as
//! nothing at all. Chinese has no spaces between words, and a dictionary
//! segmenter would need the same dictionary in the browser; so we index
//! every pair of neighbouring Chinese characters instead (overlapping
//! bigrams, the usual approach of CJK search engines). A query is split
//! the same way by `search-cjk.js` (beside this file), which we put at the
//! top of the index script: 套接字 becomes 套接 and 接字, and the sections
//! holding both rank first.
//!
//! The index is still mdBook's own (its search box, its result list): we
//! read the documents mdBook stored in `searchindex*.js` and index them
//! again with [`tokenize`] and a trimmer that keeps every letter.

use std::fs;
use std::path::Path;

use elasticlunr::lang::{English, Language};
use elasticlunr::pipeline::{FnWrapper, Pipeline};
use elasticlunr::IndexBuilder;
use serde_json::Value;

/// mdBook drops tokens longer than this; so do we.
const MAX_WORD_LENGTH: usize = 80;

/// Splits queries in the browser as [`tokenize`] splits the text.
const QUERY_SPLITTER: &str = include_str!("search-cjk.js");

/// How searchindex.js wraps the JSON (mdbook-html, `search.rs`).
const PREFIX: &str = "window.search = Object.assign(window.search, JSON.parse('";
const SUFFIX: &str = "'));";

/// A character of a script written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // kana
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'   // hangul
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}' // extensions B and later
    )
}

/// Spaces, hyphens (as mdBook), and CJK and full-width punctuation.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '-' || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// Splits text as mdBook does, except that each run of CJK characters
/// becomes its overlapping pairs (a lone character stays itself).
/// `search-cjk.js` must split queries exactly the same way.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, tokens: &mut Vec<String>| {
        if !word.is_empty() && word.len() <= MAX_WORD_LENGTH {
            tokens.push(word.to_lowercase());
        }
        word.clear();
    };
    let flush_run = |run: &mut Vec<char>, tokens: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => tokens.push(run[0].to_string()),
            _ => tokens.extend(run.windows(2).map(|pair| pair.iter().collect())),
        }
        run.clear();
    };
    for c in text.chars() {
        if is_separator(c) {
            flush_word(&mut word, &mut tokens);
            flush_run(&mut run, &mut tokens);
        } else if is_cjk(c) {
            flush_word(&mut word, &mut tokens);
            run.push(c);
        } else {
            flush_run(&mut run, &mut tokens);
            word.push(c);
        }
    }
    flush_word(&mut word, &mut tokens);
    flush_run(&mut run, &mut tokens);
    tokens
}

/// English's trimmer keeps `[0-9a-z_]` only and would strip every Chinese
/// character; this one keeps letters and digits of any script.
fn trimmer(token: String) -> Option<String> {
    Some(
        token
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
            .to_string(),
    )
}

/// English (stop words, stemmer) with [`tokenize`] and [`trimmer`]. Its
/// name stays "English" and its pipeline's names stay mdBook's, so the
/// browser's elasticlunr loads the index unchanged.
struct Bilingual;

impl Language for Bilingual {
    fn name(&self) -> String {
        English::new().name()
    }

    fn code(&self) -> String {
        English::new().code()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }

    fn make_pipeline(&self) -> Pipeline {
        let mut pipeline = English::new().make_pipeline();
        pipeline.queue[0] = Box::new(FnWrapper("trimmer".into(), trimmer));
        pipeline
    }
}

/// Rebuilds the search index of the edition rendered in `site`.
pub fn reindex(site: &Path) -> Result<(), String> {
    let entries = fs::read_dir(site).map_err(|err| format!("{}: {err}", site.display()))?;
    let mut found = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("searchindex") && name.ends_with(".js") {
            let path = entry.path();
            let script =
                fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
            let script =
                reindex_script(&script).map_err(|err| format!("{}: {err}", path.display()))?;
            fs::write(&path, script).map_err(|err| format!("{}: {err}", path.display()))?;
            found = true;
        }
    }
    if found {
        Ok(())
    } else {
        Err(format!("no searchindex*.js in {}", site.display()))
    }
}

/// The same script with the index rebuilt from the documents it stores.
fn reindex_script(script: &str) -> Result<String, String> {
    // The JSON is the last line; our splitter may already stand above it.
    let script = script.trim_end();
    let quoted = script
        .rsplit_once('\n')
        .map_or(script, |(_, last)| last)
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .ok_or("not the searchindex.js mdBook writes")?;
    let mut json: Value = serde_json::from_str(&unquote(quoted)).map_err(|err| err.to_string())?;
    let stored = &json["index"];
    let fields: Vec<String> =
        serde_json::from_value(stored["fields"].clone()).map_err(|err| format!("fields: {err}"))?;
    let docs = stored["documentStore"]["docs"]
        .as_object()
        .ok_or("the index stores no documents")?;
    let mut index = IndexBuilder::with_language(Box::new(Bilingual))
        .add_fields(&fields)
        .build();
    // Refs are the positions in doc_urls; keep mdBook's order.
    let mut refs: Vec<&String> = docs.keys().collect();
    refs.sort_by_key(|doc_ref| doc_ref.parse::<usize>().unwrap_or(usize::MAX));
    for doc_ref in refs {
        let doc = &docs[doc_ref];
        let values = fields.iter().map(|field| doc[field].as_str().unwrap_or(""));
        index.add_doc(doc_ref, values);
    }
    json["index"] = serde_json::to_value(&index).map_err(|err| err.to_string())?;
    let json = json.to_string();
    Ok(format!(
        "{QUERY_SPLITTER}\n{PREFIX}{}{SUFFIX}\n",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    ))
}

/// Undoes mdBook's quoting: `\` and `'` are escaped with a backslash.
fn unquote(quoted: &str) -> String {
    let mut text = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            c => text.push(c),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_runs_become_overlapping_pairs() {
        assert_eq!(tokenize("三次握手"), ["三次", "次握", "握手"]);
        assert_eq!(tokenize("端"), ["端"]);
    }

    #[test]
    fn english_is_split_as_mdbook_splits_it() {
        assert_eq!(
            tokenize("The three-way  Handshake"),
            ["the", "three", "way", "handshake"]
        );
    }

    #[test]
    fn mixed_text_and_chinese_punctuation() {
        assert_eq!(
            tokenize("TCP连接，端口（port）"),
            ["tcp", "连接", "端口", "port"]
        );
        assert_eq!(tokenize("socket()是"), ["socket()", "是"]);
    }

    #[test]
    fn the_trimmer_keeps_chinese() {
        assert_eq!(trimmer("“套接”".into()).as_deref(), Some("套接"));
        assert_eq!(trimmer("(socket)".into()).as_deref(), Some("socket"));
    }

    #[test]
    fn reindexing_finds_chinese_words() {
        let mut index = IndexBuilder::new()
            .add_fields(&["title", "body", "breadcrumbs"])
            .build();
        index.add_doc(
            "0",
            ["套接字是什么", "套接字是通信的端点。", "套接字是什么"],
        );
        let json = serde_json::json!({ "doc_urls": ["ch01.html"], "index": index }).to_string();
        let script = format!("{PREFIX}{}{SUFFIX}", json.replace('\'', "\\'"));
        let script = reindex_script(&script).unwrap();
        let (splitter, index) = script.trim_end().rsplit_once('\n').unwrap();
        assert_eq!(splitter.trim_end(), QUERY_SPLITTER.trim_end());
        let quoted = index
            .strip_prefix(PREFIX)
            .unwrap()
            .strip_suffix(SUFFIX)
            .unwrap();
        let json: Value = serde_json::from_str(&unquote(quoted)).unwrap();
        let body = &json["index"]["index"]["body"]["root"];
        assert!(body["端"]["口"].is_null(), "端口 is not in the text");
        assert_eq!(body["端"]["点"]["docs"]["0"]["tf"], 1.0);
        assert_eq!(json["doc_urls"][0], "ch01.html");
        assert_eq!(
            json["index"]["pipeline"],
            serde_json::json!(["trimmer", "stopWordFilter", "stemmer"])
        );
    }
}
