//! `jolt prove` / `jolt verify` end to end: a proof verifies; a flipped
//! byte, another ELF, other outputs or inputs, and broken files are
//! rejected with a one-line reason and a non-zero exit; the output path is
//! checked before proving.

mod common;

use common::*;
use instructions::Opcode::*;
use jolt_core::testing::elf::{build_elf, ElfSegment};
use jolt_core::tracer::RAM_BASE;

/// Small RAM keeps the keys and the final-memory columns small.
const MEMORY: [&str; 2] = ["--memory-size", "64K"];

fn prove(elf: &str, input: &str, proof: &str, extra: &[&str]) {
    let mut args = vec!["prove", elf, "--input", input, "-o", proof];
    args.extend(MEMORY);
    args.extend(extra);
    let out = jolt(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("outputs: 2a\npanicked: false\ncycles: 8"),
        "{stdout}"
    );
    assert!(
        stdout.contains("prove time:") && stdout.contains("bytes)"),
        "{stdout}"
    );
    // Progress lines for each stage.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for stage in [
        "trace",
        "preprocessing",
        "witness",
        "commit",
        "memory checking",
        "instruction lookups",
        "R1CS",
        "opening",
    ] {
        assert!(stderr.contains(stage), "no {stage} progress line: {stderr}");
    }
    // stderr is not a terminal here: plain lines, no bar.
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "{stderr:?}"
    );
    for line in stderr.lines() {
        assert!(line.starts_with("[prove"), "not a progress line: {line:?}");
    }
}

fn verify(elf: &str, proof: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["verify", elf, proof];
    args.extend(MEMORY);
    args.extend(extra);
    jolt(&args)
}

fn rejected(out: &std::process::Output, expect: &str) {
    assert!(
        !out.status.success(),
        "accepted: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let line = stderr_line(out);
    assert!(
        line.starts_with("error: ") && line.contains(expect),
        "{line}"
    );
}

#[test]
fn proves_verifies_and_rejects_tampering() {
    let elf = write_temp("inc.elf", &increment_elf());
    let proof = write_temp("inc.proof", b"");
    prove(&elf, "29000000", &proof, &[]);

    let out = verify(&elf, &proof, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("valid proof") && stdout.contains("outputs: 2a\n"),
        "{stdout}"
    );
    let out = verify(&elf, &proof, &["--input", "29000000", "--output", "2a"]);
    assert!(out.status.success());

    // The output region is zero padded: 2a00 is the same output.
    let out = verify(&elf, &proof, &["--output", "2a00"]);
    assert!(out.status.success(), "{}", stderr_line(&out));

    // I/O on the command line other than the file's: said in one line,
    // before anything else (here even before the ELF is read).
    for (elf, args, expect) in [
        (
            elf.as_str(),
            &["--output", "01"][..],
            "the proof is for outputs 2a, not 01",
        ),
        (
            "/nonexistent.elf",
            &["--output", "01"],
            "the proof is for outputs 2a, not 01",
        ),
        (
            elf.as_str(),
            &["--input", "28000000"],
            "the proof is for inputs 29000000, not 28000000",
        ),
        (
            elf.as_str(),
            &["--input", "", "--output", "2a"],
            "the proof is for inputs 29000000, not (none)",
        ),
        (
            elf.as_str(),
            &["--input", "28000000", "--output", "00"],
            "the proof is for inputs 29000000, not 28000000, and outputs 2a, not (none)",
        ),
    ] {
        let out = verify(elf, &proof, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr_line(&out), format!("error: {expect}"), "{args:?}");
    }

    // A file claiming other outputs than its proof shows: the verifier
    // rejects it, with or without --output. (Layout: magic, version,
    // digest, inputs with their length, the output length, the output.)
    let bytes = std::fs::read(&proof).unwrap();
    let output_at = 8 + 4 + 32 + 8 + 4 + 8;
    assert_eq!(
        bytes[output_at - 8..=output_at],
        [1, 0, 0, 0, 0, 0, 0, 0, 0x2a]
    );
    let mut forged = bytes.clone();
    forged[output_at] = 0x2b;
    let forged = write_temp("forged.proof", &forged);
    rejected(&verify(&elf, &forged, &[]), "invalid proof");
    rejected(&verify(&elf, &forged, &["--output", "2b"]), "invalid proof");

    for offset in [20, 100, bytes.len() / 2, bytes.len() - 10] {
        let mut b = bytes.clone();
        b[offset] ^= 0x10;
        let flipped = write_temp("flipped.proof", &b);
        let out = verify(&elf, &flipped, &[]);
        assert!(!out.status.success(), "byte {offset} flipped and accepted");
        assert!(stderr_line(&out).starts_with("error: "));
    }

    // Another program with the same I/O does not accept this proof.
    let other = {
        let l = jolt_core::tracer::MemoryLayout::default();
        let hi = |a: u32| (a.wrapping_add(0x800) & 0xffff_f000) as i32;
        let lo = |a: u32| ((a << 20) as i32) >> 20;
        build_elf(
            RAM_BASE,
            &[ElfSegment::code(
                RAM_BASE,
                &[
                    i(Addi, 6, 0, 0, 0x2a),
                    i(Lui, 5, 0, 0, hi(l.output_start())),
                    i(Sw, 0, 5, 6, lo(l.output_start())),
                    i(Addi, 6, 0, 0, 1),
                    i(Lui, 5, 0, 0, hi(l.termination_address())),
                    i(Sw, 0, 5, 6, lo(l.termination_address())),
                ],
            )],
        )
    };
    let other = write_temp("other.elf", &other);
    rejected(&verify(&other, &proof, &[]), "is for program");

    rejected(
        &verify(&elf, &write_temp("garbage.proof", b"JOLTPRF\0garbage"), &[]),
        "version",
    );
    rejected(
        &verify(&elf, &write_temp("text.proof", b"hello"), &[]),
        "not a proof file",
    );
    // A file of the previous format version names both versions.
    let mut old_version = bytes.clone();
    old_version[8] = 11;
    rejected(
        &verify(&elf, &write_temp("v11.proof", &old_version), &[]),
        "proof file version 11; this build reads version 12",
    );
    rejected(
        &verify(
            &elf,
            &write_temp("cut.proof", &bytes[..bytes.len() - 1]),
            &[],
        ),
        "proof body",
    );
}

#[test]
fn prove_rejects_bad_runs() {
    let looping = write_temp(
        "loop.elf",
        &build_elf(
            RAM_BASE,
            &[ElfSegment::code(RAM_BASE, &[i(Jal, 0, 0, 0, 0)])],
        ),
    );
    let out = jolt(&["prove", &looping, "--max-cycles", "1000", "-o", "/dev/null"]);
    rejected(&out, "did not terminate within 1000 cycles");
    let elf = write_temp("inc2.elf", &increment_elf());
    let out = jolt(&[
        "prove",
        &elf,
        "--max-input-size",
        "4",
        "--input",
        "0102030405",
        "-o",
        "/dev/null",
    ]);
    rejected(&out, "exceeds");
}

/// `-o` is checked before any work: a missing directory is created; a
/// path that cannot be written fails at once, naming it.
#[test]
fn output_path_is_checked_before_proving() {
    let elf = write_temp("inc-out.elf", &increment_elf());
    let base = std::env::temp_dir().join(format!("jolt-cli-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let nested = base.join("new/deeper/p.bin");
    let nested = nested.to_string_lossy();
    prove(&elf, "29000000", &nested, &[]);
    assert!(verify(&elf, &nested, &[]).status.success());

    let file = write_temp("plain-file", b"not a directory");
    let under_file = format!("{file}/p.bin");
    let out = jolt(&["prove", &elf, "--input", "29000000", "-o", &under_file]);
    // One line, no progress: nothing was proven.
    let line = stderr_line(&out);
    assert!(
        line.starts_with(&format!(
            "error: cannot create the directory {file} for {under_file}: "
        )),
        "{line}"
    );
    let base_name = base.to_string_lossy();
    let out = jolt(&["prove", &elf, "-o", &base_name]);
    assert_eq!(
        stderr_line(&out),
        format!("error: {base_name} is a directory")
    );
    std::fs::remove_dir_all(&base).unwrap();
}

/// With an SRS file the proof verifies under that file only.
#[test]
fn srs_file() {
    use jolt_core::pcs::Srs;
    let srs = std::env::temp_dir().join(format!("jolt-cli-srs-{}.bin", std::process::id()));
    Srs::insecure_dev_setup(16, 99).save(&srs).unwrap();
    let srs = srs.to_string_lossy().into_owned();
    let elf = write_temp("inc-srs.elf", &increment_elf());
    let proof = write_temp("inc-srs.proof", b"");
    prove(&elf, "29000000", &proof, &["--srs", &srs]);
    assert!(verify(&elf, &proof, &["--srs", &srs]).status.success());
    // Under the development SRS the key (and its digest) differ.
    rejected(&verify(&elf, &proof, &[]), "is for program");
    rejected(
        &verify(&elf, &proof, &["--srs", "/nonexistent.srs"]),
        "nonexistent",
    );
}

/// `--segment-log-steps`: a run of 132 steps proves in segments of 2^5
/// and verifies; a size that cannot fit the machine's memory, and one
/// outside the supported sizes, are refused before proving.
#[test]
fn proves_a_long_run_in_segments() {
    let elf = write_temp("loop.elf", &loop_elf());
    let proof = write_temp("loop.proof", b"");
    let prove = |k: &str| {
        let mut args = vec!["prove", &elf, "--input", "29000000", "-o", &proof];
        args.extend(MEMORY);
        args.extend(["--segment-log-steps", k]);
        jolt(&args)
    };
    let out = prove("5");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("outputs: 7b\npanicked: false\ncycles: 132 (132 trace steps in 5 segments of at most 32)"),
        "{stdout}"
    );
    let out = verify(&elf, &proof, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr_line(&out));
    assert!(
        stdout.contains("valid proof") && stdout.contains("(132 steps in 5 segments)"),
        "{stdout}"
    );
    // A flipped byte in the last segment's proof is rejected.
    let mut bytes = std::fs::read(&proof).unwrap();
    let at = bytes.len() - 40;
    bytes[at] ^= 1;
    let flipped = write_temp("loop-flipped.proof", &bytes);
    assert!(!verify(&elf, &flipped, &[]).status.success());

    rejected(&prove("28"), "GB available");
    rejected(&prove("3"), "outside the supported sizes");
}
