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
