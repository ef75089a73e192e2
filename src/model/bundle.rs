//! Which files beside a text are published: only those that a text of the bundle links to
//! (in its body or as its cover picture), and of those only pictures (re-encoded by `images`)
//! and documents of the types the site allows. HTML, SVG, scripts and any other file are never
//! published, linked or not: on the site's own address they could run script.
//!
//! A file nobody links to (a signed consent form, notes, the original of a picture) stays in
//! the folder and out of the website.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::schema::ConfigFile;
use super::yaml::Origin;
use super::{Doc, Entity, Site};
use crate::diag::{Diagnostics, SourceText, unknown_help};
use crate::weburl::{Target, target};

/// Document types that a site may allow with `documents:` in site.yaml: formats that browsers
/// download or show in a viewer of their own, never run as a page of the site.
pub const DOCUMENT_TYPES: &[&str] = &[
    "pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "csv", "txt", "rtf",
    "epub",
];

/// The document types published when site.yaml does not list them.
pub const DEFAULT_DOCUMENTS: &[&str] = &["pdf", "odt", "docx", "xlsx", "csv"];

/// Types that can run script or restyle the page when opened from the site: never published,
/// and refused in `documents:` with a word on why.
const ACTIVE_TYPES: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs",
    "cjs", "css", "wasm", "swf", "php", "jsp", "asp", "aspx", "cgi", "pl", "py", "sh", "exe",
    "bat", "cmd", "com", "msi", "jar", "hta", "vbs",
];

/// The parser options of `render::markdown`, so that links are read the same way here.
pub const MARKDOWN_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// A link to a file of the bundle: an address on the site, relative to the text's folder and
/// inside it, naming a file (not a page anchor, a query or a folder).
pub fn is_bundle_file(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with(['#', '/', '\\', '?'])
        || url.contains(['?', '#', '\\'])
        || url.split('/').any(|part| part == ".." || part.is_empty())
        || url.ends_with('/'))
        && target(url) == Target::SameSite
        && url.rsplit('/').next().is_some_and(|f| f.contains('.'))
}

/// The name of the bundle file a link points to: as written, or with its `%` escapes decoded
/// where the folder has a file of that name (`foto%20citt%C3%A0.jpg` is `foto città.jpg`:
/// Markdown takes a space in a link only between `<` and `>`).
pub fn bundle_name<'u>(url: &'u str, names: &[&str]) -> std::borrow::Cow<'u, str> {
    let raw = url.trim_start_matches("./");
    if !names.contains(&raw)
        && let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8()
        && names.contains(&decoded.as_ref())
    {
        return decoded;
    }
    raw.into()
}

/// What a file beside a text is to the website.
#[derive(Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A picture: published only as re-encoded by `images` (or refused there).
    Picture,
    /// A document of an allowed type: published as it is, metadata and all.
    Document,
    /// Never published.
    Refused,
}

/// The lower-case extension of a file name (`Relazione.PDF` → `pdf`).
fn extension(name: &str) -> String {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

pub fn kind(name: &str, documents: &[String]) -> FileKind {
    if crate::picture_kind::is_raster(name) {
        return FileKind::Picture;
    }
    let ext = extension(name);
    if documents.contains(&ext) {
        FileKind::Document
    } else {
        FileKind::Refused
    }
}

/// The document types of the site: `documents:` of site.yaml, each checked against
/// [`DOCUMENT_TYPES`], or [`DEFAULT_DOCUMENTS`].
pub fn document_types(
    config: &ConfigFile,
    cfg_src: &SourceText,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let Some(list) = &config.documents else {
        return DEFAULT_DOCUMENTS.iter().map(|s| s.to_string()).collect();
    };
    let mut out = Vec::new();
    for d in list {
        let ext = d.value.trim().trim_start_matches('.').to_ascii_lowercase();
        if DOCUMENT_TYPES.contains(&ext.as_str()) {
            out.push(ext);
            continue;
        }
        let e = diags.error(
            cfg_src,
            Origin::FILE.pos_of(d),
            format!("`{}` cannot be a document type of the site", d.value),
        );
        if ACTIVE_TYPES.contains(&ext.as_str()) {
            e.help("files of this type can run programs or change pages when opened from the site, so Vetrina never publishes them; offer the content as PDF instead");
        } else {
            e.help(unknown_help(
                "document types",
                &ext,
                DOCUMENT_TYPES.iter().copied(),
            ));
        }
    }
    out
}

/// Keeps in `site.assets` only the files that a text of their bundle links to and that may
/// be published; a link to a file of another type is an error at the link, a linked document
/// a warning that its own metadata is published as it is.
pub fn keep_linked(site: &mut Site, documents: &[String], diags: &mut Diagnostics) {
    if site.assets.is_empty() {
        return;
    }
    let mut names: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for a in &site.assets {
        names
            .entry((a.section.as_str(), a.key.as_str()))
            .or_default()
            .push(a.name.as_str());
    }
    let mut linked: Vec<(String, String, String)> = Vec::new();
    let mut scan =
        |section: &str,
         key: &str,
         docs: Vec<(&SourceText, usize, Option<&serde_saphyr::Spanned<String>>)>| {
            let Some(here) = names.get(&(section, key)) else {
                return;
            };
            for (src, body_offset, cover) in docs {
                if let Some(c) = cover {
                    // Checked by the model's reference checks (the file exists, it is a picture).
                    linked.push((section.into(), key.into(), c.value.clone()));
                }
                for (name, at, shown) in links_in(&src.text[body_offset..], here) {
                    let pos = src.pos_of(body_offset + at.start, at.len());
                    match kind(&name, documents) {
                        FileKind::Picture => {}
                        _ if shown => {
                            diags
                                .error(src, pos, format!("`{name}` is not a picture Vetrina can publish"))
                                .help("save the picture as JPEG (photos) or PNG (drawings and screenshots); to offer a document, link to it without `!`: [the leaflet](leaflet.pdf)");
                        }
                        FileKind::Document => {
                            diags
                            .warning(src, pos, format!("`{name}` is published as it is, with the metadata it carries"))
                            .help("before publishing, open the document's properties and remove the author, comments, tracked changes and anything else that should not be public (in PDF readers and office programs: File → Properties)");
                        }
                        FileKind::Refused => {
                            let ext = extension(&name);
                            let why = if ACTIVE_TYPES.contains(&ext.as_str()) {
                                "files of this type can run programs in readers' browsers when opened from the site"
                            } else {
                                "the site publishes pictures and documents of the types listed in site.yaml"
                            };
                            diags
                            .error(src, pos, format!("`{name}` cannot be published: {why}"))
                            .help(format!(
                                "offer it as PDF instead (documents allowed: {}; a site may allow more with `documents:` in site.yaml), or as a picture in JPEG or PNG",
                                documents.join(", ")
                            ));
                        }
                    }
                    linked.push((section.into(), key.into(), name));
                }
            }
        };
    fn docs<T>(
        e: &Entity<T>,
        cover: impl Fn(&T) -> Option<&serde_saphyr::Spanned<String>>,
    ) -> Vec<(&SourceText, usize, Option<&serde_saphyr::Spanned<String>>)> {
        e.docs
            .values()
            .map(|d: &std::sync::Arc<Doc<T>>| (&d.src, d.body_offset, cover(&d.fm)))
            .collect()
    }
    for e in &site.projects {
        scan("projects", &e.key, docs(e, |_| None));
    }
    for e in &site.stories {
        scan(
            "stories",
            &e.key,
            docs(e, |fm| fm.image.as_ref().map(|i| &i.value.src)),
        );
    }
    for e in &site.news {
        scan(
            "news",
            &e.key,
            docs(e, |fm| fm.image.as_ref().map(|i| &i.value.src)),
        );
    }
    for e in &site.pages {
        scan("pages", &e.key, docs(e, |_| None));
    }
    linked.sort();
    linked.dedup();
    site.assets.retain(|a| {
        linked
            .binary_search_by(|(s, k, n)| {
                (s.as_str(), k.as_str(), n.as_str()).cmp(&(&a.section, &a.key, &a.name))
            })
            .is_ok()
    });
}

/// The files of `names` that a Markdown body links to or shows as a picture, with where the
/// link is in the body and whether it is shown (`![…](…)`).
fn links_in(body: &str, names: &[&str]) -> Vec<(String, std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, MARKDOWN_OPTIONS).into_offset_iter() {
        let (dest_url, shown) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        if !is_bundle_file(&dest_url) {
            continue;
        }
        let name = bundle_name(&dest_url, names);
        if names.contains(&name.as_ref()) {
            out.push((name.into_owned(), range, shown));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_files_are_plain_names_inside_the_folder() {
        for yes in [
            "foto.jpg",
            "./foto.jpg",
            "allegati/scheda.pdf",
            "foto%20citt%C3%A0.jpg",
        ] {
            assert!(is_bundle_file(yes), "{yes}");
        }
        for no in [
            "",
            "#sezione",
            "/foto.jpg",
            "../altra/foto.jpg",
            "a/../../b.jpg",
            "foto.jpg?x=1",
            "cartella/",
            "https://example.org/a.jpg",
            "http:evil.example/a.jpg",
            "//h/a.jpg",
            "\\\\h\\a.jpg",
            "mailto:a@example.org",
            "pagina",
            "a//b.jpg",
        ] {
            assert!(!is_bundle_file(no), "{no}");
        }
    }

    #[test]
    fn links_and_pictures_of_the_body_are_found() {
        let body = "Testo [la scheda](scheda%20progetto.pdf) e ![foto](<a b.jpg>)\n\n[altro](https://example.org/x.pdf) [manca](manca.pdf)\n\n[rif]: note.txt\n\n[vedi][rif]\n";
        let names = ["scheda progetto.pdf", "a b.jpg", "note.txt", "consenso.pdf"];
        let found: Vec<String> = links_in(body, &names)
            .into_iter()
            .map(|(n, ..)| n)
            .collect();
        assert_eq!(found, ["scheda progetto.pdf", "a b.jpg", "note.txt"]);
    }

    #[test]
    fn kinds_by_type() {
        let docs: Vec<String> = DEFAULT_DOCUMENTS.iter().map(|s| s.to_string()).collect();
        assert_eq!(kind("foto.JPG", &docs), FileKind::Picture);
        assert_eq!(kind("Relazione.PDF", &docs), FileKind::Document);
        for refused in ["a.svg", "a.html", "a.js", "notes.txt", "a", "a.pdf.html"] {
            assert_eq!(kind(refused, &docs), FileKind::Refused, "{refused}");
        }
    }
}
