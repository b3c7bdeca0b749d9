pub struct Counter(u32);

impl Counter {
    #[jolt::provable]
    pub fn get(&self) -> u32 {
        self.0
    }
}

fn main() {}
