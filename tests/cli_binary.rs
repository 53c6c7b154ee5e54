//! The `focal` binary as a shell user meets it: exit statuses, one-line
//! errors, `--version`, `--gamma=2`, and a reader that closes the pipe early
//! (`focal … | head -1`).
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn focal() -> Command {
    Command::new(env!("CARGO_BIN_EXE_focal"))
}

#[test]
fn version_and_equals_signs() {
    let version = focal().arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8(version.stdout).unwrap(),
        format!("focal {}\n", env!("CARGO_PKG_VERSION"))
    );
    let solved = focal()
        .args(["--counts", "99,1", "--gamma=2", "--json"])
        .output()
        .unwrap();
    assert!(solved.status.success());
    let value: serde_json::Value = serde_json::from_slice(&solved.stdout).unwrap();
    assert_eq!(value["gamma"], serde_json::json!(2.0));
    assert!((value["q"][1].as_f64().unwrap() - 0.153_624_370_917_925_97).abs() < 1e-15);
}

#[test]
fn errors_are_one_line_with_status_2() {
    let failed = focal()
        .args(["--counts", "1,-2", "--gamma", "1"])
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(2));
    assert!(failed.stdout.is_empty());
    assert_eq!(
        String::from_utf8(failed.stderr).unwrap(),
        "focal: the count of class 2 is -2; counts must be finite numbers ≥ 0\n"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_tool_quietly() {
    let mut child = focal()
        .args(["--counts", "99,1", "--gammas", "0:100:0.001", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here, closing the pipe, as `head -1` does.
    assert!(first.starts_with("{\"counts\":[99.0,1.0],\"gamma\":0.0,"));
    let finished = child.wait_with_output().unwrap();
    assert_eq!(finished.status.code(), Some(0));
    assert_eq!(String::from_utf8(finished.stderr).unwrap(), "");
}

#[test]
fn invert_streams_one_row_per_row_and_names_bad_lines() {
    let inverted = focal()
        .args(["invert", "--gamma=2", "--probs", "0.8,0.15,0.05"])
        .output()
        .unwrap();
    assert!(inverted.status.success());
    let p: Vec<f64> = String::from_utf8(inverted.stdout)
        .unwrap()
        .trim()
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    let expected = focal_entropy_explorer::core::invert(&[0.8, 0.15, 0.05], 2.0, None)
        .unwrap()
        .p;
    assert_eq!(p, expected);
    let file = std::env::temp_dir().join(format!("focal-invert-{}.csv", std::process::id()));
    // Standard input as the file.
    let mut child = focal()
        .args(["invert", "--gamma", "2", "--probs-file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"0.8,0.15,0.05\n").unwrap();
    let piped = child.wait_with_output().unwrap();
    assert!(piped.status.success());
    let from_stdin: Vec<f64> = String::from_utf8(piped.stdout)
        .unwrap()
        .trim()
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(from_stdin, expected);
    std::fs::write(&file, "a,b\n0.6,0.4\n0.5,0.5000001\n0.5,0.6\n").unwrap();
    let failed = focal()
        .args(["invert", "--gamma", "1", "--probs-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(failed.stderr).unwrap(),
        "focal: line 4: the probabilities sum to 1.1, not 1; a row within 1e-6 of 1 is renormalised, others are not distributions\n"
    );
    std::fs::write(&file, "a,b\n0.6,0.4\n0.5,0.5000001\n").unwrap();
    let noted = focal()
        .args(["invert", "--gamma", "1", "--probs-file"])
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert!(noted.status.success());
    assert_eq!(String::from_utf8(noted.stdout).unwrap().lines().count(), 3);
    assert_eq!(
        String::from_utf8(noted.stderr).unwrap(),
        "focal: 1 of 2 rows summed to 1 only within 1e-6 and were renormalised\n"
    );
}
