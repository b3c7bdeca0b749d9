#[jolt::provable]
pub fn len(s: &str) -> u32 {
    s.len() as u32
}

fn main() {}
