//! Building the book with mdBook's library and the preprocessors it needs,
//! linked in so that readers install nothing.

use std::path::{Path, PathBuf};

use super::edition;
use super::listings::BookDirs;

/// Checks every chapter's listings, then renders every edition. Returns
/// the directory of the rendered site.
pub fn build(root: &Path) -> Result<PathBuf, String> {
    check_listings(root)?;
    edition::build_all(root)
}

/// The same checks `cargo test` makes: mdBook only logs an include it
/// cannot expand and renders the page anyway.
fn check_listings(root: &Path) -> Result<(), String> {
    let dirs = BookDirs::load(root)?;
    let problems: Vec<String> = dirs
        .chapters()?
        .iter()
        .filter_map(|chapter| dirs.expand(chapter).err())
        .flatten()
        .map(|problem| problem.to_string())
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
