//! `interdict serve`: the HTTP API and web UI on the registry.

use crate::args::ServeArgs;
use anyhow::{Context, Result};
use interdict_registry::Registry;
use interdict_server::ServerConfig;
use std::net::SocketAddr;
use std::process::ExitCode;

pub fn run(args: ServeArgs, registry: impl FnOnce() -> Result<Registry>) -> Result<ExitCode> {
    let listen: SocketAddr = args.listen.parse().with_context(|| {
        format!(
            "--listen {}: expected ADDR:PORT, e.g. 127.0.0.1:8080",
            args.listen
        )
    })?;
    // Opening with data loads the bundled lists into an empty registry, so a fresh checkout
    // serves something.
    let registry = registry()?;
    let path = registry
        .path()
        .context("the server needs a registry file")?
        .to_path_buf();
    drop(registry);
    ignore_sigpipe();
    interdict_server::run(ServerConfig::new(path, listen))?;
    Ok(ExitCode::SUCCESS)
}

/// A client that hangs up must not kill the server: `main` restores SIGPIPE's default for
/// pipelines, which a server does not want.
#[cfg(unix)]
fn ignore_sigpipe() {
    // SAFETY: setting a signal's disposition to "ignore" has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_sigpipe() {}
