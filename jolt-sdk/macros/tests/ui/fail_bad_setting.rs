#[jolt::provable(max_cycle = 10)]
pub fn f(x: u32) -> u32 {
    x
}

fn main() {}
