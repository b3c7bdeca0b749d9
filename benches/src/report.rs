//! Rows of figures, the machine they were measured on, and the three ways
//! to show them: a table, JSON (with a baseline comparison), an SVG chart.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One proved and verified case.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Row {
    /// Class or example name.
    pub name: String,
    /// "instruction" or "program".
    pub kind: String,
    /// The size asked for: cycles for a class, the example's argument.
    pub size: u64,
    /// Real instructions executed.
    pub cycles: u64,
    /// Trace steps after virtual sequences are expanded, and T.
    pub steps: u64,
    /// Steps per real instruction: what virtual sequences cost the class.
    /// (Absent from reports written before it existed.)
    #[serde(default)]
    pub steps_per_cycle: f64,
    pub trace_length: u64,
    /// Segment proofs of the run (1: proven whole; T is then the longest
    /// segment's). Absent from reports written before segments.
    #[serde(default = "one")]
    pub segments: u64,
    pub prove_s: f64,
    pub cycles_per_s: f64,
    pub verify_ms: f64,
    pub proof_bytes: usize,
    /// Peak resident set of the case's process.
    pub peak_rss_mb: f64,
    pub verified: bool,
    /// Seconds per phase: trace, witness, commit, memory checking,
    /// instruction lookups, R1CS, opening, verify.
    pub phases: Vec<(String, f64)>,
    /// Compressed bytes per part of the proof (statement, commitments,
    /// the memories' layered circuit, each sumcheck, the opening), summed
    /// over segments. Absent from reports written before it existed.
    #[serde(default)]
    pub proof_parts: Vec<(String, usize)>,
}

fn one() -> u64 {
    1
}

impl Row {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &str,
        kind: &str,
        size: u64,
        cycles: u64,
        steps: u64,
        trace_length: u64,
        prove: Duration,
        verify: Duration,
        proof_bytes: usize,
        verified: bool,
        phases: &[(&'static str, Duration)],
    ) -> Row {
        let mut phases: Vec<(String, f64)> = phases
            .iter()
            .map(|(p, d)| (p.to_string(), d.as_secs_f64()))
            .collect();
        phases.push(("verify".to_string(), verify.as_secs_f64()));
        Row {
            name: name.to_string(),
            kind: kind.to_string(),
            size,
            cycles,
            steps,
            steps_per_cycle: steps as f64 / cycles.max(1) as f64,
            trace_length,
            segments: 1,
            prove_s: prove.as_secs_f64(),
            cycles_per_s: cycles as f64 / prove.as_secs_f64().max(1e-9),
            verify_ms: verify.as_secs_f64() * 1e3,
            proof_bytes,
            peak_rss_mb: 0.0,
            verified,
            phases,
            proof_parts: Vec::new(),
        }
    }

    /// The key a baseline row is matched by.
    fn key(&self) -> String {
        format!("{}/{}/{}", self.kind, self.name, self.size)
    }
}

/// Where the figures come from.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gb: f64,
    pub git_commit: String,
}

impl Machine {
    pub fn this() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")
                    .map(|r| r.trim_start_matches([' ', '\t', ':']).to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kb: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|r| r.split_whitespace().next()?.parse().ok())
            .unwrap_or(0.0);
        let git_commit = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gb: memory_kb / (1 << 20) as f64,
            git_commit,
        }
    }
}

/// A whole run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub suite: String,
    pub quick: bool,
    pub machine: Machine,
    pub rows: Vec<Row>,
}

impl Report {
    pub fn new(suite: &str, quick: bool, rows: Vec<Row>) -> Report {
        Report {
            suite: suite.to_string(),
            quick,
            machine: Machine::this(),
            rows,
        }
    }

    pub fn load(path: &Path) -> Result<Report, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a benches JSON report: {e}", path.display()))
    }

    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).expect("a report serializes");
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The human table; with a baseline, its cycles/s and the ratio.
    pub fn table(&self, baseline: Option<&Report>) -> String {
        let old: HashMap<String, &Row> = baseline
            .map(|b| b.rows.iter().map(|r| (r.key(), r)).collect())
            .unwrap_or_default();
        let mut out = format!(
            "{} on {} ({} cores, {:.0} GB), commit {}\n",
            self.suite,
            self.machine.cpu,
            self.machine.cores,
            self.machine.memory_gb,
            &self.machine.git_commit[..self.machine.git_commit.len().min(12)]
        );
        out += &format!(
            "{:<18} {:>9} {:>10} {:>8} {:>6} {:>8} {:>10} {:>9} {:>9} {:>8} {:>3}",
            "case",
            "size",
            "cycles",
            "steps",
            "st/cyc",
            "T",
            "prove s",
            "cycles/s",
            "verify ms",
            "proof KB",
            "ok"
        );
        out += &format!(" {:>7}", "RSS MB");
        if baseline.is_some() {
            out += &format!(" {:>10} {:>6}", "base c/s", "ratio");
        }
        out += "\n";
        for r in &self.rows {
            out += &format!(
                "{:<18} {:>9} {:>10} {:>8} {:>6.2} {:>8} {:>10.3} {:>9.0} {:>9.1} {:>8.1} {:>3} {:>7.0}",
                r.name,
                r.size,
                r.cycles,
                r.steps,
                r.steps_per_cycle,
                r.trace_length,
                r.prove_s,
                r.cycles_per_s,
                r.verify_ms,
                r.proof_bytes as f64 / 1000.0,
                if r.verified { "yes" } else { "NO" },
                r.peak_rss_mb,
            );
            if baseline.is_some() {
                match old.get(&r.key()) {
                    Some(o) => {
                        out += &format!(
                            " {:>10.0} {:>5.2}x",
                            o.cycles_per_s,
                            r.cycles_per_s / o.cycles_per_s
                        )
                    }
                    None => out += &format!(" {:>10} {:>6}", "-", "-"),
                }
            }
            out += "\n";
        }
        out
    }

    /// Seconds per phase, one row per case.
    pub fn breakdown(&self) -> String {
        let names: Vec<String> = self
            .rows
            .first()
            .map(|r| r.phases.iter().map(|(p, _)| p.clone()).collect())
            .unwrap_or_default();
        let mut out = format!("{:<18} {:>9}", "case (seconds)", "size");
        for n in &names {
            out += &format!(" {:>12}", n.split(' ').next().unwrap_or(n));
        }
        out += "\n";
        for r in &self.rows {
            out += &format!("{:<18} {:>9}", r.name, r.size);
            for (_, secs) in &r.phases {
                out += &format!(" {:>12.3}", secs);
            }
            out += "\n";
        }
        out
    }

    /// Bytes per proof part, one block per case; with a baseline, its
    /// bytes for the parts of the same name.
    pub fn parts(&self, baseline: Option<&Report>) -> String {
        let old: HashMap<String, &Row> = baseline
            .map(|b| b.rows.iter().map(|r| (r.key(), r)).collect())
            .unwrap_or_default();
        let mut out = String::new();
        for r in &self.rows {
            let base = old.get(&r.key()).filter(|o| !o.proof_parts.is_empty());
            out += &format!(
                "{} {} (T = {}): proof bytes per part",
                r.name, r.size, r.trace_length
            );
            if base.is_some() {
                out += " (baseline → now)";
            }
            out += "\n";
            for (name, bytes) in &r.proof_parts {
                match base {
                    Some(b) => {
                        let was = b.proof_parts.iter().find(|(n, _)| n == name);
                        match was {
                            Some((_, w)) => out += &format!("  {name:<72} {w:>8} → {bytes:>8}\n"),
                            None => out += &format!("  {name:<72} {:>8} → {bytes:>8}\n", "-"),
                        }
                    }
                    None => out += &format!("  {name:<72} {bytes:>8}\n"),
                }
            }
            if let Some(b) = base {
                for (name, w) in &b.proof_parts {
                    if !r.proof_parts.iter().any(|(n, _)| n == name) {
                        out += &format!("  {name:<72} {w:>8} → {:>8}\n", "-");
                    }
                }
            }
            let total: usize = r.proof_parts.iter().map(|(_, b)| b).sum();
            out += &format!("  {:<72} {:>8}\n", "total", total);
        }
        out
    }

    /// Horizontal bars of cycles per second, one per row.
    pub fn svg(&self) -> String {
        let (bar_h, gap, left, width) = (22.0, 8.0, 190.0, 520.0);
        let max = self.rows.iter().map(|r| r.cycles_per_s).fold(1.0, f64::max);
        let height = 50.0 + self.rows.len() as f64 * (bar_h + gap);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
             <text x=\"10\" y=\"20\" font-size=\"14\">Cycles proved per second ({}, {} cores)</text>\n",
            left + width + 120.0,
            escape(&self.suite),
            self.machine.cores
        );
        for (k, r) in self.rows.iter().enumerate() {
            let y = 35.0 + k as f64 * (bar_h + gap);
            let w = width * r.cycles_per_s / max;
            let label = format!("{} ({})", r.name, r.size);
            s += &format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n\
                 <rect x=\"{left}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bar_h}\" fill=\"#4a7fb5\"/>\n\
                 <text x=\"{}\" y=\"{}\">{:.0}</text>\n",
                left - 8.0,
                y + bar_h * 0.7,
                escape(&label),
                left + w + 6.0,
                y + bar_h * 0.7,
                r.cycles_per_s
            );
        }
        s += "</svg>\n";
        s
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// This process's peak resident set (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|r| r.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
