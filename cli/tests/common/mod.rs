//! Helpers shared by the CLI tests: running the binary, temp files, and
//! small programs on the input word.
#![allow(dead_code)]

use std::process::{Command, Output};

use instructions::Instruction;
use instructions::Opcode::*;
use jolt_core::testing::elf::{build_elf, ElfSegment};
use jolt_core::tracer::{MemoryLayout, RAM_BASE};

pub fn jolt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jolt"))
        .args(args)
        .output()
        .expect("the jolt binary runs")
}

pub fn write_temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("jolt-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

pub use jolt_core::testing::programs::i;

/// Reads the first input word, adds one, writes it as the first output word
/// and terminates.
pub fn increment_elf() -> Vec<u8> {
    word_elf(&[i(Addi, 6, 6, 0, 1)])
}

/// Reads the first input word into x6, runs `body`, writes x6 as the
/// first output word and terminates.
pub fn word_elf(body: &[Instruction]) -> Vec<u8> {
    let l = MemoryLayout::default();
    let hi = |a: u32| (a.wrapping_add(0x800) & 0xffff_f000) as i32;
    let lo = |a: u32| ((a << 20) as i32) >> 20;
    let mut code = vec![
        i(Lui, 5, 0, 0, hi(l.input_start())),
        i(Lw, 6, 5, 0, lo(l.input_start())),
    ];
    code.extend_from_slice(body);
    code.extend([
        i(Lui, 5, 0, 0, hi(l.output_start())),
        i(Sw, 0, 5, 6, lo(l.output_start())),
        i(Addi, 6, 0, 0, 1),
        i(Lui, 5, 0, 0, hi(l.termination_address())),
        i(Sw, 0, 5, 6, lo(l.termination_address())),
    ]);
    build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &code)])
}

/// Loops on the input word n (3n + 9 steps) and outputs 3n.
pub fn loop_elf() -> Vec<u8> {
    word_elf(&[
        i(Addi, 7, 0, 0, 0),
        i(Addi, 7, 7, 0, 3),
        i(Addi, 6, 6, 0, -1),
        i(Bne, 0, 6, 0, -8),
        i(Addi, 6, 7, 0, 0),
    ])
}

pub fn stderr_line(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line expected: {stderr}"
    );
    stderr.trim_end().to_string()
}
