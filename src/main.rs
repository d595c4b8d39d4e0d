//! `sockbook`: the reader's command.
//!
//! - `cargo run -- build` renders both editions into `target/book/zh/` and
//!   `target/book/en/`.
//! - `cargo run -- serve` renders them and serves them at
//!   http://127.0.0.1:3000.
//! - `cargo run -- pdf` renders them and prints each with headless
//!   Chromium to `target/book/sockbook-zh.pdf` and `sockbook-en.pdf`.
//! - `cargo run -- translations` updates `po/messages.pot` and `po/en.po`
//!   after the Chinese text changed; `--check` only reports what is stale.
//! - `cargo run --release -- bench` measures the sockets of this machine
//!   for chapter 18 and compares them with iperf3, sockperf and `memcpy`;
//!   `--quick` for a short run, `--out DIR` for its charts and JSON.
//! - `cargo run -- exercise list | start NAME | reset NAME`: the chapter
//!   exercises, and the reader's attempts at them under `attempts/`.

mod reader;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{arg, value_parser, Command};

use reader::{book, exercise, gettext, pdf, serve};

fn cli() -> Command {
    let book_dir = arg!(--book <DIR> "The book's folder, holding book.toml")
        .value_parser(value_parser!(PathBuf))
        .default_value(env!("CARGO_MANIFEST_DIR"));
    Command::new("sockbook")
        .about("Builds and serves the sockbook book")
        .subcommand_required(true)
        .subcommand(
            Command::new("build")
                .about("Render both editions into target/book/")
                .arg(book_dir.clone()),
        )
        .subcommand(
            Command::new("pdf")
                .about(
                    "Render both editions and print each to a PDF in target/book/ (needs Chromium)",
                )
                .arg(book_dir.clone()),
        )
        .subcommand(
            Command::new("translations")
                .about("Update po/messages.pot and po/en.po from the Chinese source")
                .arg(book_dir.clone())
                .arg(arg!(--check "Change nothing; fail if a translation is stale or missing")),
        )
        .subcommand(
            Command::new("exercise")
                .about("The chapter exercises: list them, start one, reset one")
                .subcommand_required(true)
                .arg(book_dir.clone())
                .subcommand(Command::new("list").about(
                    "List every exercise, and whether your attempt exists and passes",
                ))
                .subcommand(
                    Command::new("start")
                        .about("Write an exercise's starter to attempts/NAME.rs, for cargo test to test")
                        .arg(arg!(<NAME> "The exercise, by name or number (echo-many, 8-1)")),
                )
                .subcommand(
                    Command::new("reset")
                        .about("Test the book's solution again; your attempt is kept as NAME.rs.old")
                        .arg(arg!(<NAME> "The exercise, by name or number")),
                ),
        )
        .subcommand(
            Command::new("serve")
                .about("Render the book and serve it on 127.0.0.1")
                .arg(book_dir)
                .arg(
                    arg!(--port <PORT> "The port to serve on")
                        .value_parser(value_parser!(u16))
                        .default_value("3000"),
                )
                .arg(arg!(--open "Open the book in a web browser")),
        )
        .subcommand(
            Command::new("bench")
                .about("Measure sockets on loopback against iperf3, sockperf and memcpy (chapter 18)")
                .arg(arg!(--quick "A short run that checks everything works; figures too noisy to quote"))
                .arg(
                    arg!(--out <DIR> "Where to write the charts (SVG) and the figures (JSON)")
                        .value_parser(value_parser!(PathBuf))
                        .default_value("target/bench"),
                ),
        )
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let (command, args) = matches.subcommand().expect("a subcommand is required");
    if command == "bench" {
        return finish(bench(
            args.get_flag("quick"),
            args.get_one::<PathBuf>("out").unwrap(),
        ));
    }
    let root = args.get_one::<PathBuf>("book").unwrap();
    let result = check_book_folder(root).and_then(|()| match command {
        "serve" => serve_book(
            root,
            *args.get_one::<u16>("port").unwrap(),
            args.get_flag("open"),
        ),
        "translations" => translations(root, args.get_flag("check")),
        "exercise" => match args.subcommand().expect("an exercise command is required") {
            ("list", _) => exercise::list(root),
            ("start", name) => exercise::start(root, name.get_one::<String>("NAME").unwrap()),
            (_, name) => exercise::reset(root, name.get_one::<String>("NAME").unwrap()),
        },
        "pdf" => pdf::print_all(root).map(|pdfs| {
            for pdf in pdfs {
                println!("{}", pdf.display());
            }
        }),
        _ => book::build(root).map(|site| println!("The book is in {}", site.display())),
    });
    finish(result)
}

/// The exit code of a command, its error on stderr.
fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Checks that `root` is a book's folder this user can read, so that a
/// wrong `--book` gets one plain line rather than mdBook's chain of causes.
fn check_book_folder(root: &Path) -> Result<(), String> {
    let hint = "--book names the folder that holds book.toml";
    match fs::metadata(root) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Err(format!("{}: no such folder ({hint})", root.display()));
        }
        Err(err) => return Err(format!("{}: {err}", root.display())),
        Ok(found) if !found.is_dir() => {
            return Err(format!("{}: not a folder ({hint})", root.display()));
        }
        Ok(_) => {}
    }
    let config = root.join("book.toml");
    match fs::read_to_string(&config) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Err(format!(
            "{}: no book.toml in this folder ({hint})",
            root.display()
        )),
        Err(err) => Err(format!("{}: cannot read it: {err}", config.display())),
    }
}

/// Runs the benchmark of chapter 18, prints its tables and ratios, and
/// writes its charts and figures into `out`.
fn bench(quick: bool, out: &Path) -> Result<(), String> {
    let options = match quick {
        true => sockbook::bench::Options::quick(),
        false => sockbook::bench::Options::full(),
    };
    if cfg!(debug_assertions) {
        eprintln!("note: an unoptimised build; measure with `cargo run --release -- bench`");
    }
    let report = sockbook::bench::run(options, |what| eprintln!("measuring {what}"));
    println!("{}", report.table());
    for comparison in &report.anchors {
        if let Err(why) = &comparison.theirs {
            println!("{} missing: {why}", comparison.anchor);
        }
    }
    let written = report
        .write(out)
        .map_err(|err| format!("cannot write into {}: {err}", out.display()))?;
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Updates the translation files, or only checks them, and lists what is
/// left to do.
fn translations(root: &Path, check: bool) -> Result<(), String> {
    let todo = if check {
        gettext::check(root)?
    } else {
        gettext::update(root)?
    };
    for line in &todo {
        eprintln!("{line}");
    }
    match (todo.len(), check) {
        (0, _) => Ok(()),
        (n, true) => Err(format!("{n} problems with the translations (listed above)")),
        (n, false) => {
            println!("{n} messages to translate in po/ (listed above)");
            Ok(())
        }
    }
}

/// Takes the port first, so that a port in use is reported before the
/// build, then builds the book and serves it.
fn serve_book(root: &Path, port: u16, open: bool) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|err| format!("cannot start the server: {err}"))?;
    runtime.block_on(async {
        let listener = serve::bind(port).await.map_err(|err| match err.kind() {
            io::ErrorKind::AddrInUse => {
                format!("port {port} is in use: choose another with --port")
            }
            _ => format!("cannot listen on 127.0.0.1:{port}: {err}"),
        })?;
        let site = book::build(root)?;
        let url = format!(
            "http://{}/",
            listener.local_addr().map_err(|err| err.to_string())?
        );
        println!("Serving the book at {url} (Ctrl-C stops)");
        if open {
            if let Err(err) = opener::open_browser(&url) {
                eprintln!("cannot open a browser ({err}); open {url} yourself");
            }
        }
        serve::serve(listener, &site)
            .await
            .map_err(|err| format!("the server stopped: {err}"))
    })
}
