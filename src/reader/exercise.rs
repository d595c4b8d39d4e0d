//! The chapter exercises: how a page shows them, and the reader's loop
//! (`cargo run -- exercise list | start NAME | reset NAME`).
//!
//! `exercise_file` says what an exercise file holds; `build.rs` makes
//! `cargo test` test the reader's attempt in place of the reference.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{Error, Result as BookResult};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use super::exercise_file::{self, Exercise, View, ATTEMPTS};
use super::listings::BookDirs;

/// What the collapsed solution is called in each edition. gettext does not
/// extract the text of an HTML block, so the label is chosen here.
fn solution_label(language: Option<&str>) -> &'static str {
    match language {
        Some("en") => "Solution and tests",
        _ => "参考答案与测试",
    }
}

/// Replaces each `{{#exercise file}}` line with the starter, and the
/// solution with its tests in a collapsed section. Both come from the file
/// `cargo test` runs, so the page cannot drift from what was tested.
pub struct Exercises;

impl Preprocessor for Exercises {
    fn name(&self) -> &str {
        "exercises"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> BookResult<Book> {
        let src = ctx.root.join(&ctx.config.book.src);
        let label = solution_label(ctx.config.book.language.as_deref());
        let mut result = Ok(());
        book.for_each_chapter_mut(|chapter| {
            let Some(path) = &chapter.path else { return };
            let dir = src.join(path).parent().unwrap().to_path_buf();
            let mut failed = None;
            let content = exercise_file::DIRECTIVE.replace_all(
                &chapter.content,
                |found: &regex::Captures| {
                    let file = dir.join(&found[1]);
                    section(&file, label).unwrap_or_else(|why| {
                        failed = Some(format!("{}: {why}", path.display()));
                        String::new()
                    })
                },
            );
            chapter.content = content.into_owned();
            if let Some(why) = failed {
                result = Err(why);
            }
        });
        result.map_err(|why| Error::msg(format!("cannot show an exercise: {why}")))?;
        Ok(book)
    }
}

/// The markdown that shows one exercise.
fn section(file: &Path, label: &str) -> Result<String, String> {
    let source = fs::read_to_string(file).map_err(|err| format!("{}: {err}", file.display()))?;
    let view = |view| {
        exercise_file::render(&source, view).map_err(|why| format!("{}: {why}", file.display()))
    };
    Ok(format!(
        "```rust\n{}```\n\n<details>\n<summary>{label}</summary>\n\n```rust\n{}```\n\n</details>\n",
        view(View::StarterWithoutTests)?,
        view(View::Solution)?,
    ))
}

/// Every exercise the chapters show, in the order of the book's files.
fn all(root: &Path) -> Result<Vec<Exercise>, String> {
    let dirs = BookDirs::load(root)?;
    let mut exercises = Vec::new();
    for chapter in dirs.chapters()? {
        let expanded = dirs.expand(&chapter).map_err(|problems| {
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        exercises.extend(expanded.exercises);
    }
    Ok(exercises)
}

/// The exercise a reader named, by name (`echo-many`) or number (`8-1`).
fn find(root: &Path, wanted: &str) -> Result<Exercise, String> {
    all(root)?
        .into_iter()
        .find(|exercise| exercise.name == wanted || exercise.number == wanted)
        .ok_or_else(|| {
            format!("no exercise is called {wanted:?}: `cargo run -- exercise list` lists them")
        })
}

/// Lists every exercise with its chapter and the state of the reader's
/// attempt, which it tests with `cargo test`.
pub fn list(root: &Path) -> Result<(), String> {
    for exercise in all(root)? {
        let attempt = exercise.attempt(root);
        let state = if !attempt.is_file() {
            "not started".to_string()
        } else if passes(root, &exercise)? {
            format!("{}: passes", shown(root, &attempt))
        } else {
            format!("{}: fails", shown(root, &attempt))
        };
        let chapter = exercise
            .file
            .parent()
            .and_then(Path::file_name)
            .unwrap_or_default();
        println!(
            "{:<6} {:<24} {:<32} {state}",
            exercise.number,
            exercise.name,
            chapter.to_string_lossy()
        );
    }
    Ok(())
}

/// Runs the tests of one exercise, on the reader's attempt.
fn passes(root: &Path, exercise: &Exercise) -> Result<bool, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet", "--test", "exercises", "--"])
        .arg(format!("{}::", exercise.module()))
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|err| format!("cannot run cargo test: {err}"))?;
    Ok(status.success())
}

/// Writes the starter of an exercise where the reader edits it.
pub fn start(root: &Path, name: &str) -> Result<(), String> {
    let exercise = find(root, name)?;
    let attempt = exercise.attempt(root);
    if attempt.exists() {
        return Err(format!(
            "{} exists already: edit it, or `cargo run -- exercise reset {}` first",
            shown(root, &attempt),
            exercise.name
        ));
    }
    let source = fs::read_to_string(&exercise.file)
        .map_err(|err| format!("{}: {err}", exercise.file.display()))?;
    let starter = exercise_file::render(&source, View::Starter)?;
    fs::create_dir_all(root.join(ATTEMPTS))
        .and_then(|()| fs::write(&attempt, starter))
        .map_err(|err| format!("{}: {err}", attempt.display()))?;
    println!(
        "Exercise {}: edit {}",
        exercise.number,
        shown(root, &attempt)
    );
    println!(
        "then run: cargo test --test exercises {}::",
        exercise.module()
    );
    Ok(())
}

/// Puts the reference solution back in the reader's attempt's place; the
/// attempt is kept beside it, as `NAME.rs.old`.
pub fn reset(root: &Path, name: &str) -> Result<(), String> {
    let exercise = find(root, name)?;
    let attempt = exercise.attempt(root);
    if !attempt.exists() {
        return Err(format!(
            "exercise {} was not started: nothing to reset",
            exercise.name
        ));
    }
    let old = attempt.with_extension("rs.old");
    fs::rename(&attempt, &old).map_err(|err| format!("{}: {err}", attempt.display()))?;
    println!(
        "Exercise {}: cargo test tests the book's solution again; your attempt is in {}",
        exercise.number,
        shown(root, &old)
    );
    Ok(())
}

/// A path as the reader sees it: from the book's root.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
