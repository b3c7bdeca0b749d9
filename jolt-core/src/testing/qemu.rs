//! Differential testing against an independent emulator: `qemu-riscv32`
//! (QEMU's Linux user mode) runs the same program from the same initial
//! memory, logging the register file before every instruction, and the
//! tracer must agree with it step by step.
//!
//! QEMU loads an ELF that is a dump of the tracer's initial memory (I/O
//! region with the inputs, program image, zeroed RAM up to the stack top),
//! so both machines start from identical memory. The Linux loader's initial
//! registers (it sets sp) are copied into the tracer before the first step.
//! A run ends when the guest halts (termination store) or reaches ECALL (the
//! Linux `exit` call that random test programs and the guest runtime issue).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::elf::{build_elf, ElfSegment, PF_R, PF_W, PF_X};
use crate::tracer::{Emulator, Program, TraceError};
use instructions::NUM_ARCH_REGISTERS as NUM_REGISTERS;

const QEMU: &str = "qemu-riscv32";

/// Register file and pc before one instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuState {
    pub pc: u32,
    pub registers: [u32; NUM_REGISTERS],
}

/// What a differential run found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    /// Instructions executed by both machines with identical results.
    pub steps: usize,
}

/// Finds `qemu-riscv32`, installing Debian's `qemu-user` with apt-get when it
/// is missing. The answer is computed once per process.
pub fn qemu() -> Result<&'static Path, String> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| super::apt::command_or_install(QEMU, "qemu-user"))
        .as_ref()
        .map(PathBuf::as_path)
        .map_err(Clone::clone)
}

/// The ELF QEMU runs: one read-write-execute segment holding the tracer's
/// initial memory from the I/O region to the top of RAM.
fn memory_dump_elf(program: &Program, emulator: &Emulator) -> Vec<u8> {
    let words = emulator.memory_words();
    let used = words.iter().rposition(|&w| w != 0).map_or(0, |i| i + 1);
    let data = words[..used]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect::<Vec<u8>>();
    let layout = &program.layout;
    let memsz = (layout.ram_end() - layout.io_start() as u64).min(u32::MAX as u64) as u32;
    build_elf(
        program.entry,
        &[ElfSegment {
            vaddr: layout.io_start(),
            data,
            memsz,
            flags: PF_R | PF_W | PF_X,
        }],
    )
}

/// Runs `elf` under QEMU, logging the CPU state before every instruction to
/// `log`. RVC, A, F and D are switched off so QEMU, like the tracer, traps
/// on anything outside RV32IM.
fn run_qemu(qemu: &Path, elf: &Path, log: &Path, timeout: Duration) -> Result<(), String> {
    let mut child = Command::new(qemu)
        .args([
            "-cpu",
            "rv32,c=false,a=false,f=false,d=false",
            "-singlestep",
            "-d",
            "cpu,nochain",
            "-D",
        ])
        .arg(log)
        .arg(elf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", qemu.display()))?;
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return Ok(()),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{QEMU} did not finish within {timeout:?}"));
            }
            Err(e) => return Err(format!("waiting for {QEMU}: {e}")),
        }
    }
}

/// Streams the CPU states out of a QEMU `-d cpu` log.
struct StateReader<R: BufRead> {
    lines: std::io::Lines<R>,
}

impl<R: BufRead> Iterator for StateReader<R> {
    type Item = Result<CpuState, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut pc = None;
        for line in self.lines.by_ref() {
            let line = match line {
                Ok(l) => l,
                Err(e) => return Some(Err(format!("reading the QEMU log: {e}"))),
            };
            let mut tokens = line.split_whitespace();
            if tokens.next() == Some("pc") {
                pc = tokens.next().and_then(|v| u32::from_str_radix(v, 16).ok());
                break;
            }
        }
        let pc = pc?;
        let mut registers = [0u32; NUM_REGISTERS];
        let mut seen = 0;
        while seen < NUM_REGISTERS {
            let line = match self.lines.next() {
                Some(Ok(l)) => l,
                _ => {
                    return Some(Err(format!(
                        "QEMU log ends inside the state at pc {pc:#010x}"
                    )))
                }
            };
            let tokens: Vec<&str> = line.split_whitespace().collect();
            for pair in tokens.chunks(2) {
                let [name, value] = pair else { continue };
                let index = name
                    .strip_prefix('x')
                    .and_then(|n| n.split('/').next())
                    .and_then(|n| n.parse::<usize>().ok());
                if let (Some(i), Ok(v)) = (index, u32::from_str_radix(value, 16)) {
                    if i < NUM_REGISTERS {
                        registers[i] = v;
                        seen += 1;
                    }
                }
            }
        }
        Some(Ok(CpuState { pc, registers }))
    }
}

/// The real instruction at `pc` (a step of a virtual sequence carries the
/// real instruction's pc), for messages.
fn instruction_at(program: &Program, pc: u32) -> String {
    program
        .code_segment(pc)
        .and_then(|c| c.instructions[((pc - c.start) / 4) as usize].ok())
        .map_or_else(|| "?".to_string(), |i| i.to_string())
}

fn describe_mismatch(
    program: &Program,
    ours: &CpuState,
    theirs: &CpuState,
    previous: Option<&crate::tracer::Step>,
    index: usize,
) -> String {
    let mut out = String::new();
    match previous {
        Some(step) => out.push_str(&format!(
            "first difference after instruction {} — `{}` at pc {:#010x}:",
            index - 1,
            instruction_at(program, step.pc),
            step.pc
        )),
        None => out.push_str("the initial states differ:"),
    }
    if ours.pc != theirs.pc {
        out.push_str(&format!(
            " next pc ours {:#010x}, qemu {:#010x};",
            ours.pc, theirs.pc
        ));
    }
    for r in 0..NUM_REGISTERS {
        if ours.registers[r] != theirs.registers[r] {
            out.push_str(&format!(
                " x{r} ours {:#010x}, qemu {:#010x};",
                ours.registers[r], theirs.registers[r]
            ));
        }
    }
    out
}

/// Runs `program` on `inputs` on the tracer and under QEMU and checks that
/// every instruction leaves both with the same pc and registers. `Err`
/// describes the first differing instruction.
pub fn compare_with_qemu(
    program: &Program,
    inputs: &[u8],
    max_steps: usize,
) -> Result<Agreement, String> {
    let qemu = qemu()?;
    let mut emulator = Emulator::new(program, inputs).map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!(
        "jolt-differential-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (elf_path, log_path) = (dir.join("program.elf"), dir.join("cpu.log"));
    std::fs::write(&elf_path, memory_dump_elf(program, &emulator)).map_err(|e| e.to_string())?;
    // QEMU's loader, like the kernel's, refuses files without execute permission.
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&elf_path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("{}: {e}", elf_path.display()))?;
    }
    let _ = std::fs::remove_file(&log_path);
    let result = (|| {
        run_qemu(qemu, &elf_path, &log_path, Duration::from_secs(120))?;
        let log =
            std::fs::File::open(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let mut states = StateReader {
            lines: BufReader::new(log).lines(),
        };

        let first = states.next().ok_or("QEMU logged no instruction")??;
        if first.pc != program.entry {
            return Err(format!(
                "QEMU started at {:#010x}, not the entry {:#010x}",
                first.pc, program.entry
            ));
        }
        // The Linux loader's initial registers (sp, possibly others).
        for (r, &v) in first.registers.iter().enumerate() {
            emulator.set_register(r, v);
        }
        let mut previous = None;
        let mut expected = first;
        for index in 0..=max_steps {
            let mut registers = [0u32; NUM_REGISTERS];
            registers.copy_from_slice(&emulator.registers()[..NUM_REGISTERS]);
            let ours = CpuState {
                pc: emulator.pc(),
                registers,
            };
            if ours != expected {
                return Err(describe_mismatch(
                    program,
                    &ours,
                    &expected,
                    previous.as_ref(),
                    index,
                ));
            }
            if emulator.halted() {
                return Ok(Agreement { steps: index });
            }
            match emulator.step(|step| previous = Some(step)) {
                Ok(()) => {}
                Err(TraceError::EnvironmentCall { .. }) => return Ok(Agreement { steps: index }),
                Err(e) => return Err(format!("the tracer stopped at step {index}: {e}")),
            }
            expected = match states.next() {
                Some(state) => state?,
                None => {
                    return Err(format!(
                        "QEMU stopped after {} instructions, but the tracer executed `{}` at pc {:#010x}",
                        index + 1,
                        previous.map_or(String::new(), |s| instruction_at(program, s.pc)),
                        previous.map_or(0, |s| s.pc)
                    ))
                }
            };
        }
        Err(format!("no termination within {max_steps} steps"))
    })();
    if std::env::var_os("JOLT_KEEP_DIFFERENTIAL").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}
