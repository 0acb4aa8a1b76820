//! Generates the `i18n` module from the translation files in `locales/`.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
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
