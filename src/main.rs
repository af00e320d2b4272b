//! `gongkai`: a thin command line over the three library crates. It parses
//! arguments, wires the stages, runs files in parallel and writes outputs.

mod cli;
mod convert;
mod eval;
mod export;
mod inspect;
mod review;
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
        cli::Command::Review(a) => review::run(a),
        cli::Command::Settings(a) => settings(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`gongkai inspect … | head`): what it wanted
        // it got, so end quietly and successfully, as `grep` does.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongkai: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// `gongkai settings`: every setting as TOML (the defaults, or those of `--settings FILE`).
fn settings(args: cli::SettingsArgs) -> anyhow::Result<u8> {
    use std::io::Write;
    let settings = cli::user_settings(args.settings.as_deref(), &[])?;
    std::io::stdout().write_all(settings.to_toml().as_bytes())?;
    Ok(0)
}

/// The error and its causes as one line, each said once: a library error
/// that prints its cause in its own message is not followed by it again
/// (it read "No such file or directory (os error 2): No such file…").
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Whether an error comes from writing to a closed pipe.
fn broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
    })
}

/// mimalloc asks for transparent huge pages, and the kernel zeroes a whole
/// 2 MiB page on first touch: for a one-file `inspect` that zeroing was most of
/// the run (perf: 80% in clear_page_erms) and doubled peak memory. Small pages
/// cost nothing measurable on long `convert` runs. It must run before the
/// first allocation (the Rust runtime allocates before `main`, and that
/// first arena page was still a huge one), so it is an early constructor:
/// `.init_array` entries with a priority run before those without, and
/// mimalloc's own runs at the default.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00050")]
static NO_HUGE_PAGES: extern "C" fn() = no_huge_pages;

#[cfg(target_os = "linux")]
extern "C" fn no_huge_pages() {
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes plain integers and reads or
    // writes no memory of ours; a failure only leaves huge pages on.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
