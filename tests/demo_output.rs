//! The demo site's published output, file by file, against a stored digest
//! (`tests/demo-output.digest`): a change of the code that is not meant to change what the
//! site publishes (a refactoring, an optimisation) must leave every byte as it was.
//!
//! When a change is meant to alter the output (new demo content, a template change), look at
//! the difference the failure prints, then write the new digest with
//! `VETRINA_UPDATE_DIGEST=1 cargo test --test demo_output` and commit it with the change.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

const DIGEST: &str = "tests/demo-output.digest";

/// Every file under `dir` (but Vetrina's own marker) by its path, with the BLAKE3 hash of
/// its bytes.
fn digests(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == ".vetrina-output" {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        out.insert(rel, blake3::hash(&bytes).to_hex().to_string());
    }
    out
}

#[test]
fn the_demo_publishes_the_same_bytes_as_recorded() {
    let site = demo_copy();
    let out = tempfile::tempdir().unwrap();
    let mut o = opts(site.path());
    // As published: minified, the build date fixed.
    o.minify = None;
    o.output = Some(out.path().join("public"));
    let report = vetrina::build(&o);
    assert!(report.ok(), "{}", rendered(&report));
    let now = digests(&out.path().join("public"));
    let text: String = now.iter().map(|(p, h)| format!("{h}  {p}\n")).collect();
    let stored_path = demo_root().join(DIGEST);
    if std::env::var_os("VETRINA_UPDATE_DIGEST").is_some() {
        std::fs::write(&stored_path, &text).unwrap();
        return;
    }
    let stored_text = std::fs::read_to_string(&stored_path).unwrap_or_default();
    let stored: BTreeMap<String, String> = stored_text
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(h, p)| (p.to_string(), h.to_string()))
        .collect();
    let mut differences = Vec::new();
    for (p, h) in &now {
        match stored.get(p) {
            None => differences.push(format!("new file:     {p}")),
            Some(s) if s != h => differences.push(format!("changed:      {p}")),
            _ => {}
        }
    }
    for p in stored.keys().filter(|p| !now.contains_key(*p)) {
        differences.push(format!("missing file: {p}"));
    }
    assert!(
        differences.is_empty(),
        "the demo's output differs from {DIGEST} in {} files:\n{}\n\
         If the change is meant, run VETRINA_UPDATE_DIGEST=1 cargo test --test demo_output",
        differences.len(),
        differences.join("\n")
    );
}
