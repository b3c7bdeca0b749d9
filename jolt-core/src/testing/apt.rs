//! Tools the tests need from Debian's packages (qemu-user, redis-server),
//! installed with apt-get when missing, so a fresh machine runs the tests
//! with nothing installed by hand.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `command`, if `command --version` runs; otherwise installs `package`
/// with apt-get (updating the package lists if the first try fails) and
/// checks again. The error says what is missing and how to get it.
pub fn command_or_install(command: &str, package: &str) -> Result<PathBuf, String> {
    let works = || {
        Command::new(command)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works() {
        return Ok(PathBuf::from(command));
    }
    eprintln!("{command} is missing: installing Debian's {package} with apt-get");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let install = ["install", "-y", "-qq", package];
    let installed = apt(&install) || (apt(&["update", "-qq"]) && apt(&install));
    if installed && works() {
        Ok(PathBuf::from(command))
    } else {
        Err(format!(
            "{command} is not installed and `apt-get install -y {package}` did not provide it; \
             install it and run the tests again"
        ))
    }
}
