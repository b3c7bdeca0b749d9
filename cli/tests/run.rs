//! `jolt run` end to end: prints outputs and cycles for a good program, and
//! exits non-zero with a one-line reason for each kind of bad input.

use std::process::{Command, Output};

use instructions::{Instruction, Opcode::*};
use jolt_core::tracer::elf_writer::{build_elf, ElfSegment};
use jolt_core::tracer::{MemoryLayout, RAM_BASE};

fn jolt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jolt")).args(args).output().expect("the jolt binary runs")
}

fn write_temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("jolt-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn i(op: instructions::Opcode, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Instruction {
    Instruction::new(op, rd, rs1, rs2, imm)
}

/// Reads the first input word, adds one, writes it as the first output word
/// and terminates.
fn increment_elf() -> Vec<u8> {
    let l = MemoryLayout::default();
    let hi = |a: u32| (a.wrapping_add(0x800) & 0xffff_f000) as i32;
    let lo = |a: u32| ((a << 20) as i32) >> 20;
    let code = [
        i(Lui, 5, 0, 0, hi(l.input_start())),
        i(Lw, 6, 5, 0, lo(l.input_start())),
        i(Addi, 6, 6, 0, 1),
        i(Lui, 5, 0, 0, hi(l.output_start())),
        i(Sw, 0, 5, 6, lo(l.output_start())),
        i(Addi, 6, 0, 0, 1),
        i(Lui, 5, 0, 0, hi(l.termination_address())),
        i(Sw, 0, 5, 6, lo(l.termination_address())),
    ];
    build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &code)])
}

fn stderr_line(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line expected: {stderr}");
    stderr.trim_end().to_string()
}

#[test]
fn runs_a_program_and_prints_outputs_and_cycles() {
    let elf = write_temp("increment.elf", &increment_elf());
    let out = jolt(&["run", &elf, "--input-hex", "29000000"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "outputs: 2a\npanicked: false\ncycles: 8\n");
}

#[test]
fn truncated_elf_fails_with_one_line() {
    let bytes = increment_elf();
    let elf = write_temp("truncated.elf", &bytes[..60]);
    let out = jolt(&["run", &elf]);
    assert!(!out.status.success());
    assert!(stderr_line(&out).contains("truncated ELF"), "{}", stderr_line(&out));
}

#[test]
fn elf64_fails_with_one_line() {
    let mut bytes = increment_elf();
    bytes[4] = 2; // ELFCLASS64
    let elf = write_temp("elf64.elf", &bytes);
    let out = jolt(&["run", &elf]);
    assert!(!out.status.success());
    assert!(stderr_line(&out).contains("64-bit ELF"), "{}", stderr_line(&out));
}

#[test]
fn endless_loop_hits_the_cycle_limit() {
    let elf = write_temp("loop.elf", &build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &[i(Jal, 0, 0, 0, 0)])]));
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
        (vec!["run", &elf, "--input-hex", "zz"], "--input-hex"),
        (vec!["run", &elf, "--memory-size", "6"], "invalid memory layout"),
        (vec!["run", &elf, "--memory-size", "16", "--stack-size", "0"], "outside RAM"),
        (vec!["run", &elf, "--max-input-size", "4", "--input-hex", "0102030405"], "exceeds"),
    ] {
        let out = jolt(&args);
        assert!(!out.status.success(), "{args:?}");
        let line = stderr_line(&out);
        assert!(line.starts_with("error: ") && line.contains(expect), "{args:?}: {line}");
    }
    let not_elf = write_temp("text.elf", b"just some text");
    assert!(stderr_line(&jolt(&["run", &not_elf])).contains("not an ELF file"));
}
