//! End-to-end tests of the example guests live in `tests/`; this crate has
//! no library code of its own.
