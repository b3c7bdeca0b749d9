//! Shared by the end-to-end tests in `tests/`: building the provable
//! function of an example guest the way its `compile_*` function does.

use jolt_sdk::host::{GuestBuilder, Program};

/// The `#[jolt::provable]` function of each example guest.
pub fn function_of(example: &str) -> &'static str {
    match example {
        "fibonacci" => "fib",
        "sha2" | "sha3" => "digest",
        "collatz" => "collatz",
        "muldiv" => "muldiv",
        "sort" => "sort",
        "std-words" => "top_words",
        other => panic!("no example guest named {other}"),
    }
}

/// Builds `example`'s guest for RV32IM in the default layout (the one its
/// `compile_*` function uses).
pub fn build(example: &str) -> Program {
    builder(example)
        .build()
        .unwrap_or_else(|e| panic!("building {example}: {e}"))
}

/// The builder of `example`'s guest, as [`build`] uses it.
pub fn builder(example: &str) -> GuestBuilder {
    let dir = format!("{}/../{example}/guest", env!("CARGO_MANIFEST_DIR"));
    GuestBuilder::new(dir).function(function_of(example))
}
