//! The shape of the code, as ARCHITECTURE.md draws it: imports run one way through the
//! layers below (no circle, nothing imports a module of a higher layer), no file of `src/`
//! is over 900 lines, and `main.rs` only parses, calls and prints.
//!
//! The check reads the source: every `crate::…` path of a module of the library (in `use`
//! lines and in code, doc comments aside) names the top module it reaches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's top modules by layer, lowest first. A module may use modules of lower
/// layers and its own submodules, nothing else; the crate root's re-exports are for the
/// command line and the tests, not for the library itself.
const LAYERS: &[(&str, &[&str])] = &[
    ("diagnostics", &["diag"]),
    (
        "shared pieces",
        &[
            "fileio",
            "options",
            "picture_kind",
            "report",
            "timings",
            "tree",
            "weburl",
        ],
    ),
    ("load", &["load"]),
    ("model", &["model"]),
    ("plan", &["plan"]),
    (
        "images, write, search, the no-change record, the CMS admin and the open data",
        &["admin", "images", "write", "search", "stamp", "opendata"],
    ),
    ("render", &["render"]),
    ("the pipeline", &["pipeline"]),
    ("the builder of `vetrina serve`", &["builder"]),
    (
        "commands",
        &["consents", "scaffold", "serve", "takedown", "translations"],
    ),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&module))
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top module a file of `src/` belongs to (`render/views/story.rs` → `render`); `None`
/// for the crate root and for the binary's own files (`main.rs`, `cli/`).
fn module_of(rel: &Path) -> Option<String> {
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    let name = first.trim_end_matches(".rs").to_string();
    (!matches!(name.as_str(), "lib" | "main" | "cli")).then_some(name)
}

/// The top modules named by `crate::` paths in `text`, doc and line comments left out.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c, d::{e, f}}`: the first name of each item at depth 0.
                let mut depth = 0;
                let mut at_item_start = true;
                let mut name = String::new();
                for ch in group.chars() {
                    match ch {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            at_item_start = true;
                            continue;
                        }
                        _ => {}
                    }
                    if at_item_start && depth == 0 {
                        if ch.is_alphanumeric() || ch == '_' {
                            name.push(ch);
                            continue;
                        } else if !name.is_empty() {
                            found.insert(std::mem::take(&mut name));
                            at_item_start = false;
                        }
                    }
                }
                if !name.is_empty() {
                    found.insert(name);
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        }
    }
    // Multi-line groups: `use crate::{\n a,\n b,\n};` — read the whole statement.
    let mut rest = text;
    while let Some(i) = rest.find("use crate::{") {
        rest = &rest[i + "use crate::{".len()..];
        let end = rest.find("};").unwrap_or(rest.len());
        let mut depth = 0;
        let mut item = String::new();
        for ch in rest[..end].chars() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.insert(name);
                    }
                    item.clear();
                    continue;
                }
                _ => {}
            }
            if depth == 0 {
                item.push(ch);
            }
        }
        let name: String = item
            .trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

#[test]
fn imports_run_one_way_through_the_layers() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src()).unwrap();
        let Some(module) = module_of(rel) else {
            continue;
        };
        let Some(own) = layer_of(&module) else {
            problems.push(format!(
                "src/{}: module `{module}` is in no layer of LAYERS",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        for target in crate_paths(&text) {
            if target == module {
                continue;
            }
            edges
                .entry(module.clone())
                .or_default()
                .insert(target.clone());
            match layer_of(&target) {
                None => problems.push(format!(
                    "src/{}: `crate::{target}` is not a module of a layer (name the module that defines it)",
                    rel.display()
                )),
                Some(l) if l >= own => problems.push(format!(
                    "src/{}: `{module}` ({}) imports `{target}` ({}), a layer not below its own",
                    rel.display(),
                    LAYERS[own].0,
                    LAYERS[l].0
                )),
                Some(_) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nimports found:\n{edges:#?}",
        problems.join("\n")
    );
    // The check reads what it should: these imports exist.
    assert!(
        edges["render"].contains("plan") && edges["model"].contains("load"),
        "{edges:#?}"
    );
}

#[test]
fn the_reader_of_imports_sees_every_form() {
    let text = "use crate::a::B;\nuse crate::{c, d::{E, F}, g};\nuse crate::{\n    h::I,\n    j,\n};\nlet x = crate::k::l();\n// crate::m is a comment\n/// `crate::n` is a doc\n";
    let found: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(found, ["a", "c", "d", "g", "h", "j", "k"]);
}

#[test]
fn no_file_holds_more_than_one_job() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for f in &files {
        let lines = std::fs::read_to_string(f).unwrap().lines().count();
        let rel = f.strip_prefix(src()).unwrap();
        let limit = if rel == Path::new("main.rs") {
            200
        } else {
            900
        };
        if lines > limit {
            long.push(format!(
                "src/{}: {lines} lines (at most {limit})",
                rel.display()
            ));
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}
