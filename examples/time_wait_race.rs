//! The race told at the end of chapter 11's "An RST can end TIME_WAIT
//! early": the server closes first and the client closes as soon as it
//! reads the end of the stream. Under load, the client's ACK of the server's
//! FIN can arrive after the client's own FIN; the server's TIME_WAIT answers
//! it, the client (gone by then) answers with an RST, and the RST ends the
//! TIME_WAIT. With `--wait`, the client closes only once the server's end is
//! in FIN_WAIT2, as every listing of the book does.
//!
//! Usage: `cargo run --example time_wait_race -- ROUNDS [--wait]`; run
//! several at once with both CPUs busy (the README's development section
//! says how). Stops at the first round whose TIME_WAIT never shows.

use std::io::Read;
use std::process::ExitCode;

use sockbook::state::{self, State};
use sockbook::{loopback, server};

const USAGE: &str = "usage: time_wait_race ROUNDS [--wait]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (rounds, wait) = match args.as_slice() {
        [rounds] => (rounds.parse::<u32>().ok(), false),
        [rounds, flag] if flag == "--wait" => (rounds.parse().ok(), true),
        _ => (None, false),
    };
    let Some(rounds) = rounds else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    for round in 1..=rounds {
        if let Err(err) = one_round(wait) {
            eprintln!("round {round}: {err}");
            return ExitCode::FAILURE;
        }
    }
    println!("{rounds} rounds, every TIME_WAIT seen");
    ExitCode::SUCCESS
}

/// One connection closed by the server first; fails if the server's
/// TIME_WAIT does not show within the inspector's limit.
fn one_round(wait: bool) -> std::io::Result<()> {
    let server = server::spawn(|listener| {
        let (connection, peer) = listener.accept()?;
        drop(connection);
        Ok(peer)
    })?;
    let addr = server.addr();
    let mut client = loopback::connect(addr)?;
    let client_addr = server.join()?;
    assert_eq!(client.read(&mut [0; 1])?, 0, "no data was sent");
    if wait {
        state::wait_for(addr, client_addr, State::FinWait2)?;
    }
    drop(client);
    state::wait_for(addr, client_addr, State::TimeWait).map(drop)
}
