//! A server on its own thread, which the listing waits for with a bound.
//!
//! A listing usually plays both sides: a server thread and a client in
//! `main`. If the server gets stuck, joining its thread would hang the
//! listing, so [`Server::join`] waits at most [`LIMIT`].

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::panic;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use crate::loopback;
use crate::timeout::LIMIT;

/// A running server thread and the address it listens on.
pub struct Server<T> {
    addr: SocketAddr,
    outcome: Receiver<thread::Result<io::Result<T>>>,
}

/// Makes a [`loopback::listener`] and hands it to `serve` on a new thread.
///
/// The listener exists before this returns, so a client may connect to
/// [`Server::addr`] at once: the kernel queues the connection until `serve`
/// calls `accept`.
pub fn spawn<T, F>(serve: F) -> io::Result<Server<T>>
where
    T: Send + 'static,
    F: FnOnce(TcpListener) -> io::Result<T> + Send + 'static,
{
    let listener = loopback::listener()?;
    let addr = listener.local_addr()?;
    let (done, outcome) = mpsc::channel();
    thread::spawn(move || {
        let result = panic::catch_unwind(panic::AssertUnwindSafe(|| serve(listener)));
        // The receiver may have given up waiting; that is its business.
        let _ = done.send(result);
    });
    Ok(Server { addr, outcome })
}

impl<T> Server<T> {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits for the server to finish, at most [`LIMIT`], and returns what
    /// it returned. A panic in the server is raised again here.
    pub fn join(self) -> io::Result<T> {
        self.join_within(LIMIT)
    }

    /// Like [`Server::join`], with a limit of your choice. Running out of
    /// time is an error of kind [`io::ErrorKind::TimedOut`].
    pub fn join_within(self, limit: Duration) -> io::Result<T> {
        match self.outcome.recv_timeout(limit) {
            Ok(Ok(result)) => result,
            Ok(Err(panicked)) => panic::resume_unwind(panicked),
            Err(RecvTimeoutError::Timeout) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the server on {} did not finish within {limit:?}",
                    self.addr
                ),
            )),
            Err(RecvTimeoutError::Disconnected) => unreachable!("the server thread always reports"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn join_returns_what_the_server_returned() {
        let server = spawn(|listener| {
            let (mut conn, _) = listener.accept()?;
            conn.write_all(b"hello")?;
            conn.peer_addr()
        })
        .unwrap();
        let mut client = loopback::connect(server.addr()).unwrap();
        let mut reply = String::new();
        client.read_to_string(&mut reply).unwrap();
        assert_eq!(reply, "hello");
        assert_eq!(server.join().unwrap(), client.local_addr().unwrap());
    }

    #[test]
    fn a_stuck_server_is_reported_as_timed_out() {
        // Nobody connects, so this server waits in accept(2) for the whole LIMIT.
        let server = spawn(|listener| listener.accept().map(drop)).unwrap();
        let err = server.join_within(Duration::from_millis(20)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    }

    #[test]
    fn an_error_in_the_server_reaches_join() {
        let server = spawn(|_listener| -> io::Result<()> {
            Err(io::Error::new(io::ErrorKind::InvalidData, "bad"))
        })
        .unwrap();
        assert_eq!(
            server.join().unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }

    #[test]
    fn a_panic_in_the_server_reaches_join() {
        let server = spawn(|_listener| -> io::Result<()> { panic!("server panicked") }).unwrap();
        let payload = panic::catch_unwind(panic::AssertUnwindSafe(|| server.join())).unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"server panicked"));
    }
}
