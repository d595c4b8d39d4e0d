//! # sockbook: the supporting library of the book
//!
//! Every listing in the book is a small program that uses this library for
//! what is not the point of the listing: a listener on loopback, a server
//! thread that cannot hang the test run, a bound on every blocking call.
//! Open a module from a chapter to see exactly which system calls it makes;
//! each function names its call and its man page.
//!
//! The rules the library keeps for the listings:
//! - it binds only loopback addresses, always on port 0, so listings that run
//!   in parallel never fight over a port and never talk to the network;
//! - every blocking call it hands out is bounded by [`timeout::LIMIT`], so a
//!   broken listing fails in seconds instead of hanging.

#![warn(missing_docs)]

pub mod backlog;
pub mod bench;
pub mod closing;
pub mod counters;
pub mod datagram;
pub mod descriptor;
pub mod errors;
pub mod handshake;
pub mod icmp;
pub mod layers;
pub mod loopback;
pub mod netdb;
pub mod netns;
pub mod ports;
pub mod privilege;
pub mod reuse;
pub mod server;
pub mod state;
pub mod stream;
pub mod timeout;
pub mod tuple;
pub mod unix;
