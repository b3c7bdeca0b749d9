//! `jolt new <name> [--std]`: a ready-to-run host + guest project — a host
//! binary that builds, proves and verifies a `#[jolt::provable]` function
//! of its guest crate (a no_std guest, or with `--std` one that uses std) —
//! pinned to the same toolchain (with the RISC-V target) and, when the Jolt
//! checkout has one, the same dependency versions.

use std::path::{Path, PathBuf};

const HOST_MANIFEST: &str = r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]
# The guest builds for RISC-V on its own (the guest builder does it).
exclude = ["guest"]

[dependencies]
jolt = { package = "jolt-sdk", path = "{jolt}/jolt-sdk", features = ["host"] }
guest = { package = "{name}-guest", path = "guest", features = ["host"] }

# Proving is arithmetic-heavy: optimise even debug builds.
[profile.dev]
opt-level = 3
debug = 1

[profile.release]
lto = "thin"
debug = 1
"#;

const HOST_MAIN: &str = r#"//! Builds the guest, proves fib(n) and verifies the proof.

use guest::{compile_fib, preprocess_fib, prove_fib, verify_fib};
use jolt::host::{arg_or, run_main, timed};

fn main() {
    let n: u32 = arg_or(1, 50, "a u32");
    run_main(|| {
        let program = compile_fib()?;
        let keys = preprocess_fib(&program)?;
        let (output, proof) = prove_fib(&keys, n)?;
        let (verified, verify_time) = timed(|| verify_fib(keys.verifier_key(), n, output, &proof));
        verified?;
        println!("fib({n}) = {output}: proof verified");
        print!("{}", proof.report(verify_time));
        Ok(())
    });
}
"#;

const STD_HOST_MAIN: &str = r#"//! Builds the std guest, shows what it prints, proves word_lengths(text)
//! and verifies the proof.

use guest::{
    compile_word_lengths, execute_word_lengths, preprocess_word_lengths, prove_word_lengths,
    verify_word_lengths,
};
use jolt::host::{run_main, timed};

fn main() {
    let text = std::env::args().nth(1).unwrap_or_else(|| "std on the zkVM".to_string());
    run_main(|| {
        let (_, summary) = execute_word_lengths(text.clone())?;
        print!("the guest printed: {}", summary.stdout);
        let keys = preprocess_word_lengths(&compile_word_lengths()?)?;
        let (output, proof) = prove_word_lengths(&keys, text.clone())?;
        let (verified, verify_time) =
            timed(|| verify_word_lengths(keys.verifier_key(), text.clone(), output.clone(), &proof));
        verified?;
        println!("word_lengths({text:?}) = {output:?}: proof verified");
        print!("{}", proof.report(verify_time));
        Ok(())
    });
}
"#;

const GUEST_MANIFEST: &str = r#"[package]
name = "{name}-guest"
version = "0.1.0"
edition = "2021"
publish = false

[features]
# Set by the guest builder when it compiles the guest for RISC-V.
guest = []
# Set by the host crate: generates compile_*, preprocess_*, execute_*,
# prove_* and verify_* for every provable function.
host = ["jolt/host"]

[dependencies]
jolt = { package = "jolt-sdk", path = "{jolt}/jolt-sdk"{sdk_features} }
"#;

const GUEST_LIB: &str = r#"//! The guest: functions marked `#[jolt::provable]` run on the zkVM.
#![cfg_attr(feature = "guest", no_std)]

#[jolt::provable(max_cycles = 10_000_000)]
pub fn fib(n: u32) -> u128 {
    let (mut a, mut b) = (0u128, 1u128);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}
"#;

const STD_GUEST_LIB: &str = r#"//! The guest: functions marked `#[jolt::provable]` run on the zkVM. It uses
//! std (feature `guest-std` of jolt-sdk): collections, String, format!,
//! println! (printed output goes to the host's `execute_*` summary, not
//! into the proof).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher};

/// How many words of each length `text` has, shortest first.
#[jolt::provable(max_cycles = 10_000_000)]
pub fn word_lengths(text: String) -> Vec<(u32, u32)> {
    // A fixed hasher: HashMap::new() seeds from randomness, which a proof
    // cannot have (the guest would panic saying so).
    let mut counts: HashMap<u32, u32, BuildHasherDefault<DefaultHasher>> = HashMap::default();
    for word in text.split_whitespace() {
        *counts.entry(word.chars().count() as u32).or_insert(0) += 1;
    }
    let mut lengths: Vec<(u32, u32)> = counts.into_iter().collect();
    lengths.sort();
    let shown: Vec<String> = lengths.iter().map(|(l, n)| format!("{n}×{l}")).collect();
    println!("{}", shown.join(", "));
    lengths
}
"#;

/// The checkout's own toolchain pin (with the RISC-V target).
const TOOLCHAIN: &str = include_str!("../../rust-toolchain.toml");

/// The Jolt checkout this CLI was built from.
pub fn default_jolt_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes the project `name` into `parent/name`: with a std guest when
/// `std`.
pub fn create(parent: &Path, name: &str, jolt: &Path, std: bool) -> Result<PathBuf, String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        return Err(format!(
            "`{name}` is not a valid package name (letters, digits, `-`, `_`, starting with a letter)"
        ));
    }
    let jolt = std::fs::canonicalize(jolt).map_err(|e| {
        format!(
            "the Jolt checkout {}: {e} (pass --jolt-path)",
            jolt.display()
        )
    })?;
    if !jolt.join("jolt-sdk/Cargo.toml").exists() {
        return Err(format!(
            "{} is not a Jolt checkout (no jolt-sdk/Cargo.toml); pass --jolt-path",
            jolt.display()
        ));
    }
    let dir = parent.join(name);
    if dir.exists() {
        return Err(format!("{} already exists", dir.display()));
    }
    let sdk_features = if std {
        ", features = [\"guest-std\"]"
    } else {
        ""
    };
    let fill = |t: &str| {
        t.replace("{name}", name)
            .replace("{jolt}", &jolt.display().to_string())
            .replace("{sdk_features}", sdk_features)
    };
    let (host_main, guest_lib) = match std {
        true => (STD_HOST_MAIN, STD_GUEST_LIB),
        false => (HOST_MAIN, GUEST_LIB),
    };
    let files = [
        ("Cargo.toml", fill(HOST_MANIFEST)),
        ("src/main.rs", host_main.to_string()),
        ("guest/Cargo.toml", fill(GUEST_MANIFEST)),
        ("guest/src/lib.rs", guest_lib.to_string()),
        ("rust-toolchain.toml", TOOLCHAIN.to_string()),
        (".gitignore", "target/\n".to_string()),
    ];
    for (path, contents) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // The checkout's resolved versions, so the project builds with what
    // Jolt is tested with (cargo adds the project's own packages).
    let lock = jolt.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(dir)
}
