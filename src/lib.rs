//! The `gongkai` library: one file through the whole pipeline (extract →
//! tables → normalize) and the flat rows that `export` writes, shared by the
//! command line and the Python package so both give the same documents and rows.

pub mod discover;
pub mod drawing;
pub mod flat;
pub mod isolate;
pub mod outputs;
pub mod pipeline;
pub mod provenance;
pub mod settings;
