//! Helpers shared by the CLI tests (`mod common;` in a test file): the `qpv` command run from the
//! repository root, paths of the repository's data, temporary directories and readers of the
//! CSV and JSON the commands write.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::Value;

/// The `qpv` binary of this build, run from the repository root (relative paths in arguments
/// are the repository's).
pub fn qpv() -> Command {
    let mut command = Command::cargo_bin("qpv").expect("the qpv binary is built");
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Runs `qpv ARGS`: exit code (-1 when killed), stdout and stderr as text.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = qpv().args(args).output().expect("qpv runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a successful command writes on stdout (fails the test on a non-zero exit).
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("stdout is UTF-8")
}

/// A successful command's stdout, parsed as JSON.
pub fn json_of(cmd: &mut Command) -> Value {
    serde_json::from_str(&stdout_of(cmd)).expect("stdout is JSON")
}

/// The absolute path of `relative` in the repository.
pub fn repo(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(relative)
        .display()
        .to_string()
}

/// A file of `tests/data/`.
pub fn data(name: &str) -> String {
    repo(&format!("tests/data/{name}"))
}

/// A file of `geodata/` (the embedded layers and the BANO extract).
pub fn geodata(name: &str) -> String {
    repo(&format!("geodata/{name}"))
}

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// A CSV file's header and rows.
pub fn read_csv(path: impl AsRef<Path>) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path.as_ref()).expect("the CSV opens");
    let headers = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

/// A JSON file, parsed.
pub fn read_json(path: impl AsRef<Path>) -> Value {
    let text = std::fs::read_to_string(path.as_ref()).expect("the JSON file is readable");
    serde_json::from_str(&text).expect("valid JSON")
}

/// [`qpv`] as an `assert_cmd::Command` (standard input, `.assert()`).
pub fn qpv_cmd() -> assert_cmd::Command {
    assert_cmd::Command::from_std(qpv())
}

/// Runs `qpv ARGS` with `stdin` on its standard input: exit code (-1 when killed), stdout and
/// stderr as text.
pub fn run_with_stdin(args: &[&str], stdin: Vec<u8>) -> (i32, String, String) {
    let out = qpv_cmd()
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("qpv runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
