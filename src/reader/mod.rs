//! The reader binary's parts: build the book, serve it, and the pipeline that
//! turns its listings into tests.

pub mod book;
pub mod listings;
pub mod serve;
