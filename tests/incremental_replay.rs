//! Rebuilds after random edits are full builds: a seeded sequence of edits of the kinds
//! authors make (a story's text, title, summary, date, region or project; a story added,
//! deleted, made a draft; a project's title, an event's title, a page, a news item, the
//! site's settings; a mistake and its fix) is applied to a copy of the demo site, and after
//! each edit both ways of building again are compared with a build into an empty folder,
//! file for file and byte for byte:
//! - `vetrina serve`'s builder (what it keeps in memory, its search index made after the
//!   pages, as serve makes and writes it), told what changed as serve's file watcher tells
//!   it (the files written or removed; everything, when a folder was made);
//! - `vetrina build` into the same output again (what the last build left in its cache
//!   folder and in the output).
//!
//! `cargo test` replays a short sequence; `.ci/run` replays longer ones with other seeds
//! (`VETRINA_REPLAY_STEPS`, `VETRINA_REPLAY_SEEDS`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// A small, seeded generator (xorshift64*): the same seed gives the same edits.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const REGIONS: &[&str] = &[
    "puglia",
    "lombardia",
    "lazio",
    "sicilia",
    "piemonte",
    "veneto",
];
const PROJECTS: &[&str] = &["puoi", "prima-il-lavoro", "faro", "parti"];

/// The folders of the site's stories, by name.
fn stories(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("content/stories"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_') && !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The Markdown files of a folder of `content/` (one per language).
fn texts(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// Sets the front-matter key `key` (a line of its own) of the file to `value`, written as
/// it is; the key is added after the first line when the file does not have it.
fn set_key(file: &Path, key: &str, value: &str) {
    let text = fs::read_to_string(file).unwrap();
    let end = text[4..].find("\n---").map_or(text.len(), |p| p + 4);
    let (front, body) = text.split_at(end);
    let prefix = format!("{key}: ");
    let mut found = false;
    let mut lines: Vec<String> = front
        .lines()
        .map(|l| {
            if !found && l.starts_with(&prefix) {
                found = true;
                format!("{prefix}{value}")
            } else {
                l.to_string()
            }
        })
        .collect();
    if !found {
        lines.insert(1, format!("{prefix}{value}"));
    }
    fs::write(file, format!("{}{body}", lines.join("\n"))).unwrap();
}

/// Removes the front-matter line of `key`, if the file has one.
fn remove_key(file: &Path, key: &str) {
    let text = fs::read_to_string(file).unwrap();
    let prefix = format!("\n{key}: ");
    if let Some(at) = text.find(&prefix) {
        let end = text[at + 1..].find('\n').map_or(text.len(), |p| at + 1 + p);
        fs::write(file, format!("{}{}", &text[..at], &text[end..])).unwrap();
    }
}

fn append(file: &Path, text: &str) {
    let mut s = fs::read_to_string(file).unwrap();
    s.push_str(text);
    fs::write(file, s).unwrap();
}

/// Applies the edit numbered `n` of the sequence to the site; returns what it did, for the
/// messages. An edit that would leave the site without a story of its kind does another.
fn edit_site(root: &Path, rng: &mut Rng, n: usize) -> String {
    let all = stories(root);
    let story = root.join("content/stories").join(rng.pick(&all));
    let story_name = story.file_name().unwrap().to_string_lossy().into_owned();
    let files = texts(&story);
    let one = rng.pick(&files).clone();
    let one_name = one.file_name().unwrap().to_string_lossy().into_owned();
    match rng.below(18) {
        0 | 1 => {
            append(&one, &format!("\nUna frase di prova numero {n}.\n"));
            format!("a sentence added to {story_name}/{one_name}")
        }
        2 => {
            set_key(&one, "title", &format!("\"Titolo di prova {n}\""));
            format!("the title of {story_name}/{one_name}")
        }
        3 => {
            set_key(
                &one,
                "summary",
                &format!("\"Una sintesi di prova, numero {n}.\""),
            );
            format!("the summary of {story_name}/{one_name}")
        }
        4 => {
            let date = format!(
                "20{}-0{}-1{}",
                20 + rng.below(5),
                1 + rng.below(9),
                rng.below(10)
            );
            files.iter().for_each(|f| set_key(f, "date", &date));
            format!("the date of {story_name}: {date}")
        }
        5 => {
            let region = *rng.pick(REGIONS);
            files.iter().for_each(|f| set_key(f, "region", region));
            format!("the region of {story_name}: {region}")
        }
        6 => {
            let project = *rng.pick(PROJECTS);
            files.iter().for_each(|f| set_key(f, "project", project));
            format!("the project of {story_name}: {project}")
        }
        7 if all.len() > 2 => {
            fs::remove_dir_all(&story).unwrap();
            format!("{story_name} deleted")
        }
        7 | 8 => {
            let new = root.join(format!("content/stories/storia-di-prova-{n}"));
            copy(&story, &new);
            for f in texts(&new) {
                set_key(&f, "title", &format!("\"Una nuova storia, numero {n}\""));
            }
            format!("a story added, copied from {story_name}")
        }
        9 => {
            // Made a draft, or published again.
            let draft = fs::read_to_string(&files[0])
                .unwrap()
                .contains("\ndraft: true");
            for f in &files {
                if draft {
                    remove_key(f, "draft");
                } else {
                    set_key(f, "draft", "true");
                }
            }
            format!(
                "{story_name} {}",
                if draft {
                    "published again"
                } else {
                    "made a draft"
                }
            )
        }
        10 => {
            let project = rng.pick(PROJECTS);
            let file = root.join(format!("content/projects/{project}/index.it.md"));
            set_key(&file, "title", &format!("\"Progetto rinominato {n}\""));
            format!("the Italian title of the project {project}")
        }
        11 => {
            let file = root.join("data/events/puoi.yaml");
            let s = fs::read_to_string(&file).unwrap();
            let at = s.find("    it: \"").unwrap() + "    it: \"".len();
            fs::write(&file, format!("{}Evento {n}: {}", &s[..at], &s[at..])).unwrap();
            "the Italian title of the first PUOI event".to_string()
        }
        12 => {
            let page = *rng.pick(&[
                "pages/about",
                "pages/contacts",
                "news/puoi-duemila-nuovi-percorsi",
            ]);
            let folder = root.join("content").join(page);
            let file = rng.pick(&texts(&folder)).clone();
            append(&file, &format!("\nUn paragrafo aggiunto, numero {n}.\n"));
            format!(
                "a paragraph added to {}",
                file.strip_prefix(root).unwrap().display()
            )
        }
        13 => {
            edit(
                root,
                "site.yaml",
                "title:\n  it: \"",
                &format!("title:\n  it: \"{n} "),
            );
            "the site's Italian title".to_string()
        }
        14 => {
            // Another story's picture, under this story's cover's name.
            let others: Vec<&String> = all.iter().filter(|s| **s != story_name).collect();
            let other = *rng.pick(&others);
            let cover = root.join("content/stories").join(other).join("cover.jpg");
            fs::copy(cover, story.join("cover.jpg")).unwrap();
            format!("the cover of {story_name} replaced by that of {other}")
        }
        15 => {
            edit(
                root,
                "themes/default/templates/partials/footer.html",
                "<footer class=\"site-footer\">",
                &format!("<footer class=\"site-footer\"><p>Nota {n}</p>"),
            );
            "the footer template".to_string()
        }
        16 => {
            write(
                root,
                "data/i18n/it.yaml",
                &format!("nav_news: \"Notizie {n}\"\n"),
            );
            "an interface string overridden in data/i18n/it.yaml".to_string()
        }
        _ => {
            // A mistake, then its fix; the fix is the step's edit.
            let before = fs::read_to_string(&one).unwrap();
            set_key(&one, "date", "\"il cinque ottobre\"");
            mistake_fails(root);
            fs::write(&one, &before).unwrap();
            append(&one, &format!("\nCorretto al passo {n}.\n"));
            format!("a wrong date in {story_name}/{one_name}, then fixed")
        }
    }
}

/// The site's own files (not the outputs or caches the test makes), with their bytes, and
/// its folders, by path relative to the site.
fn sources(root: &Path) -> (BTreeMap<PathBuf, Vec<u8>>, BTreeSet<PathBuf>) {
    fn walk(
        root: &Path,
        dir: &Path,
        files: &mut BTreeMap<PathBuf, Vec<u8>>,
        dirs: &mut BTreeSet<PathBuf>,
    ) {
        for e in fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            if top.starts_with("public") || top.starts_with(".cache") {
                continue;
            }
            if path.is_dir() {
                dirs.insert(rel);
                walk(root, &path, files, dirs);
            } else {
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let (mut files, mut dirs) = (BTreeMap::new(), BTreeSet::new());
    walk(root, root, &mut files, &mut dirs);
    (files, dirs)
}

/// What serve's file watcher would report between two states of the site: the files
/// written or removed, and the folders removed; `None` (everything is read again) when a
/// folder was made, as serve does.
fn watched(
    before: &(BTreeMap<PathBuf, Vec<u8>>, BTreeSet<PathBuf>),
    after: &(BTreeMap<PathBuf, Vec<u8>>, BTreeSet<PathBuf>),
) -> Option<Vec<PathBuf>> {
    if after.1.difference(&before.1).next().is_some() {
        return None;
    }
    let mut changed: Vec<PathBuf> = before.1.difference(&after.1).cloned().collect();
    for (path, bytes) in &after.0 {
        if before.0.get(path) != Some(bytes) {
            changed.push(path.clone());
        }
    }
    changed.extend(
        before
            .0
            .keys()
            .filter(|p| !after.0.contains_key(*p))
            .cloned(),
    );
    Some(changed)
}

/// Builds the site as the test's two builders do, asserting that both fail and leave
/// their outputs as they were.
fn mistake_fails(root: &Path) {
    let served = tree(&root.join("public"));
    let built = tree(&root.join("public-build"));
    let mut b = vetrina::Builder::new(serve_opts(root));
    let (r, _) = b.build_pages();
    assert!(!r.ok(), "a wrong date fails the build");
    let r = vetrina::build(&build_opts(root));
    assert!(!r.ok(), "a wrong date fails the build");
    assert!(
        served == tree(&root.join("public")),
        "the served output is untouched"
    );
    assert!(
        built == tree(&root.join("public-build")),
        "the built output is untouched"
    );
}

/// Options as `vetrina serve` gives its builder (the editor's local back end), with a cache
/// folder of its own.
fn serve_opts(root: &Path) -> vetrina::BuildOptions {
    let mut o = opts(root);
    o.cms_local_backend = true;
    o.cache_dir = Some(root.join(".cache-serve"));
    o
}

/// Options of `vetrina build` into `public-build`, with the same settings and a cache
/// folder of its own.
fn build_opts(root: &Path) -> vetrina::BuildOptions {
    let mut o = serve_opts(root);
    o.output = Some(root.join("public-build"));
    o.cache_dir = Some(root.join(".cache-build"));
    o
}

/// Both builders' outputs hold what a build into an empty folder gives.
fn assert_both_fresh(root: &Path, fresh_cache: &Path, step: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let mut o = serve_opts(root);
    o.output = Some(fresh.path().join("public"));
    o.cache_dir = Some(fresh_cache.to_path_buf());
    let r = vetrina::build(&o);
    assert!(r.ok(), "{step}: {}", rendered(&r));
    let full = tree(&fresh.path().join("public"));
    for (name, out) in [("serve", "public"), ("build", "public-build")] {
        let got = tree(&root.join(out));
        let names =
            |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<BTreeSet<_>>();
        let (got_names, full_names) = (names(&got), names(&full));
        let extra: Vec<_> = got_names.difference(&full_names).collect();
        let missing: Vec<_> = full_names.difference(&got_names).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "{step}: {name} has files a full build does not make: {extra:?}; it lacks: {missing:?}"
        );
        for ((p, a), (_, b)) in got.iter().zip(&full) {
            assert!(
                a == b,
                "{step}: {name}'s {} differs from a full build",
                p.display()
            );
        }
    }
}

fn replay(seed: u64, steps: usize) {
    let t = demo_copy();
    let root = t.path();
    // Two stories a list page: lists over several pages, each with its file of cards.
    edit(
        root,
        "site.yaml",
        "stories_per_page: 12",
        "stories_per_page: 2",
    );
    let fresh_cache = tempfile::tempdir().unwrap();
    let mut rng = Rng(seed.max(1));
    let mut served = vetrina::Builder::new(serve_opts(root));
    let mut done = Vec::new();
    for n in 0..=steps {
        if n > 0 {
            let before = sources(root);
            done.push(edit_site(root, &mut rng, n));
            served.forget(watched(&before, &sources(root)).as_deref());
        }
        let (r, job) = served.build_pages();
        let step = format!("seed {seed}, after {}", done.join("; "));
        assert!(r.ok(), "{step}: {}", rendered(&r));
        let mut job = job.expect("a search job");
        served.ready(&mut job);
        job.index(&|| false)
            .expect("an index")
            .write()
            .expect("the index written");
        let r = vetrina::build(&build_opts(root));
        assert!(r.ok(), "{step}: {}", rendered(&r));
        assert_both_fresh(root, fresh_cache.path(), &step);
    }
}

/// The seeds and the number of steps: a short sequence by default, longer in `.ci/run`.
fn plan() -> (Vec<u64>, usize) {
    let steps = std::env::var("VETRINA_REPLAY_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let seeds = std::env::var("VETRINA_REPLAY_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![20261207, 3]);
    (seeds, steps)
}

#[test]
fn rebuilds_after_random_edits_are_full_builds() {
    let (seeds, steps) = plan();
    for seed in seeds {
        replay(seed, steps);
    }
}
