//! Turns every Rust listing of the book into a test.
//!
//! skeptic does not know mdBook's include directives, so the chapters are
//! expanded first with mdBook's own link preprocessor (`src/reader/listings.rs`
//! says how, and what it checks). skeptic then writes a test per listing, and
//! each test is renamed after the line of its listing in the chapter as
//! written. `tests/listings.rs` includes the result.
//!
//! The exercises the chapters show become `tests/exercises.rs`: each runs its
//! tests against the reader's attempt under `attempts/` if there is one, else
//! against the reference solution, and a check that its starter compiles and
//! stops at `todo!()` (`src/reader/exercise_file.rs` says what an exercise
//! file holds).

use std::env;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process;
use std::time::SystemTime;

use regex::Regex;

#[path = "src/reader/exercise_file.rs"]
mod exercise_file;
#[path = "src/reader/listings.rs"]
mod listings;

fn main() {
    for watched in ["book.toml", "book", "snippets", exercise_file::ATTEMPTS] {
        println!("cargo::rerun-if-changed={watched}");
    }
    // The listings' runner (tests/listings.rs) builds programs of its own
    // for the same target as skeptic does.
    println!(
        "cargo::rustc-env=SOCKBOOK_TARGET={}",
        env::var("TARGET").unwrap()
    );
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    if let Err(problems) = generate(&root, &out) {
        eprintln!("The book's listings cannot become tests:");
        for problem in problems {
            eprintln!("error: {problem}");
        }
        process::exit(1);
    }
}

fn generate(root: &Path, out: &Path) -> Result<(), Vec<String>> {
    let dirs = listings::BookDirs::load(root).map_err(|err| vec![err])?;
    let mut expanded = Vec::new();
    let mut problems = Vec::new();
    for chapter in dirs.chapters().map_err(|err| vec![err])? {
        match dirs.expand(&chapter) {
            Ok(text) => expanded.push((chapter, text)),
            Err(found) => problems.extend(found.iter().map(ToString::to_string)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let exercises = expanded.iter().flat_map(|(_, text)| text.exercises.clone());
    write_if_changed(
        &out.join("exercises.rs"),
        &exercise_tests(root, out, exercises).map_err(|err| vec![err])?,
    )
    .map_err(|err| vec![err])?;

    let mut tests = String::from("extern crate skeptic;\n");
    for (chapter, text) in expanded {
        let copy = out.join("chapters").join(&chapter);
        let mut sources = text.sources.clone();
        sources.push(dirs.src().join(&chapter));
        write_as_old_as(&copy, &text.text, &sources).map_err(|err| vec![err])?;
        skeptic::generate_doc_tests(&[&copy]);
        let generated = fs::read_to_string(out.join("skeptic-tests.rs"))
            .map_err(|err| vec![err.to_string()])?;
        if generated.contains("#[test]") {
            let original = fs::read_to_string(dirs.src().join(&chapter))
                .map_err(|err| vec![format!("{}: {err}", chapter.display())])?;
            tests.push_str(
                &rename_tests(&generated, &dirs.shown(&chapter), &original, &text)
                    .map_err(|err| vec![err])?,
            );
        }
    }
    write_if_changed(&out.join("listings.rs"), &tests).map_err(|err| vec![err])
}

/// The tests of every exercise: its own tests, against the reader's attempt
/// if there is one, and the check of its starter.
fn exercise_tests(
    root: &Path,
    out: &Path,
    exercises: impl Iterator<Item = exercise_file::Exercise>,
) -> Result<String, String> {
    let mut tests = String::new();
    let mut seen = Vec::new();
    for exercise in exercises {
        if seen.contains(&exercise.name) {
            return Err(format!("two exercises are named {}", exercise.name));
        }
        seen.push(exercise.name.clone());
        let source = fs::read_to_string(&exercise.file)
            .map_err(|err| format!("{}: {err}", exercise.file.display()))?;
        let starter = out
            .join("starters")
            .join(format!("{}.rs", exercise.module()));
        let callable = exercise_file::callable_starter(&source)
            .map_err(|why| format!("{}: {why}", exercise.file.display()))?;
        write_if_changed(&starter, &format!("#![allow(unused)]\n{callable}"))?;
        let attempt = exercise.attempt(root);
        let tested = if attempt.is_file() {
            &attempt
        } else {
            &exercise.file
        };
        let calls: String = exercise_file::test_names(&source)
            .iter()
            .map(|name| format!("(\"{name}\", code::tests::{name} as fn()), "))
            .collect();
        tests.push_str(&format!(
            "/// Exercise {number}, tested from {tested}.\n\
             #[allow(dead_code)]\n#[path = {tested:?}]\nmod {module};\n\n\
             /// Exercise {number}'s starter, which the page shows.\n\
             mod {module}_starter {{\n    #[path = {starter:?}]\n    mod code;\n\n    \
             #[test]\n    fn stops_at_todo() {{\n        \
             crate::stops_at_todo({path:?}, {starter:?}, &[{calls}]);\n    }}\n}}\n\n",
            number = exercise.number,
            module = exercise.module(),
            tested = tested.display().to_string(),
            starter = starter.display().to_string(),
            path = exercise
                .file
                .strip_prefix(root)
                .unwrap_or(&exercise.file)
                .display()
                .to_string(),
        ));
    }
    Ok(tests)
}

/// Writes `text` to `path` if it differs, and dates the file like the newest
/// of its `sources`. skeptic asks cargo to watch the expanded chapter; a
/// file written during the build would look newer than the build and make
/// cargo run this script again on every `cargo test`.
fn write_as_old_as(path: &Path, text: &str, sources: &[PathBuf]) -> Result<(), String> {
    write_if_changed(path, text)?;
    let newest = sources
        .iter()
        .filter_map(|source| fs::metadata(source).and_then(|m| m.modified()).ok())
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH);
    File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(newest))
        .map_err(|err| format!("{}: {err}", path.display()))
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::create_dir_all(path.parent().unwrap())
        .and_then(|()| fs::write(path, text))
        .map_err(|err| format!("{}: {err}", path.display()))
}

/// Renames the tests skeptic generated from the expanded `chapter` after the
/// line of each listing's fence in the original chapter, puts them in a module
/// named after the chapter, makes a failing test say where it is, and runs
/// each listing with a bound (`run_listing` in `tests/listings.rs`) instead
/// of skeptic's unbounded `run_test`.
///
/// skeptic names a test `<stem>[_sect_<heading>]_line_<n>`, where `n` is the
/// line of the fence in the expanded chapter.
fn rename_tests(
    generated: &str,
    chapter: &Path,
    original: &str,
    expanded: &listings::Expanded,
) -> Result<String, String> {
    let header = Regex::new(r"^#\[test\] fn \w*_line_(\d+)\(\) \{$").unwrap();
    let module = module_name(chapter);
    let mut out = format!("mod {module} {{\n");
    let mut listing = None;
    for line in generated.lines() {
        if line == "extern crate skeptic;" {
            continue;
        }
        if let Some(found) = header.captures(line) {
            let fence: usize = found[1].parse().unwrap();
            let number = *fence
                .checked_sub(1)
                .and_then(|index| expanded.origin.get(index))
                .ok_or_else(|| {
                    format!(
                        "{}: skeptic named a listing at line {fence}, past the end",
                        chapter.display()
                    )
                })?;
            out.push_str(&format!("#[test] fn line_{number}() {{\n"));
            out.push_str(&format!(
                "    eprintln!(\"the listing at {}:{number}\");\n",
                chapter.display()
            ));
            let mut name = format!("{}:{number}", chapter.display());
            if let Some(file) = included_file(original, number) {
                name.push_str(&format!(" ({file})"));
            }
            listing = Some(name);
        } else if line.trim_start().starts_with("skeptic::rt::run_test(") {
            let name = listing.take().ok_or_else(|| {
                format!(
                    "{}: skeptic's run_test outside a test: has skeptic changed?",
                    chapter.display()
                )
            })?;
            out.push_str(&line.replacen(
                "skeptic::rt::run_test(",
                &format!("super::run_listing({name:?}, super::LISTING_BOUND, "),
                1,
            ));
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if let Some(name) = listing {
        return Err(format!(
            "{name}: the test skeptic wrote does not call run_test: has skeptic changed?"
        ));
    }
    out.push_str("}\n");
    Ok(out)
}

/// The file the listing whose fence is at line `fence` of the chapter
/// includes (its first include directive), as a path from the book's root:
/// `snippets/ch08-…/listing-08-05.rs`.
fn included_file(original: &str, fence: usize) -> Option<String> {
    let directive = Regex::new(r"\{\{#(?:rustdoc_)?include\s+([^}:\s]+)").unwrap();
    original
        .lines()
        .skip(fence)
        .take_while(|line| !line.trim_start().starts_with("```"))
        .find_map(|line| directive.captures(line))
        .map(|found| found[1].trim_start_matches("../").to_owned())
}

/// `book/ch01-what-is-a-socket.md` → `ch01_what_is_a_socket`.
fn module_name(chapter: &Path) -> String {
    let stem = chapter.file_stem().unwrap_or_default().to_string_lossy();
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}
