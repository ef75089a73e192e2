//! `organisations.json`: the organisations of `data/organisations.yaml` by key (the key the
//! other files name them by), with the projects they take part in and their role there.
//!
//! Their notes are left out: free text that could name a person, where every other field
//! is a fact about the organisation itself.

use serde_json::{Value, json};

use super::{Column, Dataset, Format, json_bytes};
use crate::model::Site;

pub(super) const DATASET: Dataset = Dataset {
    id: "organisations",
    files: &[("organisations.json", Format::Json)],
    columns: &[
        Column {
            names: &["key"],
            text: "opendata_col_org_key",
        },
        Column {
            names: &["name", "short"],
            text: "opendata_col_org_name",
        },
        Column {
            names: &["kind"],
            text: "opendata_col_org_kind",
        },
        Column {
            names: &["website"],
            text: "opendata_col_website",
        },
        Column {
            names: &["projects"],
            text: "opendata_col_org_projects",
        },
    ],
    themes: &["SOCI"],
};

/// The file.
pub(super) fn json(site: &Site) -> Vec<u8> {
    let records: Vec<Value> = site
        .orgs
        .iter()
        .map(|(key, o)| {
            // Lead first, then the partners in the sheet's order; projects by key.
            let mut projects = Vec::new();
            for p in &site.projects {
                let fm = &p.source(&site.langs).fm;
                if fm.lead.as_ref().is_some_and(|l| &l.value == key) {
                    projects.push(json!({"project": p.key, "role": "lead"}));
                }
                for partner in fm.partners.iter().filter(|x| &x.org.value == key) {
                    projects.push(json!({"project": p.key, "role": partner.role.key()}));
                }
            }
            let kind = serde_json::to_value(o.kind).unwrap_or(Value::Null);
            json!({
                "key": key,
                "name": o.name,
                "short": o.short,
                "kind": kind,
                "website": o.website.as_ref().map(|w| w.value.clone()),
                "projects": projects,
            })
        })
        .collect();
    json_bytes(&Value::Array(records))
}
