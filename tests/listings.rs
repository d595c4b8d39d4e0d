//! Every Rust listing of the book, compiled and run by skeptic.
//!
//! `build.rs` generates the tests: one module per chapter, one test per
//! listing, named after the line of the listing's fence in the chapter
//! (`ch08_tcp_call_sequence::line_42` is the listing whose fence is on line
//! 42 of `book/ch08-tcp-call-sequence.md`).

include!(concat!(env!("OUT_DIR"), "/listings.rs"));
