//! `jolt new demo` creates a project that builds its guest, proves and
//! verifies on `cargo run` (against this checkout's crates), and
//! so does `jolt new demo --std` with a std guest; bad names and existing
//! directories are one-line errors.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// A fresh directory for one test's projects.
fn scratch(test: &str) -> PathBuf {
    let parent = std::env::temp_dir().join(format!("jolt-new-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&parent);
    std::fs::create_dir_all(&parent).unwrap();
    parent
}

/// `jolt new <args>` in `parent`, then `cargo run -- <run_args>`
/// in the project; returns what the run printed.
fn create_and_run(parent: &Path, args: &[&str], run_args: &[&str]) -> String {
    let checkout = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new(env!("CARGO_BIN_EXE_jolt"))
        .current_dir(parent)
        .arg("new")
        .args(args)
        .args(["--jolt-path", checkout])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let demo = parent.join(args[0]);
    for file in [
        "Cargo.toml",
        "src/main.rs",
        "guest/Cargo.toml",
        "guest/src/lib.rs",
        "rust-toolchain.toml",
    ] {
        assert!(demo.join(file).exists(), "{file}");
    }
    // Build in this workspace's target directory, with its lock file and
    // in the dev profile the tests are built in (opt-level 3 in both), so
    // the dependencies compiled for the tests are reused instead of
    // compiled again for release with LTO.
    let target = Path::new(env!("CARGO_BIN_EXE_jolt"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    // This workspace's lock file pins the same dependency versions.
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"),
        demo.join("Cargo.lock"),
    )
    .unwrap();
    let run = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(&demo)
        .args(["run", "--"])
        .args(run_args)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("proof size:"), "{stdout}");
    stdout
}

#[test]
fn new_project_proves_and_verifies() {
    let parent = scratch("nostd");
    let stdout = create_and_run(&parent, &["demo"], &["20"]);
    assert!(
        stdout.contains("fib(20) = 6765: proof verified"),
        "{stdout}"
    );

    let again = Command::new(env!("CARGO_BIN_EXE_jolt"))
        .current_dir(&parent)
        .args(["new", "demo"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(stderr_line(&again).contains("already exists"));
    let bad = Command::new(env!("CARGO_BIN_EXE_jolt"))
        .current_dir(&parent)
        .args(["new", "9 lives"])
        .output()
        .unwrap();
    assert!(stderr_line(&bad).contains("not a valid package name"));
    let _ = std::fs::remove_dir_all(&parent);
}

#[test]
fn new_std_project_proves_and_verifies() {
    let parent = scratch("std");
    // Another name: the two tests' binaries share one target directory.
    let stdout = create_and_run(&parent, &["demo-std", "--std"], &["to be or not to be"]);
    assert!(stdout.contains("the guest printed: 5×2, 1×3\n"), "{stdout}");
    assert!(
        stdout.contains("word_lengths(\"to be or not to be\") = [(2, 5), (3, 1)]: proof verified"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&parent);
}
