//! `focal`: the exact focal-entropy minimiser on the command line. Output goes
//! through a locked, buffered standard output; when the reader closes the pipe
//! (`focal … | head -1`) the tool stops quietly with status 0. Errors are one
//! line on standard error with status 2.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::io::Write;
    use std::process::ExitCode;

    use focal_entropy_explorer::cli::{
        parse_args, run, run_invert, CliError, Command, USAGE, VERSION,
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let outcome = parse_args(std::env::args_os().skip(1)).and_then(|command| match command {
        Command::Help => Ok(out.write_all(USAGE.as_bytes())?),
        Command::Version => Ok(out.write_all(VERSION.as_bytes())?),
        Command::Solve(options) => run(&options, &mut out),
        Command::Invert(options) => {
            let summary = run_invert(&options, &mut out)?;
            if summary.renormalised > 0 {
                eprintln!(
                    "focal: {} of {} rows summed to 1 only within 1e-6 and were renormalised",
                    summary.renormalised, summary.rows
                );
            }
            Ok(())
        }
    });
    let outcome = outcome.and_then(|()| Ok(out.flush()?));
    match outcome {
        Ok(()) | Err(CliError::Output(std::io::ErrorKind::BrokenPipe)) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("focal: {error}");
            ExitCode::from(2)
        }
    }
}

/// The tool is native only; cargo still builds every binary of the package for
/// the wasm integration tests, so there it is empty.
#[cfg(target_arch = "wasm32")]
fn main() {}
