//! The demo site's open data, read as a reuser reads it: every file of `/opendata/` parsed
//! (the CSV files with the `csv` crate, JSON and JSON-LD with serde_json) and compared with
//! the sources (content/projects, data/events), the catalogue checked for each file, its
//! media type and the licence, and no string of a story's `person` or `consent` block
//! anywhere in the folder. The data pages: one per language, in the sitemap, linked from the
//! footer, their tables with a caption and header cells, their JSON-LD parsed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use serde_json::Value;

/// The demo, built once per test.
fn demo_build() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = demo_copy();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    (t, out)
}

fn csv_rows(out: &Path, name: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let bytes = std::fs::read(out.join("opendata").join(name)).unwrap();
    assert!(std::str::from_utf8(&bytes).is_ok(), "{name} is UTF-8");
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(
                rec.len(),
                header.len(),
                "{name}: a row as long as the header"
            );
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

fn json(out: &Path, name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("opendata").join(name)).unwrap())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The front matter of a Markdown text, as JSON values.
fn front_matter(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let fm = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---"))
        .map(|(fm, _)| fm)
        .unwrap_or_else(|| panic!("{}: no front matter", path.display()));
    serde_saphyr::from_str(fm).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

#[test]
fn every_project_of_the_sources_is_in_both_files_with_its_codes() {
    let (_t, out) = demo_build();
    let (header, rows) = csv_rows(&out, "projects.csv");
    for col in [
        "key", "title_it", "title_ar", "prog", "cup", "lead", "partners", "page_en",
    ] {
        assert!(header.iter().any(|h| h == col), "projects.csv has {col}");
    }
    let records = json(&out, "projects.json");
    let records = records.as_array().unwrap();
    let mut keys = BTreeSet::new();
    for dir in std::fs::read_dir(demo_root().join("content/projects")).unwrap() {
        let dir = dir.unwrap().path();
        let key = dir.file_name().unwrap().to_string_lossy().to_string();
        let fm = front_matter(&dir.join("index.it.md"));
        if fm.get("draft").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        keys.insert(key.clone());
        let row = rows
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("{key} in projects.csv"));
        let rec = records
            .iter()
            .find(|r| r["key"] == key.as_str())
            .unwrap_or_else(|| panic!("{key} in projects.json"));
        assert_eq!(row["title_it"], str_of(&fm, "title"), "{key}");
        assert_eq!(rec["title"]["it"], str_of(&fm, "title"), "{key}");
        let codes = fm.get("codes").cloned().unwrap_or(Value::Null);
        for code in ["prog", "cup"] {
            let want = str_of(&codes, code);
            assert_eq!(row[code], want, "{key} {code}");
            assert_eq!(
                rec["codes"][code].as_str().unwrap_or_default(),
                want,
                "{key} {code}"
            );
        }
        assert_eq!(row["lead"], str_of(&fm, "lead"), "{key}");
        assert_eq!(row["status"], str_of(&fm, "status"), "{key}");
        let partners: Vec<String> = fm
            .get("partners")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .map(|p| format!("{}:{}", str_of(p, "org"), str_of(p, "role")))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(row["partners"], partners.join(";"), "{key}");
        assert!(row["page_it"].ends_with(&format!("/{key}/")), "{key}");
    }
    let in_csv: BTreeSet<String> = rows.iter().map(|r| r["key"].clone()).collect();
    assert_eq!(in_csv, keys);
    assert_eq!(records.len(), keys.len());
}

#[test]
fn every_event_of_the_calendars_is_in_both_files_with_its_offset() {
    let (_t, out) = demo_build();
    let (_, rows) = csv_rows(&out, "events.csv");
    let records = json(&out, "events.json");
    let records = records.as_array().unwrap();
    let mut ids = BTreeSet::new();
    for f in std::fs::read_dir(demo_root().join("data/events")).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let events: Vec<Value> = serde_saphyr::from_str(&text).unwrap();
        for e in events {
            let id = str_of(&e, "id").to_string();
            ids.insert(id.clone());
            let row = rows
                .iter()
                .find(|r| r["id"] == id)
                .unwrap_or_else(|| panic!("{id} in events.csv"));
            let rec = records
                .iter()
                .find(|r| r["id"] == id.as_str())
                .unwrap_or_else(|| panic!("{id} in events.json"));
            let start = str_of(&e, "start");
            let zone = e
                .get("timezone")
                .and_then(Value::as_str)
                .unwrap_or("Europe/Rome");
            assert_eq!(row["timezone"], zone, "{id}");
            let want = if start.contains('T') {
                let dt: jiff::civil::DateTime = start.parse().unwrap();
                dt.in_tz(zone)
                    .unwrap()
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            } else {
                start.to_string()
            };
            assert_eq!(row["start"], want, "{id}");
            assert_eq!(rec["start"], want.as_str(), "{id}");
            assert_eq!(row["title_it"], str_of(&e["title"], "it"), "{id}");
            assert!(
                row["ics_it"].ends_with(&format!("/{id}.ics")),
                "{id}: {}",
                row["ics_it"]
            );
        }
    }
    let in_csv: BTreeSet<String> = rows.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(in_csv, ids);
}

#[test]
fn the_key_figures_and_organisations_read_back() {
    let (_t, out) = demo_build();
    let (_, rows) = csv_rows(&out, "indicators.csv");
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(!r["project"].is_empty() && !r["figure"].is_empty(), "{r:?}");
        assert!(r["value"].parse::<f64>().is_ok(), "{r:?}");
        assert!(r["as_of"].parse::<jiff::civil::Date>().is_ok(), "{r:?}");
    }
    let orgs = json(&out, "organisations.json");
    let keys: BTreeSet<&str> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["key"].as_str().unwrap())
        .collect();
    // Every organisation the projects name is described.
    let (_, projects) = csv_rows(&out, "projects.csv");
    for p in &projects {
        for org in p["partners"]
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|s| s.split(':').next().unwrap())
            .chain([p["lead"].as_str()].into_iter().filter(|s| !s.is_empty()))
        {
            assert!(keys.contains(org), "{org}");
        }
    }
}

#[test]
fn the_catalogue_names_each_file_with_its_media_type_and_the_licence() {
    let (_t, out) = demo_build();
    let cat = json(&out, "catalog.jsonld");
    assert_eq!(
        cat["@context"]["dcatapit"],
        "http://dati.gov.it/onto/dcatapit#"
    );
    let graph = cat["@graph"].as_array().unwrap();
    let typed = |t: &str| -> Vec<&Value> {
        graph
            .iter()
            .filter(|n| {
                n["@type"]
                    .as_array()
                    .is_some_and(|ts| ts.iter().any(|x| x == t))
            })
            .collect()
    };
    let catalog = typed("dcatapit:Catalog");
    assert_eq!(catalog.len(), 1);
    assert_eq!(typed("dcat:Catalog").len(), 1);
    assert!(catalog[0]["dct:modified"]["@value"].is_string());
    let datasets = typed("dcatapit:Dataset");
    assert_eq!(datasets.len(), 4);
    for d in &datasets {
        for p in [
            "dct:identifier",
            "dct:title",
            "dct:description",
            "dct:modified",
            "dcat:theme",
            "dct:rightsHolder",
            "dct:accrualPeriodicity",
            "dcat:distribution",
        ] {
            assert!(!d[p].is_null(), "{} has {p}", d["@id"]);
        }
    }
    let licence = typed("dcatapit:LicenseDocument");
    assert_eq!(licence.len(), 1);
    assert_eq!(
        licence[0]["@id"],
        "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40"
    );
    assert_eq!(
        licence[0]["foaf:name"],
        "Creative Commons Attribution 4.0 International"
    );
    let agents = typed("dcatapit:Agent");
    assert_eq!(agents.len(), 1);
    assert!(agents[0]["foaf:name"].is_string() && agents[0]["dct:identifier"].is_string());
    let dists = typed("dcatapit:Distribution");
    let files = [
        ("projects.csv", "text/csv", "CSV"),
        ("projects.json", "application/json", "JSON"),
        ("events.csv", "text/csv", "CSV"),
        ("events.json", "application/json", "JSON"),
        ("indicators.csv", "text/csv", "CSV"),
        ("organisations.json", "application/json", "JSON"),
    ];
    assert_eq!(dists.len(), files.len());
    for (file, media, format) in files {
        let url = format!("https://vetrina.example.org/opendata/{file}");
        let d = dists
            .iter()
            .find(|d| d["dcat:downloadURL"]["@id"] == url.as_str())
            .unwrap_or_else(|| panic!("{file} in the catalogue"));
        assert_eq!(d["dcat:accessURL"]["@id"], url.as_str());
        assert_eq!(
            d["dcat:mediaType"]["@id"],
            format!("https://www.iana.org/assignments/media-types/{media}").as_str()
        );
        assert_eq!(
            d["dct:format"]["@id"],
            format!("http://publications.europa.eu/resource/authority/file-type/{format}").as_str()
        );
        assert_eq!(d["dct:license"]["@id"], licence[0]["@id"]);
        let size = std::fs::metadata(out.join("opendata").join(file))
            .unwrap()
            .len();
        assert_eq!(d["dcat:byteSize"]["@value"], size.to_string().as_str());
        // Each distribution belongs to a data set.
        let id = d["@id"].as_str().unwrap();
        assert!(
            datasets.iter().any(|ds| ds["dcat:distribution"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["@id"] == id)),
            "{file}"
        );
    }
}

/// Every string of the `person` and `consent` blocks of the demo's stories that is not one
/// of the fixed words of their keys (`pseudonym`, `self`, `web`, …) or a date.
fn personal_strings() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    fn strings(v: &Value, into: &mut BTreeSet<String>) {
        match v {
            Value::String(s) => {
                let fixed = [
                    "named",
                    "first-name",
                    "pseudonym",
                    "anonymous",
                    "self",
                    "parent",
                    "guardian",
                    "web",
                    "social",
                    "print",
                ];
                if !fixed.contains(&s.as_str()) && s.parse::<jiff::civil::Date>().is_err() {
                    into.insert(s.clone());
                }
            }
            Value::Array(a) => a.iter().for_each(|x| strings(x, into)),
            Value::Object(o) => o.values().for_each(|x| strings(x, into)),
            _ => {}
        }
    }
    for dir in std::fs::read_dir(demo_root().join("content/stories")).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "md") {
                let fm = front_matter(&p);
                for block in ["person", "consent"] {
                    strings(&fm[block], &mut found);
                }
            }
        }
    }
    found
}

#[test]
fn no_string_of_a_story_person_or_consent_is_published_as_open_data() {
    let (_t, out) = demo_build();
    let secrets = personal_strings();
    assert!(secrets.len() >= 6, "{secrets:?}");
    for e in std::fs::read_dir(out.join("opendata")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{} holds {s:?}", p.display());
        }
    }
}

#[test]
fn a_data_page_per_language_in_the_sitemap_and_the_footer() {
    let (_t, out) = demo_build();
    let sitemap = read(&out, "sitemap.xml");
    for (page, lang) in [
        ("dati/index.html", "it"),
        ("en/data/index.html", "en"),
        ("fr/donnees/index.html", "fr"),
        ("ar/data/index.html", "ar"),
    ] {
        let html = read(&out, page);
        let doc = scraper::Html::parse_document(&html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        assert!(
            html.contains(&format!("<html lang=\"{lang}\"")),
            "{page}: lang"
        );
        let tables: Vec<_> = doc.select(&sel("table")).collect();
        assert_eq!(tables.len(), 4, "{page}: a table per data set");
        for t in &tables {
            assert_eq!(t.select(&sel("caption")).count(), 1, "{page}");
            assert_eq!(t.select(&sel("thead th[scope=col]")).count(), 2, "{page}");
            assert!(t.select(&sel("tbody th[scope=row]")).count() > 3, "{page}");
        }
        // Every file is linked with its media type, and the catalogue too.
        for file in [
            "projects.csv",
            "projects.json",
            "events.csv",
            "events.json",
            "indicators.csv",
            "organisations.json",
            "catalog.jsonld",
        ] {
            assert!(
                doc.select(&sel("a[href][type]")).any(|a| a
                    .value()
                    .attr("href")
                    .unwrap()
                    .ends_with(&format!("opendata/{file}"))),
                "{page}: {file}"
            );
        }
        assert!(
            doc.select(&sel("a[rel=license]"))
                .any(|a| a.value().attr("href")
                    == Some("https://creativecommons.org/licenses/by/4.0/")),
            "{page}: the licence"
        );
        let ld = doc
            .select(&sel("script[type=\"application/ld+json\"]"))
            .next()
            .expect("JSON-LD");
        let ld: Value = serde_json::from_str(&ld.text().collect::<String>()).unwrap();
        assert_eq!(ld["@type"], "DataCatalog");
        let datasets = ld["dataset"].as_array().unwrap();
        assert_eq!(datasets.len(), 4);
        for d in datasets {
            assert_eq!(d["@type"], "Dataset");
            assert!(d["name"].is_string() && d["description"].as_str().unwrap().len() > 50);
            assert_eq!(d["license"], "https://creativecommons.org/licenses/by/4.0/");
        }
        let url = format!(
            "https://vetrina.example.org/{}",
            page.trim_end_matches("index.html")
        );
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
    // Every page's footer links the data page of its language.
    let home = read(&out, "en/index.html");
    assert!(home.contains("href=\"data/index.html\""), "footer link");
}
