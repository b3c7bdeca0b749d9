//! `--srs` with snarkjs ceremony files: powers-of-tau ceremonies run with
//! the real snarkjs (new, contribute, beacon, prepare phase2), a program
//! proven and verified with a `.ptau` and with the SRS `jolt srs import`
//! makes from it.
//!
//! snarkjs is installed with npm under the target directory when missing;
//! without npm the tests fail and say so. A proof needs a power-16
//! ceremony (see [`POWER`]); snarkjs takes minutes for its contribution,
//! so that one (new + contribute) is kept under the target directory once
//! made. The beacon (minutes more) and `prepare phase2` (over half an hour
//! at power 16 on two cores) run on a power-4 ceremony instead: they write
//! the same format and leave the powers the reader uses as they were,
//! which the first test checks.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use common::*;

const SNARKJS: &str = "snarkjs@0.7.6";
/// The smallest ceremony a proof can use: the lookup subtables have 2^16
/// entries, so the prover needs 2^16 G1 powers, and a file of power p has
/// 2^(p+1) − 1 of them (power 15 is one short).
const POWER: u32 = 16;
/// The contribution's entropy (snarkjs mixes in its own randomness too).
const ENTROPY: &str = "jolt-cli srs test";
const BEACON: &str = "6a6f6c74206370692073727320746573742062656163f06e20686173682030a1";
const MEMORY: [&str; 2] = ["--memory-size", "64K"];

fn target_tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// The snarkjs command, installed with npm under the target directory
/// when it is not there yet.
fn snarkjs() -> PathBuf {
    // One install at a time: the tests run in parallel.
    static INSTALL: Mutex<()> = Mutex::new(());
    let _installing = INSTALL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let prefix = target_tmp().join(SNARKJS.replace('@', "-"));
    let bin = prefix.join("node_modules/.bin/snarkjs");
    if bin.exists() {
        return bin;
    }
    eprintln!("installing {SNARKJS} with npm under {}", prefix.display());
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&prefix)
        .arg(SNARKJS)
        .status();
    match status {
        Err(e) => panic!(
            "this test needs npm to install {SNARKJS} and could not run it ({e}); \
             install Node.js and npm (Debian: apt-get install nodejs npm) and run it again"
        ),
        Ok(s) if !s.success() => {
            panic!("`npm install {SNARKJS}` failed ({s}); see its output above")
        }
        Ok(_) => {}
    }
    assert!(
        bin.exists(),
        "npm installed {SNARKJS} but {} is missing",
        bin.display()
    );
    bin
}

fn run_snarkjs(snarkjs: &Path, dir: &Path, args: &[&str]) {
    let start = Instant::now();
    let out = Command::new(snarkjs)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("snarkjs runs");
    assert!(
        out.status.success(),
        "snarkjs {}: {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("snarkjs {} ({:.0?})", args[..2].join(" "), start.elapsed());
}

/// Runs the first `steps` steps of a BN254 ceremony of `power` in `dir`:
/// new, one contribution, a beacon, phase 2's preparation. Returns the
/// contribution's, the beacon's and the prepared file.
fn run_ceremony(dir: &Path, power: u32, steps_to_run: usize) -> [PathBuf; 3] {
    let snarkjs = snarkjs();
    std::fs::create_dir_all(dir).unwrap();
    let power = power.to_string();
    let entropy = format!("-e={ENTROPY}");
    let steps: [&[&str]; 4] = [
        &["powersoftau", "new", "bn128", &power, "pot0.ptau"],
        &[
            "powersoftau",
            "contribute",
            "pot0.ptau",
            "pot1.ptau",
            "--name=jolt test",
            &entropy,
        ],
        &[
            "powersoftau",
            "beacon",
            "pot1.ptau",
            "beacon.ptau",
            BEACON,
            "10",
            "-n=beacon",
        ],
        &[
            "powersoftau",
            "prepare",
            "phase2",
            "beacon.ptau",
            "prepared.ptau",
        ],
    ];
    for step in &steps[..steps_to_run] {
        run_snarkjs(&snarkjs, dir, step);
    }
    ["pot1.ptau", "beacon.ptau", "prepared.ptau"].map(|f| dir.join(f))
}

/// A power-`POWER` ceremony with one contribution, made by snarkjs once and
/// kept under the target directory. (The beacon takes minutes more at this
/// power and writes the same format; the power-4 test covers it and
/// `prepare phase2`.)
fn ceremony() -> PathBuf {
    let kept = target_tmp().join(format!("ptau-{}-{POWER}.ptau", SNARKJS.replace('@', "-")));
    if kept.exists() {
        eprintln!("using the ceremony made earlier: {}", kept.display());
        return kept;
    }
    let dir = target_tmp().join(format!("ptau-{}-{POWER}-work", std::process::id()));
    let [contributed, _, _] = run_ceremony(&dir, POWER, 2);
    // Moved only when complete, so a cut-off run is never reused.
    std::fs::rename(contributed, &kept).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    kept
}

fn succeeds(args: &[&str]) -> String {
    let mut all = args.to_vec();
    if matches!(args[0], "prove" | "verify") {
        all.extend(MEMORY);
    }
    let out = jolt(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(MEMORY);
    let out = jolt(&all);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    stderr_line(&out)
}

/// `prepare phase2`'s output (what ceremonies publish) reads to the same
/// powers as its input; a ceremony too small for a proof is a clear error.
/// `prove` learns how many powers it needs once it has traced: the error
/// follows the trace line.
fn fails_after_tracing(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(MEMORY);
    let out = jolt(&all);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.len() == 2 && lines[0].starts_with("[prove] trace: "),
        "{stderr}"
    );
    lines[1].to_string()
}

#[test]
fn a_prepared_ceremony_file_reads_like_its_input() {
    let dir = target_tmp().join(format!("ptau-prepared-{}", std::process::id()));
    let [_, beacon, prepared] = run_ceremony(&dir, 4, 4);
    let (beacon, prepared) = (beacon.to_str().unwrap(), prepared.to_str().unwrap());
    let from_beacon = dir.join("beacon.srs");
    let from_prepared = dir.join("prepared.srs");
    for (ptau, srs) in [(beacon, &from_beacon), (prepared, &from_prepared)] {
        let stdout = succeeds(&["srs", "import", ptau, "-o", srs.to_str().unwrap()]);
        assert!(
            stdout.starts_with(&format!("imported {ptau} (power 4): 16 G1 powers (polynomials of up to 4 variables) and 4 G2 powers, checked\n")),
            "{stdout}"
        );
    }
    assert_eq!(
        std::fs::read(&from_beacon).unwrap(),
        std::fs::read(&from_prepared).unwrap()
    );
    let elf = write_temp("inc-small.elf", &increment_elf());
    let line = fails_after_tracing(&["prove", &elf, "-o", "/dev/null", "--srs", prepared]);
    assert_eq!(
        line,
        format!("error: {prepared}: SRS too small: need 65536 G1 powers in the ptau file, have 31")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn proves_with_a_snarkjs_ceremony_file() {
    let ptau = ceremony();
    let ptau = ptau.to_str().unwrap();
    let elf = write_temp("inc-ptau.elf", &increment_elf());
    let proof = write_temp("inc-ptau.proof", b"");
    let srs_bin = write_temp("imported.srs", b"");

    // The .ptau directly, detected by content.
    let stdout = succeeds(&[
        "prove", &elf, "--input", "29000000", "-o", &proof, "--srs", ptau,
    ]);
    assert!(stdout.starts_with("outputs: 2a\n"), "{stdout}");
    let stdout = succeeds(&["verify", &elf, &proof, "--srs", ptau]);
    assert!(stdout.starts_with("valid proof"), "{stdout}");

    // Imported: the same keys.
    let stdout = succeeds(&["srs", "import", ptau, "-o", &srs_bin]);
    assert!(
        stdout.starts_with(&format!(
            "imported {ptau} (power 16): 65536 G1 powers (polynomials of up to 16 variables) and 4 G2 powers, checked\nsrs: {srs_bin} (2097440 bytes)"
        )),
        "{stdout}"
    );
    succeeds(&["verify", &elf, &proof, "--srs", &srs_bin]);
    succeeds(&[
        "prove", &elf, "--input", "29000000", "-o", &proof, "--srs", &srs_bin,
    ]);
    succeeds(&["verify", &elf, &proof, "--srs", ptau]);

    // Another SRS is another key.
    let line = fails(&["verify", &elf, &proof]);
    assert!(line.contains("is for program"), "{line}");

    // Fewer powers kept: enough for the verifier, too few for this proof.
    let small = write_temp("small.srs", b"");
    succeeds(&["srs", "import", ptau, "-o", &small, "--max-num-vars", "4"]);
    succeeds(&["verify", &elf, &proof, "--srs", &small]);
    let line = fails_after_tracing(&["prove", &elf, "-o", "/dev/null", "--srs", &small]);
    assert_eq!(
        line,
        format!("error: {small}: SRS too small: need 65536 G1 powers, have 16")
    );

    // More than the ceremony holds.
    let out = jolt(&[
        "srs",
        "import",
        ptau,
        "-o",
        "/dev/null",
        "--max-num-vars",
        "17",
    ]);
    let line = stderr_line(&out);
    assert_eq!(
        line,
        format!(
            "error: {ptau}: SRS too small: need 131072 G1 powers in the ptau file, have 131071"
        )
    );
}

/// Files that are missing, in neither format, or a `.ptau` cut short are
/// one-line errors naming the file, from `prove` before it traces (no
/// ceremony needed).
#[test]
fn bad_srs_files_are_one_line_errors() {
    let elf = write_temp("inc-bad-srs.elf", &increment_elf());
    let text = write_temp("text.ptau", b"hello, not powers of tau");
    let line = fails(&["prove", &elf, "-o", "/dev/null", "--srs", &text]);
    assert_eq!(
        line,
        format!("error: {text}: malformed SRS: magic bytes (neither a Jolt SRS file nor a snarkjs .ptau file)")
    );
    let cut = write_temp("cut.ptau", b"ptau\x01\x00\x00\x00\x0a\x00\x00\x00\x01\x00");
    let out = jolt(&["srs", "import", &cut, "-o", "/dev/null"]);
    assert_eq!(
        stderr_line(&out),
        format!("error: {cut}: malformed SRS: ptau: truncated")
    );
    // Before tracing: the error is the only line.
    let line = fails(&[
        "prove",
        &elf,
        "-o",
        "/dev/null",
        "--srs",
        "/nonexistent.ptau",
    ]);
    assert!(line.starts_with("error: /nonexistent.ptau: "), "{line}");
    let out = jolt(&["srs", "import", "/nonexistent.ptau"]);
    assert!(stderr_line(&out).starts_with("error: /nonexistent.ptau: "));
}
