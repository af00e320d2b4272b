//! Running an outside program (tesseract, pdftoppm) within a deadline: its
//! output goes to files in the scratch directory (no pipe to fill up), it is
//! killed when the deadline passes, and a missing program is named with the
//! package that brings it.

use super::error::OcrError;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Run `cmd` to completion by `deadline`; stderr goes to `stderr_file`.
/// `program` and `packages` name it in the error when it is not installed.
pub fn run(
    cmd: &mut Command,
    program: &'static str,
    packages: &'static str,
    stderr_file: &std::path::Path,
    deadline: Instant,
) -> Result<(), OcrError> {
    let err = std::fs::File::create(stderr_file)?;
    let mut child = match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(OcrError::Missing { program, packages })
        }
        Err(e) => return Err(e.into()),
    };
    loop {
        if let Some(status) = child.try_wait()? {
            if status.success() {
                return Ok(());
            }
            let text = std::fs::read_to_string(stderr_file).unwrap_or_default();
            let last: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            let tail = last
                .get(last.len().saturating_sub(3)..)
                .unwrap_or_default()
                .join("; ");
            return Err(OcrError::Failed(format!(
                "{program} exited with {status}: {tail}"
            )));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::Timeout(format!(
                "{program} ran past the time budget (raise it with --timeout)"
            )));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
