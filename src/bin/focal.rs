//! `focal`: the exact focal-entropy minimiser on the command line.

use std::process::ExitCode;

use focal_entropy_explorer::cli::{parse_args, run, Command, USAGE};

fn main() -> ExitCode {
    let outcome = parse_args(std::env::args().skip(1)).and_then(|command| match command {
        Command::Help => Ok(USAGE.to_string()),
        Command::Run(options) => run(&options),
    });
    match outcome {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("focal: {error}");
            ExitCode::from(2)
        }
    }
}
