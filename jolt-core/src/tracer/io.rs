//! The public statement of a run: inputs, outputs and the panic flag.

/// What the verifier knows about a run: the input bytes it fixed, the output
/// bytes the program wrote and whether it panicked.
///
/// `outputs` is the output region with trailing zero bytes removed. Both
/// regions are zero-padded to their maximum sizes in memory, so this is the
/// canonical form: two runs with the same `ProgramIO` left the same bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProgramIO {
    pub inputs: Vec<u8>,
    pub outputs: Vec<u8>,
    pub panicked: bool,
}

/// Trailing zero bytes removed: the canonical form of a zero-padded region.
pub fn trim_trailing_zeros(bytes: &[u8]) -> &[u8] {
    let len = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    &bytes[..len]
}
