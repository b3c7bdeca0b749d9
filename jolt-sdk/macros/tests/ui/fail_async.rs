#[jolt::provable]
pub async fn later(x: u32) -> u32 {
    x
}

fn main() {}
