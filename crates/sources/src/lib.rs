//! Readers for the official sanctions list formats: each turns one publication's files into a
//! [`interdict_model::Publication`].
//!
//! One module per format ([`ofac_csv`], [`ofac_xml`], [`un_xml`], and [`notice`] for the
//! hand-written YAML designation notices, which are read on their own, not through [`load`]);
//! [`load`] detects the format and list of a path (a file, or a directory holding one
//! publication such as OFAC's four CSV files) and dispatches. Every reader:
//! - reads gzip transparently ([`input`]) and records each file's SHA-256, so the registry can
//!   tell a re-ingest from a new publication;
//! - never panics on bad input. A file that is not the format at all, or is not well-formed, is an
//!   `Err` naming the file and the position. Doubtful records (wrong column count, unknown
//!   program tag, unparseable date) become [`interdict_model::Warning`]s and parsing goes on.
//!
//! Architecture invariant: this crate knows nothing of storage, matching or presentation. It
//! maps formats to the model, and nothing else.
#![deny(missing_docs)]

mod detect;
mod error;
pub mod input;
mod links;
pub mod notice;
pub mod ofac_csv;
pub mod ofac_xml;
pub mod programs;
pub mod remarks;
pub mod un_xml;
mod xml;

pub use detect::{detect, load, Detected, Format, LoadOptions};
pub use error::SourceError;
pub use links::resolve_links;
