//! `gongkai`: a thin command line over the three library crates. It parses
//! arguments, wires the stages, runs files in parallel and writes outputs.

mod cli;
mod convert;
mod eval;
mod export;
mod inspect;
mod pipeline;
mod svg;

use clap::Parser;

/// mimalloc: the pipeline allocates many small strings and vectors per page,
/// and the system allocator spent about a third of convert's time (profile in
/// BENCHMARKS.md); it also keeps memory flat across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match args.command {
        cli::Command::Convert(a) => convert::run(a),
        cli::Command::Inspect(a) => inspect::run(a),
        cli::Command::Export(a) => export::run(a),
        cli::Command::Eval(a) => eval::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("gongkai: {e:#}");
            ExitCode::from(2)
        }
    }
}
