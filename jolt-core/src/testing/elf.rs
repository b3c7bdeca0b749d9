//! A minimal ELF32 writer for RISC-V executables: an ELF header, one program
//! header per segment and the segment bytes, no sections.
//!
//! Used to build programs straight from encoded instructions (tests, the
//! benchmark harness) and to hand the exact initial memory of a run to an
//! independent emulator for differential testing.

use instructions::Instruction;

const EHDR_SIZE: usize = 52;
const PHDR_SIZE: usize = 32;
/// Linux loaders (and qemu-user) map segments by page, so file offsets are
/// kept congruent to virtual addresses modulo this.
const PAGE: u32 = 0x1000;

/// Permission bits of a segment.
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;

/// A loadable segment: `data` at `vaddr`, zero-filled up to `memsz`.
#[derive(Clone, Debug)]
pub struct ElfSegment {
    pub vaddr: u32,
    pub data: Vec<u8>,
    pub memsz: u32,
    pub flags: u32,
}

impl ElfSegment {
    /// A read-execute segment holding `code`.
    pub fn code(vaddr: u32, code: &[Instruction]) -> Self {
        let data: Vec<u8> = code.iter().flat_map(|i| i.encode().to_le_bytes()).collect();
        ElfSegment {
            vaddr,
            memsz: data.len() as u32,
            data,
            flags: PF_R | PF_X,
        }
    }

    /// A read-write segment holding `data`.
    pub fn data(vaddr: u32, data: Vec<u8>) -> Self {
        ElfSegment {
            vaddr,
            memsz: data.len() as u32,
            data,
            flags: PF_R | PF_W,
        }
    }
}

/// The bytes of an ELF32 little-endian RISC-V executable.
pub fn build_elf(entry: u32, segments: &[ElfSegment]) -> Vec<u8> {
    let mut out = Vec::new();
    // e_ident: magic, ELFCLASS32, ELFDATA2LSB, EV_CURRENT, System V ABI.
    out.extend_from_slice(b"\x7fELF");
    out.extend_from_slice(&[1, 1, 1, 0]);
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes()); // e_type = ET_EXEC
    out.extend_from_slice(&243u16.to_le_bytes()); // e_machine = EM_RISCV
    out.extend_from_slice(&1u32.to_le_bytes()); // e_version
    out.extend_from_slice(&entry.to_le_bytes());
    out.extend_from_slice(&(EHDR_SIZE as u32).to_le_bytes()); // e_phoff
    out.extend_from_slice(&0u32.to_le_bytes()); // e_shoff
    out.extend_from_slice(&0u32.to_le_bytes()); // e_flags: no RVC, soft float
    out.extend_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
    out.extend_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
    out.extend_from_slice(&(segments.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // e_shentsize
    out.extend_from_slice(&0u16.to_le_bytes()); // e_shnum
    out.extend_from_slice(&0u16.to_le_bytes()); // e_shstrndx

    // Place each segment's bytes at an offset congruent to its address.
    let mut offsets = Vec::with_capacity(segments.len());
    let mut cursor = (EHDR_SIZE + PHDR_SIZE * segments.len()) as u32;
    for seg in segments {
        let want = seg.vaddr % PAGE;
        let mut offset = (cursor & !(PAGE - 1)) + want;
        if offset < cursor {
            offset += PAGE;
        }
        offsets.push(offset);
        cursor = offset + seg.data.len() as u32;
    }
    for (seg, &offset) in segments.iter().zip(&offsets) {
        out.extend_from_slice(&1u32.to_le_bytes()); // p_type = PT_LOAD
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&seg.vaddr.to_le_bytes());
        out.extend_from_slice(&seg.vaddr.to_le_bytes()); // p_paddr
        out.extend_from_slice(&(seg.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&seg.memsz.max(seg.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&seg.flags.to_le_bytes());
        out.extend_from_slice(&PAGE.to_le_bytes());
    }
    for (seg, &offset) in segments.iter().zip(&offsets) {
        out.resize(offset as usize, 0);
        out.extend_from_slice(&seg.data);
    }
    out
}
