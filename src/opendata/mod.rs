//! The open data of SPEC §9: every build publishes under `/opendata/` the projects, events,
//! key figures and organisations of the site as CSV and JSON, with a DCAT-AP_IT catalogue
//! (`catalog.jsonld`) that national and European portals can harvest.
//!
//! Each file is a pure function of the model and the plan: no clock, no disk, the same
//! sources give the same bytes (dates come from the content, see [`modified`]). One file of
//! this folder per data set (`projects`, `events`, `indicators`, `organisations`), the CSV
//! writing in `tables`, the catalogue in `catalog`; [`DATASETS`] describes them all, for the
//! catalogue and for the page of each language that explains them (`render::views`).
//!
//! What is never exported: stories (their `person` and `consent` blocks above all), texts
//! written in Markdown, organisation notes and event programmes. The model holds no personal
//! name outside a story's `person` block (an event's speakers are a role and an
//! organisation), so the files hold none either; `tests/opendata.rs` checks it on the demo.

mod catalog;
mod events;
mod indicators;
mod organisations;
mod projects;
mod tables;

use jiff::civil::Date;

use crate::model::Site;
use crate::model::licences::{DEFAULT_LICENCE, Licence};
use crate::plan::{FileKind, PageKind, Plan, file_of};

/// The interface strings of a language, by key (the theme's i18n files, read by `render`):
/// the catalogue's titles and descriptions are the ones the data page shows.
pub(crate) type Texts<'a> = dyn Fn(&str, &str) -> Option<String> + 'a;

/// The file formats of the open data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Json,
}

impl Format {
    /// The IANA media type (the catalogue's `dcat:mediaType`, the page's `encodingFormat`).
    pub(crate) fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Json => "application/json",
        }
    }

    /// The name of the format in the EU file-type vocabulary (`dct:format`).
    pub(crate) fn eu_file_type(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Json => "JSON",
        }
    }
}

/// Columns (or JSON fields) described together on the data page: their names, and the key
/// of their description among the interface strings. A name ending in `_*` stands for one
/// column per language of the site (`title_it`, `title_en`, …).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub names: &'static [&'static str],
    pub text: &'static str,
}

/// One data set: its files, and what the page and the catalogue say of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dataset {
    /// Its name in addresses and identifiers: `projects`.
    pub id: &'static str,
    /// Its files: `projects.csv`, `projects.json`.
    pub files: &'static [(&'static str, Format)],
    /// The columns of its CSV file, or the fields of its JSON file when it has no CSV.
    pub columns: &'static [Column],
    /// Its themes in the EU data-theme vocabulary (`dcat:theme`).
    pub themes: &'static [&'static str],
}

impl Dataset {
    /// The key of its title among the interface strings.
    pub(crate) fn title_key(&self) -> String {
        format!("opendata_{}_title", self.id)
    }

    /// The key of its description among the interface strings.
    pub(crate) fn description_key(&self) -> String {
        format!("opendata_{}_description", self.id)
    }
}

/// Every data set, in the order the page and the catalogue list them.
pub(crate) const DATASETS: [Dataset; 4] = [
    projects::DATASET,
    events::DATASET,
    indicators::DATASET,
    organisations::DATASET,
];

/// The catalogue's file name.
pub(crate) const CATALOG_FILE: &str = "catalog.jsonld";

/// The separator of the values of a cell that holds several (`lazio;puglia`): documented on
/// the data page. Keys hold no `;`.
pub(crate) const LIST_SEPARATOR: &str = ";";

/// The licence of the data as the site gives it: one Vetrina knows by its SPDX id, or the
/// address of another (checked by `model::config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DataLicence {
    Known(&'static Licence),
    Url(String),
}

impl DataLicence {
    /// The licence's own page.
    pub(crate) fn url(&self) -> &str {
        match self {
            DataLicence::Known(l) => l.url,
            DataLicence::Url(u) => u,
        }
    }

    /// Its name (the address, for a licence Vetrina does not know).
    pub(crate) fn name(&self) -> &str {
        match self {
            DataLicence::Known(l) => l.name,
            DataLicence::Url(u) => u,
        }
    }
}

/// `open_data.licence` of site.yaml, CC-BY-4.0 when it gives none.
pub(crate) fn licence(site: &Site) -> DataLicence {
    let given = site
        .config
        .open_data
        .as_ref()
        .and_then(|o| o.licence.as_ref())
        .map(|l| l.value.as_str());
    match given.and_then(Licence::by_id) {
        Some(l) => DataLicence::Known(l),
        None => match given {
            Some(url) => DataLicence::Url(url.to_string()),
            // The default is in the table (a unit test of `model::licences` says so).
            None => Licence::by_id(DEFAULT_LICENCE)
                .map(DataLicence::Known)
                .unwrap_or_else(|| DataLicence::Url(String::new())),
        },
    }
}

/// When a data set last changed, from the content's own dates (never the clock, so that a
/// build of the same sources is byte for byte the same): projects by their `updated`, events
/// by their `updated` (else their start, as the calendars' DTSTAMP), key figures by their
/// `as_of`; organisations, which carry no date, by the newest of the others.
pub(crate) fn modified(site: &Site, dataset: &str) -> Date {
    let projects = || {
        site.projects
            .iter()
            .flat_map(|e| e.docs.values())
            .filter_map(|d| d.fm.updated)
            .max()
    };
    let events = || {
        site.events
            .iter()
            .map(|e| e.data.updated.unwrap_or(e.start.date()))
            .max()
    };
    let indicators = || site.indicators.iter().map(|f| f.as_of).max();
    let found = match dataset {
        "projects" => projects(),
        "events" => events(),
        "indicators" => indicators(),
        _ => [projects(), events(), indicators()]
            .into_iter()
            .flatten()
            .max(),
    };
    found.unwrap_or(jiff::civil::date(2000, 1, 1))
}

/// Who publishes the data: the organisation site.yaml names as `publisher`, else the site
/// itself (its title in the default language).
pub(crate) fn publisher_name(site: &Site) -> String {
    site.config
        .publisher
        .as_ref()
        .and_then(|k| site.orgs.get(&k.value))
        .map(|o| o.name.clone())
        .unwrap_or_else(|| {
            site.config
                .title
                .get(site.default_lang(), site.default_lang())
                .to_string()
        })
}

/// The catalogue's date: the newest of its data sets'.
pub(crate) fn catalog_modified(site: &Site) -> Date {
    DATASETS
        .iter()
        .map(|d| modified(site, d.id))
        .max()
        .unwrap_or(jiff::civil::date(2000, 1, 1))
}

/// The absolute address of a published file of the open data.
pub(crate) fn file_url(site: &Site, plan: &Plan, name: &str) -> String {
    let path = plan
        .file_path(FileKind::OpenData(name), site.default_lang())
        .unwrap_or_default();
    format!("{}{path}", site.base_url)
}

/// The absolute address of a page in every language of the site, in the site's order, for
/// the `page_*` columns (empty where the page does not exist).
fn page_urls(site: &Site, plan: &Plan, kind: PageKind, key: &str) -> Vec<(String, String)> {
    site.langs
        .iter()
        .map(|l| {
            let url = plan
                .path(kind, key, &l.code)
                .map(|p| format!("{}{p}", site.base_url))
                .unwrap_or_default();
            (l.code.clone(), url)
        })
        .collect()
}

/// A number as data writes it: without a decimal point when it is whole (`5940`, `12.5`).
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// An object of one value per language, in the site's order, for the JSON files.
fn per_lang(values: impl IntoIterator<Item = (String, String)>) -> serde_json::Value {
    serde_json::Value::Object(
        values
            .into_iter()
            .map(|(l, v)| (l, serde_json::Value::from(v)))
            .collect(),
    )
}

/// A text cell of a record for the JSON files: null when it is empty (the CSV cell is
/// empty).
fn text_or_null(s: &str) -> serde_json::Value {
    if s.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::Value::from(s)
    }
}

/// JSON as the files hold it: indented, ending with a line break.
fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_else(|_| b"null".to_vec());
    out.push(b'\n');
    out
}

/// Every file of `/opendata/` (path in the output, bytes), the catalogue last: it gives the
/// size of each of the others.
pub(crate) fn files(site: &Site, plan: &Plan, texts: &Texts) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let (csv, json) = projects::files(site, plan);
    files.push(("projects.csv", csv));
    files.push(("projects.json", json));
    let (csv, json) = events::files(site, plan);
    files.push(("events.csv", csv));
    files.push(("events.json", json));
    files.push(("indicators.csv", indicators::csv(site)));
    files.push(("organisations.json", organisations::json(site)));
    let sizes: Vec<(&str, usize)> = files.iter().map(|(n, b)| (*n, b.len())).collect();
    files.push((CATALOG_FILE, catalog::catalog(site, plan, texts, &sizes)));
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = plan
                .file_path(FileKind::OpenData(name), site.default_lang())
                .unwrap_or_default();
            (file_of(&path), bytes)
        })
        .collect()
}

#[cfg(test)]
mod tests;
