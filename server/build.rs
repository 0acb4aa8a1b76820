//! Names the commit the executable is built from (`cairn --version`, the
//! `cairn_build_info` metric): `CAIRN_COMMIT` when set (a build from an archive),
//! else what git says, else "unknown".

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=CAIRN_COMMIT");
    let commit = std::env::var("CAIRN_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=CAIRN_COMMIT={}", commit.trim());
}

fn git_commit() -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself (detached) or the branch it names.
    let git_dir = Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())?;
    // Only files that exist: cargo would rerun this for a missing one every time.
    let git_dir = Path::new(&git_dir);
    let head = git_dir.join("HEAD");
    let mut watched = vec![head.clone(), git_dir.join("packed-refs")];
    if let Ok(text) = std::fs::read_to_string(&head)
        && let Some(reference) = text.trim().strip_prefix("ref: ")
    {
        watched.push(git_dir.join(reference));
    }
    for file in watched.iter().filter(|file| file.is_file()) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    Some(String::from_utf8_lossy(&output.stdout).to_string())
}
