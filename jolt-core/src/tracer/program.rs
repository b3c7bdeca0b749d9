//! A guest program loaded from an ELF file: its memory image, its code
//! decoded once, its entry point and the memory layout it was linked for.
//!
//! Loading checks everything the tracer later relies on (32-bit little-endian
//! RISC-V executable, segments inside the file and inside RAM, no overlaps,
//! entry inside code), so a bad file is an [`ElfError`] here, never a panic
//! or a silent misload.

use goblin::elf::{header, program_header, Elf};
use instructions::{decode, DecodeError, Instruction};

use super::error::ElfError;
use super::layout::{MemoryLayout, RAM_BASE};

/// One loaded segment: `data` holds the file bytes, the rest up to `memsz`
/// is zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub vaddr: u32,
    pub memsz: u32,
    pub data: Vec<u8>,
    pub executable: bool,
    pub writable: bool,
}

/// An executable segment decoded word by word. Words that are not RV32IM
/// instructions keep their error, raised only if the pc ever reaches them
/// (code segments may legitimately hold data such as literal pools).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeSegment {
    pub start: u32,
    pub instructions: Vec<Result<Instruction, DecodeError>>,
}

impl CodeSegment {
    /// One past the last code byte.
    pub fn end(&self) -> u64 {
        self.start as u64 + 4 * self.instructions.len() as u64
    }

    pub fn contains(&self, address: u32) -> bool {
        address >= self.start && (address as u64) < self.end()
    }
}

/// The stack an ELF declares with the symbols [`STACK_BOTTOM_SYMBOL`] and
/// [`STACK_TOP_SYMBOL`]: sp starts at `top` and must stay at or above
/// `bottom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackRegion {
    pub bottom: u32,
    pub top: u32,
}

/// The symbol the guest linker script puts at the lowest stack byte.
pub const STACK_BOTTOM_SYMBOL: &str = "__jolt_stack_bottom";
/// The symbol the guest linker script puts one past the highest stack byte.
pub const STACK_TOP_SYMBOL: &str = "__jolt_stack_top";

/// A loaded guest program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub entry: u32,
    pub segments: Vec<Segment>,
    pub code: Vec<CodeSegment>,
    pub layout: MemoryLayout,
    /// The stack, if the ELF declares one (guests built by the SDK do): the
    /// tracer stops a run whose sp goes below it
    /// ([`super::TraceError::StackOverflow`]).
    pub stack: Option<StackRegion>,
    /// The ELF file the program was loaded from: what another machine
    /// needs to load the same program (a remote prover, docs/cluster.md).
    pub elf: ElfBytes,
}

/// An ELF file's bytes, shared between clones of a [`Program`].
#[derive(Clone, PartialEq, Eq)]
pub struct ElfBytes(pub std::sync::Arc<[u8]>);

impl std::fmt::Debug for ElfBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ElfBytes({} bytes)", self.0.len())
    }
}

impl std::ops::Deref for ElfBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

const EI_CLASS: usize = 4;
const EI_DATA: usize = 5;
const ELFCLASS32: u8 = 1;
const ELFDATA2LSB: u8 = 1;

fn goblin_error(e: goblin::error::Error) -> ElfError {
    match e {
        goblin::error::Error::Scroll(e) => ElfError::Truncated {
            what: e.to_string(),
        },
        goblin::error::Error::BufferTooShort(n, what) => ElfError::Truncated {
            what: format!("{what} needs {n} bytes"),
        },
        other => ElfError::Malformed(other.to_string()),
    }
}

/// The stack the symbol table declares, if it names both ends; a declared
/// stack must be a range inside RAM.
fn stack_region(elf: &Elf<'_>, layout: &MemoryLayout) -> Result<Option<StackRegion>, ElfError> {
    let symbol = |name: &str| {
        elf.syms
            .iter()
            .find(|s| elf.strtab.get_at(s.st_name) == Some(name))
            .map(|s| s.st_value)
    };
    let (Some(bottom), Some(top)) = (symbol(STACK_BOTTOM_SYMBOL), symbol(STACK_TOP_SYMBOL)) else {
        return Ok(None);
    };
    if bottom > top || bottom < RAM_BASE as u64 || top > layout.ram_end().min(u32::MAX as u64) {
        return Err(ElfError::BadStack { bottom, top });
    }
    // Both were just checked to lie below 2^32.
    Ok(Some(StackRegion {
        bottom: bottom as u32,
        top: top as u32,
    }))
}

impl Program {
    /// Loads an RV32 ELF executable for the given memory layout.
    pub fn from_elf(bytes: &[u8], layout: MemoryLayout) -> Result<Program, ElfError> {
        if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
            return Err(ElfError::NotElf { len: bytes.len() });
        }
        if bytes.len() < 52 {
            return Err(ElfError::Truncated {
                what: format!(
                    "{} bytes is shorter than the 52-byte ELF32 header",
                    bytes.len()
                ),
            });
        }
        if bytes[EI_CLASS] != ELFCLASS32 {
            return Err(ElfError::Not32Bit);
        }
        if bytes[EI_DATA] != ELFDATA2LSB {
            return Err(ElfError::BigEndian);
        }
        let elf = Elf::parse(bytes).map_err(goblin_error)?;
        if elf.header.e_machine != header::EM_RISCV {
            return Err(ElfError::NotRiscV {
                machine: elf.header.e_machine,
                name: header::machine_to_str(elf.header.e_machine),
            });
        }
        if elf.header.e_type != header::ET_EXEC {
            return Err(ElfError::NotExecutable {
                e_type: elf.header.e_type,
            });
        }

        let mut segments = Vec::new();
        for ph in elf
            .program_headers
            .iter()
            .filter(|ph| ph.p_type == program_header::PT_LOAD)
        {
            if ph.p_memsz == 0 {
                continue;
            }
            // ELF32 fields are 32-bit; goblin widens them to u64.
            let vaddr = ph.p_vaddr as u32;
            let (offset, filesz, memsz) = (ph.p_offset, ph.p_filesz, ph.p_memsz);
            let end = offset.saturating_add(filesz);
            if end > bytes.len() as u64 {
                return Err(ElfError::SegmentOutsideFile {
                    vaddr,
                    offset,
                    end,
                    file_len: bytes.len(),
                });
            }
            if filesz > memsz {
                return Err(ElfError::SegmentFileSizeTooLarge {
                    vaddr,
                    filesz,
                    memsz,
                });
            }
            if (vaddr as u64) < RAM_BASE as u64 || ph.p_vaddr + memsz > layout.ram_end() {
                return Err(ElfError::SegmentOutOfRange {
                    vaddr,
                    memsz,
                    ram_start: RAM_BASE,
                    ram_end: layout.ram_end(),
                });
            }
            segments.push(Segment {
                vaddr,
                // memsz ≤ ram_end − vaddr < 2^32, checked just above.
                memsz: memsz as u32,
                data: bytes[offset as usize..end as usize].to_vec(),
                executable: ph.p_flags & program_header::PF_X != 0,
                writable: ph.p_flags & program_header::PF_W != 0,
            });
        }
        segments.sort_by_key(|s| s.vaddr);
        for pair in segments.windows(2) {
            if pair[0].vaddr as u64 + pair[0].memsz as u64 > pair[1].vaddr as u64 {
                return Err(ElfError::SegmentOverlap {
                    first: pair[0].vaddr,
                    second: pair[1].vaddr,
                });
            }
        }

        let mut code = Vec::new();
        for seg in segments.iter().filter(|s| s.executable) {
            if seg.vaddr % 4 != 0 {
                return Err(ElfError::MisalignedCode { vaddr: seg.vaddr });
            }
            // Only the file bytes are code: the zero tail up to memsz would
            // decode as illegal words anyway, and skipping it bounds the work
            // by the file's size rather than by a header field.
            let instructions = (0..seg.data.len().div_ceil(4) as u32)
                .map(|i| {
                    let at = 4 * i as usize;
                    let mut word = [0u8; 4];
                    for (k, b) in word.iter_mut().enumerate() {
                        *b = seg.data.get(at + k).copied().unwrap_or(0);
                    }
                    decode(u32::from_le_bytes(word), seg.vaddr + 4 * i)
                })
                .collect();
            code.push(CodeSegment {
                start: seg.vaddr,
                instructions,
            });
        }
        let entry = elf.entry as u32;
        if !entry.is_multiple_of(4) || !code.iter().any(|c| c.contains(entry)) {
            return Err(ElfError::EntryNotInCode { entry });
        }
        let stack = stack_region(&elf, &layout)?;
        Ok(Program {
            entry,
            segments,
            code,
            layout,
            stack,
            elf: ElfBytes(bytes.into()),
        })
    }

    /// The code segment containing `pc`, if any.
    pub fn code_segment(&self, pc: u32) -> Option<&CodeSegment> {
        self.code.iter().find(|c| c.contains(pc))
    }

    /// The nonzero words of the initial RAM image, as (aligned address, word),
    /// in increasing address order. Segments need not be word-aligned.
    pub fn image_words(&self) -> Vec<(u32, u32)> {
        let mut words = std::collections::BTreeMap::<u32, u32>::new();
        for seg in &self.segments {
            for (i, &byte) in seg.data.iter().enumerate() {
                let address = seg.vaddr + i as u32;
                *words.entry(address & !3).or_default() |= (byte as u32) << (8 * (address & 3));
            }
        }
        words.into_iter().filter(|&(_, w)| w != 0).collect()
    }

    /// Number of instruction words across all code segments.
    pub fn code_len(&self) -> usize {
        self.code.iter().map(|c| c.instructions.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::elf::{build_elf, ElfSegment};
    use instructions::Opcode;

    fn nop() -> Instruction {
        Instruction::new(Opcode::Addi, 0, 0, 0, 0)
    }

    fn good() -> Vec<u8> {
        build_elf(
            RAM_BASE,
            &[
                ElfSegment::code(RAM_BASE, &[nop(); 4]),
                ElfSegment::data(RAM_BASE + 0x1000, vec![7; 6]),
            ],
        )
    }

    fn load(bytes: &[u8]) -> Result<Program, ElfError> {
        Program::from_elf(bytes, MemoryLayout::default())
    }

    #[test]
    fn loads_segments_code_and_image() {
        let p = load(&good()).unwrap();
        assert_eq!(p.entry, RAM_BASE);
        assert_eq!(p.code.len(), 1);
        assert_eq!(p.code_len(), 4);
        assert_eq!(p.segments.len(), 2);
        assert!(p.segments[1].writable && !p.segments[1].executable);
        let words = p.image_words();
        assert_eq!(words[0], (RAM_BASE, nop().encode()));
        assert_eq!(
            words[words.len() - 2..],
            [
                (RAM_BASE + 0x1000, 0x0707_0707),
                (RAM_BASE + 0x1004, 0x0707)
            ]
        );
    }

    #[test]
    fn rejects_files_that_are_not_rv32_executables() {
        assert_eq!(load(b"hello"), Err(ElfError::NotElf { len: 5 }));
        assert!(matches!(
            load(&good()[..40]),
            Err(ElfError::Truncated { .. })
        ));
        // Cut inside the program headers.
        assert!(matches!(
            load(&good()[..70]),
            Err(ElfError::Truncated { .. })
        ));
        let mut b = good();
        b[4] = 2;
        assert_eq!(load(&b), Err(ElfError::Not32Bit));
        let mut b = good();
        b[5] = 2;
        assert_eq!(load(&b), Err(ElfError::BigEndian));
        let mut b = good();
        b[18..20].copy_from_slice(&62u16.to_le_bytes());
        assert_eq!(
            load(&b),
            Err(ElfError::NotRiscV {
                machine: 62,
                name: "X86_64"
            })
        );
        let mut b = good();
        b[16..18].copy_from_slice(&3u16.to_le_bytes());
        assert_eq!(load(&b), Err(ElfError::NotExecutable { e_type: 3 }));
    }

    #[test]
    fn rejects_bad_segments_and_entry() {
        let code = || ElfSegment::code(RAM_BASE, &[nop(); 4]);
        let low = build_elf(RAM_BASE, &[code(), ElfSegment::data(0x1000, vec![1; 4])]);
        assert!(matches!(
            load(&low),
            Err(ElfError::SegmentOutOfRange { vaddr: 0x1000, .. })
        ));
        let high = MemoryLayout::default().ram_end() as u32 - 2;
        let high = build_elf(RAM_BASE, &[code(), ElfSegment::data(high, vec![1; 4])]);
        assert!(matches!(
            load(&high),
            Err(ElfError::SegmentOutOfRange { .. })
        ));
        let overlap = build_elf(
            RAM_BASE,
            &[code(), ElfSegment::data(RAM_BASE + 8, vec![1; 4])],
        );
        assert_eq!(
            load(&overlap),
            Err(ElfError::SegmentOverlap {
                first: RAM_BASE,
                second: RAM_BASE + 8
            })
        );
        let elsewhere = build_elf(RAM_BASE + 0x100, &[code()]);
        assert_eq!(
            load(&elsewhere),
            Err(ElfError::EntryNotInCode {
                entry: RAM_BASE + 0x100
            })
        );
        let odd = build_elf(RAM_BASE + 2, &[code()]);
        assert_eq!(
            load(&odd),
            Err(ElfError::EntryNotInCode {
                entry: RAM_BASE + 2
            })
        );
        // A data segment's bytes cut off by the end of the file.
        let b = good();
        assert!(matches!(
            load(&b[..b.len() - 3]),
            Err(ElfError::SegmentOutsideFile { .. })
        ));
        // filesz > memsz, patched into the first program header.
        let mut b = good();
        b[52 + 20..52 + 24].copy_from_slice(&8u32.to_le_bytes());
        assert!(matches!(
            load(&b),
            Err(ElfError::SegmentFileSizeTooLarge { .. })
        ));
    }

    #[test]
    fn random_bytes_and_truncations_never_panic() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let good = good();
        for len in 0..good.len() {
            let _ = load(&good[..len]);
        }
        for _ in 0..2000 {
            let mut b = good.clone();
            for _ in 0..rng.gen_range(1..8) {
                let at = rng.gen_range(0..b.len());
                b[at] = rng.gen();
            }
            let _ = load(&b);
        }
    }
}
