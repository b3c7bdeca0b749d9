//! `--quick` runs of both suites: the JSON has its shape (machine
//! description, one row per case with every figure) and every proof
//! verified; the baseline comparison and the SVG chart are produced. No
//! timing is asserted.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_benches"))
        .args(args)
        .output()
        .expect("the benches binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn check(report: &serde_json::Value, suite: &str, rows: usize) {
    assert_eq!(report["suite"], suite);
    assert_eq!(report["quick"], true);
    let machine = &report["machine"];
    assert!(machine["cpu"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(machine["cores"].as_u64().is_some_and(|n| n >= 1));
    assert!(machine["memory_gb"].as_f64().is_some_and(|m| m > 0.0));
    assert!(machine["git_commit"].is_string());
    let rows_json = report["rows"].as_array().expect("rows");
    assert_eq!(rows_json.len(), rows);
    for row in rows_json {
        assert_eq!(row["verified"], true, "{row}");
        for field in ["size", "cycles", "steps", "trace_length", "proof_bytes"] {
            assert!(row[field].as_u64().is_some_and(|v| v > 0), "{field}: {row}");
        }
        for field in [
            "prove_s",
            "cycles_per_s",
            "verify_ms",
            "peak_rss_mb",
            "steps_per_cycle",
        ] {
            assert!(
                row[field].as_f64().is_some_and(|v| v > 0.0),
                "{field}: {row}"
            );
        }
        // Quick runs fit one segment: T pads the whole run.
        assert_eq!(row["segments"], 1, "{row}");
        assert!(row["steps"].as_u64() <= row["trace_length"].as_u64());
        let (steps, cycles) = (
            row["steps"].as_f64().unwrap(),
            row["cycles"].as_f64().unwrap(),
        );
        let steps_per_cycle = row["steps_per_cycle"].as_f64().unwrap();
        assert!((steps_per_cycle - steps / cycles).abs() < 1e-9, "{row}");
        let phases: Vec<&str> = row["phases"]
            .as_array()
            .expect("phases")
            .iter()
            .map(|p| p[0].as_str().unwrap())
            .collect();
        assert_eq!(
            phases,
            [
                "trace",
                "witness",
                "commit",
                "memory checking",
                "instruction lookups",
                "R1CS",
                "opening",
                "verify"
            ]
        );
    }
}

#[test]
fn quick_runs_report_verified_proofs() {
    let dir = std::env::temp_dir().join(format!("benches-quick-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();

    let table = run(&[
        "instructions",
        "--quick",
        "--json",
        &path("i.json"),
        "--svg",
        &path("i.svg"),
    ]);
    assert!(
        table.contains("div-rem") && table.contains("cycles/s"),
        "{table}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("i.json")).unwrap()).unwrap();
    check(&report, "instructions", 14);
    let svg = std::fs::read_to_string(path("i.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.matches("<rect").count() == 14);

    // Two classes against the first run as a baseline: a ratio per row.
    let table = run(&[
        "instructions",
        "--quick",
        "--class",
        "mul",
        "--class",
        "branches",
        "--baseline",
        &path("i.json"),
        "--json",
        &path("i2.json"),
    ]);
    assert!(
        table.contains("ratio") && table.matches('x').count() >= 2,
        "{table}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("i2.json")).unwrap()).unwrap();
    check(&report, "instructions", 2);

    let table = run(&[
        "programs",
        "--quick",
        "--json",
        &path("p.json"),
        "--breakdown",
    ]);
    assert!(
        table.contains("case (seconds)") && table.contains("opening"),
        "{table}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("p.json")).unwrap()).unwrap();
    check(&report, "programs", 8);

    // A case built for another memory_size is named for it.
    run(&[
        "programs",
        "--case",
        "collatz:10:1M",
        "--json",
        &path("m.json"),
    ]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("m.json")).unwrap()).unwrap();
    assert_eq!(report["rows"][0]["name"], "collatz@1M");
    assert_eq!(report["rows"][0]["verified"], true);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_class_is_an_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_benches"))
        .args(["instructions", "--class", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown class"));
}
