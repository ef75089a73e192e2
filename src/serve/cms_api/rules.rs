//! Which files of the site the web editor may read, write and delete, and the one way to
//! reach them on disk: a repository-relative path is taken apart name by name, must lie in
//! one of the folders the editor edits, must name a file of an allowed kind, and is reached
//! without going through a symbolic link. Never follows a link, never touches anything else.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Refusal;

/// Pictures and documents that may sit beside a text (and in the global media folder).
const MEDIA: [&str; 10] = [
    "jpg", "jpeg", "png", "webp", "gif", "pdf", "odt", "docx", "xlsx", "csv",
];
/// The data files the editor edits, besides the event calendars.
const DATA_FILES: [&str; 2] = ["organisations.yaml", "funds.yaml"];
/// The longest path and name taken (far beyond any site's).
const MAX_PATH: usize = 1024;
const MAX_NAME: usize = 255;

/// What a file is to the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Markdown or YAML, UTF-8 text.
    Text,
    /// A picture or a document, read and written as bytes.
    Media,
}

/// A path that passed the rules: its names, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SitePath {
    pub(super) names: Vec<String>,
}

impl SitePath {
    /// As the editor writes it.
    pub(super) fn rel(&self) -> String {
        self.names.join("/")
    }

    pub(super) fn name(&self) -> &str {
        self.names.last().map_or("", String::as_str)
    }

    pub(super) fn parent(&self) -> SitePath {
        SitePath {
            names: self.names[..self.names.len().saturating_sub(1)].to_vec(),
        }
    }

    pub(super) fn child(&self, name: &str) -> SitePath {
        let mut names = self.names.clone();
        names.push(name.to_string());
        SitePath { names }
    }
}

/// Characters refused in a name: controls (`char::is_control`) and these, which hide or
/// change what a reader sees (bidirectional and zero-width marks), look like a dot or a
/// slash without being one, or are not allowed in file names on Windows (the site is shared
/// with colleagues on other systems); `%` because a percent-encoded `..` is not decoded here.
fn refused_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '%'
                | '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2024}'..='\u{2026}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2044}'
                | '\u{2060}'..='\u{2069}'
                | '\u{2215}'
                | '\u{2216}'
                | '\u{29F5}'
                | '\u{29F8}'
                | '\u{29F9}'
                | '\u{FE52}'
                | '\u{FE68}'
                | '\u{FEFF}'
                | '\u{FF0E}'
                | '\u{FF0F}'
                | '\u{FF3C}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// A repository-relative path (`content/stories/x/index.it.md`) taken apart: relative, `/`
/// between names, no empty name, no `.` or `..`, no name starting with a dot (hidden files,
/// version control), none of the characters above.
fn names(rel: &str) -> Result<Vec<String>, Refusal> {
    let bad = |why: &str| {
        Refusal::new(
            400,
            format!("Il percorso «{}» non è valido: {why}.", printable(rel)),
        )
    };
    if rel.is_empty() {
        return Err(bad("è vuoto"));
    }
    if rel.len() > MAX_PATH {
        return Err(bad("è troppo lungo"));
    }
    if rel.starts_with('/') {
        return Err(bad("deve essere relativo alla cartella del sito"));
    }
    if let Some(c) = rel.chars().find(|&c| refused_char(c)) {
        return Err(bad(&format!("contiene un carattere non ammesso ({c:?})")));
    }
    let mut out = Vec::new();
    for name in rel.split('/') {
        if name.is_empty() {
            return Err(bad("contiene un nome vuoto (due / di seguito)"));
        }
        if name.starts_with('.') {
            return Err(bad("contiene un nome che comincia con un punto"));
        }
        if name.len() > MAX_NAME {
            return Err(bad("contiene un nome troppo lungo"));
        }
        if name.trim() != name {
            return Err(bad(
                "contiene un nome che comincia o finisce con uno spazio",
            ));
        }
        out.push(name.to_string());
    }
    Ok(out)
}

/// The path as it can be shown in a message (controls escaped), and not too long.
fn printable(rel: &str) -> String {
    let shown: String = rel.chars().take(120).collect();
    shown.escape_debug().to_string()
}

fn not_editable(rel: &str) -> Refusal {
    Refusal::new(
        403,
        format!(
            "L'editor non può modificare «{}»: lavora solo nelle cartelle content/, data/events/ e static/media/ e sui file data/organisations.yaml e data/funds.yaml.",
            printable(rel)
        ),
    )
}

/// The extension of a name, in lower case (`Foto.JPG` → `jpg`).
fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// A file the editor may read, write or delete, and what kind it is.
pub(super) fn file(rel: &str) -> Result<(SitePath, Kind), Refusal> {
    let names = names(rel)?;
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    let ext = extension(n.last().copied().unwrap_or_default());
    let wrong_type = |allowed: &str| {
        Refusal::new(
            422,
            format!(
                "Il file «{}» non è di un tipo che si può salvare qui: {allowed}.",
                printable(rel)
            ),
        )
    };
    let media = |ext: &Option<String>| ext.as_deref().is_some_and(|e| MEDIA.contains(&e));
    const BESIDE_TEXTS: &str = "si possono salvare testi .md e immagini o documenti (jpg, jpeg, png, webp, gif, pdf, odt, docx, xlsx, csv)";
    let kind = match n.as_slice() {
        ["content", _, ..] => match ext.as_deref() {
            Some("md") => Kind::Text,
            _ if media(&ext) => Kind::Media,
            _ => return Err(wrong_type(BESIDE_TEXTS)),
        },
        ["data", "events", _] => match ext.as_deref() {
            Some("yaml") => Kind::Text,
            _ => {
                return Err(wrong_type(
                    "nel calendario degli eventi si salvano solo file .yaml",
                ));
            }
        },
        ["data", name] if DATA_FILES.contains(name) => Kind::Text,
        ["static", "media", _, ..] => {
            if media(&ext) {
                Kind::Media
            } else {
                return Err(wrong_type(
                    "nella cartella dei media si salvano solo immagini e documenti (jpg, jpeg, png, webp, gif, pdf, odt, docx, xlsx, csv)",
                ));
            }
        }
        _ => return Err(not_editable(rel)),
    };
    Ok((SitePath { names }, kind))
}

/// A folder the editor may list: `content/` and below, `data/events/` and below,
/// `static/media/` and below.
pub(super) fn folder(rel: &str) -> Result<SitePath, Refusal> {
    let rel = rel.trim_end_matches('/');
    let names = names(rel)?;
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    match n.as_slice() {
        ["content", ..] | ["data", "events", ..] | ["static", "media", ..] => {
            Ok(SitePath { names })
        }
        _ => Err(not_editable(rel)),
    }
}

/// What is at a path of the site, looked at without following a link.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    Missing,
    File(PathBuf),
    Folder(PathBuf),
}

fn link_refused(rel: &str) -> Refusal {
    Refusal::new(
        403,
        format!(
            "«{}» passa per un collegamento simbolico: l'editor non segue i collegamenti. Copia i file nella cartella del sito.",
            printable(rel)
        ),
    )
}

/// Where `path` is on disk under the (canonical) site folder `root`, checked name by name
/// from the root down: a name that exists must not be a link (nor a device, pipe or socket),
/// and every name but the last must be a folder. A missing name ends the walk (nothing below
/// it exists).
pub(super) fn locate(root: &Path, path: &SitePath) -> Result<Found, Refusal> {
    let mut at = root.to_path_buf();
    let last = path.names.len().saturating_sub(1);
    for (i, name) in path.names.iter().enumerate() {
        at.push(name);
        let meta = match fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Missing),
            Err(e) => return Err(io_failed(&path.rel(), &e)),
        };
        let ty = meta.file_type();
        if ty.is_symlink() {
            return Err(link_refused(&path.rel()));
        }
        if i < last && !ty.is_dir() {
            return Err(Refusal::new(
                422,
                format!(
                    "«{}» non si può usare come cartella: è un file.",
                    path.names[..=i].join("/")
                ),
            ));
        }
        if i == last {
            return if ty.is_file() {
                Ok(Found::File(at))
            } else if ty.is_dir() {
                Ok(Found::Folder(at))
            } else {
                Err(Refusal::new(
                    403,
                    format!("«{}» non è un file ordinario.", path.rel()),
                ))
            };
        }
    }
    Ok(Found::Folder(at))
}

/// The place on disk to write the file `path` (which passed [`file`]) to: its missing
/// folders are made (one at a time, each checked as in [`locate`]: they are all inside the
/// editor's folders, `static/media/` of a site without `static/` say), and what is already
/// there must be a file.
pub(super) fn place_for_writing(root: &Path, path: &SitePath) -> Result<PathBuf, Refusal> {
    for depth in 1..path.names.len() {
        let folder = SitePath {
            names: path.names[..depth].to_vec(),
        };
        match locate(root, &folder)? {
            Found::Folder(_) => {}
            Found::File(_) => {
                return Err(Refusal::new(
                    422,
                    format!("«{}» è un file, non una cartella.", folder.rel()),
                ));
            }
            Found::Missing => {
                let dir = root.join(folder.names.join("/"));
                fs::create_dir(&dir).map_err(|e| io_failed(&folder.rel(), &e))?;
            }
        }
    }
    match locate(root, path)? {
        Found::Folder(_) => Err(Refusal::new(
            422,
            format!("«{}» è una cartella, non un file.", path.rel()),
        )),
        Found::File(p) => Ok(p),
        Found::Missing => Ok(root.join(path.names.join("/"))),
    }
}

pub(super) fn io_failed(rel: &str, e: &io::Error) -> Refusal {
    Refusal::new(
        500,
        format!(
            "Non è stato possibile leggere o scrivere «{}» ({e}): controlla che il disco non sia pieno e che la cartella del sito si possa modificare.",
            printable(rel)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_paths_are_refused() {
        for (bad, status) in [
            ("", 400),
            ("../x", 400),
            ("/etc/passwd", 400),
            ("content/../site.yaml", 400),
            ("content/./a.md", 400),
            ("content//a.md", 400),
            ("content/stories/x/", 400),
            ("content\\a.md", 400),
            ("content/stories\\..\\..\\site.yaml", 400),
            (".git/config", 400),
            ("content/.hidden.md", 400),
            ("content/stories/x/.index.it.md", 400),
            ("content/stories/x/index.it.md\0.jpg", 400),
            ("content/stories/x/a\nb.md", 400),
            ("content/stories/x/a\u{202E}gpj.md", 400),
            ("content/stories/x/a\u{200B}.md", 400),
            // Fullwidth and other look-alike dots and slashes.
            ("content/\u{FF0E}\u{FF0E}/site.yaml", 400),
            ("content/stories\u{FF0F}x/index.it.md", 400),
            ("content/stories\u{2215}x/index.it.md", 400),
            ("content/\u{2024}\u{2024}/a.md", 400),
            // Percent-encoded `..` and `/` are not decoded: refused as they are.
            ("%2e%2e/site.yaml", 400),
            ("content/%2e%2e/%2e%2e/site.yaml", 400),
            ("content/stories%2Fx/index.it.md", 400),
            ("C:/Windows/win.ini", 400),
            ("content/stories/x/ index.it.md", 400),
            (&format!("content/{}.md", "a".repeat(300)), 400),
            ("themes/default/templates/base.html", 403),
            ("templates/base.html", 403),
            ("public/index.html", 403),
            ("site.yaml", 403),
            ("data/indicators/x.yaml", 403),
            ("data/site.yaml", 403),
            ("static/style.css", 403),
            ("content", 403),
            ("content/stories/x/evil.html", 422),
            ("content/stories/x/a.svg", 422),
            ("content/stories/x/a.js", 422),
            ("content/stories/x/a.md.exe", 422),
            ("content/stories/x/Makefile", 422),
            ("data/events/x.yml", 422),
            ("data/events/x.md", 422),
            ("data/events/sub/x.yaml", 403),
            ("static/media/x.md", 422),
            ("static/media/x.html", 422),
        ] {
            match file(bad) {
                Err(r) => assert_eq!(r.status, status, "{bad:?}: {}", r.message),
                Ok(p) => panic!("{bad:?} was taken as {p:?}"),
            }
        }
    }

    #[test]
    fn the_editors_files_are_taken() {
        for (good, kind) in [
            ("content/stories/x/index.it.md", Kind::Text),
            ("content/_index.it.md", Kind::Text),
            ("content/stories/x/foto città, 1.JPG", Kind::Media),
            ("content/stories/x/report.pdf", Kind::Media),
            ("content/stories/x/dati.xlsx", Kind::Media),
            ("data/events/calendario.yaml", Kind::Text),
            ("data/organisations.yaml", Kind::Text),
            ("data/funds.yaml", Kind::Text),
            ("static/media/logo.png", Kind::Media),
            ("static/media/2026/volantino.pdf", Kind::Media),
        ] {
            match file(good) {
                Ok((p, k)) => {
                    assert_eq!(k, kind, "{good}");
                    assert_eq!(p.rel(), good);
                }
                Err(r) => panic!("{good}: {}", r.message),
            }
        }
        for good in ["content", "content/stories/", "data/events", "static/media"] {
            assert!(folder(good).is_ok(), "{good}");
        }
        for bad in [
            "data",
            "",
            "/",
            "themes",
            "static",
            "content/../data",
            ".git",
        ] {
            assert!(folder(bad).is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.join("content/stories/a")).unwrap();
        fs::write(outside.path().join("secret.md"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("content/stories/out")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            root.join("content/stories/a/index.en.md"),
        )
        .unwrap();
        for rel in [
            "content/stories/out/secret.md",
            "content/stories/out/new/index.it.md",
            "content/stories/a/index.en.md",
        ] {
            let (p, _) = file(rel).unwrap();
            let r = locate(&root, &p).unwrap_err();
            assert_eq!(r.status, 403, "{rel}");
            let r = place_for_writing(&root, &p).unwrap_err();
            assert_eq!(r.status, 403, "{rel}");
        }
        assert!(!outside.path().join("new").exists());
        // A link as the content folder itself.
        let t2 = tempfile::tempdir().unwrap();
        let root2 = fs::canonicalize(t2.path()).unwrap();
        std::os::unix::fs::symlink(outside.path(), root2.join("content")).unwrap();
        let (p, _) = file("content/stories/b/index.it.md").unwrap();
        assert_eq!(place_for_writing(&root2, &p).unwrap_err().status, 403);
        assert!(!outside.path().join("stories").exists());
    }

    #[test]
    fn missing_folders_are_made() {
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        let (p, _) = file("content/stories/new/index.it.md").unwrap();
        let place = place_for_writing(&root, &p).unwrap();
        assert_eq!(place, root.join("content/stories/new/index.it.md"));
        assert!(root.join("content/stories/new").is_dir());
        let (p, _) = file("static/media/2026/x.pdf").unwrap();
        assert!(place_for_writing(&root, &p).is_ok());
        assert!(root.join("static/media/2026").is_dir());
        // A folder where a file is expected, a file where a folder is.
        let p = SitePath {
            names: vec!["content".into(), "stories".into(), "new".into()],
        };
        assert_eq!(place_for_writing(&root, &p).unwrap_err().status, 422);
        fs::write(root.join("content/stories/flat.md"), "x").unwrap();
        let (p, _) = file("content/stories/flat.md/index.it.md").unwrap();
        assert_eq!(place_for_writing(&root, &p).unwrap_err().status, 422);
    }
}
