//! The open-data page of each language (`/dati/`, `/en/data/`): each data set of
//! `opendata::DATASETS` with its files, its columns and what they hold, the licence and the
//! catalogue, and the same as schema.org `Dataset`s in JSON-LD for search engines.
//! The files themselves are made by `opendata`.

use serde::Serialize;
use serde_json::{Value, json};

use super::context::{Cx, all_langs, i18n};
use super::{PageContext, PageParts};
use crate::diag::Diagnostics;
use crate::opendata::{self, CATALOG_FILE, DATASETS, Format, LIST_SEPARATOR};
use crate::plan::FileKind;

#[derive(Serialize)]
struct FileView {
    name: &'static str,
    href: String,
    /// `CSV`, `JSON`.
    format: &'static str,
    media_type: &'static str,
}

#[derive(Serialize)]
struct ColumnView {
    /// The columns described together, each a name as the file writes it.
    names: Vec<String>,
    description: String,
}

#[derive(Serialize)]
struct DatasetView {
    id: &'static str,
    title: String,
    description: String,
    files: Vec<FileView>,
    columns: Vec<ColumnView>,
    /// Whether its columns are the fields of a JSON file (it has no CSV).
    json_only: bool,
    modified_iso: String,
    modified_text: String,
}

#[derive(Serialize)]
struct LicenceView {
    name: String,
    href: String,
}

/// An interface string the page needs; a missing one is noted in `missing` (reported once
/// for the page, see [`report_missing`]) and shown as its key.
fn text(cx: &Cx, key: &str, missing: &mut Vec<String>) -> String {
    if cx.s.i18n.get(cx.l(), key).is_none() {
        missing.push(key.to_string());
    }
    i18n(cx, key)
}

/// One error for all the strings the page lacks: a language without them lacks the whole
/// block of the theme's i18n files, and sixty errors would say one thing.
fn report_missing(cx: &Cx, missing: &[String], diags: &mut Diagnostics) {
    let Some(first) = missing.first() else {
        return;
    };
    let l = cx.l();
    let theme = cx.site().config.theme_name();
    let mut help = cx.s.i18n.missing_help(l, first);
    if missing.len() > 1 {
        help.push_str(&format!(
            "; {} more strings of the data page are missing too (the `opendata_*` block at the end of the English file)",
            missing.len() - 1
        ));
    }
    diags.file_error(
        // The template that shows them, in the site's own theme (as the search page does).
        std::path::Path::new(&format!("themes/{theme}/templates/data.html")),
        format!("missing interface string `{first}` for language `{l}`"),
        help,
    );
}

/// A column name as the files write it: `title_*` becomes one name per language.
fn expand(name: &str, langs: &[String]) -> Vec<String> {
    match name.strip_suffix("_*") {
        Some(stem) => langs.iter().map(|l| format!("{stem}_{l}")).collect(),
        None => vec![name.to_string()],
    }
}

pub(super) fn data_page(cx: &Cx, ctx: &mut PageContext, diags: &mut Diagnostics) -> PageParts {
    let mut missing = Vec::new();
    let site = cx.site();
    let langs = all_langs(site);
    let file_href = |name: &str| cx.file_link(FileKind::OpenData(name)).unwrap_or_default();
    let mut datasets = Vec::new();
    for d in &DATASETS {
        let changed = opendata::modified(site, d.id);
        datasets.push(DatasetView {
            id: d.id,
            title: text(cx, &d.title_key(), &mut missing),
            description: text(cx, &d.description_key(), &mut missing),
            files: d
                .files
                .iter()
                .map(|(name, format)| FileView {
                    name,
                    href: file_href(name),
                    format: format.eu_file_type(),
                    media_type: format.media_type(),
                })
                .collect(),
            columns: d
                .columns
                .iter()
                .map(|c| ColumnView {
                    names: c.names.iter().flat_map(|n| expand(n, &langs)).collect(),
                    description: text(cx, c.text, &mut missing),
                })
                .collect(),
            json_only: d.files.iter().all(|(_, f)| *f == Format::Json),
            modified_iso: changed.to_string(),
            modified_text: cx.date(changed),
        });
    }
    let lic = opendata::licence(site);
    let licence = LicenceView {
        name: lic.name().to_string(),
        href: lic.url().to_string(),
    };
    let title = text(cx, "opendata_title", &mut missing);
    let description = text(cx, "opendata_catalog_description", &mut missing);
    let canonical = format!("{}{}", site.base_url, cx.path);
    let jsonld = json!({
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": format!("{title} – {}", cx.text(&site.config.title)),
        "description": description,
        "url": canonical,
        "inLanguage": cx.l(),
        "license": lic.url(),
        "publisher": {"@type": "Organization", "name": opendata::publisher_name(site)},
        "dataset": datasets.iter().map(|d| json!({
            "@type": "Dataset",
            "@id": format!("{canonical}#{}", d.id),
            "name": d.title,
            "description": d.description,
            "url": format!("{canonical}#{}", d.id),
            "license": lic.url(),
            "isAccessibleForFree": true,
            "dateModified": d.modified_iso,
            "creator": {"@type": "Organization", "name": opendata::publisher_name(site)},
            "distribution": d.files.iter().map(|f| json!({
                "@type": "DataDownload",
                "name": f.name,
                "encodingFormat": f.media_type,
                "contentUrl": opendata::file_url(site, cx.s.plan, f.name),
            })).collect::<Vec<Value>>(),
        })).collect::<Vec<Value>>(),
    });
    ctx.insert("datasets", &datasets);
    ctx.insert("licence", &licence);
    ctx.insert("catalog_href", &file_href(CATALOG_FILE));
    ctx.insert("list_separator", LIST_SEPARATOR);
    ctx.insert("jsonld", &crate::render::script_json::to_script(&jsonld));
    ctx.insert("description", &description);
    missing.sort();
    missing.dedup();
    report_missing(cx, &missing, diags);
    ("data.html", title, opendata::catalog_modified(site), langs)
}
