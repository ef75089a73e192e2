//! The translation report: for every page and language, whether it is translated, missing,
//! or outdated (its source-language file changed after the translation).
//!
//! When a file last changed comes from git history where the site is a git repository (a
//! checkout gives every file the same modification time), and from the file's modification
//! time for files git does not know or that have uncommitted changes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::UNIX_EPOCH;

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::model::{Entity, Site};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The original text, that the others translate.
    Source,
    Translated,
    /// The source changed after this translation was last changed.
    Outdated,
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Source => "source",
            Status::Translated => "translated",
            Status::Outdated => "outdated",
            Status::Missing => "missing",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Row {
    /// `projects/puoi`, `stories/<slug>`, `events/<id>`, `home`.
    pub page: String,
    pub statuses: BTreeMap<String, Status>,
}

#[derive(Debug, Default, Serialize)]
pub struct Totals {
    pub source: usize,
    pub translated: usize,
    pub outdated: usize,
    pub missing: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct TranslationReport {
    pub languages: Vec<String>,
    pub pages: Vec<Row>,
    pub totals: BTreeMap<String, Totals>,
    /// Where the change times came from: "git" or "file times".
    pub times_from: String,
}

impl TranslationReport {
    /// A table for people: one row per page, one column per language, then the counts.
    pub fn to_text(&self) -> String {
        let width = self
            .pages
            .iter()
            .map(|r| r.page.len())
            .max()
            .unwrap_or(4)
            .max(4)
            + 2;
        let mut out = format!("{:width$}", "page");
        for l in &self.languages {
            out.push_str(&format!("{l:12}"));
        }
        out = out.trim_end().to_string() + "\n";
        for r in &self.pages {
            let mut line = format!("{:width$}", r.page);
            for l in &self.languages {
                let s = r.statuses.get(l).map(|s| s.as_str()).unwrap_or("-");
                line.push_str(&format!("{s:12}"));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
        for l in &self.languages {
            let Some(t) = self.totals.get(l) else {
                continue;
            };
            let source = if t.source > 0 {
                format!("source of {}, ", t.source)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "{l}: {source}{} translated, {} outdated, {} missing\n",
                t.translated, t.outdated, t.missing
            ));
        }
        out.push_str(&format!("(change times from {})\n", self.times_from));
        out
    }
}

/// Builds the report for a validated site.
pub fn report(site: &Site, root: &Path, _diags: &mut Diagnostics) -> TranslationReport {
    let langs: Vec<String> = site.langs.iter().map(|l| l.code.clone()).collect();
    let mut files: Vec<PathBuf> = Vec::new();
    collect(&site.home, &mut files);
    collect_all(&site.projects, &mut files);
    collect_all(&site.stories, &mut files);
    collect_all(&site.news, &mut files);
    collect_all(&site.pages, &mut files);
    let (times, times_from) = change_times(root, &files);

    let mut pages = Vec::new();
    let mut entity_row = |page: String, docs: Vec<(&str, &Path)>| {
        let Some(&(source_lang, source_file)) = langs
            .iter()
            .find_map(|l| docs.iter().find(|(dl, _)| dl == l))
        else {
            return;
        };
        let source_time = times.get(source_file).copied().unwrap_or(0);
        let mut statuses = BTreeMap::new();
        for l in &langs {
            let st = match docs.iter().find(|(dl, _)| dl == l) {
                Some(_) if l == source_lang => Status::Source,
                Some((_, f)) if times.get(*f).copied().unwrap_or(0) < source_time => {
                    Status::Outdated
                }
                Some(_) => Status::Translated,
                None => Status::Missing,
            };
            statuses.insert(l.clone(), st);
        }
        pages.push(Row { page, statuses });
    };
    if let Some(h) = &site.home {
        entity_row("home".into(), docs_of(h));
    }
    for (section, list) in [
        (
            "projects",
            site.projects
                .iter()
                .map(|e| (e.key.as_str(), docs_of(e)))
                .collect::<Vec<_>>(),
        ),
        (
            "stories",
            site.stories
                .iter()
                .map(|e| (e.key.as_str(), docs_of(e)))
                .collect(),
        ),
        (
            "news",
            site.news
                .iter()
                .map(|e| (e.key.as_str(), docs_of(e)))
                .collect(),
        ),
        (
            "pages",
            site.pages
                .iter()
                .map(|e| (e.key.as_str(), docs_of(e)))
                .collect(),
        ),
    ] {
        for (key, docs) in list {
            entity_row(format!("{section}/{key}"), docs);
        }
    }
    // Events keep every language in one file: a title per language, never outdated.
    for e in &site.events {
        let mut statuses = BTreeMap::new();
        let source = langs.iter().find(|l| e.data.title.has(l)).cloned();
        for l in &langs {
            let st = if Some(l) == source.as_ref() {
                Status::Source
            } else if e.data.title.has(l) {
                Status::Translated
            } else {
                Status::Missing
            };
            statuses.insert(l.clone(), st);
        }
        pages.push(Row {
            page: format!("events/{}", e.id()),
            statuses,
        });
    }

    let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
    for r in &pages {
        for (l, s) in &r.statuses {
            let t = totals.entry(l.clone()).or_default();
            match s {
                Status::Translated => t.translated += 1,
                Status::Outdated => t.outdated += 1,
                Status::Missing => t.missing += 1,
                Status::Source => t.source += 1,
            }
        }
    }
    TranslationReport {
        languages: langs,
        pages,
        totals,
        times_from,
    }
}

fn docs_of<T>(e: &Entity<T>) -> Vec<(&str, &Path)> {
    e.docs
        .values()
        .map(|d| (d.lang.as_str(), d.src.path.as_path()))
        .collect()
}

fn collect<T>(e: &Option<Entity<T>>, out: &mut Vec<PathBuf>) {
    if let Some(e) = e {
        out.extend(e.docs.values().map(|d| d.src.path.clone()));
    }
}

fn collect_all<T>(list: &[Entity<T>], out: &mut Vec<PathBuf>) {
    for e in list {
        out.extend(e.docs.values().map(|d| d.src.path.clone()));
    }
}

/// When each file (relative to `root`) last changed, in seconds since 1970.
fn change_times(root: &Path, files: &[PathBuf]) -> (HashMap<PathBuf, i64>, String) {
    let mut times = HashMap::new();
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let in_git = git(&["rev-parse", "--is-inside-work-tree"]).is_some_and(|s| s.trim() == "true");
    let mut dirty: std::collections::HashSet<PathBuf> = Default::default();
    if in_git {
        // One pass over the history, newest first: the first time a file appears is its last
        // change.
        if let Some(log) = git(&[
            "log",
            "--format=@%ct",
            "--name-only",
            "--relative",
            "--",
            "content",
        ]) {
            let mut current = 0i64;
            for line in log.lines() {
                if let Some(t) = line.strip_prefix('@') {
                    current = t.trim().parse().unwrap_or(0);
                } else if !line.trim().is_empty() {
                    times.entry(PathBuf::from(line.trim())).or_insert(current);
                }
            }
        }
        for args in [
            &["diff", "--name-only", "--relative", "HEAD", "--", "content"][..],
            &[
                "ls-files",
                "--others",
                "--exclude-standard",
                "--",
                "content",
            ][..],
        ] {
            if let Some(out) = git(args) {
                dirty.extend(out.lines().filter(|l| !l.is_empty()).map(PathBuf::from));
            }
        }
    }
    for f in files {
        if !in_git || dirty.contains(f) || !times.contains_key(f) {
            let mtime = std::fs::metadata(root.join(f))
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            times.insert(f.clone(), mtime);
        }
    }
    let from = if in_git {
        "git history"
    } else {
        "file modification times"
    };
    (times, from.to_string())
}
