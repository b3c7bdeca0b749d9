//! `jolt new demo` creates a project that builds its guest, proves and
//! verifies on `cargo run --release` (against this checkout's crates);
//! bad names and existing directories are one-line errors.

mod common;

use std::process::Command;

use common::*;

#[test]
fn new_project_proves_and_verifies() {
    let parent = std::env::temp_dir().join(format!("jolt-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&parent);
    std::fs::create_dir_all(&parent).unwrap();
    let checkout = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new(env!("CARGO_BIN_EXE_jolt"))
        .current_dir(&parent)
        .args(["new", "demo", "--jolt-path", checkout])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let demo = parent.join("demo");
    for file in [
        "Cargo.toml",
        "src/main.rs",
        "guest/Cargo.toml",
        "guest/src/lib.rs",
        "rust-toolchain.toml",
    ] {
        assert!(demo.join(file).exists(), "{file}");
    }
    // Build in this workspace's target directory so the dependencies
    // compiled for the tests are reused (same versions, profile and features).
    let target = std::path::Path::new(env!("CARGO_BIN_EXE_jolt"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let run = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(&demo)
        .args(["run", "--release", "--", "20"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("fib(20) = 6765: proof verified"),
        "{stdout}"
    );
    assert!(stdout.contains("proof size:"), "{stdout}");

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
