//! `interdict`: the command-line front end.
//!
//! This crate only parses arguments, calls the library crates and prints. The flow is
//! `args` (clap structs that mirror the command line) → `config` (validated settings: registry
//! path, output mode) → one module per command under `commands/`.

mod args;
mod bundled;
mod commands;
mod config;
mod render;

use clap::Parser;
use std::process::ExitCode;

/// See `Cargo.toml` for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Dies quietly of SIGPIPE, as Unix tools do, when output goes to a pipe that closes early
/// (`interdict diff ... | head`): Rust ignores the signal by default, which turns every
/// `println!` after the reader left into a panic.
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: restoring a signal's default disposition at start-up, before any thread exists,
    // has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn default_sigpipe() {}

fn main() -> ExitCode {
    default_sigpipe();
    let args = args::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("INTERDICT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match commands::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
