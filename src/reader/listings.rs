//! The listing pipeline: from a chapter to the tests of its Rust listings.
//!
//! `build.rs` uses this module (through `#[path]`) at build time, and the
//! reader binary's tests use it to show that a broken chapter is caught.
//!
//! 1. [`expand`] replaces each `{{#include}}` and `{{#rustdoc_include}}` of a
//!    chapter with mdBook's own link preprocessor, one directive at a time,
//!    and remembers which line of the chapter every expanded line came from.
//!    A directive that mdBook cannot expand (a missing file), or that expands
//!    to nothing (a misspelt anchor), is an error naming the chapter's line.
//! 2. skeptic turns the expanded chapters into tests, and `build.rs` renames
//!    each test after the line of its fence in the original chapter, which
//!    [`Expanded::origin`] gives.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use mdbook_driver::book::{Book, Chapter};
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_driver::config::Config;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;

use super::exercise_file::{self, Exercise, View};

/// An include directive: `{{#include path}}`, `{{#rustdoc_include path:anchor}}`.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\\])(\{\{#(?:include|rustdoc_include)\s+([^}:\s]+)(?::([^}\s]*))?\s*\}\})")
        .unwrap()
});

/// A fence line: three or more backticks or tildes, then the info string.
static FENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(`{3,}|~{3,})\s*(.*)$").unwrap());

/// Something wrong at a line of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The chapter, as a path from the book's root (`book/ch01-….md`).
    pub chapter: PathBuf,
    /// The line, counted from 1.
    pub line: usize,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.chapter.display(),
            self.line,
            self.message
        )
    }
}

/// A chapter with its include directives expanded.
#[derive(Debug)]
pub struct Expanded {
    /// The chapter as mdBook renders it, before the other preprocessors.
    pub text: String,
    /// For each line of `text`, the line of the chapter it came from (from 1).
    pub origin: Vec<usize>,
    /// The files the chapter includes: a change to any of them changes `text`.
    pub sources: Vec<PathBuf>,
    /// The exercises the chapter shows, checked (`exercise_file` says what
    /// an exercise file holds). Their tests run in `tests/exercises.rs`.
    pub exercises: Vec<Exercise>,
}

/// Where a book's chapters live: the book's root and its `src` directory.
pub struct BookDirs {
    root: PathBuf,
    config: Config,
}

impl BookDirs {
    /// Reads `book.toml` at `root`.
    pub fn load(root: &Path) -> Result<BookDirs, String> {
        let config = Config::from_disk(root.join("book.toml"))
            .map_err(|err| format!("{}: {err:#}", root.join("book.toml").display()))?;
        Ok(BookDirs {
            root: root.to_path_buf(),
            config,
        })
    }

    /// The directory holding `SUMMARY.md` and the chapters.
    pub fn src(&self) -> PathBuf {
        self.root.join(&self.config.book.src)
    }

    /// Every chapter file, as paths relative to [`BookDirs::src`], sorted.
    pub fn chapters(&self) -> Result<Vec<PathBuf>, String> {
        let mut chapters = Vec::new();
        let mut dirs = vec![self.src()];
        while let Some(dir) = dirs.pop() {
            let entries = fs::read_dir(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
            for entry in entries {
                let path = entry
                    .map_err(|err| format!("{}: {err}", dir.display()))?
                    .path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|ext| ext == "md")
                    && path.file_name().is_some_and(|name| name != "SUMMARY.md")
                {
                    chapters.push(path.strip_prefix(self.src()).unwrap().to_path_buf());
                }
            }
        }
        chapters.sort();
        Ok(chapters)
    }

    /// The chapter's path as a reader sees it in an error: from the root.
    pub fn shown(&self, chapter: &Path) -> PathBuf {
        self.config.book.src.join(chapter)
    }

    /// Expands one directive with mdBook's link preprocessor, as if it stood
    /// alone in `chapter`, so that relative paths resolve the same way.
    fn expand_directive(&self, chapter: &Path, directive: &str) -> String {
        let ctx = PreprocessorContext::new(self.root.clone(), self.config.clone(), "html".into());
        let mut book = Book::new();
        book.push_item(Chapter::new("", directive.to_owned(), chapter, Vec::new()));
        let book = LinkPreprocessor::new()
            .run(&ctx, book)
            .expect("the link preprocessor logs its errors instead of returning them");
        let content = book.chapters().next().map(|ch| ch.content.clone());
        content.unwrap_or_default()
    }

    /// Expands every include directive of `chapter` (a path relative to
    /// [`BookDirs::src`]) and checks the chapter's Rust listings.
    pub fn expand(&self, chapter: &Path) -> Result<Expanded, Vec<Problem>> {
        let shown = self.shown(chapter);
        let problem = |line, message: String| Problem {
            chapter: shown.clone(),
            line,
            message,
        };
        let original = fs::read_to_string(self.src().join(chapter))
            .map_err(|err| vec![problem(0, format!("cannot read the chapter: {err}"))])?;

        let mut problems = check_fences(&original, &problem);
        let mut expanded = Expanded {
            text: String::new(),
            origin: Vec::new(),
            sources: Vec::new(),
            exercises: Vec::new(),
        };
        for (index, line) in original.lines().enumerate() {
            let number = index + 1;
            if let Some(found) = exercise_file::DIRECTIVE.captures(line) {
                let file = self.src().join(chapter).parent().unwrap().join(&found[1]);
                match check_exercise(&file) {
                    Ok(exercise) => expanded.exercises.push(exercise),
                    Err(why) => problems.push(problem(number, format!("{}: {why}", &found[0]))),
                }
                expanded.sources.push(file);
            }
            let mut text = line.to_owned();
            for found in DIRECTIVE.captures_iter(line) {
                let directive = &found[1];
                let file = self.src().join(chapter).parent().unwrap().join(&found[2]);
                let content = self.expand_directive(chapter, directive);
                if content.contains(directive) {
                    let why = if file.is_file() {
                        "mdBook could not expand it"
                    } else {
                        "no such file"
                    };
                    problems.push(problem(
                        number,
                        format!("{directive}: {why} ({})", file.display()),
                    ));
                } else if content.trim().is_empty() {
                    let anchor = found.get(3).map_or("", |a| a.as_str());
                    problems.push(problem(
                        number,
                        format!("{directive}: nothing to include: is the anchor `{anchor}` misspelt, or its region empty?"),
                    ));
                } else if content.contains("ANCHOR:") || content.contains("ANCHOR_END:") {
                    problems.push(problem(
                        number,
                        format!("{directive}: the anchor comments would show on the page: include by anchor (`file.rs:all`)"),
                    ));
                }
                text = text.replacen(directive, &content, 1);
                expanded.sources.push(file);
            }
            for _ in text.lines() {
                expanded.origin.push(number);
            }
            if text.is_empty() {
                expanded.origin.push(number);
            }
            expanded.text.push_str(&text);
            expanded.text.push('\n');
        }
        if problems.is_empty() {
            Ok(expanded)
        } else {
            Err(problems)
        }
    }
}

/// Reads an exercise file and checks that its starter can be made.
fn check_exercise(file: &Path) -> Result<Exercise, String> {
    let exercise = Exercise::from_file(file)?;
    let source = fs::read_to_string(file).map_err(|err| format!("{}: {err}", file.display()))?;
    exercise_file::render(&source, View::Starter)
        .map_err(|why| format!("{}: {why}", file.display()))?;
    Ok(exercise)
}

/// An open code block while [`check_fences`] reads a chapter.
struct Fence {
    marker: String,
    line: usize,
    rust: bool,
    /// It has held a line that is neither blank nor an include directive.
    inline: bool,
    /// It has held only blank lines so far.
    empty: bool,
}

/// The house rules for Rust listings, checked on the chapter as written:
/// a listing is included from a file under `snippets/`, and it runs.
fn check_fences(original: &str, problem: &dyn Fn(usize, String) -> Problem) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut open: Option<Fence> = None;
    for (index, line) in original.lines().enumerate() {
        let number = index + 1;
        let fence = FENCE.captures(line);
        let Some(block) = &mut open else {
            if let Some(fence) = fence {
                let words: Vec<&str> = fence[2].split([',', ' ']).collect();
                let rust = words.contains(&"rust");
                for forbidden in ["ignore", "should_panic"] {
                    if rust && words.contains(&forbidden) {
                        problems.push(problem(
                            number,
                            format!("a listing marked `{forbidden}` does not run: every listing must run"),
                        ));
                    }
                }
                let marker = fence[1].to_owned();
                open = Some(Fence {
                    marker,
                    line: number,
                    rust,
                    inline: false,
                    empty: true,
                });
            }
            continue;
        };
        let closes = fence.is_some_and(|f| {
            f[2].is_empty()
                && f[1].starts_with(&block.marker[..1])
                && f[1].len() >= block.marker.len()
        });
        if !closes {
            if !line.trim().is_empty() {
                block.empty = false;
                block.inline |= !DIRECTIVE.is_match(line);
            }
            continue;
        }
        if block.rust && block.inline {
            problems.push(problem(
                block.line,
                "Rust code written in the chapter: put it in a file under snippets/ and include it by anchor".into(),
            ));
        } else if block.rust && block.empty {
            problems.push(problem(block.line, "an empty Rust listing".into()));
        }
        open = None;
    }
    if let Some(block) = open {
        problems.push(problem(
            block.line,
            "this code block is never closed".into(),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A book in a temporary folder with one chapter and one snippet.
    fn book(chapter: &str, snippet: &str) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write("book.toml", "[book]\nsrc = \"book\"\n");
        write("book/SUMMARY.md", "- [One](ch01-one.md)\n");
        write("book/ch01-one.md", chapter);
        write("snippets/ch01-one/listing-01-01.rs", snippet);
        root
    }

    const SNIPPET: &str =
        "// ANCHOR: all\nfn main() {\n    println!(\"hi\");\n}\n// ANCHOR_END: all\n";

    fn expand(chapter: &str) -> Result<Expanded, Vec<Problem>> {
        let root = book(chapter, SNIPPET);
        let dirs = BookDirs::load(root.path()).unwrap();
        dirs.expand(Path::new("ch01-one.md"))
    }

    fn problems(chapter: &str) -> Vec<String> {
        expand(chapter)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn expands_by_anchor_and_maps_every_line_back() {
        let chapter = "# One\n\n```rust\n{{#include ../snippets/ch01-one/listing-01-01.rs:all}}\n```\n\nEnd.\n";
        let expanded = expand(chapter).unwrap();
        assert_eq!(
            expanded.text,
            "# One\n\n```rust\nfn main() {\n    println!(\"hi\");\n}\n```\n\nEnd.\n"
        );
        assert_eq!(expanded.origin, [1, 2, 3, 4, 4, 4, 5, 6, 7]);
    }

    #[test]
    fn a_missing_snippet_names_the_chapter_and_line() {
        let chapter =
            "# One\n\n```rust\n{{#include ../snippets/ch01-one/listing-01-02.rs:all}}\n```\n";
        let found = problems(chapter);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("book/ch01-one.md:4: {{#include ../snippets/ch01-one/listing-01-02.rs:all}}: no such file"), "{found:?}");
    }

    #[test]
    fn a_misspelt_anchor_names_the_chapter_and_line() {
        let chapter =
            "# One\n\n```rust\n{{#include ../snippets/ch01-one/listing-01-01.rs:al}}\n```\n";
        let found = problems(chapter);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("book/ch01-one.md:4: "), "{found:?}");
        assert!(
            found[0].contains("is the anchor `al` misspelt"),
            "{found:?}"
        );
    }

    #[test]
    fn a_whole_file_include_would_show_the_anchors() {
        let chapter = "```rust\n{{#include ../snippets/ch01-one/listing-01-01.rs}}\n```\n";
        assert!(problems(chapter)[0].contains("include by anchor"));
    }

    #[test]
    fn rust_written_in_the_chapter_is_refused() {
        let chapter = "Text\n\n```rust\nfn main() {}\n```\n";
        assert_eq!(
            problems(chapter),
            ["book/ch01-one.md:3: Rust code written in the chapter: put it in a file under snippets/ and include it by anchor"]
        );
    }

    #[test]
    fn listings_that_would_not_run_are_refused() {
        for marker in ["ignore", "should_panic"] {
            let chapter = format!("```rust,{marker}\n{{{{#include ../snippets/ch01-one/listing-01-01.rs:all}}}}\n```\n");
            let found = problems(&chapter);
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].starts_with(&format!("book/ch01-one.md:1: a listing marked `{marker}`")),
                "{found:?}"
            );
        }
    }

    #[test]
    fn an_unclosed_or_empty_listing_is_refused() {
        assert_eq!(
            problems("```rust\n\n```\n"),
            ["book/ch01-one.md:1: an empty Rust listing"]
        );
        assert_eq!(
            problems("Text\n```rust\n"),
            ["book/ch01-one.md:2: this code block is never closed"]
        );
    }

    #[test]
    fn a_broken_exercise_names_the_chapter_and_line() {
        let chapter = "# One\n\n{{#exercise ../snippets/ch01-one/exercise-01-1-hi.rs}}\n";
        let found = problems(chapter);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("book/ch01-one.md:3: {{#exercise"),
            "{found:?}"
        );
        assert!(found[0].contains("No such file"), "{found:?}");
    }

    #[test]
    fn other_languages_and_escaped_directives_are_left_alone() {
        let chapter = "```c\nint main(void) { return 0; }\n```\n\n`\\{{#include x.rs}}`\n";
        let expanded = expand(chapter).unwrap();
        assert!(expanded.sources.is_empty());
    }
}
