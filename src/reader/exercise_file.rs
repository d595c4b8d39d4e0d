//! A chapter exercise's file, as the page, `cargo test` and the `exercise`
//! command read it. `build.rs` uses this module too (through `#[path]`), so
//! it needs nothing but std and regex.
//!
//! An exercise is one Rust file, `snippets/chNN-topic/exercise-NN-K-name.rs`,
//! shown on its chapter's page by a line of its own:
//! `{{#exercise ../snippets/chNN-topic/exercise-NN-K-name.rs}}`. The file is
//! a module, not a program, and holds:
//! - `// ANCHOR: all` … `// ANCHOR_END: all` around the whole file;
//! - one or more `// ANCHOR: solution` … `// ANCHOR_END: solution` regions:
//!   the bodies the reader writes, which the starter replaces by `todo!()`;
//! - `// ANCHOR: tests` … `// ANCHOR_END: tests` around `mod tests`, whose
//!   `#[test]` functions check the solution, and later the reader's attempt.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// The directive that shows an exercise on a page.
pub static DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{#exercise\s+([^}\s]+)\s*\}\}").unwrap());

/// An exercise file's name: `exercise-08-1-echo-many.rs`.
static FILE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^exercise-(\d{2})-(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.rs$").unwrap()
});

/// An anchor comment: `// ANCHOR: name` or `// ANCHOR_END: name`.
static ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*//\s*(ANCHOR|ANCHOR_END):\s*(\w+)\s*$").unwrap());

/// A test function's name, on the line after its `#[test]`.
static TEST_FN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^(\s*)#\[test\]\s*\n(\s*)fn (\w+)").unwrap());

/// One exercise: where its file is and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// The reference file, with the solution and the tests.
    pub file: PathBuf,
    /// Chapter and number, as the page numbers it: `8-1`.
    pub number: String,
    /// The name a reader types: `echo-many`.
    pub name: String,
}

impl Exercise {
    /// Reads an exercise's number and name from its file name.
    pub fn from_file(file: &Path) -> Result<Exercise, String> {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let found = FILE_NAME.captures(&name).ok_or_else(|| {
            format!(
                "{}: an exercise file is named exercise-NN-K-name.rs",
                file.display()
            )
        })?;
        let chapter: u32 = found[1].parse().unwrap();
        Ok(Exercise {
            file: file.to_path_buf(),
            number: format!("{chapter}-{}", &found[2]),
            name: found[3].to_string(),
        })
    }

    /// The Rust module its tests run in, which `cargo test` filters by:
    /// `echo_many`.
    pub fn module(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The reader's attempt, under `attempts/` at the book's root.
    pub fn attempt(&self, root: &Path) -> PathBuf {
        root.join(ATTEMPTS).join(format!("{}.rs", self.name))
    }
}

/// The folder, at the book's root, where readers' attempts live; git
/// ignores what is in it.
pub const ATTEMPTS: &str = "attempts";

/// The parts of an exercise file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Everything but the anchor comments: the reference solution.
    Solution,
    /// The solution regions replaced by `todo!()`: what a reader starts from.
    Starter,
    /// The starter without its tests, as the page shows it.
    StarterWithoutTests,
}

/// Renders `source` as `view`, or says what is wrong with its anchors.
pub fn render(source: &str, view: View) -> Result<String, String> {
    let mut out = String::new();
    let mut open: Option<&str> = None;
    let (mut solutions, mut tests) = (0, 0);
    for (index, line) in source.lines().enumerate() {
        let at = |message: &str| format!("line {}: {message}", index + 1);
        if let Some(anchor) = ANCHOR.captures(line) {
            let name = anchor.get(2).unwrap().as_str();
            match (&anchor[1], name, open) {
                (_, "all", _) => {}
                ("ANCHOR", "solution" | "tests", None) => {
                    open = Some(name);
                    if name == "solution" {
                        solutions += 1;
                        if view != View::Solution {
                            let indent = &line[..line.len() - line.trim_start().len()];
                            out.push_str(&format!("{indent}todo!()\n"));
                        }
                    } else {
                        tests += 1;
                    }
                }
                ("ANCHOR_END", _, Some(opened)) if opened == name => open = None,
                _ => return Err(at(&format!("unexpected `{}`", line.trim()))),
            }
            continue;
        }
        let hidden = match open {
            Some("solution") => view != View::Solution,
            Some(_) => view == View::StarterWithoutTests,
            None => false,
        };
        if !hidden {
            out.push_str(line);
            out.push('\n');
        }
    }
    match (open, solutions, tests) {
        (Some(name), _, _) => Err(format!("the region `{name}` is never closed")),
        (_, 0, _) => {
            Err("no `// ANCHOR: solution` region: the starter would be the solution".into())
        }
        (_, _, 1) if test_names(source).is_empty() => {
            Err("the `tests` region has no #[test]".into())
        }
        (_, _, 1) => Ok(out),
        _ => Err("one `// ANCHOR: tests` region is needed, around `mod tests`".into()),
    }
}

/// The names of the `#[test]` functions in `source`.
pub fn test_names(source: &str) -> Vec<String> {
    TEST_FN
        .captures_iter(source)
        .map(|found| found[3].to_string())
        .collect()
}

/// The starter as `cargo test` checks it: its tests are plain functions the
/// check can call, to see each one stop (at `todo!()`). Only `build.rs`
/// calls it; the reader binary shares the module.
#[allow(dead_code)]
pub fn callable_starter(source: &str) -> Result<String, String> {
    let starter = render(source, View::Starter)?;
    let callable = TEST_FN.replace_all(&starter, "${2}pub(crate) fn ${3}");
    Ok(callable.replace("mod tests {", "pub(crate) mod tests {"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "// ANCHOR: all
use std::io;

/// Doubles.
pub fn double(n: u32) -> io::Result<u32> {
    // ANCHOR: solution
    Ok(n * 2)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    #[test]
    fn doubles() {
        assert_eq!(super::double(2).unwrap(), 4);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
";

    #[test]
    fn the_starter_stops_where_the_solution_was() {
        let starter = render(FILE, View::Starter).unwrap();
        assert!(
            starter.contains("io::Result<u32> {\n    todo!()\n}"),
            "{starter}"
        );
        assert!(!starter.contains("n * 2") && !starter.contains("ANCHOR"));
        assert!(starter.contains("fn doubles()"));
        let page = render(FILE, View::StarterWithoutTests).unwrap();
        assert!(!page.contains("mod tests") && page.contains("todo!()"));
        let solution = render(FILE, View::Solution).unwrap();
        assert!(solution.contains("Ok(n * 2)") && solution.contains("fn doubles()"));
    }

    #[test]
    fn the_callable_starter_exposes_its_tests() {
        let starter = callable_starter(FILE).unwrap();
        assert!(starter.contains("pub(crate) mod tests {"));
        assert!(starter.contains("    pub(crate) fn doubles()"));
        assert!(!starter.contains("#[test]"));
        assert_eq!(test_names(FILE), ["doubles"]);
    }

    #[test]
    fn broken_anchors_are_reported() {
        let no_solution = FILE
            .replace("// ANCHOR: solution\n", "")
            .replace("// ANCHOR_END: solution\n", "");
        assert!(render(&no_solution, View::Starter)
            .unwrap_err()
            .contains("no `// ANCHOR: solution`"));
        let unclosed = FILE.replace("    // ANCHOR_END: solution\n", "");
        assert!(render(&unclosed, View::Starter)
            .unwrap_err()
            .contains("unexpected"));
        let no_tests = FILE
            .replace("// ANCHOR: tests\n", "")
            .replace("// ANCHOR_END: tests\n", "");
        assert!(render(&no_tests, View::Starter)
            .unwrap_err()
            .contains("ANCHOR: tests"));
    }

    #[test]
    fn names_come_from_the_file_name() {
        let exercise =
            Exercise::from_file(Path::new("snippets/ch08-x/exercise-08-1-echo-many.rs")).unwrap();
        assert_eq!(
            (exercise.number.as_str(), exercise.name.as_str()),
            ("8-1", "echo-many")
        );
        assert_eq!(exercise.module(), "echo_many");
        assert!(Exercise::from_file(Path::new("listing-08-01.rs")).is_err());
    }
}
