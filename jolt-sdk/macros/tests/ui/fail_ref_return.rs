#[jolt::provable]
pub fn name(x: u32) -> &'static str {
    if x > 0 { "some" } else { "none" }
}

fn main() {}
