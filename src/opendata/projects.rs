//! `projects.csv` and `projects.json`: one record per project sheet, from its front matter
//! (never its Markdown text), with the addresses of its pages.

use serde_json::{Value, json};

use super::tables::{Table, list, per_lang_names};
use super::{Column, Dataset, Format, json_bytes, number, page_urls, per_lang, text_or_null};
use crate::model::Site;
use crate::model::yaml::RegionSel;
use crate::plan::{PageKind, Plan};

pub(super) const DATASET: Dataset = Dataset {
    id: "projects",
    files: &[
        ("projects.csv", Format::Csv),
        ("projects.json", Format::Json),
    ],
    columns: &[
        Column {
            names: &["key"],
            text: "opendata_col_project_key",
        },
        Column {
            names: &["title_*"],
            text: "opendata_col_title",
        },
        Column {
            names: &["acronym"],
            text: "opendata_col_acronym",
        },
        Column {
            names: &["status"],
            text: "opendata_col_project_status",
        },
        Column {
            names: &["period_start", "period_end"],
            text: "opendata_col_period",
        },
        Column {
            names: &["funds"],
            text: "opendata_col_funds",
        },
        Column {
            names: &["prog", "cup"],
            text: "opendata_col_codes",
        },
        Column {
            names: &["lead"],
            text: "opendata_col_lead",
        },
        Column {
            names: &["partners"],
            text: "opendata_col_partners",
        },
        Column {
            names: &["regions"],
            text: "opendata_col_regions",
        },
        Column {
            names: &["unit_cost_amount", "unit_cost_currency", "unit_cost_label"],
            text: "opendata_col_unit_cost",
        },
        Column {
            names: &["website"],
            text: "opendata_col_website",
        },
        Column {
            names: &["updated"],
            text: "opendata_col_updated",
        },
        Column {
            names: &["page_*"],
            text: "opendata_col_page",
        },
    ],
    themes: &["SOCI", "ECON"],
};

/// The regions of a project: its region keys, or `all` (every region).
fn regions(sel: &RegionSel) -> Vec<String> {
    match sel {
        RegionSel::All => vec!["all".to_string()],
        RegionSel::Some(list) => list.iter().map(|r| r.value.clone()).collect(),
    }
}

/// The two files: CSV, JSON.
pub(super) fn files(site: &Site, plan: &Plan) -> (Vec<u8>, Vec<u8>) {
    let langs: Vec<&str> = site.langs.iter().map(|l| l.code.as_str()).collect();
    let mut header: Vec<String> = vec!["key".into()];
    header.extend(per_lang_names("title", &langs));
    header.extend(
        [
            "acronym",
            "status",
            "period_start",
            "period_end",
            "funds",
            "prog",
            "cup",
            "lead",
            "partners",
            "regions",
            "unit_cost_amount",
            "unit_cost_currency",
            "unit_cost_label",
            "website",
            "updated",
        ]
        .map(String::from),
    );
    header.extend(per_lang_names("page", &langs));
    let mut table = Table::new(header);
    let mut records = Vec::new();
    for e in &site.projects {
        let fm = &e.source(&site.langs).fm;
        // Titles only where the sheet is written in the language: no fallback text.
        let titles: Vec<(String, String)> = langs
            .iter()
            .map(|l| {
                let t = e.docs.get(*l).map(|d| d.fm.title.clone());
                (l.to_string(), t.unwrap_or_default())
            })
            .collect();
        let pages = page_urls(site, plan, PageKind::Project, &e.key);
        let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let period = fm.period.as_ref();
        let start = date(period.and_then(|p| p.start));
        let end = date(period.and_then(|p| p.end));
        let funds: Vec<String> = fm.funds.iter().map(|f| f.value.clone()).collect();
        let codes = fm.codes.as_ref();
        let prog = codes.and_then(|c| c.prog.clone()).unwrap_or_default();
        let cup = codes.and_then(|c| c.cup.clone()).unwrap_or_default();
        let lead = fm
            .lead
            .as_ref()
            .map(|l| l.value.clone())
            .unwrap_or_default();
        let partners: Vec<(String, &str)> = fm
            .partners
            .iter()
            .map(|p| (p.org.value.clone(), p.role.key()))
            .collect();
        let regions = regions(&fm.regions.value);
        let cost = fm.unit_cost.as_ref();
        let website = fm
            .website
            .as_ref()
            .map(|w| w.value.clone())
            .unwrap_or_default();
        let updated = date(fm.updated);
        let status = serde_json::to_value(fm.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();

        let mut row = vec![e.key.clone()];
        row.extend(titles.iter().map(|(_, t)| t.clone()));
        row.extend([
            fm.acronym.clone().unwrap_or_default(),
            status.clone(),
            start.clone(),
            end.clone(),
            list(&funds),
            prog.clone(),
            cup.clone(),
            lead.clone(),
            list(partners.iter().map(|(o, r)| format!("{o}:{r}"))),
            list(&regions),
            cost.map(|c| number(c.amount)).unwrap_or_default(),
            cost.map(|c| c.currency.clone()).unwrap_or_default(),
            cost.and_then(|c| c.label.clone()).unwrap_or_default(),
            website.clone(),
            updated.clone(),
        ]);
        row.extend(pages.iter().map(|(_, u)| u.clone()));
        table.push(row);

        records.push(json!({
            "key": e.key,
            "title": per_lang(titles.into_iter().filter(|(_, t)| !t.is_empty())),
            "acronym": fm.acronym,
            "status": status,
            "period": {"start": text_or_null(&start), "end": text_or_null(&end)},
            "funds": funds,
            "codes": {"prog": text_or_null(&prog), "cup": text_or_null(&cup)},
            "lead": text_or_null(&lead),
            "partners": partners.iter().map(|(o, r)| json!({"org": o, "role": r})).collect::<Vec<_>>(),
            "regions": regions,
            "unit_cost": cost.map(|c| json!({"amount": c.amount, "currency": c.currency, "label": c.label})),
            "website": text_or_null(&website),
            "updated": text_or_null(&updated),
            "pages": per_lang(pages),
        }));
    }
    (table.to_csv(), json_bytes(&Value::Array(records)))
}
