//! The guest builder: compiles a guest crate for `riscv32im-unknown-none-elf`
//! (or, when it uses std, for `riscv32im-risc0-zkvm-elf` with std built from
//! source) with a linker script generated from a [`MemoryLayout`], and
//! loads the ELF.
//!
//! The same `MemoryLayout` then drives the tracer, so guest and machine
//! agree on where input, output, the panic and termination words, the heap
//! and the stack are.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jolt_core::tracer::{
    ElfError, MemoryLayout, Program, RAM_BASE, STACK_BOTTOM_SYMBOL, STACK_TOP_SYMBOL,
};

/// The Rust target guests are compiled for.
pub const GUEST_TARGET: &str = "riscv32im-unknown-none-elf";

/// The Rust target std guests are compiled for: RV32IM with the platform
/// layer of std that the guest runtime provides. Tier 3: std is built from
/// the `rust-src` component (`-Zbuild-std`).
pub const GUEST_STD_TARGET: &str = "riscv32im-risc0-zkvm-elf";

/// The feature of `jolt-sdk` a guest crate enables to ask for std.
pub const GUEST_STD_FEATURE: &str = "guest-std";

/// Why a guest could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the Rust target {GUEST_TARGET} is missing and `rustup target add {GUEST_TARGET}` failed: {0}")]
    TargetMissing(String),
    #[error("the guest uses std, which is built from the Rust sources, and `rustup component add rust-src` failed: {0}")]
    RustSrcMissing(String),
    #[error("`cargo metadata` could not read the guest at {path}: {detail}")]
    Metadata { path: PathBuf, detail: String },
    #[error("could not run `{command}`: {source}")]
    Spawn {
        command: String,
        source: std::io::Error,
    },
    #[error("building the guest at {path} failed (cargo exited with {status}); see the compiler output above")]
    CargoFailed {
        path: PathBuf,
        status: std::process::ExitStatus,
    },
    #[error("cargo built no executable for the guest at {0}: is it a binary crate?")]
    NoExecutable(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the guest ELF {path} does not load: {source}")]
    Elf { path: PathBuf, source: ElfError },
    #[error("{0}: no `name = \"...\"` in its [package] section")]
    NoPackageName(PathBuf),
}

/// Builds one guest crate.
#[derive(Clone, Debug)]
pub struct GuestBuilder {
    manifest_dir: PathBuf,
    layout: MemoryLayout,
    target_dir: Option<PathBuf>,
    function: Option<String>,
    std: Option<bool>,
}

impl GuestBuilder {
    /// A builder for the guest crate whose `Cargo.toml` is in `manifest_dir`.
    pub fn new(manifest_dir: impl Into<PathBuf>) -> Self {
        GuestBuilder {
            manifest_dir: manifest_dir.into(),
            layout: MemoryLayout::default(),
            target_dir: None,
            function: None,
            std: None,
        }
    }

    /// Builds for [`GUEST_STD_TARGET`] (`true`) or [`GUEST_TARGET`]
    /// (`false`) whatever the guest's manifest says. Without it, a guest
    /// whose `jolt-sdk` dependency has feature `guest-std` is a std guest.
    pub fn std(mut self, std: bool) -> Self {
        self.std = Some(std);
        self
    }

    /// Whether the guest is built with std: as set by [`GuestBuilder::std`],
    /// else from its manifest: feature `guest-std` on its `jolt-sdk`
    /// dependency, or in its `default` feature (or, for a provable
    /// function's build, its `guest` feature) as `jolt/guest-std`.
    pub fn uses_std(&self) -> Result<bool, BuildError> {
        match self.std {
            Some(std) => Ok(std),
            None => manifest_asks_for_std(&self.manifest_dir, self.function.is_some()),
        }
    }

    /// Builds the entry of one `#[jolt::provable]` function of a guest
    /// *library* crate: a small binary crate (generated under the target
    /// directory) depends on the library with its `guest` feature and makes
    /// that function's entry the program's. Without it the crate itself
    /// must be a binary naming its entry with `jolt_sdk::entry!`.
    pub fn function(mut self, name: impl Into<String>) -> Self {
        self.function = Some(name.into());
        self
    }

    pub fn layout(mut self, layout: MemoryLayout) -> Self {
        self.layout = layout;
        self
    }

    /// Where cargo puts the guest's build (default: `target/` in the guest crate).
    pub fn target_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.target_dir = Some(dir.into());
        self
    }

    /// Compiles the guest and loads it for the tracer.
    pub fn build(&self) -> Result<Program, BuildError> {
        let path = self.build_elf()?;
        let bytes = std::fs::read(&path).map_err(|source| BuildError::Io {
            path: path.clone(),
            source,
        })?;
        Program::from_elf(&bytes, self.layout).map_err(|source| BuildError::Elf { path, source })
    }

    /// Compiles the guest and returns the path of its ELF.
    pub fn build_elf(&self) -> Result<PathBuf, BuildError> {
        let std = self.uses_std()?;
        let target = if std {
            ensure_rust_src(&self.manifest_dir)?;
            GUEST_STD_TARGET
        } else {
            ensure_target(&self.manifest_dir)?;
            GUEST_TARGET
        };
        let target_dir = self
            .target_dir
            .clone()
            .unwrap_or_else(|| self.manifest_dir.join("target"));
        std::fs::create_dir_all(&target_dir).map_err(|source| BuildError::Io {
            path: target_dir.clone(),
            source,
        })?;
        let l = &self.layout;
        let script = target_dir.join(format!(
            "jolt-{:x}-{:x}-{:x}-{:x}.ld",
            l.memory_size, l.stack_size, l.max_input_size, l.max_output_size
        ));
        // Unchanged scripts are not rewritten: a build running in parallel
        // may be linking with this one.
        write_if_changed(&script, &linker_script(l))?;

        let manifest_dir = match &self.function {
            Some(function) => self.write_entry_crate(&target_dir, function, std)?,
            None => self.manifest_dir.clone(),
        };
        let mut rustflags = vec![format!("-Clink-arg=-T{}", script.display())];
        let mut cargo = Command::new(cargo_program());
        cargo.current_dir(&manifest_dir).args([
            "build",
            "--release",
            "--message-format=json-render-diagnostics",
            "--target",
            target,
        ]);
        if std {
            // std for a tier-3 target is compiled here from rust-src; the
            // pinned stable toolchain accepts the unstable flags (and the
            // runtime's `alloc_error_hook`) with RUSTC_BOOTSTRAP. One hart:
            // atomics become plain loads and stores.
            cargo
                .args([
                    "-Zbuild-std=std,panic_abort",
                    "-Zbuild-std-features=compiler-builtins-mem",
                ])
                .env("RUSTC_BOOTSTRAP", "1");
            rustflags.push("-Cpasses=lower-atomic".into());
        }
        cargo
            .arg("--manifest-path")
            .arg(manifest_dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            // The host's own build settings must not leak into the guest build.
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET")
            .env_remove("CARGO_TARGET_DIR")
            .env("CARGO_ENCODED_RUSTFLAGS", rustflags.join("\x1f"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let output = cargo.output().map_err(|source| BuildError::Spawn {
            command: "cargo build".into(),
            source,
        })?;
        if !output.status.success() {
            return Err(BuildError::CargoFailed {
                path: self.manifest_dir.clone(),
                status: output.status,
            });
        }
        executable_from_messages(&output.stdout)
            .ok_or_else(|| BuildError::NoExecutable(self.manifest_dir.clone()))
    }

    /// Writes `<target>/jolt-entries/<function>/`: a binary crate whose
    /// `__jolt_main` calls the library's entry for `function` (no_std
    /// unless `std`). Returns its directory.
    fn write_entry_crate(
        &self,
        target_dir: &Path,
        function: &str,
        std: bool,
    ) -> Result<PathBuf, BuildError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| BuildError::Io { path, source }
        };
        let guest_manifest = self.manifest_dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&guest_manifest).map_err(io(&guest_manifest))?;
        let package =
            package_name(&text).ok_or_else(|| BuildError::NoPackageName(guest_manifest.clone()))?;
        let guest_dir =
            std::fs::canonicalize(&self.manifest_dir).map_err(io(&self.manifest_dir))?;
        let dir = target_dir.join("jolt-entries").join(function);
        std::fs::create_dir_all(dir.join("src")).map_err(io(&dir))?;
        let manifest = format!(
            "# Generated by the Jolt guest builder: the entry of `{function}`.\n\
             [package]\nname = \"jolt-entry-{function}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n\
             [dependencies]\nguest = {{ package = \"{package}\", path = {guest_dir:?}, features = [\"guest\"] }}\n\n\
             [profile.release]\nopt-level = 3\ncodegen-units = 1\nlto = true\npanic = \"abort\"\n",
            guest_dir = guest_dir.display().to_string(),
        );
        let no_std = if std { "" } else { "#![no_std]\n" };
        let main = format!(
            "{no_std}#![no_main]\n\n\
             #[no_mangle]\npub extern \"C\" fn __jolt_main() {{\n    guest::__jolt_entry_{function}();\n}}\n"
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        write_if_changed(&dir.join("src/main.rs"), &main)?;
        // Resolve dependencies as the guest crate does.
        let lock = self.manifest_dir.join("Cargo.lock");
        if lock.exists() && !dir.join("Cargo.lock").exists() {
            std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(io(&lock))?;
        }
        Ok(dir)
    }
}

/// Rewrites a file only when its contents change (keeps cargo's cache warm).
fn write_if_changed(path: &Path, contents: &str) -> Result<(), BuildError> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The `name` of a manifest's `[package]` section.
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(rest) = line.strip_prefix("name") {
                let value = rest.trim_start().strip_prefix('=')?.trim();
                return Some(value.trim_matches('"').to_string());
            }
        }
    }
    None
}

/// The last executable cargo reports in its JSON messages.
fn executable_from_messages(stdout: &[u8]) -> Option<PathBuf> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .next_back()
}

fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Whether the guest crate at `dir` asks for std (see
/// [`GuestBuilder::uses_std`]), read with `cargo metadata`.
fn manifest_asks_for_std(dir: &Path, provable_function: bool) -> Result<bool, BuildError> {
    let manifest = dir.join("Cargo.toml");
    let failed = |detail: String| BuildError::Metadata {
        path: dir.to_path_buf(),
        detail,
    };
    let output = Command::new(cargo_program())
        .current_dir(dir)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .stderr(Stdio::piped())
        .output()
        .map_err(|source| BuildError::Spawn {
            command: "cargo metadata".into(),
            source,
        })?;
    if !output.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ));
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| failed(e.to_string()))?;
    let manifest = std::fs::canonicalize(&manifest).map_err(|source| BuildError::Io {
        path: manifest.clone(),
        source,
    })?;
    let package = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| {
            p["manifest_path"]
                .as_str()
                .and_then(|m| std::fs::canonicalize(m).ok())
                .is_some_and(|m| m == manifest)
        })
        .ok_or_else(|| failed("the manifest's own package is not listed".into()))?;
    Ok(asks_for_std(package, provable_function))
}

/// [`manifest_asks_for_std`] on one package of `cargo metadata`'s output.
fn asks_for_std(package: &serde_json::Value, provable_function: bool) -> bool {
    let has_std = |features: &serde_json::Value| {
        features
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f == GUEST_STD_FEATURE))
    };
    let sdk: Vec<&serde_json::Value> = package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        // A normal dependency: not a dev- or build-dependency.
        .filter(|d| d["name"] == "jolt-sdk" && d["kind"].is_null())
        .collect();
    if sdk.iter().any(|d| has_std(&d["features"])) {
        return true;
    }
    let names: Vec<&str> = sdk
        .iter()
        .map(|d| d["rename"].as_str().unwrap_or("jolt-sdk"))
        .collect();
    let enabling = if provable_function {
        &["default", "guest"][..]
    } else {
        &["default"][..]
    };
    enabling.iter().any(|feature| {
        package["features"][feature]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str())
            .any(|f| {
                names.iter().any(|name| {
                    [
                        format!("{name}/{GUEST_STD_FEATURE}"),
                        format!("{name}?/{GUEST_STD_FEATURE}"),
                    ]
                    .iter()
                    .any(|e| e == f)
                })
            })
    })
}

/// The toolchain's sysroot, asked in `dir` so a `rust-toolchain.toml` there
/// picks the toolchain.
fn sysroot(dir: &Path) -> Result<PathBuf, BuildError> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(&rustc)
        .current_dir(dir)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|source| BuildError::Spawn {
            command: "rustc --print sysroot".into(),
            source,
        })?;
    Ok(PathBuf::from(
        String::from_utf8_lossy(&sysroot.stdout).trim(),
    ))
}

/// Makes sure the Rust sources std is built from are installed, adding the
/// `rust-src` component with rustup when they are missing.
fn ensure_rust_src(dir: &Path) -> Result<(), BuildError> {
    let present = || -> Result<bool, BuildError> {
        let library = sysroot(dir)?.join("lib/rustlib/src/rust/library/Cargo.lock");
        Ok(library.is_file())
    };
    // Checked under the lock: a tree another build is installing is not
    // complete yet.
    let _lock = rustup_lock();
    if present()? {
        return Ok(());
    }
    eprintln!("jolt: installing the rust-src component with rustup (std guests build std from it)");
    rustup(dir, &["component", "add", "rust-src"]).map_err(BuildError::RustSrcMissing)
}

/// Makes sure the guest target's standard library is installed, adding it
/// with rustup when it is missing.
fn ensure_target(dir: &Path) -> Result<(), BuildError> {
    let present = || -> Result<bool, BuildError> {
        let std_lib = sysroot(dir)?
            .join("lib/rustlib")
            .join(GUEST_TARGET)
            .join("lib");
        Ok(std_lib.is_dir())
    };
    // Checked under the lock: a tree another build is installing is not
    // complete yet.
    let _lock = rustup_lock();
    if present()? {
        return Ok(());
    }
    eprintln!("jolt: installing the Rust target {GUEST_TARGET} with rustup");
    rustup(dir, &["target", "add", GUEST_TARGET]).map_err(BuildError::TargetMissing)
}

/// One install at a time: guests built in parallel (tests, several
/// processes) would otherwise run rustup on the same component at once.
/// The lock is released when the file is dropped; without a lock file the
/// install runs unserialized.
fn rustup_lock() -> Option<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join("jolt-rustup.lock"))
        .ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Runs `rustup args` in `dir` (whose `rust-toolchain.toml` picks the
/// toolchain); the error is rustup's message.
fn rustup(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("rustup")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| format!("could not run rustup: {e}"))?;
    match out.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&out.stderr).trim().to_string()),
    }
}

/// The linker script for a layout: code and data from [`RAM_BASE`], the
/// stack directly above them (declared to the tracer by its two symbols),
/// the heap from the stack's top to the end of RAM, and the I/O symbols the
/// runtime uses. Everything a run touches is then one range from the I/O
/// region up to the highest heap byte in use, which is what the proof's
/// memory window covers.
pub fn linker_script(layout: &MemoryLayout) -> String {
    format!(
        r#"/* Generated by jolt-sdk's guest builder from the MemoryLayout. */
OUTPUT_ARCH(riscv)
ENTRY(_start)

MEMORY {{
  RAM (rwx) : ORIGIN = {ram_base:#x}, LENGTH = {memory_size:#x}
}}

SECTIONS {{
  .text : {{
    KEEP(*(.text.boot))
    *(.text .text.*)
  }} > RAM
  .rodata : ALIGN(8) {{
    *(.srodata .srodata.*)
    *(.rodata .rodata.*)
  }} > RAM
  .data : ALIGN(8) {{
    __global_pointer$ = . + 0x800;
    *(.sdata .sdata.*)
    *(.data .data.*)
  }} > RAM
  .bss (NOLOAD) : ALIGN(8) {{
    __bss_start = .;
    *(.sbss .sbss.*)
    *(.bss .bss.*)
    *(COMMON)
    . = ALIGN(4);
    __bss_end = .;
  }} > RAM
  .stack (NOLOAD) : ALIGN(16) {{
    {stack_bottom} = .;
    . += {stack_size:#x};
    . = ALIGN(16);
    {stack_top} = .;
  }} > RAM
  __jolt_heap_start = {stack_top};
  /DISCARD/ : {{ *(.eh_frame .eh_frame_hdr) }}
}}

__jolt_heap_end = {heap_end:#x};
__jolt_input_start = {input_start:#x};
__jolt_input_end = {input_end:#x};
__jolt_output_start = {output_start:#x};
__jolt_output_end = {output_end:#x};
__jolt_panic = {panic:#x};
__jolt_termination = {termination:#x};

ASSERT(__jolt_heap_start <= __jolt_heap_end, "the program image and its stack do not fit in memory_size: raise memory_size or lower stack_size")
"#,
        ram_base = RAM_BASE,
        memory_size = layout.memory_size,
        stack_bottom = STACK_BOTTOM_SYMBOL,
        stack_top = STACK_TOP_SYMBOL,
        stack_size = layout.stack_size,
        // Kept a 32-bit address when RAM reaches 2^32 (memory_size = 2 GiB).
        heap_end = layout.ram_end().min(u32::MAX as u64) & !15,
        input_start = layout.input_start(),
        input_end = layout.output_start(),
        output_start = layout.output_start(),
        output_end = layout.panic_address(),
        panic = layout.panic_address(),
        termination = layout.termination_address(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package as `cargo metadata` lists it: a jolt-sdk dependency
    /// (renamed `jolt`) with `features`, and the package's `features` map.
    fn package(sdk_features: &[&str], features: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "dependencies": [
                { "name": "serde", "rename": null, "features": ["guest-std"] },
                { "name": "jolt-sdk", "rename": "jolt", "features": sdk_features },
            ],
            "features": features,
        })
    }

    #[test]
    fn a_guest_asks_for_std_through_the_sdk_feature() {
        let none = serde_json::json!({ "guest": [], "host": ["jolt/host"] });
        // On the dependency itself.
        assert!(asks_for_std(&package(&["guest-std"], none.clone()), false));
        // Not at all: another crate's feature of the same name does not count.
        assert!(!asks_for_std(&package(&[], none.clone()), true));
        // Through the `guest` feature, which only a provable function's
        // build enables; through `default` always; by the dependency's name.
        let guest = serde_json::json!({ "guest": ["jolt/guest-std"] });
        assert!(asks_for_std(&package(&[], guest.clone()), true));
        assert!(!asks_for_std(&package(&[], guest), false));
        let default = serde_json::json!({ "default": ["jolt?/guest-std"] });
        assert!(asks_for_std(&package(&[], default), false));
        let unrenamed = serde_json::json!({ "guest": ["jolt-sdk/guest-std"] });
        assert!(!asks_for_std(&package(&[], unrenamed), true));
        // A dev-dependency's features are not the guest's.
        let mut dev = package(&[], none);
        dev["dependencies"][1]["kind"] = "dev".into();
        dev["dependencies"][1]["features"] = serde_json::json!(["guest-std"]);
        assert!(!asks_for_std(&dev, false));
    }
}
