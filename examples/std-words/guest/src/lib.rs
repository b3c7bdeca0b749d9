//! Guest: the most frequent words of a text, with std's `HashMap`,
//! `String`, `format!` and `println!`. No `no_std` attribute: this crate
//! links std on the zkVM too.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher};

/// A `HashMap` with a fixed hasher: `HashMap::new()` would ask the zkVM
/// for random keys, which a reproducible proof cannot have.
type FixedMap<K, V> = HashMap<K, V, BuildHasherDefault<DefaultHasher>>;

/// The `top` most frequent words of `text` (lowercased, split at anything
/// that is not a letter or digit) with their counts, most frequent first
/// and alphabetical among equals; prints one line per word and a total.
#[jolt::provable(max_cycles = 100_000_000)]
pub fn top_words(text: String, top: u32) -> Vec<(String, u32)> {
    let (ranked, total) = rank(&text);
    let distinct = ranked.len();
    let top: Vec<(String, u32)> = ranked.into_iter().take(top as usize).collect();
    jolt::cycle_tracker::start("printing");
    for (word, count) in &top {
        println!("{}", format!("{word:>12} {count}"));
    }
    println!("{total} words, {distinct} distinct");
    jolt::cycle_tracker::end("printing");
    top
}

/// Every distinct word with its count, ranked, and the number of words.
pub fn rank(text: &str) -> (Vec<(String, u32)>, u32) {
    let mut counts: FixedMap<String, u32> = FixedMap::default();
    let mut total = 0u32;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        total += 1;
    }
    let mut ranked: Vec<(String, u32)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    (ranked, total)
}
