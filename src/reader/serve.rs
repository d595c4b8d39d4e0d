//! Serving the rendered book on loopback, with tower-http's `ServeDir`.
//!
//! `ServeDir` maps request paths onto the site's directory and refuses any
//! path that would leave it (`..`, absolute paths).

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use axum::Router;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;

/// The router that serves `site`.
pub fn router(site: &Path) -> Router {
    Router::new().fallback_service(ServeDir::new(site))
}

/// Binds 127.0.0.1:`port`; only this machine can reach the book.
pub async fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// Serves `site` on `listener` until the process ends.
pub async fn serve(listener: TcpListener, site: &Path) -> io::Result<()> {
    axum::serve(listener, router(site)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::{Read, Write};

    /// Serves a small site with a secret beside it, and sends one request
    /// line by hand (the client side is not under test; the server is).
    fn get(path: &str) -> String {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("site");
        fs::create_dir_all(site.join("sub")).unwrap();
        fs::write(site.join("index.html"), "<h1>book</h1>").unwrap();
        fs::write(site.join("sub/page.html"), "<p>page</p>").unwrap();
        fs::write(root.path().join("secret.txt"), "secret").unwrap();

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(bind(0)).unwrap();
        let addr = listener.local_addr().unwrap();
        assert!(addr.ip().is_loopback());
        let server = std::thread::spawn(move || {
            runtime.block_on(async {
                tokio::select! {
                    _ = serve(listener, &site) => {}
                    _ = tokio::time::sleep(sockbook::timeout::LIMIT) => {}
                }
            })
        });
        let mut client = sockbook::loopback::connect(addr).unwrap();
        write!(
            client,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        client.read_to_string(&mut response).unwrap();
        drop(server);
        response
    }

    #[test]
    fn serves_the_site() {
        let response = get("/");
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with("<h1>book</h1>"), "{response}");
        assert!(get("/sub/page.html").ends_with("<p>page</p>"));
    }

    #[test]
    fn refuses_paths_outside_the_site() {
        for path in [
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
        ] {
            let response = get(path);
            assert!(response.starts_with("HTTP/1.1 4"), "{path}: {response}");
            assert!(
                !response.contains("secret\r\n") && !response.ends_with("secret"),
                "{path}: {response}"
            );
        }
    }
}
