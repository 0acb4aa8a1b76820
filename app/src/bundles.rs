//! The browser bundles, declared once: which islands each one ships and which
//! pages load it. Most pages load the common bundle; the tree page and the
//! writing pages load larger ones, so a visit to the front page never downloads
//! the cascade tree's or the editor's code.
//!
//! Everything else follows from this file. The build script includes it and sets
//! one `island_<name>` cfg per island for the builds that ship it, which the
//! island's attributes read; `tools/build.sh` builds one wasm per `hydrate-*`
//! feature of `Cargo.toml`, each from its crate in `bundles/`; the page shell
//! asks [`Bundle::for_path`] which one a page loads. Tests check the features, the islands in the source and the
//! islands on every rendered page against this table.
//!
//! No dependencies: the build script compiles it on its own.

/// A browser bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Every page's islands: check-in forms, search, live meters.
    Common,
    /// The tree page: the common islands and the cascade tree.
    Tree,
    /// The writing pages (objective editor, grading, import): the common
    /// islands and the writing forms.
    Write,
}

/// Each island, by its component's name, and the bundle that ships it. A common
/// island ships in every bundle.
pub const ISLANDS: &[(&str, Bundle)] = &[
    ("CheckInForm", Bundle::Common),
    ("SearchBox", Bundle::Common),
    ("LiveMeters", Bundle::Common),
    ("InboxCount", Bundle::Common),
    ("CascadeTree", Bundle::Tree),
    ("ObjectiveEditor", Bundle::Write),
    ("GradeForm", Bundle::Write),
    ("UnitGradeSheet", Bundle::Write),
    ("ImportForm", Bundle::Write),
];

impl Bundle {
    pub const ALL: [Bundle; 3] = [Bundle::Common, Bundle::Tree, Bundle::Write];

    /// Its name beyond the common one: `cairn-tree.js`, the Cargo feature
    /// `hydrate-tree`. None for the common bundle (`cairn.js`, `hydrate`).
    pub const fn suffix(self) -> Option<&'static str> {
        match self {
            Bundle::Common => None,
            Bundle::Tree => Some("tree"),
            Bundle::Write => Some("write"),
        }
    }

    /// Whether a build of this bundle holds the island's code.
    pub fn ships(self, island: Bundle) -> bool {
        island == Bundle::Common || island == self
    }

    /// The bundle a page loads, by its path.
    pub fn for_path(path: &str) -> Bundle {
        let objective_form = path.starts_with("/objectives/")
            && (path.ends_with("/edit") || path.ends_with("/grade"));
        let unit_sheet = path.starts_with("/units/") && path.ends_with("/grade");
        if path == "/tree" || path.starts_with("/tree/") {
            Bundle::Tree
        } else if path == "/objectives/new"
            || path == "/admin/import"
            || objective_form
            || unit_sheet
        {
            Bundle::Write
        } else {
            Bundle::Common
        }
    }
}

/// Whether the page's links and forms go through the islands router (which
/// fetches the next page and patches the document). The router sends a form as
/// text fields only: a page with a file upload, or a form whose buttons each say
/// what to do, loads and submits as a plain document; links into it load it in
/// full (rel=external).
pub fn routed(path: &str) -> bool {
    !matches!(path, "/admin/sheets" | "/admin/export")
}

/// The bundle an island ships in, by its component's name.
pub fn island_bundle(name: &str) -> Option<Bundle> {
    ISLANDS
        .iter()
        .find(|(island, _)| *island == name)
        .map(|&(_, bundle)| bundle)
}

/// The cfg an island's attributes read: `CascadeTree` → `island_cascade_tree`.
pub fn island_cfg(name: &str) -> String {
    let mut cfg = String::from("island");
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            cfg.push('_');
        }
        cfg.push(c.to_ascii_lowercase());
    }
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn source(dir: &Path, files: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                source(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path.display().to_string(), text));
            }
        }
    }

    /// The islands in the source, by name, with the cfg their attributes read.
    fn islands_in_source() -> Vec<(String, String)> {
        let mut files = Vec::new();
        source(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut found = Vec::new();
        for (path, text) in files {
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let line = line.trim();
                assert!(
                    line != "#[island]" && !line.starts_with("#[island("),
                    "{path}:{}: an island names its cfg (`#[cfg_attr(island_<name>, island)]`), \
                     so that its bundle is the one declared in bundles.rs",
                    i + 1
                );
                let Some(cfg) = line
                    .strip_prefix("#[cfg_attr(")
                    .and_then(|rest| rest.strip_suffix(", island)]"))
                else {
                    continue;
                };
                let name = lines[i + 1..]
                    .iter()
                    .find_map(|l| l.trim().strip_prefix("pub fn "))
                    .and_then(|rest| rest.split(['(', '<']).next())
                    .unwrap_or_else(|| {
                        panic!("{path}:{}: an island attribute on no function", i + 1)
                    });
                found.push((name.to_string(), cfg.to_string()));
            }
        }
        found
    }

    #[test]
    fn every_island_is_declared_once_and_reads_its_own_cfg() {
        let found = islands_in_source();
        for (name, cfg) in &found {
            assert!(
                island_bundle(name).is_some(),
                "the island {name} is in no bundle: add it to ISLANDS"
            );
            assert_eq!(*cfg, island_cfg(name), "{name} reads another island's cfg");
        }
        for (name, _) in ISLANDS {
            let times = found.iter().filter(|(n, _)| n == name).count();
            assert_eq!(
                times, 1,
                "{name} is declared in ISLANDS; the source has it {times} times"
            );
        }
    }

    /// tools/build.sh builds one wasm per `hydrate-*` feature: exactly the bundles here.
    #[test]
    fn the_cargo_features_are_the_bundles() {
        let manifest = include_str!("../Cargo.toml");
        let mut features: Vec<&str> = manifest
            .lines()
            .filter_map(|line| line.strip_prefix("hydrate-"))
            .filter_map(|rest| rest.split(' ').next())
            .collect();
        features.sort();
        let mut bundles: Vec<&str> = Bundle::ALL.iter().filter_map(|b| b.suffix()).collect();
        bundles.sort();
        assert_eq!(features, bundles);
        for line in manifest.lines().filter(|l| l.starts_with("hydrate-")) {
            assert!(
                line.ends_with("= [\"hydrate\"]"),
                "a bundle feature adds islands, nothing else: {line}"
            );
        }
    }

    /// Each bundle is a crate in bundles/ that links the app with the bundle's features.
    #[test]
    fn each_bundle_has_its_crate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bundles");
        let mut crates: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        crates.sort();
        let mut expected: Vec<String> = Bundle::ALL
            .iter()
            .map(|b| b.suffix().unwrap_or("common").to_string())
            .collect();
        expected.sort();
        assert_eq!(crates, expected, "one crate in bundles/ per bundle");
        for bundle in Bundle::ALL {
            let folder = bundle.suffix().unwrap_or("common");
            let manifest = std::fs::read_to_string(root.join(folder).join("Cargo.toml")).unwrap();
            assert!(
                manifest.contains(&format!("name = \"bundle-{folder}\"")),
                "bundles/{folder} is the package bundle-{folder}"
            );
            let features = match bundle.suffix() {
                Some(suffix) => format!("features = [\"hydrate\", \"hydrate-{suffix}\"]"),
                None => "features = [\"hydrate\"]".to_string(),
            };
            assert!(
                manifest.contains(&features),
                "bundles/{folder} links the app with {features}"
            );
        }
    }

    #[test]
    fn pages_load_their_bundle() {
        let cases = [
            ("/", Bundle::Common),
            ("/mine", Bundle::Common),
            ("/objectives/12", Bundle::Common),
            ("/tree", Bundle::Tree),
            ("/objectives/new", Bundle::Write),
            ("/objectives/12/edit", Bundle::Write),
            ("/objectives/12/grade", Bundle::Write),
            ("/admin/import", Bundle::Write),
            ("/admin/people", Bundle::Common),
        ];
        for (path, bundle) in cases {
            assert_eq!(Bundle::for_path(path), bundle, "{path}");
        }
        assert!(Bundle::Tree.ships(Bundle::Common));
        assert!(!Bundle::Tree.ships(Bundle::Write));
        assert!(!Bundle::Common.ships(Bundle::Tree));
        assert_eq!(island_cfg("CascadeTree"), "island_cascade_tree");
        assert!(routed("/admin/people"));
        assert!(!routed("/admin/sheets"));
        assert!(!routed("/admin/export"));
    }
}
