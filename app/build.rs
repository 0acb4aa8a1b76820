//! Generates the `i18n` module from the translation files in `locales/`, and
//! sets each island's `island_<name>` cfg for the builds that ship it (see
//! `src/bundles.rs`).

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

#[path = "src/bundles.rs"]
#[allow(dead_code)]
mod bundles;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    island_cfgs();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);

    // English is the fallback for any key a translation lacks.
    // interpolate_display: translated strings with values can also become plain
    // strings, for attributes such as aria-label and the page title.
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("en")?.add_locale("nl")?.parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}

/// An island is a real island in the server build and in the browser builds
/// whose bundle ships it; everywhere else it is a plain component, so the pages
/// that use it still compile.
fn island_cfgs() {
    println!("cargo::rerun-if-changed=src/bundles.rs");
    let feature = |name: &str| {
        std::env::var_os(format!(
            "CARGO_FEATURE_{}",
            name.to_uppercase().replace('-', "_")
        ))
        .is_some()
    };
    let ssr = feature("ssr");
    let built = bundles::Bundle::ALL
        .into_iter()
        .find(|bundle| match bundle.suffix() {
            Some(suffix) => feature(&format!("hydrate-{suffix}")),
            None => false,
        });
    let built = built.unwrap_or(bundles::Bundle::Common);
    for &(name, bundle) in bundles::ISLANDS {
        let cfg = bundles::island_cfg(name);
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if ssr || (feature("hydrate") && built.ships(bundle)) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
