//! `Keys::with_redis`: a provable function proven through a Redis job
//! stream by two workers (in this process, as threads) against a real
//! `redis-server` on a free loopback port (docs/cluster.md). The proof is
//! the same chain `prove_*` makes here, and verifies the same way.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jolt_cluster::local::LocalRedis;
use jolt_cluster::{Worker, WorkerOptions};
use sdk_guest::*;

#[test]
fn a_provable_function_proves_through_redis() {
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for name in ["a", "b"] {
            let mut options = WorkerOptions::new(name);
            options.poll = Duration::from_millis(200);
            let mut worker = Worker::connect(&url, options).unwrap();
            let stop = &stop;
            scope.spawn(move || worker.run(stop));
        }
        let v: Vec<u32> = (1..=200).collect();
        let keys = preprocess_tracked(&compile_tracked().unwrap())
            .unwrap()
            .with_segment_log_steps(9)
            .unwrap()
            .with_redis(url.clone())
            // The test's own bound: a run that hangs fails instead.
            .with_redis_timeout(Duration::from_secs(240));
        let (expected, _) = execute_tracked(v.clone()).unwrap();
        let result = prove_tracked(&keys, v.clone());
        stop.store(true, Ordering::Relaxed);
        let (sum, proof) = result.unwrap();
        assert_eq!(sum, expected);
        assert!(proof.segments() > 1, "{} segments", proof.segments());
        verify_tracked(keys.verifier_key(), v.clone(), sum, &proof).unwrap();
        assert!(verify_tracked(keys.verifier_key(), v, sum + 1, &proof).is_err());
    });
}
