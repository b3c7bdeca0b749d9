pub struct Opaque(u32);

#[jolt::provable]
pub fn wrap(x: u32) -> Opaque {
    Opaque(x)
}

fn main() {}
