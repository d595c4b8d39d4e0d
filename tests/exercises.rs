//! Every chapter exercise, tested.
//!
//! `build.rs` generates a module per exercise: its own `#[test]`s, run
//! against the reader's attempt (`attempts/NAME.rs`, written by
//! `cargo run -- exercise start NAME`) if there is one, else against the
//! reference solution; and `NAME_starter::stops_at_todo`, which checks that
//! the starter the page shows compiles, that each of its tests fails, and
//! that the starter's `todo!()` is reached (on any thread).

use std::collections::HashSet;
use std::panic;
use std::sync::{Mutex, Once};

/// The files where a `todo!()` panicked, seen by the panic hook.
static REACHED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

include!(concat!(env!("OUT_DIR"), "/exercises.rs"));

/// Runs a starter's tests, each of which must fail (a test the starter
/// passes cannot tell a reader's solution from no solution), and checks
/// that the starter's `todo!()` was reached.
fn stops_at_todo(file: &str, starter: &str, tests: &[(&str, fn())]) {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let todo = info.payload().downcast_ref::<&str>() == Some(&"not yet implemented");
            if let (true, Some(location)) = (todo, info.location()) {
                let mut reached = REACHED
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                reached
                    .get_or_insert_default()
                    .insert(location.file().to_string());
            }
            previous(info);
        }));
    });
    for (name, test) in tests {
        if panic::catch_unwind(test).is_ok() {
            panic!("{file}: the starter passes `{name}`: that test cannot tell it from a solution");
        }
    }
    let reached = REACHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    assert!(
        reached
            .as_ref()
            .is_some_and(|files| files.contains(starter)),
        "{file}: the starter's tests failed without reaching its todo!()"
    );
}
