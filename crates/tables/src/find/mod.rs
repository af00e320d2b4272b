//! The finders: where the tables are. Each produces [`crate::table::RawTable`]s
//! for [`crate::finish::finish`]:
//! - [`lattice`]: grids drawn with ruling lines;
//! - [`stream`]: tables of aligned text with no (or only horizontal) rules,
//!   with [`stream_header`] reading their header lines and [`centred_rows`]
//!   grouping rows whose labels are centred between their lines;
//! - [`pages`]: one PDF page, lattice first, then stream among the rest, with
//!   each table's title, caption and notes (fragments for the stitcher);
//! - [`dump`]: text dumps (tabs, Markdown pipes, HTML, aligned spaces).
//!
//! This module only declares them, so no finder depends on it.

pub mod centred_rows;
pub mod dump;
pub mod lattice;
pub mod pages;
pub mod stream;
pub mod stream_header;
