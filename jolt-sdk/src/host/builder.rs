//! The guest builder: compiles a guest crate for `riscv32im-unknown-none-elf`
//! with a linker script generated from a [`MemoryLayout`], and loads the ELF.
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

/// Why a guest could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the Rust target {GUEST_TARGET} is missing and `rustup target add {GUEST_TARGET}` failed: {0}")]
    TargetMissing(String),
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
}

impl GuestBuilder {
    /// A builder for the guest crate whose `Cargo.toml` is in `manifest_dir`.
    pub fn new(manifest_dir: impl Into<PathBuf>) -> Self {
        GuestBuilder {
            manifest_dir: manifest_dir.into(),
            layout: MemoryLayout::default(),
            target_dir: None,
            function: None,
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
        ensure_target(&self.manifest_dir)?;
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
        std::fs::write(&script, linker_script(l)).map_err(|source| BuildError::Io {
            path: script.clone(),
            source,
        })?;

        let manifest_dir = match &self.function {
            Some(function) => self.write_entry_crate(&target_dir, function)?,
            None => self.manifest_dir.clone(),
        };
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo
            .current_dir(&manifest_dir)
            .args([
                "build",
                "--release",
                "--message-format=json-render-diagnostics",
                "--target",
                GUEST_TARGET,
            ])
            .arg("--manifest-path")
            .arg(manifest_dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            // The host's own build settings must not leak into the guest build.
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET")
            .env_remove("CARGO_TARGET_DIR")
            .env(
                "CARGO_ENCODED_RUSTFLAGS",
                format!("-Clink-arg=-T{}", script.display()),
            )
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
    /// `__jolt_main` calls the library's entry for `function`. Returns its
    /// directory.
    fn write_entry_crate(&self, target_dir: &Path, function: &str) -> Result<PathBuf, BuildError> {
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
        let main = format!(
            "#![no_std]\n#![no_main]\n\n\
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

/// Makes sure the guest target's standard library is installed, adding it
/// with rustup when it is missing. Runs in `dir` so a `rust-toolchain.toml`
/// there picks the toolchain.
fn ensure_target(dir: &Path) -> Result<(), BuildError> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(&rustc)
        .current_dir(dir)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|source| BuildError::Spawn {
            command: "rustc --print sysroot".into(),
            source,
        })?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if sysroot
        .join("lib/rustlib")
        .join(GUEST_TARGET)
        .join("lib")
        .is_dir()
    {
        return Ok(());
    }
    eprintln!("jolt: installing the Rust target {GUEST_TARGET} with rustup");
    let added = Command::new("rustup")
        .current_dir(dir)
        .args(["target", "add", GUEST_TARGET])
        .output()
        .map_err(|e| BuildError::TargetMissing(format!("could not run rustup: {e}")))?;
    if added.status.success() {
        Ok(())
    } else {
        Err(BuildError::TargetMissing(
            String::from_utf8_lossy(&added.stderr).trim().to_string(),
        ))
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
