//! The attribute on valid and invalid signatures: valid ones (several in
//! one crate, every common argument shape) compile; each unsupported
//! signature is a compile error pointing at the offending part
//! (`tests/ui/*.stderr` hold the expected messages).

#[test]
fn signatures() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass_*.rs");
    t.compile_fail("tests/ui/fail_*.rs");
}
