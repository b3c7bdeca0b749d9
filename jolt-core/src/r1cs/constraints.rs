//! The constraints of one CPU step, written once and proven for every step.
//!
//! Inputs are columns other subprotocols commit and prove: the bytecode row
//! the step read (pc, row address, immediate, the circuit flags), the
//! memory slots (register values, RAM address and values, the value written
//! to rd, the range check's remainder bits), and the lookup (the operand
//! bytes LEFT_ID/RIGHT_ID, the one-hot lookup flags, the output). Flags are
//! fields of the bytecode row, so they are bits without a constraint here.
//! Each constraint carries a label saying what it enforces; `docs/r1cs.md`
//! lists them.

use instructions::flags::CircuitFlag;
use instructions::lookups::{LookupKind, LookupParams, QueryForm, Selection};

use super::builder::{Builder, LinearCombination as Lc, UniformR1cs, Variable};

/// An input column of the CPU step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CpuInput {
    /// Index of the bytecode row the step read.
    BytecodeAddress,
    Pc,
    /// The immediate as a 32-bit word.
    Imm,
    CircuitFlag(CircuitFlag),
    /// One-hot flag of `LookupKind::ALL[k]`.
    LookupFlag(usize),
    Rs1Value,
    Rs2Value,
    /// The value the rd slot writes (0 for x0 and for instructions that
    /// write nothing).
    RdWrite,
    /// RAM slot: word index in the proof's address space (0 when unused).
    RamAddress,
    RamRead,
    RamWrite,
    /// LEFT_ID / RIGHT_ID read at dim_i: the chunk's operand bytes.
    LeftId(usize),
    RightId(usize),
    LookupOutput,
    /// Bit k % 2 of the timestamp range check's remainder of memory slot
    /// k / 2 (memory checking commits them; the R1CS makes them bits).
    RangeRemainderBit(usize),
    /// The pc a segment of a run hands on to the next one (for the one
    /// that ends the run, the pc after its halting store): a public value
    /// of the proof, the same at every step, that no subprotocol commits
    /// (the verifier knows its evaluation everywhere).
    ExitPc,
}

/// Memory operations per step, and so range-check remainders (two bits
/// each).
pub const MEMORY_SLOTS: usize = 4;

impl CpuInput {
    /// Every input, in column order.
    pub fn all(p: &LookupParams) -> Vec<CpuInput> {
        use CpuInput::*;
        let mut all = vec![BytecodeAddress, Pc, Imm];
        all.extend(
            instructions::flags::CircuitFlag::ALL
                .iter()
                .map(|&f| CpuInput::CircuitFlag(f)),
        );
        all.extend((0..LookupKind::ALL.len()).map(LookupFlag));
        all.extend([Rs1Value, Rs2Value, RdWrite, RamAddress, RamRead, RamWrite]);
        all.extend((0..p.chunks).map(LeftId));
        all.extend((0..p.chunks).map(RightId));
        all.push(LookupOutput);
        all.extend((0..2 * MEMORY_SLOTS).map(RangeRemainderBit));
        all.push(ExitPc);
        all
    }
}

/// Where RAM words sit in the proof's address space (`memory::layout`):
/// word index w holds byte address 4·w + `byte_offset` (the I/O region's
/// first word follows the register block), and a step without a RAM access
/// reads `noop_ram_address` (the termination word: the RAM slot may only
/// touch I/O and RAM words).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuConstants {
    pub byte_offset: i128,
    pub noop_ram_address: i128,
}

/// The CPU step's constraint system and its input order.
#[derive(Clone, Debug)]
pub struct CpuR1cs {
    pub r1cs: UniformR1cs,
    pub inputs: Vec<CpuInput>,
}

impl CpuR1cs {
    /// Column index of an input.
    pub fn index(&self, input: CpuInput) -> usize {
        // `inputs` lists every CpuInput the builder can name.
        self.inputs
            .iter()
            .position(|&i| i == input)
            .expect("input in the list")
    }
}

/// Builds the constraints for lookups at `p` and RAM placed by `constants`.
pub fn cpu_r1cs(p: &LookupParams, constants: CpuConstants) -> CpuR1cs {
    let inputs = CpuInput::all(p);
    let index = |input: CpuInput| {
        inputs
            .iter()
            .position(|&i| i == input)
            .expect("listed input")
    };
    let var = |input: CpuInput| Variable::Input(index(input));
    let lc = |input: CpuInput| Lc::var(var(input));
    let flag = |f: CircuitFlag| lc(CpuInput::CircuitFlag(f));
    let mut b = Builder::new(inputs.len());
    let w = p.word_bits as i128;
    let (chunks, byte_bits) = (p.chunks, p.operand_chunk_bits());

    // The flags need no constraint: bytecode checking reads every flag
    // column as a field of the step's row, so they are that row's bits
    // (and the lookup flags one-hot or all zero).

    // The range check's remainders d mod 4 are two bits each (memory
    // checking reads the range memory at (d − m)/4 and relies on m < 4).
    for k in 0..2 * MEMORY_SLOTS {
        b.constrain_binary(
            "a range-check remainder bit is boolean",
            var(CpuInput::RangeRemainderBit(k)),
        );
    }

    // Lookup operands: x is rs1, or the pc (AUIPC, JAL), or the value
    // written to rd (advice); y is rs2 or the immediate.
    let rs1 = lc(CpuInput::Rs1Value);
    let rs2 = lc(CpuInput::Rs2Value);
    let t_pc = b.product(
        "x from the pc",
        flag(CircuitFlag::LeftOperandIsPc),
        lc(CpuInput::Pc).minus(&rs1),
    );
    let t_adv = b.product(
        "x from the advice",
        flag(CircuitFlag::Advice),
        lc(CpuInput::RdWrite).minus(&rs1),
    );
    let t_imm = b.product(
        "y from the immediate",
        flag(CircuitFlag::RightOperandIsImm),
        lc(CpuInput::Imm).minus(&rs2),
    );
    let x = rs1.clone().plus(&Lc::var(t_pc)).plus(&Lc::var(t_adv));
    let y = rs2.clone().plus(&Lc::var(t_imm));

    // The query: which form the step's lookup uses, from its one-hot flag.
    let form_flag = |form: QueryForm| {
        Lc::sum(
            LookupKind::ALL
                .iter()
                .enumerate()
                .filter(|(_, kind)| kind.query() == form)
                .map(|(k, _)| (var(CpuInput::LookupFlag(k)), 1)),
        )
    };
    let byte_weight = |i: usize| 1i128 << (byte_bits as usize * (chunks - 1 - i));
    let left_bytes = Lc::sum((0..chunks).map(|i| (var(CpuInput::LeftId(i)), byte_weight(i))));
    let right_bytes = Lc::sum((0..chunks).map(|i| (var(CpuInput::RightId(i)), byte_weight(i))));
    let interleaved = form_flag(QueryForm::Interleaved);
    let shift = form_flag(QueryForm::Shift);
    b.constrain_eq_if(
        "x is the chunks' left bytes",
        interleaved.clone().plus(&shift),
        x.clone(),
        left_bytes.clone(),
    );
    b.constrain_eq_if(
        "y is the chunks' right bytes",
        interleaved,
        y.clone(),
        right_bytes.clone(),
    );
    // A shift puts its amount (below 32, see docs/lookups.md) in every chunk.
    let replicated = (0..chunks).map(byte_weight).sum::<i128>();
    b.constrain_eq_if(
        "the shift amount is every chunk's right byte",
        shift,
        y.scaled(replicated),
        right_bytes.clone(),
    );

    // Sub-word accesses (select queries). The address is rs1 + imm wrapped
    // to 32 bits, computed here rather than by the lookup, which selects
    // bytes instead: 4·RamAddress + byte_offset + o = rs1 + imm − 2^32·carry
    // with bits o0, o1 (o = o0 + 2·o1) and carry. Memory checking keeps
    // RamAddress a RAM word index (region tag), so 4·RamAddress +
    // byte_offset is an aligned byte address below 2^32 and the bits are
    // the only ones that balance the equation.
    let select = form_flag(QueryForm::Select);
    let kind_flags = |pick: &dyn Fn(Selection) -> bool| {
        Lc::sum(
            LookupKind::ALL
                .iter()
                .enumerate()
                .filter(|(_, kind)| kind.selection().is_some_and(pick))
                .map(|(k, _)| (var(CpuInput::LookupFlag(k)), 1)),
        )
    };
    let selection_code = Lc::sum(LookupKind::ALL.iter().enumerate().filter_map(|(k, kind)| {
        kind.selection()
            .map(|v| (var(CpuInput::LookupFlag(k)), v.code(0) as i128))
    }));
    let halfword = kind_flags(&|v| v.width() == 2);
    let place = kind_flags(&|v| matches!(v, Selection::PlaceByte | Selection::PlaceHalf));
    let merge = kind_flags(&|v| matches!(v, Selection::ClearByte | Selection::ClearHalf));
    // Hints: o is (rs1 + imm − byte_offset) mod 4 and the carry is bit 32
    // of rs1 + imm; the address equation below is what pins them.
    let wide_address = rs1.clone().plus(&lc(CpuInput::Imm));
    let from_offset = wide_address.clone().add_constant(-constants.byte_offset);
    let label = "a sub-word offset or carry bit is a bit, and 0 elsewhere";
    let o0 = b.bit_if(label, select.clone(), from_offset.clone(), 0);
    let o1 = b.bit_if(label, select.clone(), from_offset, 1);
    let carry = b.bit_if(label, select.clone(), wide_address.clone(), w as u32);
    let offset = Lc::var(o0).plus(&Lc::var(o1).scaled(2));
    b.constrain_eq_if(
        "a sub-word access addresses rs1 + imm",
        select.clone(),
        lc(CpuInput::RamAddress)
            .scaled(4)
            .add_constant(constants.byte_offset)
            .plus(&offset)
            .plus(&Lc::var(carry).scaled(1 << w)),
        wide_address,
    );
    b.constrain_eq_if(
        "a halfword access is aligned",
        halfword,
        Lc::var(o0),
        Lc::constant(0),
    );
    b.constrain_eq_if(
        "a select's word is the RAM word's bytes",
        select.clone().minus(&place),
        lc(CpuInput::RamRead),
        left_bytes.clone(),
    );
    b.constrain_eq_if(
        "a place step's word is rs2's bytes",
        place,
        rs2.clone(),
        left_bytes,
    );
    b.constrain_eq_if(
        "the offset and selection are every chunk's right byte",
        select.clone(),
        offset.plus(&selection_code).scaled(replicated),
        right_bytes,
    );
    // The query index z from the chunk indices dim_i = LEFT_ID_i·2^b +
    // RIGHT_ID_i (the chunk indices are not committed: their two operand
    // reads are, and memory checking reads both at dim_i).
    let z = Lc::sum((0..chunks).flat_map(|i| {
        let weight = 1i128 << (2 * byte_bits as usize * (chunks - 1 - i));
        [
            (var(CpuInput::LeftId(i)), weight << byte_bits),
            (var(CpuInput::RightId(i)), weight),
        ]
    }));
    b.constrain_eq_if(
        "z = x + y",
        form_flag(QueryForm::Sum),
        z.clone(),
        x.clone().plus(&y),
    );
    b.constrain_eq_if(
        "z = x − y + 2^W",
        form_flag(QueryForm::Difference),
        z.clone(),
        x.clone().minus(&y).add_constant(1 << w),
    );
    // The product is masked to 0 off multiplications, so its column (64-bit
    // where set) is all zeros there and commits for free. The signed forms
    // reuse it: with h = 2^(W−1), (x − h)(y − h) + 2^(2W−1) = x·y − h·x −
    // h·y + 2^(2W−2) + 2^(2W−1) and (x − h)·y + 2^(2W−1) = x·y − h·y +
    // 2^(2W−1), each in [0, 2^(2W)) for words x, y, so the field equation
    // is the integer one.
    let product_form = form_flag(QueryForm::Product);
    let signed_form = form_flag(QueryForm::SignedProduct);
    let mixed_form = form_flag(QueryForm::MixedProduct);
    let any_product = product_form.clone().plus(&signed_form).plus(&mixed_form);
    let masked_y = b.product("y on multiplications", any_product, y.clone());
    let product = Lc::var(b.product("x·y", x.clone(), masked_y));
    b.constrain_eq_if("z = x·y", product_form, z.clone(), product.clone());
    let half = 1i128 << (w - 1);
    b.constrain_eq_if(
        "z = (x − 2^(W−1))·(y − 2^(W−1)) + 2^(2W−1)",
        signed_form,
        z.clone(),
        product
            .clone()
            .minus(&x.clone().plus(&y).scaled(half))
            .add_constant((half << (w - 1)) + (half << w)),
    );
    b.constrain_eq_if(
        "z = (x − 2^(W−1))·y + 2^(2W−1)",
        mixed_form,
        z.clone(),
        product.minus(&y.scaled(half)).add_constant(half << w),
    );
    b.constrain_eq_if("z = x (advice)", form_flag(QueryForm::Identity), z, x);

    // RAM: word loads and stores touch the word at the lookup output (rs1 +
    // imm, wrapped), sub-word accesses the one above; other steps read the
    // termination word.
    let out = lc(CpuInput::LookupOutput);
    let load = flag(CircuitFlag::Load);
    let store = flag(CircuitFlag::Store);
    let memory_op = load.clone().plus(&store);
    let byte_address = lc(CpuInput::RamAddress)
        .scaled(4)
        .add_constant(constants.byte_offset);
    b.constrain_eq_if(
        "the RAM word is the lookup's address",
        memory_op.clone().minus(&select),
        byte_address,
        out.clone(),
    );
    b.constrain_eq_if(
        "no RAM access: the slot reads the termination word",
        Lc::constant(1).minus(&memory_op),
        lc(CpuInput::RamAddress),
        Lc::constant(constants.noop_ram_address),
    );
    b.constrain_eq_if(
        "a read leaves the word unchanged",
        Lc::constant(1).minus(&store),
        lc(CpuInput::RamWrite),
        lc(CpuInput::RamRead),
    );
    b.constrain_eq_if(
        "a store writes rs2",
        store.minus(&merge),
        lc(CpuInput::RamWrite),
        rs2.clone(),
    );
    b.constrain_eq_if(
        "a merge writes the cleared word plus the placed value",
        merge,
        lc(CpuInput::RamWrite),
        out.clone().plus(&rs2),
    );

    // rd: the lookup output, the loaded word, or pc + 4 — or nothing (0,
    // to x0) when no write flag is set, which the row does for rd = x0.
    // A row sets at most one write flag (instruction semantics), so each
    // source is a conditional equality and no product is committed.
    let write_lookup = flag(CircuitFlag::WriteLookupOutputToRd);
    let write_ram = flag(CircuitFlag::WriteRamToRd);
    let write_link = flag(CircuitFlag::WritePcPlus4ToRd);
    let rd = lc(CpuInput::RdWrite);
    b.constrain_eq_if(
        "rd ← lookup output",
        write_lookup.clone(),
        rd.clone(),
        out.clone(),
    );
    b.constrain_eq_if(
        "rd ← loaded word",
        write_ram.clone(),
        rd.clone(),
        lc(CpuInput::RamRead),
    );
    b.constrain_eq_if(
        "rd ← pc + 4",
        write_link.clone(),
        rd.clone(),
        lc(CpuInput::Pc).add_constant(4),
    );
    b.constrain_eq_if(
        "rd ← 0 when nothing writes",
        Lc::constant(1)
            .minus(&write_lookup)
            .minus(&write_ram)
            .minus(&write_link),
        rd,
        Lc::constant(0),
    );

    // Assertions of virtual sequences hold.
    b.constrain_eq_if(
        "assertion holds",
        flag(CircuitFlag::Assert),
        out.clone(),
        Lc::constant(1),
    );

    // The next pc: pc + 4; pc + imm for a taken branch; the lookup output
    // for a jump; unchanged inside a virtual sequence.
    let taken = b.product("branch taken", flag(CircuitFlag::Branch), out.clone());
    let signed_imm = lc(CpuInput::Imm).minus(&flag(CircuitFlag::ImmNegative).scaled(1 << w));
    let offset = b.product(
        "taken branch offset",
        Lc::var(taken),
        signed_imm.add_constant(-4),
    );
    let sequential = lc(CpuInput::Pc).add_constant(4).plus(&Lc::var(offset));
    let jump = b.product(
        "jump target",
        flag(CircuitFlag::Jump),
        out.minus(&sequential),
    );
    let stay = b.product(
        "stay in the sequence",
        flag(CircuitFlag::DoNotUpdatePc),
        lc(CpuInput::Pc).minus(&sequential),
    );
    let next_pc = sequential.plus(&Lc::var(jump)).plus(&Lc::var(stay));

    // Across steps: the next step runs at next pc (unless it is padding),
    // padding only ever follows padding, a sequence is entered only at its
    // first row and walks its rows in order.
    let pc_next = b.next(index(CpuInput::Pc), 0);
    let noop_next = b.next(index(CpuInput::CircuitFlag(CircuitFlag::NoOp)), 1);
    let continuation_next = b.next(index(CpuInput::CircuitFlag(CircuitFlag::Continuation)), 0);
    let address_next = b.next(index(CpuInput::BytecodeAddress), 0);
    b.constrain_eq_if(
        "the next step runs at next pc",
        Lc::constant(1).minus(&Lc::var(noop_next)),
        Lc::var(pc_next),
        next_pc.clone(),
    );
    b.constrain_eq_if(
        "padding is followed by padding",
        flag(CircuitFlag::NoOp),
        Lc::var(noop_next),
        Lc::constant(1),
    );
    b.constrain_eq_if(
        "a sequence is entered at its first row",
        Lc::var(continuation_next),
        flag(CircuitFlag::DoNotUpdatePc),
        Lc::constant(1),
    );
    b.constrain_eq_if(
        "a sequence walks its rows in order",
        flag(CircuitFlag::DoNotUpdatePc),
        Lc::var(address_next),
        lc(CpuInput::BytecodeAddress).add_constant(1),
    );

    // Termination: a nonzero store to the termination word ends the run,
    // so nothing (e.g. a store forging the outputs) can follow it.
    let at_termination = b.is_zero_if(
        "a store addresses the termination word",
        flag(CircuitFlag::Store),
        lc(CpuInput::RamAddress).add_constant(-constants.noop_ram_address),
    );
    let halting = b.product("the store halts", at_termination, lc(CpuInput::RamWrite));
    b.constrain_eq_if(
        "a halting store is followed by padding",
        Lc::var(halting),
        Lc::var(noop_next),
        Lc::constant(1),
    );

    // Exit: the last real step (a real step followed by padding, or by the
    // end of the proof, where the next step reads as padding) hands on to
    // the stated exit pc: the next segment's entry, or for the segment that
    // ends the run the pc after its halting store (linked to nothing).
    let ends_here = b.product(
        "the last real step",
        Lc::constant(1).minus(&flag(CircuitFlag::NoOp)),
        Lc::var(noop_next),
    );
    b.constrain_eq_if(
        "a segment exits at the stated pc",
        Lc::var(ends_here),
        next_pc,
        lc(CpuInput::ExitPc),
    );

    CpuR1cs {
        r1cs: b.finish(),
        inputs,
    }
}
