//! Names the commit the executable is built from (`cairn --version`, the
//! `cairn_build_info` metric): `CAIRN_COMMIT` when set (a build from an archive),
//! else what git says, else "unknown". And says which built site the executable
//! embeds (src/site.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    embedded_site();
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

/// The site `./x build` makes: `CAIRN_SITE_DIR`, else `site` in the target
/// directory. A release build embeds it and is rebuilt when it changes; a debug
/// build reads it from there at run time. Before the first site is built, an empty
/// one stands in (the executable then serves pages without the browser bundle).
fn embedded_site() {
    println!("cargo:rerun-if-env-changed=CAIRN_SITE_DIR");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let site = match std::env::var("CAIRN_SITE_DIR") {
        Ok(dir) if !dir.is_empty() => PathBuf::from(dir),
        // OUT_DIR is <target>/<profile>/build/server-<hash>/out.
        _ => out
            .ancestors()
            .nth(4)
            .map(|target| target.join("site"))
            .unwrap_or_default(),
    };
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    if release {
        // A directory is scanned whole; a missing one reruns this until it exists.
        println!("cargo:rerun-if-changed={}", site.display());
    }
    let site = if site.join("pkg").is_dir() {
        site
    } else {
        let empty = out.join("no-site");
        std::fs::create_dir_all(&empty).expect("OUT_DIR is writable");
        empty
    };
    println!("cargo:rustc-env=CAIRN_SITE_EMBED={}", site.display());
}
