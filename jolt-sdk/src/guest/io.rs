//! Typed guest I/O through the I/O region, encoded with `postcard`.
//!
//! The host writes the serialized input at `__jolt_input_start` (zero
//! padded); the guest writes its serialized output at `__jolt_output_start`.

use serde::{de::DeserializeOwned, Serialize};

use super::symbol_address;

/// The whole input region (zero padded past the host's bytes).
pub fn input_bytes() -> &'static [u8] {
    let start = symbol_address!("__jolt_input_start");
    let end = symbol_address!("__jolt_input_end");
    // SAFETY: the linker script reserves [start, end) for input; the guest
    // treats it as read-only.
    unsafe { core::slice::from_raw_parts(core::ptr::with_exposed_provenance(start), end - start) }
}

/// Deserializes the program's input. A malformed input panics the guest, so
/// the run ends with the panic flag set.
pub fn read_input<T: DeserializeOwned>() -> T {
    match postcard::from_bytes(input_bytes()) {
        Ok(value) => value,
        Err(_) => panic!("input does not deserialize"),
    }
}

/// Serializes `value` into the output region. An output larger than the
/// region panics the guest.
pub fn write_output<T: Serialize + ?Sized>(value: &T) {
    let start = symbol_address!("__jolt_output_start");
    let end = symbol_address!("__jolt_output_end");
    // SAFETY: the linker script reserves [start, end) for output and nothing
    // else in the guest refers to it.
    let region = unsafe {
        core::slice::from_raw_parts_mut(core::ptr::with_exposed_provenance_mut(start), end - start)
    };
    if postcard::to_slice(value, region).is_err() {
        panic!("output exceeds max_output_size");
    }
}
