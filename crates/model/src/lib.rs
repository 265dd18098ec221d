//! The domain model of interdict: designated parties, their names, identifiers and
//! designations, and the list publications that carry them.
//!
//! This crate is plain data. It does no I/O, knows no file format and no storage; every other
//! layer (`sources` parses official files *into* these types, `registry` stores them, `matching`
//! indexes them) depends on it and it depends on nothing of ours.
//!
//! Design choices worth knowing:
//! - An [`Entity`] is one record of one list as one publication states it. The same party on two
//!   lists is two entities; the same record in two publications is the same value (and is stored
//!   once by the registry, which hashes the serialised entity).
//! - Dates of birth are [`PartialDate`]s inside a [`DateOfBirth`] because lists say "1962",
//!   "Nov 1962", "circa 1960" and "1960 to 1962"; forcing these into full dates loses truth.
//! - A [`Designation`] names the program tag *and* the legal authority behind it (INA §219,
//!   E.O. 13224) and the designating body, because screening alerts must explain why a party is
//!   blocked, not only that it is.
//! - A designation is also an event in time ([`DatedDesignation`]): announced, effective,
//!   revoked on dates that may be unknown; its status on any day is derived, never stored.
//!   [`Notice`]s carry such designations before any list file does.
//! - Collections keep source order: it is meaningful (OFAC lists a person's main DOB first).
#![deny(missing_docs)]

mod date;
mod designation;
mod entity;
mod identifier;
mod lifecycle;
mod name;
mod publication;
mod script;

pub use date::{DateOfBirth, PartialDate};
pub use designation::{Authority, Designation};
pub use entity::{Address, AircraftInfo, Entity, EntityKind, Gender, Link, VesselInfo};
pub use identifier::{Identifier, IdentifierKind};
pub use lifecycle::{
    Amendment, DatedDesignation, DesignationEvents, DesignationStatus, EventDate, Notice,
    NoticeLink, NoticeName, NoticeSource,
};
pub use name::{AliasQuality, Name, NameKind, NamePart, NamePartKind};
pub use publication::{ListId, Publication, SourceFile, Warning};
pub use script::Script;
