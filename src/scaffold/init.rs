//! `vetrina init`: a small new site that builds and checks clean. Its files are the starter
//! files of `src/scaffold/starter/` (embedded with `include_str!`; `{today}`, `{event_day}`,
//! `{vetrina_version}` and `{rust_version}` filled in) and the default theme (embedded with
//! `include_bytes!`), with the publishing pipelines for GitLab and GitHub, which
//! `vetrina init --pipelines` also adds to an existing site. Nothing is ever overwritten.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::write_new;

/// Declares the default theme's files, embedded in the binary.
macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of `themes/default/` (path under it, bytes). A unit test fails if a file of the
/// folder is missing here.
pub const DEFAULT_THEME: &[(&str, &[u8])] = theme_files![
    "i18n/ar.yaml",
    "i18n/en.yaml",
    "i18n/fr.yaml",
    "i18n/it.yaml",
    "static/list-filters.js",
    "static/search.js",
    "static/share.png",
    "static/style.css",
    "templates/404.html",
    "templates/base.html",
    "templates/data.html",
    "templates/event-list.html",
    "templates/event.html",
    "templates/home.html",
    "templates/news-list.html",
    "templates/news.html",
    "templates/page.html",
    "templates/partials/eu-band.html",
    "templates/partials/eu-emblem.svg",
    "templates/partials/event-cards.html",
    "templates/partials/footer.html",
    "templates/partials/lang-switcher.html",
    "templates/partials/list-filters.html",
    "templates/partials/news-cards.html",
    "templates/partials/project-cards.html",
    "templates/partials/story-cards.html",
    "templates/project-list.html",
    "templates/project.html",
    "templates/region-list.html",
    "templates/region.html",
    "templates/search.html",
    "templates/story-list.html",
    "templates/story.html",
];

/// Creates a small new site in `dir` (must not exist or be empty): one language (it), one
/// project, one story, one event, the default theme; it builds and checks clean. Returns the
/// files written, relative to `dir`.
///
/// A folder holding only hidden entries (such as `.git`) counts as empty; nothing in it is
/// overwritten.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let shown = dir.display();
    if dir.exists() {
        if !dir.is_dir() {
            return Err(format!(
                "{shown} is a file, not a folder: give the name of a new folder for the site"
            ));
        }
        let entries: Vec<String> = fs::read_dir(dir)
            .map_err(|e| format!("cannot read the folder {shown}: {e}"))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let visible: Vec<&String> = entries.iter().filter(|n| !n.starts_with('.')).collect();
        if !visible.is_empty() {
            let mut v: Vec<&str> = visible.iter().map(|s| s.as_str()).collect();
            v.sort();
            let more = if v.len() > 3 { ", …" } else { "" };
            v.truncate(3);
            return Err(format!(
                "the folder {shown} is not empty (it holds {}{more}): a new site is only created in a new or empty folder, so that nothing is overwritten; give the name of a new folder",
                v.join(", ")
            ));
        }
    }
    let today =
        crate::options::today_from_env().unwrap_or_else(|_| jiff::ZonedDateTime::now().date());
    let files = site_files(today);
    fs::create_dir_all(dir).map_err(|e| format!("cannot create the folder {shown}: {e}"))?;
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if rel.starts_with('.') && path.exists() {
            // The folder's own `.gitignore`, `.gitlab-ci.yml` or `.github/`: kept as it is.
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create the folder {}: {e}", parent.display()))?;
        }
        write_new(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// The starter files of a new site, in the order they are written: (path in the new site,
/// text). Each text is the file of the same path under `src/scaffold/starter/`, except
/// `.gitignore`, kept there as `gitignore` so that git does not take it for that folder's own.
/// `{today}` and `{event_day}` in them are filled in by `site_files`.
const STARTER: &[(&str, &str)] = &[
    (".gitignore", include_str!("starter/gitignore")),
    ("site.yaml", include_str!("starter/site.yaml")),
    ("data/funds.yaml", include_str!("starter/data/funds.yaml")),
    (
        "data/organisations.yaml",
        include_str!("starter/data/organisations.yaml"),
    ),
    (
        "data/events/progetto-di-esempio.yaml",
        include_str!("starter/data/events/progetto-di-esempio.yaml"),
    ),
    (
        "content/_index.it.md",
        include_str!("starter/content/_index.it.md"),
    ),
    (
        "content/projects/progetto-di-esempio/index.it.md",
        include_str!("starter/content/projects/progetto-di-esempio/index.it.md"),
    ),
    (
        "content/stories/dall-orientamento-al-tirocinio-un-percorso-di-esempio/index.it.md",
        include_str!(
            "starter/content/stories/dall-orientamento-al-tirocinio-un-percorso-di-esempio/index.it.md"
        ),
    ),
    (
        "content/pages/privacy/index.it.md",
        include_str!("starter/content/pages/privacy/index.it.md"),
    ),
    (
        "content/pages/accessibility/index.it.md",
        include_str!("starter/content/pages/accessibility/index.it.md"),
    ),
];

/// The publishing pipelines (path in the site, text): for GitLab Pages and for GitHub Pages,
/// each checking merge requests, publishing the main branch and rebuilding daily. Kept in
/// `starter/` without their leading dot, so that neither GitLab nor an editor takes them for
/// Vetrina's own. `{vetrina_version}` and `{rust_version}` are filled in by `fill`.
const PIPELINES: &[(&str, &str)] = &[
    (PIPELINE_FILES[0].0, include_str!("starter/gitlab-ci.yml")),
    (
        PIPELINE_FILES[1].0,
        include_str!("starter/github/workflows/publish.yml"),
    ),
];

/// The publishing pipelines' files in a site, each with where it publishes.
pub const PIPELINE_FILES: [(&str, &str); 2] = [
    (".gitlab-ci.yml", "GitLab Pages"),
    (".github/workflows/publish.yml", "GitHub Pages"),
];

/// The version of Vetrina that the pipelines install: the one writing them.
pub const VETRINA_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Rust version of the pipelines' build image: the oldest that builds Vetrina (the
/// `rust-version` of its Cargo.toml).
pub const RUST_VERSION: &str = env!("CARGO_PKG_RUST_VERSION");

/// Fills in the marks of a starter file.
fn fill(text: &str, today: &str, event_day: &str) -> String {
    text.replace("{today}", today)
        .replace("{event_day}", event_day)
        .replace("{vetrina_version}", VETRINA_VERSION)
        .replace("{rust_version}", RUST_VERSION)
}

/// Writes the publishing pipelines (`.gitlab-ci.yml` and `.github/workflows/publish.yml`)
/// into the existing site in `dir`. Both are written, or neither: if either file is already
/// there, nothing is written and the error names it. Returns the files written, relative to
/// `dir`.
pub fn init_pipelines(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let shown = dir.display();
    if !dir.join("site.yaml").is_file() {
        return Err(format!(
            "no site.yaml in {shown}: `vetrina init --pipelines` adds the publishing files to an existing site; give the site's folder (the one that holds site.yaml), or create a new site with `vetrina init DIR`"
        ));
    }
    let present: Vec<&str> = PIPELINES
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| dir.join(rel).symlink_metadata().is_ok())
        .collect();
    if !present.is_empty() {
        return Err(format!(
            "{shown} already has {}: nothing was written, so that no file of yours is replaced; to take Vetrina's version, rename or move yours away, run the command again, then copy over what you need from yours",
            present.join(" and ")
        ));
    }
    let mut written = Vec::new();
    for (rel, text) in PIPELINES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create the folder {}: {e}", parent.display()))?;
        }
        write_new(&path, fill(text, "", "").as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// The files of a new site, in the order they are written.
fn site_files(today: Date) -> Vec<(String, Vec<u8>)> {
    // An upcoming example event, four weeks ahead, on a weekday.
    let mut event_day = today
        .checked_add(jiff::Span::new().days(28))
        .unwrap_or(today);
    while matches!(
        event_day.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    ) {
        match event_day.tomorrow() {
            Ok(d) => event_day = d,
            Err(_) => break,
        }
    }
    let (today, event_day) = (today.to_string(), event_day.to_string());
    let mut files: Vec<(String, Vec<u8>)> = STARTER
        .iter()
        .chain(PIPELINES)
        .map(|(path, text)| {
            let text = fill(text, &today, &event_day);
            (path.to_string(), text.into_bytes())
        })
        .collect();
    for (path, bytes) in DEFAULT_THEME {
        files.push((format!("themes/default/{path}"), bytes.to_vec()));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under themes/default must be embedded, with the same bytes.
    #[test]
    fn embedded_theme_lists_every_file_of_the_default_theme() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes")
            .join("default");
        let mut on_disk = Vec::new();
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e.unwrap();
            if !e.file_type().is_file() || e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            on_disk.push(rel);
        }
        let embedded: Vec<&str> = DEFAULT_THEME.iter().map(|(p, _)| *p).collect();
        let missing: Vec<&String> = on_disk
            .iter()
            .filter(|p| !embedded.contains(&p.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "files of themes/default missing from DEFAULT_THEME in src/scaffold/init.rs: {missing:?}"
        );
        let gone: Vec<&&str> = embedded
            .iter()
            .filter(|p| !on_disk.iter().any(|d| d == *p))
            .collect();
        assert!(gone.is_empty(), "embedded but no longer on disk: {gone:?}");
        for (p, bytes) in DEFAULT_THEME {
            assert_eq!(
                fs::read(dir.join(p)).unwrap(),
                *bytes,
                "{p} differs from the embedded copy"
            );
        }
    }

    /// Every file under src/scaffold/starter is written by `init`, with the same bytes (but for
    /// the dates filled in).
    #[test]
    fn starter_lists_every_file_of_the_starter_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scaffold/starter");
        let mut on_disk = Vec::new();
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&dir).unwrap();
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        let site = |asset: &str| match asset {
            "gitignore" | "gitlab-ci.yml" => format!(".{asset}"),
            a if a.starts_with("github/") => format!(".{a}"),
            a => a.to_string(),
        };
        let listed: Vec<&str> = STARTER.iter().chain(PIPELINES).map(|(p, _)| *p).collect();
        let mut want: Vec<String> = on_disk.iter().map(|a| site(a)).collect();
        want.sort();
        let mut got: Vec<String> = listed.iter().map(|p| p.to_string()).collect();
        got.sort();
        assert_eq!(
            got, want,
            "STARTER in src/scaffold/init.rs and the starter folder differ"
        );
        let today = jiff::civil::date(2026, 11, 25);
        let files = site_files(today);
        for asset in &on_disk {
            let text = fs::read_to_string(dir.join(asset)).unwrap();
            let want = text
                .replace("{today}", "2026-11-25")
                .replace("{event_day}", "2026-12-23")
                .replace("{vetrina_version}", VETRINA_VERSION)
                .replace("{rust_version}", RUST_VERSION);
            let (_, bytes) = files.iter().find(|(p, _)| *p == site(asset)).unwrap();
            assert_eq!(String::from_utf8_lossy(bytes), want, "{asset}");
        }
    }

    #[test]
    fn new_site_files_hold_the_whole_theme() {
        let files = site_files(jiff::civil::date(2026, 11, 25));
        for (p, _) in DEFAULT_THEME {
            let want = format!("themes/default/{p}");
            assert!(files.iter().any(|(f, _)| *f == want), "{want}");
        }
        let events = &files
            .iter()
            .find(|(f, _)| f == "data/events/progetto-di-esempio.yaml")
            .unwrap()
            .1;
        let events = String::from_utf8_lossy(events);
        assert!(events.contains("start: 2026-12-23T10:00"), "{events}");
        let saturday = site_files(jiff::civil::date(2026, 11, 28));
        let (_, events) = saturday
            .iter()
            .find(|(f, _)| f == "data/events/progetto-di-esempio.yaml")
            .unwrap();
        assert!(String::from_utf8_lossy(events).contains("start: 2026-12-28T10:00"));
        assert!(!files.iter().any(|(_, b)| {
            let t = String::from_utf8_lossy(b);
            [
                "{today}",
                "{event_day}",
                "{vetrina_version}",
                "{rust_version}",
            ]
            .iter()
            .any(|mark| t.contains(mark))
        }));
    }
}
