//! Every language's client against every language's server, on loopback.
//!
//! Chapters 8, 13, 14 and 15 show the same programs in six tabs: Rust with
//! std, socket2 and nix, C, Python and Java. The bytes on the wire do not
//! care which language wrote them; this test shows it with a matrix of
//! pairs, for three protocols: document 003's TCP time server and client,
//! an echo server and client, and document 003's UDP server and client
//! (the server sends the time back). Then each language's program for
//! `SO_REUSEADDR` binds a port that holds a connection in `TIME_WAIT`.
//!
//! ## How a peer runs
//! The Rust peers are the listings themselves, included with `#[path]`:
//! each defines `listen()` (TCP) or `bind()` (UDP), `serve(socket, count)`
//! and `ask(addr, …)`, or `rebind(addr)` for `SO_REUSEADDR`, and runs on a
//! thread here. The other languages run as child processes:
//! - a server gets `server 127.0.0.1 0 COUNT`: it binds, prints the port
//!   the kernel chose as the first line of its standard output (flushed),
//!   serves COUNT clients (UDP: COUNT datagrams), and exits with status 0;
//! - a client gets `client 127.0.0.1 PORT` (the echo client also the
//!   message to send) and prints what it received, then a newline;
//! - the `SO_REUSEADDR` program gets `127.0.0.1 PORT`, where PORT holds a
//!   connection in `TIME_WAIT` that the test made; it sets the option,
//!   binds, listens, prints `listening on 127.0.0.1:PORT` and exits with 0.
//!
//! What a client printed is checked: the time is `Current time is N seconds
//! since the Unix epoch`, with N close to this machine's clock; the echo
//! is the message sent. Every child is killed after [`CHILD_LIMIT`], and a
//! failure shows its stderr. Each server runs once per protocol and
//! serves all the clients, which run in parallel; the three protocols run
//! at the same time. The `SO_REUSEADDR` programs run afterwards, one at a
//! time ([`reuse_addr`] says why).
//!
//! C is compiled with `cc -Wall -Werror` and Java with `javac`, once per
//! run, into a temporary directory; Python runs with `python3`. A missing
//! tool is said plainly and skipped with [`sockbook::netns::skip`]: its
//! language leaves the matrix, and under `CI=true` the test fails.

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sockbook::netns;
use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};

#[allow(dead_code)]
#[path = "../snippets/ch13-reading-and-writing/listing-13-16.rs"]
mod echo_nix;
#[allow(dead_code)]
#[path = "../snippets/ch13-reading-and-writing/listing-13-15.rs"]
mod echo_socket2;
#[allow(dead_code)]
#[path = "../snippets/ch13-reading-and-writing/listing-13-14.rs"]
mod echo_std;
#[allow(dead_code)]
#[path = "../snippets/ch15-reuseaddr-and-reuseport/listing-15-21.rs"]
mod reuse_nix;
#[allow(dead_code)]
#[path = "../snippets/ch15-reuseaddr-and-reuseport/listing-15-20.rs"]
mod reuse_socket2;
#[allow(dead_code)]
#[path = "../snippets/ch15-reuseaddr-and-reuseport/listing-15-19.rs"]
mod reuse_std;
#[allow(dead_code)]
#[path = "../snippets/ch08-tcp-call-sequence/listing-08-12.rs"]
mod time_nix;
#[allow(dead_code)]
#[path = "../snippets/ch08-tcp-call-sequence/listing-08-11.rs"]
mod time_socket2;
#[allow(dead_code)]
#[path = "../snippets/ch08-tcp-call-sequence/listing-08-10.rs"]
mod time_std;
#[allow(dead_code)]
#[path = "../snippets/ch14-udp-call-sequence/listing-14-09.rs"]
mod udp_nix;
#[allow(dead_code)]
#[path = "../snippets/ch14-udp-call-sequence/listing-14-08.rs"]
mod udp_socket2;
#[allow(dead_code)]
#[path = "../snippets/ch14-udp-call-sequence/listing-14-07.rs"]
mod udp_std;

/// How long a child process may run before it is killed.
const CHILD_LIMIT: Duration = Duration::from_secs(30);

/// The listings of one program in the languages that run as children.
struct Sources {
    c: &'static str,
    python: &'static str,
    /// The file, and the class in it that `java` runs.
    java: (&'static str, &'static str),
}

const TIME: Sources = Sources {
    c: "snippets/ch08-tcp-call-sequence/listing-08-13.c",
    python: "snippets/ch08-tcp-call-sequence/listing-08-14.py",
    java: (
        "snippets/ch08-tcp-call-sequence/listing-08-15.java",
        "TcpTime",
    ),
};
const ECHO: Sources = Sources {
    c: "snippets/ch13-reading-and-writing/listing-13-17.c",
    python: "snippets/ch13-reading-and-writing/listing-13-18.py",
    java: (
        "snippets/ch13-reading-and-writing/listing-13-19.java",
        "TcpEcho",
    ),
};
const UDP: Sources = Sources {
    c: "snippets/ch14-udp-call-sequence/listing-14-10.c",
    python: "snippets/ch14-udp-call-sequence/listing-14-11.py",
    java: (
        "snippets/ch14-udp-call-sequence/listing-14-12.java",
        "UdpTime",
    ),
};
const REUSE: Sources = Sources {
    c: "snippets/ch15-reuseaddr-and-reuseport/listing-15-22.c",
    python: "snippets/ch15-reuseaddr-and-reuseport/listing-15-23.py",
    java: (
        "snippets/ch15-reuseaddr-and-reuseport/listing-15-24.java",
        "ReuseAddr",
    ),
};
const ALL: [&Sources; 4] = [&TIME, &ECHO, &UDP, &REUSE];

/// The tools found on `PATH`, with the C and Java listings built.
struct Toolchains {
    /// Holds the C executables and the Java classes; removed at the end.
    dir: tempfile::TempDir,
    c: bool,
    python: Option<PathBuf>,
    java: Option<PathBuf>,
}

/// The first executable file called `name` in a directory of `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|file| {
            file.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Says that a language is left out, where `cargo test` shows it (past the
/// test harness's capture), then skips through [`netns::skip`]: under
/// `CI=true` that panics.
fn missing(language: &str, tool: &str) {
    let why =
        format!("`{tool}` is not on PATH; the {language} listings are left out of the matrix");
    let _ = writeln!(io::stderr(), "interop: SKIPPED {language}: {why}");
    netns::skip(&format!("{language} listings"), &why);
}

/// Starts a build step; [`Running::finish`] bounds it by [`CHILD_LIMIT`].
fn build(argv: &[OsString]) -> Running {
    spawn(format!("{argv:?}"), argv).unwrap_or_else(|err| panic!("cannot build: {err}"))
}

impl Toolchains {
    fn prepare() -> Toolchains {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        // The compilers run at the same time; each error shows its stderr.
        let mut builds = Vec::new();
        let c = match on_path("cc") {
            None => {
                missing("C", "cc");
                false
            }
            Some(cc) => {
                for sources in ALL {
                    builds.push(build(&[
                        cc.clone().into(),
                        "-Wall".into(),
                        "-Werror".into(),
                        "-o".into(),
                        dir.path().join(stem(sources.c)).into(),
                        sources.c.into(),
                    ]));
                }
                true
            }
        };
        let python = on_path("python3");
        if python.is_none() {
            missing("Python", "python3");
        }
        let java = match (on_path("javac"), on_path("java")) {
            (Some(javac), Some(java)) => {
                let mut argv: Vec<OsString> =
                    vec![javac.into(), "-d".into(), dir.path().join("java").into()];
                argv.extend(ALL.iter().map(|sources| sources.java.0.into()));
                builds.push(build(&argv));
                Some(java)
            }
            (None, _) => {
                missing("Java", "javac");
                None
            }
            (_, None) => {
                missing("Java", "java");
                None
            }
        };
        for running in builds {
            if let Err(err) = running.finish() {
                panic!("cannot build the listings: {err}");
            }
        }
        Toolchains {
            dir,
            c,
            python,
            java,
        }
    }

    /// The commands that run `sources` in each language available.
    fn programs(&self, sources: &Sources) -> Vec<Peer> {
        let mut peers = Vec::new();
        if self.c {
            let exe = self.dir.path().join(stem(sources.c));
            peers.push(Peer::Child("C", vec![exe.into()]));
        }
        if let Some(python) = &self.python {
            peers.push(Peer::Child(
                "Python",
                vec![python.into(), sources.python.into()],
            ));
        }
        if let Some(java) = &self.java {
            let classes = self.dir.path().join("java");
            let argv = vec![
                java.into(),
                "-cp".into(),
                classes.into(),
                sources.java.1.into(),
            ];
            peers.push(Peer::Child("Java", argv));
        }
        peers
    }
}

/// `snippets/…/listing-08-13.c` → `listing-08-13`.
fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// A child process whose output is being read, killed if it overstays.
struct Running {
    what: String,
    pid: u32,
    lines: Receiver<String>,
    done: Receiver<(io::Result<ExitStatus>, String)>,
}

/// Starts `argv` with its standard output and error read on two threads.
fn spawn(what: String, argv: &[OsString]) -> Result<Running, String> {
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("{what}: cannot start {:?}: {err}", argv[0]))?;
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (line, lines) = mpsc::channel();
    thread::spawn(move || {
        for text in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.send(text).is_err() {
                break;
            }
        }
    });
    let (finished, done) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes); // until the child exits
        let status = child.wait();
        let _ = finished.send((status, String::from_utf8_lossy(&bytes).into_owned()));
    });
    Ok(Running {
        what,
        pid,
        lines,
        done,
    })
}

impl Running {
    /// Kills the child (`kill(2)`, `SIGKILL`) and reports why, with its stderr.
    fn kill(self, why: &str) -> String {
        // SAFETY: kill(2) takes no pointers. The child is not reaped until
        // its stderr closes, so the pid is still ours.
        unsafe { libc::kill(self.pid as libc::pid_t, libc::SIGKILL) };
        let stderr = self
            .done
            .recv_timeout(CHILD_LIMIT)
            .map(|(_, stderr)| stderr)
            .unwrap_or_default();
        format!("{}: {why}; killed. stderr:\n{stderr}", self.what)
    }

    /// The first line of standard output: a server's port.
    fn port(&self) -> Result<u16, String> {
        let line = self
            .lines
            .recv_timeout(CHILD_LIMIT)
            .map_err(|_| "no port printed".to_string())?;
        line.trim()
            .parse()
            .map_err(|_| format!("the first line is not a port: {line:?}"))
    }

    /// Waits for the child to exit, and returns what it printed: its
    /// standard output, or an error with its stderr.
    fn finish(self) -> Result<String, String> {
        let Ok((status, stderr)) = self.done.recv_timeout(CHILD_LIMIT) else {
            return Err(self.kill(&format!("still running after {CHILD_LIMIT:?}")));
        };
        let status = status.map_err(|err| format!("{}: wait: {err}", self.what))?;
        let mut printed = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(CHILD_LIMIT) {
            printed.push(line); // the pipe closed when the child exited
        }
        if !status.success() {
            return Err(format!("{}: {status}. stderr:\n{stderr}", self.what));
        }
        Ok(printed.join("\n"))
    }
}

/// Starts a Rust listing's server for `count` clients on a thread.
type Start = fn(usize) -> io::Result<(SocketAddr, Receiver<io::Result<()>>)>;
/// A Rust listing's client: the server's address and the message to send.
type Ask = fn(SocketAddr, &str) -> io::Result<String>;

/// One side of a pair.
#[derive(Clone)]
enum Peer {
    Rust(&'static str, Start, Ask),
    Child(&'static str, Vec<OsString>),
}

impl Peer {
    fn language(&self) -> &'static str {
        match self {
            Peer::Rust(language, ..) | Peer::Child(language, _) => language,
        }
    }
}

/// Runs `serve` on a thread; its result arrives on the channel.
fn background<F>(serve: F) -> Receiver<io::Result<()>>
where
    F: FnOnce() -> io::Result<()> + Send + 'static,
{
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(serve());
    });
    result
}

/// A Rust listing as a peer: `$open` is `listen` or `bind`; the client
/// closure adapts its `ask` to [`Ask`].
macro_rules! rust_peer {
    ($language:literal, $listing:ident, $open:ident, $ask:expr) => {
        Peer::Rust(
            $language,
            |count| {
                let (socket, addr) = $listing::$open()?;
                Ok((addr, background(move || $listing::serve(socket, count))))
            },
            $ask,
        )
    };
}

/// A running server of either kind.
enum Server {
    Thread(Receiver<io::Result<()>>),
    Child(Running),
}

impl Server {
    fn finish(self) -> Result<(), String> {
        match self {
            Server::Thread(result) => match result.recv_timeout(CHILD_LIMIT) {
                Ok(Ok(())) => Ok(()),
                Ok(Err(err)) => Err(err.to_string()),
                Err(_) => Err(format!("not done after {CHILD_LIMIT:?}")),
            },
            Server::Child(running) => running.finish().map(drop),
        }
    }
}

/// A protocol of the matrix.
struct Protocol {
    name: &'static str,
    rust: [Peer; 3],
    sources: &'static Sources,
    /// The echo client sends a message: the client's and server's names.
    sends: bool,
    /// Whether what the client received is right, given what it sent.
    check: fn(&str, &str) -> Result<(), String>,
}

/// `Current time is N seconds since the Unix epoch`, N within 30 s of now.
fn check_time(_sent: &str, received: &str) -> Result<(), String> {
    let seconds: u64 = received
        .strip_prefix("Current time is ")
        .and_then(|rest| rest.strip_suffix(" seconds since the Unix epoch"))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("not a time: {received:?}"))?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    if seconds.abs_diff(now.as_secs()) > 30 {
        return Err(format!("{seconds} is far from now ({})", now.as_secs()));
    }
    Ok(())
}

fn check_echo(sent: &str, received: &str) -> Result<(), String> {
    if sent == received {
        Ok(())
    } else {
        Err(format!("sent {sent:?}, received {received:?}"))
    }
}

fn protocols() -> [Protocol; 3] {
    [
        Protocol {
            name: "TCP time",
            rust: [
                rust_peer!("Rust (std)", time_std, listen, |a, _| time_std::ask(a)),
                rust_peer!("Rust (socket2)", time_socket2, listen, |a, _| {
                    time_socket2::ask(a)
                }),
                rust_peer!("Rust (nix)", time_nix, listen, |a, _| time_nix::ask(a)),
            ],
            sources: &TIME,
            sends: false,
            check: check_time,
        },
        Protocol {
            name: "TCP echo",
            rust: [
                rust_peer!("Rust (std)", echo_std, listen, |a, m| {
                    echo_std::ask(a, m.as_bytes()).map(|b| String::from_utf8_lossy(&b).into())
                }),
                rust_peer!("Rust (socket2)", echo_socket2, listen, |a, m| {
                    echo_socket2::ask(a, m.as_bytes()).map(|b| String::from_utf8_lossy(&b).into())
                }),
                rust_peer!("Rust (nix)", echo_nix, listen, |a, m| {
                    echo_nix::ask(a, m.as_bytes()).map(|b| String::from_utf8_lossy(&b).into())
                }),
            ],
            sources: &ECHO,
            sends: true,
            check: check_echo,
        },
        Protocol {
            name: "UDP time",
            rust: [
                rust_peer!("Rust (std)", udp_std, bind, |a, _| udp_std::ask(a)),
                rust_peer!(
                    "Rust (socket2)",
                    udp_socket2,
                    bind,
                    |a, _| udp_socket2::ask(a)
                ),
                rust_peer!("Rust (nix)", udp_nix, bind, |a, _| udp_nix::ask(a)),
            ],
            sources: &UDP,
            sends: false,
            check: check_time,
        },
    ]
}

/// Starts `peer` as a server for `count` clients.
fn start(peer: &Peer, count: usize) -> Result<(SocketAddr, Server), String> {
    match peer {
        Peer::Rust(_, start, _) => {
            let (addr, result) = start(count).map_err(|err| err.to_string())?;
            Ok((addr, Server::Thread(result)))
        }
        Peer::Child(language, argv) => {
            let mut argv = argv.clone();
            argv.extend(["server", "127.0.0.1", "0"].map(OsString::from));
            argv.push(count.to_string().into());
            let running = spawn(format!("{language} server"), &argv)?;
            match running.port() {
                Ok(port) => Ok((
                    SocketAddr::from(([127, 0, 0, 1], port)),
                    Server::Child(running),
                )),
                Err(why) => Err(running.kill(&why)),
            }
        }
    }
}

/// Runs `client` against the server at `addr`; returns what it received.
fn ask(client: &Peer, addr: SocketAddr, message: Option<&str>) -> Result<String, String> {
    match client {
        Peer::Rust(_, _, ask) => ask(addr, message.unwrap_or_default()).map_err(|e| e.to_string()),
        Peer::Child(language, argv) => {
            let mut argv = argv.clone();
            argv.extend([
                "client".into(),
                "127.0.0.1".into(),
                addr.port().to_string().into(),
            ]);
            argv.extend(message.map(OsString::from));
            spawn(format!("{language} client"), &argv)?.finish()
        }
    }
}

/// Every client against every server for `protocol`: the number of
/// pairs, or what failed.
fn matrix(protocol: &Protocol, tools: &Toolchains) -> Result<(usize, usize), Vec<String>> {
    let mut peers: Vec<Peer> = protocol.rust.to_vec();
    peers.extend(tools.programs(protocol.sources));
    let mut failures = Vec::new();
    for server in &peers {
        let label = |client: &Peer| {
            format!(
                "{}: {} client -> {} server",
                protocol.name,
                client.language(),
                server.language()
            )
        };
        let (addr, running) = match start(server, peers.len()) {
            Ok(started) => started,
            Err(why) => {
                failures.push(format!(
                    "{}: {} server: {why}",
                    protocol.name,
                    server.language()
                ));
                continue;
            }
        };
        let results: Vec<Result<(), String>> = thread::scope(|scope| {
            let pairs: Vec<_> = peers
                .iter()
                .map(|client| {
                    scope.spawn(move || {
                        let message = format!("{} to {}", client.language(), server.language());
                        let message = protocol.sends.then_some(message.as_str());
                        let received = ask(client, addr, message)?;
                        (protocol.check)(message.unwrap_or_default(), &received)
                    })
                })
                .collect();
            pairs.into_iter().map(|pair| pair.join().unwrap()).collect()
        });
        for (client, result) in peers.iter().zip(results) {
            if let Err(why) = result {
                failures.push(format!("{}: {why}", label(client)));
            }
        }
        if let Err(why) = running.finish() {
            failures.push(format!(
                "{}: {} server: {why}",
                protocol.name,
                server.language()
            ));
        }
    }
    if failures.is_empty() {
        Ok((peers.len(), peers.len()))
    } else {
        Err(failures)
    }
}

/// Each language's `SO_REUSEADDR` program binds a port where a connection
/// waits in `TIME_WAIT`; the number that did, or what failed.
fn reuse_addr(tools: &Toolchains) -> Result<usize, Vec<String>> {
    type Rebind = fn(SocketAddr) -> io::Result<()>;
    let rust: [(&str, Rebind); 3] = [
        ("Rust (std)", |addr| reuse_std::rebind(addr).map(drop)),
        ("Rust (socket2)", |addr| {
            reuse_socket2::rebind(addr).map(drop)
        }),
        ("Rust (nix)", |addr| reuse_nix::rebind(addr).map(drop)),
    ];
    let children = tools.programs(&REUSE);
    let run = |language: &str, rebind: &dyn Fn(SocketAddr) -> Result<(), String>| {
        // The old server set SO_REUSEADDR too: Linux asks it of both (listing 15-4).
        let (addr, _) = reuse::server_closed_first(Reuse::ADDR).map_err(|e| e.to_string())?;
        // Without the option the port is refused: the test can fail.
        match reuse::tcp(addr, Reuse::NONE) {
            Err(err) if err.kind() == io::ErrorKind::AddrInUse => {}
            other => return Err(format!("no TIME_WAIT to bind beside: {other:?}")),
        }
        rebind(addr)?;
        let sockets = state::on_port(addr.port()).map_err(|e| e.to_string())?;
        if !sockets.iter().any(|s| s.state == State::TimeWait) {
            return Err(format!("{language}: the TIME_WAIT on {addr} was gone"));
        }
        Ok(())
    };
    // One language at a time, and after the matrix: a connect(2) elsewhere
    // may take a port in TIME_WAIT as its ephemeral port (another
    // four-tuple), and then nobody can bind it.
    let mut results: Vec<(String, Result<(), String>)> = Vec::new();
    for (language, rebind) in rust {
        let result = run(language, &|addr| rebind(addr).map_err(|e| e.to_string()));
        results.push((language.to_string(), result));
    }
    for peer in &children {
        let Peer::Child(language, argv) = peer else {
            unreachable!("programs() gives children")
        };
        let result = run(language, &|addr| {
            let mut argv = argv.clone();
            argv.extend(["127.0.0.1".into(), addr.port().to_string().into()]);
            let printed = spawn(format!("{language} SO_REUSEADDR"), &argv)?.finish()?;
            if printed == format!("listening on {addr}") {
                Ok(())
            } else {
                Err(format!("printed {printed:?}"))
            }
        });
        results.push((language.to_string(), result));
    }
    let count = results.len();
    let failures: Vec<String> = results
        .into_iter()
        .filter_map(|(language, result)| {
            result
                .err()
                .map(|why| format!("SO_REUSEADDR: {language}: {why}"))
        })
        .collect();
    if failures.is_empty() {
        Ok(count)
    } else {
        Err(failures)
    }
}

#[test]
fn every_client_against_every_server_in_every_language() {
    let tools = Toolchains::prepare();
    let protocols = protocols();
    let matrices: Vec<_> = thread::scope(|scope| {
        let matrices: Vec<_> = protocols
            .iter()
            .map(|protocol| scope.spawn(|| matrix(protocol, &tools)))
            .collect();
        matrices.into_iter().map(|m| m.join().unwrap()).collect()
    });
    let reused = reuse_addr(&tools);
    let mut failures = Vec::new();
    let mut sizes = Vec::new();
    for result in matrices {
        match result {
            Ok(size) => sizes.push(size),
            Err(found) => failures.extend(found),
        }
    }
    if let Err(found) = &reused {
        failures.extend(found.iter().cloned());
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let (servers, clients) = sizes[0];
    let pairs: usize = sizes.iter().map(|(s, c)| s * c).sum();
    // Straight to stderr, past the capture: `cargo test` shows the size.
    let _ = writeln!(
        io::stderr(),
        "interop matrix: {servers} servers x {clients} clients x {} protocols = {pairs} pairs, all passed; \
         SO_REUSEADDR beside TIME_WAIT: {} languages, all bound",
        sizes.len(),
        reused.unwrap()
    );
}
