//! The reader binary's parts: build the book in its two editions, serve
//! it, print it, keep its translations, and the pipeline that turns its
//! listings into tests.

pub mod book;
pub mod edition;
pub mod exercise;
pub mod exercise_file;
pub mod gettext;
pub mod listings;
pub mod pdf;
pub mod search;
pub mod serve;
pub mod translation_cache;
