//! mdbook-i18n-helpers' gettext preprocessor, remembering its work.
//!
//! Translating a chapter runs syntect over each of its code blocks to find
//! their comments: 11 of the 15 seconds `cargo run -- build` took for the
//! whole book. A chapter's translation only changes when its text or the
//! catalog does, so each translated chapter is kept under
//! `target/i18n-cache/<lang>/`, named by a hash of both, and only the
//! chapters not found there go through the preprocessor.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use mdbook_i18n_helpers::preprocessors::Gettext;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use super::gettext;

/// [`Gettext`], with a cache of translated chapters under `root/target/`
/// (which git ignores and `cargo clean` empties).
pub struct CachedGettext {
    cache: PathBuf,
}

impl CachedGettext {
    /// Keeps translated chapters of the book at `root`.
    pub fn new(root: &Path) -> CachedGettext {
        CachedGettext {
            cache: root.join("target").join("i18n-cache"),
        }
    }
}

impl Preprocessor for CachedGettext {
    fn name(&self) -> &str {
        Gettext.name()
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Gettext.supports_renderer(renderer)
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let Some(lang) = ctx.config.book.language.clone() else {
            return Ok(book);
        };
        let Ok(catalog) = fs::read(gettext::po_path(&ctx.root, &lang)) else {
            // No catalog: Gettext leaves the original as it is.
            return Ok(book);
        };
        if book
            .iter()
            .any(|item| matches!(item, BookItem::PartTitle(_)))
        {
            // Part titles are translated outside any chapter: not cached.
            return Gettext.run(ctx, book);
        }
        let dir = self.cache.join(&lang);
        // The chapters without a cached translation: their place among the
        // book's chapters, the cache file to write, and the chapter.
        let mut missing = Vec::new();
        let mut place = 0;
        book.for_each_chapter_mut(|chapter| {
            let file = dir.join(format!("{:016x}.json", key(&catalog, chapter)));
            let cached = fs::read(&file)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok());
            match cached {
                Some((name, content)) => (chapter.name, chapter.content) = (name, content),
                None => {
                    let mut alone = chapter.clone();
                    alone.sub_items.clear();
                    missing.push((place, file, alone));
                }
            }
            place += 1;
        });
        if missing.is_empty() {
            return Ok(book);
        }
        let alone = missing
            .iter()
            .map(|(_, _, chapter)| BookItem::Chapter(chapter.clone()));
        let translated = Gettext.run(ctx, Book::new_with_items(alone.collect()))?;
        fs::create_dir_all(&dir)?;
        let mut done = HashMap::new();
        for ((place, file, _), chapter) in missing.into_iter().zip(translated.chapters()) {
            fs::write(
                &file,
                serde_json::to_vec(&(&chapter.name, &chapter.content))?,
            )?;
            done.insert(place, (chapter.name.clone(), chapter.content.clone()));
        }
        let mut place = 0;
        book.for_each_chapter_mut(|chapter| {
            if let Some(translation) = done.remove(&place) {
                (chapter.name, chapter.content) = translation;
            }
            place += 1;
        });
        Ok(book)
    }
}

/// A chapter's translation depends on its name and text, and the catalog.
fn key(catalog: &[u8], chapter: &Chapter) -> u64 {
    let mut hasher = DefaultHasher::new();
    (catalog, &chapter.name, &chapter.content).hash(&mut hasher);
    hasher.finish()
}
