//! A Redis server on this machine for tests and the benchmark harness
//! (feature `local`): `redis-server` from Debian's package, installed
//! with apt-get when missing, on a free loopback port, without
//! persistence, stopped when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const REDIS_SERVER: &str = "redis-server";

/// Finds `redis-server`, installing Debian's `redis-server` package with
/// apt-get when it is missing. Computed once per process.
pub fn redis_server() -> Result<PathBuf, String> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| jolt_core::testing::apt::command_or_install(REDIS_SERVER, "redis-server"))
        .clone()
}

/// A `redis-server` process on a free loopback port.
pub struct LocalRedis {
    child: Child,
    port: u16,
}

impl LocalRedis {
    /// Starts a server and waits (at most 10 s) until it answers.
    pub fn start() -> Result<Self, String> {
        let binary = redis_server()?;
        // A port the kernel just handed out and took back: free unless
        // another process grabs it in between (then the ping fails).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free loopback port: {e}"))?
            .port();
        let child = Command::new(binary)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{REDIS_SERVER}: {e}"))?;
        let server = LocalRedis { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let pong = redis::Client::open(server.url())
                .and_then(|c| c.get_connection())
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            match pong {
                Ok(_) => return Ok(server),
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Err(e) => return Err(format!("redis-server on port {port} did not answer: {e}")),
            }
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for LocalRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
