use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

#[jolt::provable]
pub fn fib(n: u32) -> u128 {
    n as u128
}

#[jolt::provable(max_cycles = 1_000_000, memory_size = 65536, stack_size = 4096, max_input_size = 256, max_output_size = 256)]
pub fn shapes(a: [u8; 4], v: Vec<u64>, s: String, p: Point, t: (bool, i8), o: Option<u16>) -> (Vec<u64>, Option<Point>) {
    let _ = (a, s, t, o);
    (v, Some(p))
}

#[jolt::provable]
fn nothing() {}

fn main() {
    let _ = (fib(3), shapes([0; 4], vec![], String::new(), Point { x: 1, y: 2 }, (true, 0), None));
    nothing();
}
