//! Load: walk the site on disk and read its sources into memory.
//!
//! This is the only stage (besides `write`) that touches the disk. Every file it reads comes
//! through `walk` (an ordinary file inside the site folder, reached without a link); links,
//! unreadable, empty, oversized and non-UTF-8 files and control characters are reported as
//! diagnostics. It splits Markdown files into front matter and body and interprets nothing
//! else: that is `model`'s job.
//!
//! The theme is read in a second step (`theme`), once `model::config` has read its name from
//! site.yaml: load never imports `model`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::diag::{Diagnostics, Pos, SourceText, unknown_help};

mod front_matter;
mod memo;
mod read;
pub mod snapshot;
mod text_prints;
mod walk;

pub use read::{inside_site_folder, read_site_file, read_text};

use front_matter::FRONT_MATTER_LINE;
pub(crate) use front_matter::split_front_matter;
use memo::MemoFile;
pub use memo::{Memo, Released};
pub use snapshot::{Snapshot, Walked};
pub use text_prints::{TextPrints, text_prints};
use walk::SiteRoot;
#[cfg(test)]
use walk::walk_sorted;

/// The content sections Vetrina knows, by their folder name under `content/`.
pub const SECTIONS: [&str; 4] = ["projects", "stories", "news", "pages"];

/// Everything read from a site folder.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    pub config: Option<SourceText>,
    pub content: Vec<Arc<ContentFile>>,
    /// Files beside the Markdown in a bundle (images, PDFs), by bundle.
    pub assets: Vec<Asset>,
    pub funds: Option<SourceText>,
    pub organisations: Option<SourceText>,
    pub events: Vec<SourceText>,
    pub indicators: Vec<SourceText>,
    pub i18n_overrides: Vec<SourceText>,
}

/// The files of the theme in use.
#[derive(Debug, Default)]
pub struct Theme {
    pub name: String,
    /// Templates by name (their path under `templates/`, with `/`).
    pub templates: Vec<(String, SourceText)>,
    pub i18n: Vec<SourceText>,
    /// Static files: (path under `static/`, with `/`; published path; absolute path).
    /// Stylesheets and scripts are published under a name carrying a hash of their content
    /// (`style.3f2a9c1e.css`), so browsers may cache them for ever.
    pub statics: Vec<(String, String, PathBuf)>,
}

/// One Markdown file: `content/<section>/<key>/index.<lang>.md` or `content/_index.<lang>.md`.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// `projects`, `stories`, `news`, `pages`, or `home` for `_index.<lang>.md`.
    pub section: String,
    pub key: String,
    pub lang: String,
    pub src: SourceText,
    /// Where the front matter is in the file's text.
    pub fm_range: std::ops::Range<usize>,
    /// 1-based line of the first front-matter line in the file.
    pub fm_line: usize,
    /// Byte offset of the body in the file, to turn Markdown offsets into lines.
    pub body_offset: usize,
    /// Its [`TextPrints`], made once (shared with the documents made from it, and taken
    /// from the source snapshot with a text recalled from there).
    pub prints: Arc<std::sync::OnceLock<TextPrints>>,
}

impl ContentFile {
    /// Its [`TextPrints`].
    pub fn prints(&self) -> TextPrints {
        *(self.prints).get_or_init(|| text_prints(&self.src.path, &self.src.text, self.body_offset))
    }

    /// The same file with its text let go, if it holds one: the text is read again the
    /// first time it is asked for, and checked against the file's prints (a file found
    /// changed is recorded in `late`; see `snapshot::read_late`). `vetrina serve` keeps its
    /// files so from one build to the next, rather than every text of the site.
    pub fn released(&self, root: &Path, late: &Arc<snapshot::LateReads>) -> Option<ContentFile> {
        if !self.src.text.is_held() {
            return None;
        }
        let prints = self.prints();
        let path = root.join(&self.src.path);
        Some(ContentFile {
            section: self.section.clone(),
            key: self.key.clone(),
            lang: self.lang.clone(),
            src: SourceText {
                path: self.src.path.clone(),
                text: snapshot::read_late(root, &path, prints, self.body_offset, late.clone()),
            },
            fm_range: self.fm_range.clone(),
            fm_line: self.fm_line,
            body_offset: self.body_offset,
            prints: self.prints.clone(),
        })
    }

    /// What the source snapshot keeps of it for the next build.
    pub fn known(&self) -> snapshot::Known {
        snapshot::Known {
            prints: self.prints(),
            fm_range: self.fm_range.clone(),
            body_offset: self.body_offset,
        }
    }

    pub fn front_matter(&self) -> &str {
        &self.src.text[self.fm_range.clone()]
    }
    #[cfg(test)]
    pub fn body(&self) -> &str {
        &self.src.text[self.body_offset..]
    }
}

/// A file beside a bundle's Markdown, published next to the page.
#[derive(Debug, Clone)]
pub struct Asset {
    pub section: String,
    pub key: String,
    /// File name inside the bundle (may include subfolders, with `/`).
    pub name: String,
    pub abs: PathBuf,
}

/// Reads the site at `root`. Problems are pushed to `diags`; what could be read is returned.
/// A Markdown file that `snapshot` holds as it is now is taken from there, not read
/// (`vetrina build`; `serve` keeps its reads in `memo`).
pub fn load(
    root: &Path,
    diags: &mut Diagnostics,
    mut memo: Option<&mut Memo>,
    snapshot: Option<&Snapshot>,
) -> Sources {
    let mut s = Sources::default();
    let canon_root = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            diags.file_error(
                root,
                format!("cannot open the site folder: {e}"),
                "check the path given with --root (it must be the folder that holds site.yaml)",
            );
            return s;
        }
    };

    let site = SiteRoot {
        given: root,
        canonical: canon_root,
    };
    let config_path = root.join("site.yaml");
    if exists(&config_path) {
        if site.check(&config_path, diags) {
            s.config = read_text(root, &config_path, diags);
        }
    } else {
        diags.file_error(
            Path::new("site.yaml"),
            "this folder has no site.yaml, so it is not a Vetrina site",
            "run the command in the site's folder, give it with --root DIR, or create a new site with `vetrina init DIR`",
        );
        return s;
    }

    let data = root.join("data");
    for (name, slot) in [
        ("funds.yaml", &mut s.funds),
        ("organisations.yaml", &mut s.organisations),
    ] {
        let p = data.join(name);
        if exists(&p) && site.check(&p, diags) {
            *slot = read_text(root, &p, diags);
        }
    }
    s.events = read_yaml_dir(&site, &data.join("events"), diags);
    s.indicators = read_yaml_dir(&site, &data.join("indicators"), diags);
    s.i18n_overrides = read_yaml_dir(&site, &data.join("i18n"), diags);

    let content = root.join("content");
    if exists(&content) {
        let reuse_walk = memo.as_deref().is_some_and(|m| m.walk_holds(&content));
        let (files, assets, walk_diags) = match memo.as_deref_mut().and_then(|m| m.walk.take()) {
            Some(w) if reuse_walk => w,
            _ => {
                let mut d = Diagnostics::new();
                // The files the no-change check's walk saw, when it saw nothing but files
                // and folders there: not walked again.
                let walked = snapshot.and_then(Snapshot::content_files);
                let (files, assets) = match walked {
                    Some(walked) if site.check(&content, &mut d) => {
                        let paths = walked.iter().map(|rel| content.join(rel));
                        classify_content(root, &content, paths, &mut d)
                    }
                    Some(_) => Default::default(),
                    None => {
                        let paths = (site.files(&content, usize::MAX, &mut d).into_iter())
                            .map(walkdir::DirEntry::into_path);
                        classify_content(root, &content, paths, &mut d)
                    }
                };
                (files, assets, d)
            }
        };
        diags.extend(walk_diags.clone());
        s.assets = assets.clone();
        // The same walk, and the memo's reads in its order (`vetrina serve`, a few files
        // edited): only the edited files are read, and nothing is looked up by path.
        if reuse_walk
            && let Some(m) = memo.as_deref_mut()
            && m.reads.len() == files.len()
        {
            let mut reads = std::mem::take(&mut m.reads);
            for edited in m.hint.take().unwrap_or_default() {
                let Some(i) = memo::position_of(&files, &edited) else {
                    continue;
                };
                let (path, section, key, lang) = &files[i];
                let (cf, d, stamp) =
                    read_content_file(root, path, section, key, lang, file_stamp(path));
                if let Some(file) = MemoFile::of(stamp, &cf, &d) {
                    m.files.insert(path.clone(), file);
                }
                reads[i] = (cf, d);
            }
            for (cf, d) in &reads {
                diags.extend(d.clone());
                s.content.extend(cf.clone());
            }
            m.reads = reads;
            m.walk = Some((files, assets, walk_diags));
        } else {
            let old = memo.as_deref();
            // What was read, what reading reported, and the file's size and time.
            type Read = (
                Option<Arc<ContentFile>>,
                Diagnostics,
                Option<(u64, SystemTime)>,
            );
            let results: Vec<Read> = files
                .par_iter()
                .map(|(path, section, key, lang)| {
                    let seen = old.and_then(|o| o.files.get(path));
                    if reuse_walk && let Some(m) = seen {
                        // Not among the files the watcher saw change.
                        return (m.read.clone(), m.diags.clone(), Some((m.len, m.modified)));
                    }
                    if let Some(s) = snapshot
                        && let Some(rel) = rel_key(root, path)
                        && let Some(known) = s.recall(&rel)
                    {
                        // Not read: its text is read if anything asks for it.
                        let cf = ContentFile {
                            section: section.clone(),
                            key: key.clone(),
                            lang: lang.clone(),
                            src: SourceText {
                                path: rel_path(root, path),
                                text: s.late_text(root, path, &known),
                            },
                            fm_range: known.fm_range,
                            fm_line: FRONT_MATTER_LINE,
                            body_offset: known.body_offset,
                            prints: Arc::new(std::sync::OnceLock::from(known.prints)),
                        };
                        return (Some(Arc::new(cf)), Diagnostics::new(), None);
                    }
                    // Only `serve` keeps sizes and times: a build reads without a look first.
                    let stamp = old.and_then(|_| file_stamp(path));
                    if let (Some(m), Some((len, modified))) = (seen, stamp)
                        && m.len == len
                        && m.modified == modified
                    {
                        return (m.read.clone(), m.diags.clone(), stamp);
                    }
                    read_content_file(root, path, section, key, lang, stamp)
                })
                .collect();
            let mut next = rustc_hash::FxHashMap::default();
            let mut reads = Vec::with_capacity(if memo.is_some() { files.len() } else { 0 });
            for ((path, ..), (cf, d, stamp)) in files.iter().zip(results) {
                if memo.is_some() {
                    if let Some(file) = MemoFile::of(stamp, &cf, &d) {
                        next.insert(path.clone(), file);
                    }
                    reads.push((cf.clone(), d.clone()));
                }
                diags.extend(d);
                s.content.extend(cf);
            }
            if let Some(m) = memo {
                m.files = next;
                m.reads = reads;
                m.walk = Some((files, assets, walk_diags));
                m.hint = None;
            }
        }
        // The walk's order is nearly always this order already: checked before sorting.
        fn order(a: &ContentFile) -> (&str, &str, &str) {
            (&a.section, &a.key, &a.lang)
        }
        if !s.content.is_sorted_by(|a, b| order(a) <= order(b)) {
            s.content.sort_by(|a, b| order(a).cmp(&order(b)));
        }
    }
    s
}

/// A file's size and time, for `serve`'s memo.
fn file_stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// A Markdown file of `content/` read and split: what it holds, what reading it reported,
/// and `stamp` as given: for `serve`'s memo, its size and time, taken before it is read so
/// that an edit while reading is seen by the next build.
fn read_content_file(
    root: &Path,
    path: &Path,
    section: &str,
    key: &str,
    lang: &str,
    stamp: Option<(u64, SystemTime)>,
) -> (
    Option<Arc<ContentFile>>,
    Diagnostics,
    Option<(u64, SystemTime)>,
) {
    let mut d = Diagnostics::new();
    let cf = read_text(root, path, &mut d)
        .and_then(|src| split_front_matter(src, section, key, lang, &mut d))
        .map(Arc::new);
    (cf, d, stamp)
}

/// Whether something is at `path` (a file, a folder, or a link, broken or not).
fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Reads the theme `name` (site.yaml's `theme`, as `model::config` read it: load never
/// interprets site.yaml itself). `config` is site.yaml's text, to point at the `theme:` line
/// when the name is not a plain folder name of themes/ or names no theme there.
pub(crate) fn theme(
    root: &Path,
    name: &str,
    config: Option<&SourceText>,
    diags: &mut Diagnostics,
) -> Theme {
    let Ok(canonical) = root.canonicalize() else {
        // `load` has reported that the site folder cannot be opened.
        return Theme::default();
    };
    let site = SiteRoot {
        given: root,
        canonical,
    };
    let name = name.to_string();
    let mut theme = Theme {
        name: name.clone(),
        ..Default::default()
    };
    let src = || {
        config
            .cloned()
            .unwrap_or_else(|| SourceText::new("site.yaml", ""))
    };
    // A folder name of themes/, never a path: `../../x` would load templates from anywhere.
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !plain {
        let src = src();
        let pos = src.find_key(1, "theme:").unwrap_or(Pos::new(1, 1, 1));
        diags
            .error(&src, pos, format!("`{name}` is not a theme name"))
            .help("write the name of a folder in themes/ (letters, digits, `-` and `_`), like `theme: default`");
        return theme;
    }
    let dir = root.join("themes").join(&name);
    if !dir.is_dir() {
        let known: Vec<String> = std::fs::read_dir(root.join("themes"))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let src = src();
        let pos = src.find_key(1, "theme:").unwrap_or(Pos::new(1, 1, 1));
        diags
            .error(&src, pos, format!("there is no theme `{name}` in themes/"))
            .help(unknown_help(
                "themes",
                &name,
                known.iter().map(String::as_str),
            ));
        return theme;
    }
    if !site.check(&dir, diags) {
        return theme;
    }
    theme.templates = read_templates(&site, &dir.join("templates"), diags);
    theme.i18n = read_yaml_dir(&site, &dir.join("i18n"), diags);
    theme.statics = read_statics(&site, &dir.join("static"), diags);
    // The site's own `templates/`, `i18n/` and `static/` override the theme's files of the
    // same name (Zola's and Hugo's convention): an agency changes one template without
    // copying the theme. What is read from there carries its own path, so a problem in it
    // names the site's file, not the theme's.
    for (name, src) in read_templates(&site, &root.join("templates"), diags) {
        match theme.templates.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = src,
            None => theme.templates.push((name, src)),
        }
    }
    for src in read_yaml_dir(&site, &root.join("i18n"), diags) {
        let name = src.path.file_name().map(|n| n.to_os_string());
        match theme
            .i18n
            .iter_mut()
            .find(|t| t.path.file_name().map(|n| n.to_os_string()) == name)
        {
            Some(slot) => *slot = src,
            None => theme.i18n.push(src),
        }
    }
    for file in read_statics(&site, &root.join("static"), diags) {
        match theme.statics.iter_mut().find(|(rel, _, _)| *rel == file.0) {
            Some(slot) => *slot = file,
            None => theme.statics.push(file),
        }
    }
    theme
}

/// The folders of a site whose files a build reads (beside `site.yaml`): what the no-change
/// check looks at and `vetrina serve` watches.
pub(crate) const SOURCE_FOLDERS: [&str; 6] =
    ["content", "data", "themes", "templates", "i18n", "static"];

/// The templates under `dir` (a theme's or the site's `templates/`), by their name there
/// (`partials/footer.html`).
fn read_templates(
    site: &SiteRoot,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, SourceText)> {
    let mut out = Vec::new();
    if !exists(dir) {
        return out;
    }
    for e in site.files(dir, usize::MAX, diags) {
        let Ok(rel) = e.path().strip_prefix(dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if name.starts_with('.') || name.contains("/.") {
            continue;
        }
        if let Some(src) = read_text(site.given, e.path(), diags) {
            out.push((name, src));
        }
    }
    out
}

/// The static files under `dir` (a theme's or the site's `static/`): (name there, name as
/// published, file).
fn read_statics(
    site: &SiteRoot,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, String, PathBuf)> {
    let mut out = Vec::new();
    if !exists(dir) {
        return out;
    }
    for e in site.files(dir, usize::MAX, diags) {
        let Ok(rel) = e.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let published = fingerprinted(&rel, e.path());
        out.push((rel, published, e.path().to_path_buf()));
    }
    out
}

/// `style.css` → `style.<8 hex digits of its blake3 hash>.css`; other files keep their name.
fn fingerprinted(rel: &str, path: &Path) -> String {
    let hashed = rel.ends_with(".css") || rel.ends_with(".js");
    match (hashed, std::fs::read(path)) {
        (true, Ok(bytes)) => {
            let hash = blake3::hash(&bytes).to_hex();
            match rel.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..8]),
                None => rel.to_string(),
            }
        }
        _ => rel.to_string(),
    }
}

/// (path, section, key, language) of a Markdown file.
type FoundFile = (PathBuf, String, String, String);

/// Classifies every file of `content/` (`paths`, ordinary files found by a walk that
/// follows no link, in its order) as Markdown of a known section, a bundle asset, or a
/// misplaced file (a diagnostic).
fn classify_content(
    root: &Path,
    content: &Path,
    paths: impl Iterator<Item = PathBuf>,
    diags: &mut Diagnostics,
) -> (Vec<FoundFile>, Vec<Asset>) {
    let mut files = Vec::new();
    let mut assets = Vec::new();
    for path in paths {
        let path = path.as_path();
        let rel = rel_path(root, path);
        let Some(rel_content) = path.strip_prefix(content).ok() else {
            continue;
        };
        let parts: Vec<String> = rel_content
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let file_name = parts.last().cloned().unwrap_or_default();
        if file_name.starts_with('.') {
            continue; // editor and OS files (.DS_Store, .swp) are not content
        }
        if rel_content.to_str().is_none() {
            diags.file_error(
                &rel,
                "this file name is not valid UTF-8 text",
                "rename the file using letters, digits and dashes only",
            );
            continue;
        }
        let md_lang = |name: &str, stem: &str| -> Option<String> {
            name.strip_prefix(stem)
                .and_then(|r| r.strip_suffix(".md"))
                .map(str::to_string)
        };
        match parts.as_slice() {
            [name] => {
                if let Some(lang) = md_lang(name, "_index.") {
                    files.push((path.to_path_buf(), "home".into(), "home".into(), lang));
                } else {
                    diags.file_error(
                        &rel,
                        "Vetrina does not know what to do with this file",
                        "the only file allowed directly in content/ is the home text `_index.<lang>.md` (for example `_index.it.md`); put other content in content/projects, content/stories, content/news or content/pages",
                    );
                }
            }
            [section, ..] if !SECTIONS.contains(&section.as_str()) => {
                diags.file_error(
                    &rel,
                    format!("`{section}` is not a content section"),
                    unknown_help("sections", section, SECTIONS),
                );
            }
            [section, key, name] if md_lang(name, "index.").is_some() => {
                let lang = md_lang(name, "index.").unwrap_or_default();
                files.push((path.to_path_buf(), section.clone(), key.clone(), lang));
            }
            [_, _, name] if name.ends_with(".md") => {
                diags.file_error(
                    &rel,
                    "a Markdown file in a bundle must be called `index.<lang>.md`",
                    format!(
                        "rename it to `index.it.md` (or `index.en.md`, … for its language); \"{name}\" is not read"
                    ),
                );
            }
            [section, key, rest @ ..] if !rest.is_empty() => {
                assets.push(Asset {
                    section: section.clone(),
                    key: key.clone(),
                    name: rest.join("/"),
                    abs: path.to_path_buf(),
                });
            }
            _ => {
                diags.file_error(
                    &rel,
                    "this file is not inside a bundle folder",
                    "each entry has its own folder: content/<section>/<name>/index.<lang>.md, with its pictures beside it",
                );
            }
        }
    }
    (files, assets)
}

fn read_yaml_dir(site: &SiteRoot, dir: &Path, diags: &mut Diagnostics) -> Vec<SourceText> {
    let mut out = Vec::new();
    if !exists(dir) {
        return out;
    }
    for entry in site.files(dir, 1, diags) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let rel = rel_path(site.given, path);
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            diags.file_error(
                &rel,
                "only YAML files (.yaml) are read in this folder",
                "rename the file to end in .yaml, or move it out of data/",
            );
            continue;
        }
        out.extend(read_text(site.given, path, diags));
    }
    out
}

fn walk_error(root: &Path, e: &walkdir::Error, diags: &mut Diagnostics) {
    let path = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        diags.file_error(
            &path,
            format!(
                "this folder is a link back to {}, which makes an endless loop",
                rel_path(root, ancestor).display()
            ),
            "remove the link: a site folder must not contain itself",
        );
    } else {
        diags.file_error(
            &path,
            format!(
                "cannot read this: {}",
                e.io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string())
            ),
            "check that the file exists and that you have permission to read it (a broken link also gives this error)",
        );
    }
}

pub fn rel_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A path inside the site folder as the source stamps name it (`/` between names).
pub fn rel_key(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut key = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            key.push('/');
        }
        key.push_str(part.as_os_str().to_str()?);
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkdir::WalkDir;

    #[test]
    fn a_text_is_read_whole_without_its_byte_order_mark_and_bad_texts_are_named() {
        let t = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: &[u8]| {
            let p = t.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let mut d = Diagnostics::new();
        let long = "---\ntitle: città\n---\n".to_string() + &"testo ".repeat(20_000);
        let read = read_text(t.path(), &file("long.md", long.as_bytes()), &mut d).unwrap();
        assert_eq!(*read.text, long);
        let bom = read_text(
            t.path(),
            &file("bom.md", "\u{feff}---\n".as_bytes()),
            &mut d,
        );
        assert_eq!(bom.unwrap().text.as_str(), "---\n");
        assert!(d.is_empty());
        assert!(
            read_text(
                t.path(),
                &file("empty.md", "\u{feff} \n".as_bytes()),
                &mut d
            )
            .is_none()
        );
        assert!(
            read_text(
                t.path(),
                &file("latin1.md", b"---\ntitle: citt\xe0\n"),
                &mut d
            )
            .is_none()
        );
        assert!(read_text(t.path(), &t.path().join("missing.md"), &mut d).is_none());
        let all: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        let all = all.join("\n");
        assert!(
            all.contains("empty.md") && all.contains("this file is empty"),
            "{all}"
        );
        assert!(
            all.contains("latin1.md:2:") && all.contains("not UTF-8"),
            "{all}"
        );
        assert!(
            all.contains("missing.md") && all.contains("cannot read this file"),
            "{all}"
        );
    }

    /// The paths a walk gives, an error as `!path` (a loop as `!path -> ancestor`).
    fn walked(entries: Vec<walkdir::Result<walkdir::DirEntry>>) -> Vec<String> {
        entries
            .into_iter()
            .map(|e| match e {
                Ok(e) => e.path().display().to_string(),
                Err(e) => format!(
                    "!{} -> {:?}",
                    e.path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    e.loop_ancestor()
                ),
            })
            .collect()
    }

    #[test]
    fn the_bundles_walked_side_by_side_come_in_the_single_walks_order() {
        let t = tempfile::tempdir().unwrap();
        let c = t.path().join("content");
        for dir in [
            "stories/b/files/x",
            "stories/a",
            "news/z",
            "pages/q/r/s",
            "projects",
        ] {
            std::fs::create_dir_all(c.join(dir)).unwrap();
        }
        for file in [
            "_index.it.md",
            "stories/b/index.it.md",
            "stories/b/index.en.md",
            "stories/b/files/x/doc.pdf",
            "stories/b/files/a.jpg",
            "stories/a/index.it.md",
            "stories/loose.md",
            "news/z/index.it.md",
            "pages/q/r/s/deep.txt",
        ] {
            std::fs::write(c.join(file), "x").unwrap();
        }
        let single = || {
            walked(
                WalkDir::new(&c)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .collect(),
            )
        };
        let expected = single();
        assert!(expected.len() > 15, "{expected:?}");
        assert_eq!(walked(walk_sorted(&c, true, 2)), expected);
        for depth in [1, 3] {
            assert_eq!(walked(walk_sorted(&c, true, depth)), expected, "{depth}");
        }
        let unlinked = walked(WalkDir::new(&c).sort_by_file_name().into_iter().collect());
        assert_eq!(walked(walk_sorted(&c, false, 1)), unlinked);
        // A link in a bundle to another bundle: walked through, the same.
        std::os::unix::fs::symlink("../../a", c.join("stories/b/files/other")).unwrap();
        let expected = single();
        assert!(
            expected
                .iter()
                .any(|p| p.ends_with("files/other/index.it.md"))
        );
        assert_eq!(walked(walk_sorted(&c, true, 2)), expected);
        std::fs::remove_file(c.join("stories/b/files/other")).unwrap();
        // A link in a bundle back to its section: the single walk's loop, not the section
        // walked again through the link.
        std::os::unix::fs::symlink("../..", c.join("stories/b/files/up")).unwrap();
        let expected = single();
        assert!(expected.iter().any(|p| p.starts_with('!')), "{expected:?}");
        assert_eq!(walked(walk_sorted(&c, true, 2)), expected);
        // A link among the bundles.
        std::fs::remove_file(c.join("stories/b/files/up")).unwrap();
        std::os::unix::fs::symlink("..", c.join("stories/loop")).unwrap();
        let expected = single();
        assert!(expected.iter().any(|p| p.starts_with('!')), "{expected:?}");
        assert_eq!(walked(walk_sorted(&c, true, 2)), expected);
    }

    #[test]
    fn a_themes_templates_and_static_files_are_read_only_from_inside_the_site() {
        let t = tempfile::tempdir().unwrap();
        let (site, outside) = (t.path().join("site"), t.path().join("outside"));
        let theme = site.join("themes/t");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::create_dir_all(outside.join("templates")).unwrap();
        std::fs::write(outside.join("templates/base.html"), "<html>").unwrap();
        std::fs::create_dir_all(outside.join("static")).unwrap();
        std::fs::write(outside.join("static/style.css"), "p {}").unwrap();
        for dir in ["templates", "static"] {
            std::os::unix::fs::symlink(outside.join(dir), theme.join(dir)).unwrap();
        }
        let mut d = Diagnostics::new();
        let read = super::theme(&site, "t", None, &mut d);
        assert!(read.templates.is_empty() && read.statics.is_empty());
        let all: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert_eq!(all.len(), 2, "{all:#?}");
        for (e, dir) in all.iter().zip(["static", "templates"]) {
            assert!(
                e.contains(&format!("themes/t/{dir}"))
                    && e.contains("a link to something outside the site folder"),
                "{e}"
            );
        }
        // The theme's folder itself a link out of the site.
        std::fs::remove_dir_all(&theme).unwrap();
        std::os::unix::fs::symlink(&outside, &theme).unwrap();
        let mut d = Diagnostics::new();
        let read = super::theme(&site, "t", None, &mut d);
        assert!(read.templates.is_empty() && read.statics.is_empty());
        assert_eq!(d.len(), 1);
    }

    fn split(text: &str) -> (Option<ContentFile>, Diagnostics) {
        let mut d = Diagnostics::new();
        let cf = split_front_matter(SourceText::new("x.md", text), "stories", "k", "it", &mut d);
        (cf, d)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let (cf, d) = split("---\ntitle: a\n---\n# Hi\n");
        let cf = cf.expect("split");
        assert!(d.is_empty());
        assert_eq!(cf.front_matter(), "title: a\n");
        assert_eq!(cf.body(), "# Hi\n");
        assert_eq!(&cf.src.text[cf.body_offset..], "# Hi\n");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let (cf, d) = split("---\ntitle: a\n");
        assert!(cf.is_none());
        assert!(d.sorted()[0].message.contains("never closed"));
        let (cf, d) = split("title: a\n");
        assert!(cf.is_none());
        assert!(d.sorted()[0].message.contains("does not start"));
    }
}
