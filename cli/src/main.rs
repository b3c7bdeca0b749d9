//! `jolt`: the command line of the Jolt zkVM.
//!
//! `jolt run <ELF>` runs a bare RV32IM ELF on the tracer and prints its
//! outputs, panic flag and cycle count. Any failure (unreadable or malformed
//! ELF, unsupported instruction, memory fault, cycle limit) exits non-zero
//! with a one-line reason.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jolt_core::tracer::{execute, MemoryLayout, Program, DEFAULT_MAX_CYCLES};

#[derive(Parser)]
#[command(name = "jolt", version, about = "Run and prove RISC-V programs with the Jolt zkVM")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run an RV32IM ELF on the tracer and print its outputs and cycle count.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// The guest program: a 32-bit little-endian RISC-V executable.
    elf: PathBuf,
    /// Input bytes, hex-encoded, placed in the input region.
    #[arg(long, default_value = "")]
    input_hex: String,
    /// Stop with an error after this many instructions.
    #[arg(long, default_value_t = DEFAULT_MAX_CYCLES)]
    max_cycles: u64,
    /// RAM above 0x80000000, in bytes (suffixes K, M, G for 2^10, 2^20, 2^30).
    #[arg(long, value_parser = parse_size, default_value = "4M")]
    memory_size: u64,
    /// Stack reserved at the top of RAM, in bytes.
    #[arg(long, value_parser = parse_size, default_value = "64K")]
    stack_size: u64,
    /// Size of the input region, in bytes.
    #[arg(long, value_parser = parse_size, default_value = "4K")]
    max_input_size: u64,
    /// Size of the output region, in bytes.
    #[arg(long, value_parser = parse_size, default_value = "4K")]
    max_output_size: u64,
}

/// A byte count: decimal, `0x` hexadecimal, or with a K/M/G suffix.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 10),
        Some((i, 'M' | 'm')) => (&s[..i], 20),
        Some((i, 'G' | 'g')) => (&s[..i], 30),
        _ => (s, 0),
    };
    let value = match digits.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => digits.parse(),
    }
    .map_err(|e| format!("`{s}` is not a size: {e}"))?;
    value.checked_shl(shift).filter(|v| v >> shift == value).ok_or_else(|| format!("`{s}` is too large"))
}

fn run(args: RunArgs) -> Result<(), String> {
    let layout =
        MemoryLayout::new(args.memory_size, args.stack_size, args.max_input_size, args.max_output_size)
            .map_err(|e| format!("invalid memory layout: {e}"))?;
    let inputs = hex::decode(args.input_hex.trim()).map_err(|e| format!("--input-hex: {e}"))?;
    let bytes = std::fs::read(&args.elf).map_err(|e| format!("{}: {e}", args.elf.display()))?;
    let program = Program::from_elf(&bytes, layout).map_err(|e| format!("{}: {e}", args.elf.display()))?;
    let execution = execute(&program, &inputs, args.max_cycles).map_err(|e| e.to_string())?;
    println!("outputs: {}", hex::encode(&execution.io.outputs));
    println!("panicked: {}", execution.io.panicked);
    println!("cycles: {}", execution.cycles);
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("0x1000"), Ok(4096));
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("4M"), Ok(4 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("4X").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert!(parse_size("17179869184G").is_err());
    }
}
