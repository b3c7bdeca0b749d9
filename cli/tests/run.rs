//! `jolt run` end to end: prints outputs and cycles for a good program
//! (after what the guest printed), and exits non-zero with a one-line reason for each kind of bad input.

mod common;

use common::*;
use instructions::Opcode::*;
use jolt_core::testing::elf::{build_elf, ElfSegment};
use jolt_core::tracer::RAM_BASE;

#[test]
fn runs_a_program_and_prints_outputs_and_cycles() {
    let elf = write_temp("increment.elf", &increment_elf());
    // `--input` as in prove and verify; `--input-hex` is its old name.
    for flag in ["--input", "--input-hex"] {
        let out = jolt(&["run", &elf, flag, "29000000"]);
        assert!(
            out.status.success(),
            "{flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout, "outputs: 2a\npanicked: false\ncycles: 8\n",
            "{flag}"
        );
    }
}

/// A guest's console writes (std guests' print!) pass through.
#[test]
fn passes_through_what_the_guest_prints() {
    let elf = write_temp("hints.elf", &jolt_core::testing::programs::hints_elf());
    let out = jolt(&["run", &elf]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("hi\noutputs: \npanicked: false\n"),
        "{stdout}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "oops\n");
}

#[test]
fn truncated_elf_fails_with_one_line() {
    let bytes = increment_elf();
    let elf = write_temp("truncated.elf", &bytes[..60]);
    let out = jolt(&["run", &elf]);
    assert!(!out.status.success());
    assert!(
        stderr_line(&out).contains("truncated ELF"),
        "{}",
        stderr_line(&out)
    );
}

#[test]
fn elf64_fails_with_one_line() {
    let mut bytes = increment_elf();
    bytes[4] = 2; // ELFCLASS64
    let elf = write_temp("elf64.elf", &bytes);
    let out = jolt(&["run", &elf]);
    assert!(!out.status.success());
    assert!(
        stderr_line(&out).contains("64-bit ELF"),
        "{}",
        stderr_line(&out)
    );
}

#[test]
fn endless_loop_hits_the_cycle_limit() {
    let elf = write_temp(
        "loop.elf",
        &build_elf(
            RAM_BASE,
            &[ElfSegment::code(RAM_BASE, &[i(Jal, 0, 0, 0, 0)])],
        ),
    );
    let out = jolt(&["run", &elf, "--max-cycles", "1000"]);
    assert!(!out.status.success());
    assert_eq!(
        stderr_line(&out),
        "error: the program did not terminate within 1000 cycles (raise --max-cycles if it should)"
    );
}

#[test]
fn other_bad_inputs_fail_cleanly() {
    let elf = write_temp("ok.elf", &increment_elf());
    for (args, expect) in [
        (vec!["run", "/nonexistent/x.elf"], "No such file"),
        (vec!["run", &elf, "--input", "zz"], "--input: "),
        (vec!["run", &elf, "--input-hex", "zz"], "--input: "),
        (
            vec!["run", &elf, "--memory-size", "6"],
            "invalid memory layout",
        ),
        (
            vec!["run", &elf, "--memory-size", "16", "--stack-size", "0"],
            "outside RAM",
        ),
        (
            vec![
                "run",
                &elf,
                "--max-input-size",
                "4",
                "--input",
                "0102030405",
            ],
            "exceeds",
        ),
    ] {
        let out = jolt(&args);
        assert!(!out.status.success(), "{args:?}");
        let line = stderr_line(&out);
        assert!(
            line.starts_with("error: ") && line.contains(expect),
            "{args:?}: {line}"
        );
    }
    let not_elf = write_temp("text.elf", b"just some text");
    assert!(stderr_line(&jolt(&["run", &not_elf])).contains("not an ELF file"));
}
