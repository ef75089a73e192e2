//! The open data of a small site built in memory: what each file holds, read back with the
//! crates a reuser would use, and what it must never hold.

use super::*;
use crate::model::testing::{SITE_YAML, STORY, STORY_PATH, TODAY, build_site, files, lines};

/// A project whose title needs every kind of CSV quoting, and an event.
const PROJECT: &str = "---\ntitle: \"Lavoro, casa e \\\"futuro\\\"\\nseconda riga\"\nacronym: \"LCF\"\nsummary: \"Un progetto di prova.\"\nstatus: ongoing\nfunds: []\ncodes: {prog: PROG-1, cup: X1}\nregions: [lazio, puglia]\nunit_cost: {amount: 12.5, currency: EUR}\nupdated: 2025-03-01\n---\n\nTesto.\n";

const EVENTS: &str = "- id: incontro\n  kind: meeting\n  title: {it: \"Incontro\"}\n  start: 2021-07-13T14:30\n  end: 2021-07-13T17:00\n  timezone: Europe/Rome\n  regions: [lazio]\n  projects: [alfa]\n  online: {platform: Teams}\n  updated: 2021-07-01\n- id: giornata\n  kind: seminar\n  title: {it: \"Giornata\"}\n  start: 2021-12-01\n  venue: {name: \"Sala, \\\"A\\\"\", city: Roma}\n";

fn site_with(extra: &[(&str, &str)]) -> Site {
    let mut all = vec![
        ("content/projects/alfa/index.it.md", PROJECT),
        (STORY_PATH, STORY),
        ("data/events/prova.yaml", EVENTS),
    ];
    all.extend_from_slice(extra);
    let (site, d) = build_site(&files(&all), TODAY);
    assert_eq!(lines(&d), Vec::<String>::new());
    site.expect("a site")
}

fn texts(_: &str, key: &str) -> Option<String> {
    Some(format!("[{key}]"))
}

fn published(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let mut d = crate::diag::Diagnostics::new();
    let plan = crate::plan::plan(site, &mut d);
    super::files(site, &plan, &texts).into_iter().collect()
}

use std::collections::BTreeMap;

fn rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn every_file_is_published_under_opendata() {
    let out = published(&site_with(&[]));
    let names: Vec<&str> = out.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "opendata/catalog.jsonld",
            "opendata/events.csv",
            "opendata/events.json",
            "opendata/indicators.csv",
            "opendata/organisations.json",
            "opendata/projects.csv",
            "opendata/projects.json",
        ]
    );
}

#[test]
fn a_title_with_a_comma_quotes_and_a_line_break_survives_the_csv() {
    let out = published(&site_with(&[]));
    let csv = &out["opendata/projects.csv"];
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(
        text.contains("alfa,\"Lavoro, casa e \"\"futuro\"\"\nseconda riga\",LCF,ongoing"),
        "{text}"
    );
    assert!(text.starts_with("key,title_it,acronym,status,"), "{text}");
    let rows = rows(csv);
    assert_eq!(rows.len(), 1);
    let p = &rows[0];
    assert_eq!(p["title_it"], "Lavoro, casa e \"futuro\"\nseconda riga");
    assert_eq!(p["prog"], "PROG-1");
    assert_eq!(p["cup"], "X1");
    assert_eq!(p["regions"], "lazio;puglia");
    assert_eq!(p["unit_cost_amount"], "12.5");
    assert_eq!(p["page_it"], "https://www.example.org/projects/alfa/");
    let json: serde_json::Value = serde_json::from_slice(&out["opendata/projects.json"]).unwrap();
    assert_eq!(json[0]["title"]["it"], p["title_it"].as_str());
    assert_eq!(json[0]["regions"], serde_json::json!(["lazio", "puglia"]));
}

#[test]
fn event_times_carry_their_offset_and_a_day_alone_stays_a_day() {
    let out = published(&site_with(&[]));
    let rows = rows(&out["opendata/events.csv"]);
    let by_id = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap();
    let e = by_id("incontro");
    assert_eq!(e["start"], "2021-07-13T14:30:00+02:00");
    assert_eq!(e["end"], "2021-07-13T17:00:00+02:00");
    assert_eq!(e["timezone"], "Europe/Rome");
    assert_eq!(e["all_day"], "false");
    assert_eq!(e["ics_it"], "https://www.example.org/events/incontro.ics");
    let d = by_id("giornata");
    assert_eq!(d["start"], "2021-12-01");
    assert_eq!(d["all_day"], "true");
    assert_eq!(d["venue_name"], "Sala, \"A\"");
}

#[test]
fn nothing_of_a_story_is_exported() {
    let out = published(&site_with(&[]));
    for (name, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        for secret in ["Amina", "R-1", "Dal tirocinio al lavoro", "pseudonym"] {
            assert!(!text.contains(secret), "{name} holds {secret}");
        }
    }
}

#[test]
fn the_licence_is_cc_by_4_unless_site_yaml_names_another() {
    let site = site_with(&[]);
    assert_eq!(
        licence(&site).url(),
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let yaml = format!("{SITE_YAML}open_data:\n  licence: CC0-1.0\n");
    let site = site_with(&[("site.yaml", yaml.as_str())]);
    assert_eq!(
        licence(&site).url(),
        "https://creativecommons.org/publicdomain/zero/1.0/"
    );
    let catalog: serde_json::Value =
        serde_json::from_slice(&published(&site)["opendata/catalog.jsonld"]).unwrap();
    let text = catalog.to_string();
    assert!(text.contains("licences/A11_CCO10"), "{text}");
    assert!(text.contains("licencetype/PublicDomain"), "{text}");
    let yaml = format!("{SITE_YAML}open_data:\n  licence: \"https://example.org/licenza\"\n");
    let site = site_with(&[("site.yaml", yaml.as_str())]);
    assert_eq!(
        licence(&site),
        DataLicence::Url("https://example.org/licenza".into())
    );
}

#[test]
fn the_catalogue_dates_come_from_the_content() {
    let site = site_with(&[]);
    assert_eq!(modified(&site, "projects").to_string(), "2025-03-01");
    // The newest of `updated` and, without it, the start.
    assert_eq!(modified(&site, "events").to_string(), "2021-12-01");
    assert_eq!(catalog_modified(&site).to_string(), "2025-03-01");
    let catalog: serde_json::Value =
        serde_json::from_slice(&published(&site)["opendata/catalog.jsonld"]).unwrap();
    let graph = catalog["@graph"].as_array().unwrap();
    let cat = &graph[0];
    assert_eq!(
        cat["@type"],
        serde_json::json!(["dcat:Catalog", "dcatapit:Catalog"])
    );
    assert_eq!(cat["dct:modified"]["@value"], "2025-03-01");
    // The same bytes every time.
    assert_eq!(published(&site), published(&site));
}
