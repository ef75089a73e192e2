//! `events.csv` and `events.json`: one record per event of `data/events/`, its times with
//! their UTC offset and time zone, with the addresses of its pages and calendar files.
//!
//! The programme is left out: its speakers are a role and an organisation (the model has no
//! field for a personal name), and the data set keeps to the event's own facts.

use jiff::civil::DateTime;
use serde_json::{Value, json};

use super::tables::{Table, list, per_lang_names};
use super::{Column, Dataset, Format, json_bytes, page_urls, per_lang, text_or_null};
use crate::model::{Event, Site};
use crate::plan::{FileKind, PageKind, Plan, Scope};

pub(super) const DATASET: Dataset = Dataset {
    id: "events",
    files: &[("events.csv", Format::Csv), ("events.json", Format::Json)],
    columns: &[
        Column {
            names: &["id"],
            text: "opendata_col_event_id",
        },
        Column {
            names: &["kind"],
            text: "opendata_col_event_kind",
        },
        Column {
            names: &["title_*"],
            text: "opendata_col_title",
        },
        Column {
            names: &["start", "end"],
            text: "opendata_col_event_times",
        },
        Column {
            names: &["timezone"],
            text: "opendata_col_timezone",
        },
        Column {
            names: &["all_day"],
            text: "opendata_col_all_day",
        },
        Column {
            names: &["status"],
            text: "opendata_col_event_status",
        },
        Column {
            names: &["regions"],
            text: "opendata_col_regions",
        },
        Column {
            names: &["projects"],
            text: "opendata_col_event_projects",
        },
        Column {
            names: &["organiser"],
            text: "opendata_col_organiser",
        },
        Column {
            names: &["venue_name", "venue_address", "venue_city"],
            text: "opendata_col_venue",
        },
        Column {
            names: &["online_platform", "online_url"],
            text: "opendata_col_online",
        },
        Column {
            names: &["registration"],
            text: "opendata_col_registration",
        },
        Column {
            names: &["page_*"],
            text: "opendata_col_page",
        },
        Column {
            names: &["ics_*"],
            text: "opendata_col_ics",
        },
    ],
    themes: &["SOCI"],
};

/// A time of the event as RFC 3339 writes it, with its offset from UTC in its zone
/// (`2021-07-13T14:30:00+02:00`); the date alone for an event whose time is not known.
pub(super) fn time(e: &Event, dt: DateTime) -> String {
    if e.all_day {
        return dt.date().to_string();
    }
    match e.zoned(dt) {
        Some(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        None => dt.to_string(),
    }
}

/// A name of the model's kebab-case enums, as site files write it.
fn kebab<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The two files: CSV, JSON.
pub(super) fn files(site: &Site, plan: &Plan) -> (Vec<u8>, Vec<u8>) {
    let langs: Vec<&str> = site.langs.iter().map(|l| l.code.as_str()).collect();
    let mut header: Vec<String> = vec!["id".into(), "kind".into()];
    header.extend(per_lang_names("title", &langs));
    header.extend(
        [
            "start",
            "end",
            "timezone",
            "all_day",
            "status",
            "regions",
            "projects",
            "organiser",
            "venue_name",
            "venue_address",
            "venue_city",
            "online_platform",
            "online_url",
            "registration",
        ]
        .map(String::from),
    );
    header.extend(per_lang_names("page", &langs));
    header.extend(per_lang_names("ics", &langs));
    let mut table = Table::new(header);
    let mut records = Vec::new();
    for e in &site.events {
        let d = &e.data;
        let titles: Vec<(String, String)> = langs
            .iter()
            .map(|l| {
                let t = d.title.has(l).then(|| d.title.get(l, l).to_string());
                (l.to_string(), t.unwrap_or_default())
            })
            .collect();
        let start = time(e, e.start);
        let end = e.end.map(|t| time(e, t)).unwrap_or_default();
        let regions: Vec<String> = d.regions.iter().map(|r| r.value.clone()).collect();
        let projects: Vec<String> = d.projects.iter().map(|p| p.value.clone()).collect();
        let organiser = d
            .organiser
            .as_ref()
            .map(|o| o.value.clone())
            .unwrap_or_default();
        let venue = d.venue.as_ref();
        let online = d.online.as_ref();
        let online_url = online
            .and_then(|o| o.url.as_ref())
            .map(|u| u.value.clone())
            .unwrap_or_default();
        let registration = d
            .registration
            .as_ref()
            .map(|r| r.value.clone())
            .unwrap_or_default();
        let pages = page_urls(site, plan, PageKind::Event, e.id());
        let calendars: Vec<(String, String)> = langs
            .iter()
            .map(|l| {
                let url = plan
                    .file_path(FileKind::Calendar(Scope::Event(e.id())), l)
                    .map(|p| format!("{}{p}", site.base_url))
                    .unwrap_or_default();
                (l.to_string(), url)
            })
            .collect();
        let kind = kebab(d.kind);
        let status = kebab(d.status);

        let mut row = vec![e.id().to_string(), kind.clone()];
        row.extend(titles.iter().map(|(_, t)| t.clone()));
        row.extend([
            start.clone(),
            end.clone(),
            e.timezone.clone(),
            e.all_day.to_string(),
            status.clone(),
            list(&regions),
            list(&projects),
            organiser.clone(),
            venue.map(|v| v.name.clone()).unwrap_or_default(),
            venue.and_then(|v| v.address.clone()).unwrap_or_default(),
            venue.and_then(|v| v.city.clone()).unwrap_or_default(),
            online.map(|o| o.platform.clone()).unwrap_or_default(),
            online_url.clone(),
            registration.clone(),
        ]);
        row.extend(pages.iter().map(|(_, u)| u.clone()));
        row.extend(calendars.iter().map(|(_, u)| u.clone()));
        table.push(row);

        records.push(json!({
            "id": e.id(),
            "kind": kind,
            "title": per_lang(titles.into_iter().filter(|(_, t)| !t.is_empty())),
            "start": start,
            "end": text_or_null(&end),
            "timezone": e.timezone,
            "all_day": e.all_day,
            "status": status,
            "regions": regions,
            "projects": projects,
            "organiser": text_or_null(&organiser),
            "venue": venue.map(|v| json!({"name": v.name, "address": v.address, "city": v.city})),
            "online": online.map(|o| json!({"platform": o.platform, "url": text_or_null(&online_url)})),
            "registration": text_or_null(&registration),
            "pages": per_lang(pages),
            "calendars": per_lang(calendars),
        }));
    }
    (table.to_csv(), json_bytes(&Value::Array(records)))
}
