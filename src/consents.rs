//! The consent register (`vetrina consents`): one row per story about a person, with what its
//! consent record says and what the build does with it (published, expiring, taken down,
//! refused), and the addresses where it is published.
//!
//! Everything in it comes from the front matter and the site's addresses: the register is a
//! view for communications staff and data protection officers, not a second record.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::model::privacy::{days_between, warning_days};
use crate::model::schema::{GivenBy, Identifiability, Scope, StoryFm, StoryKind};
use crate::model::{Entity, Site};
use crate::options::BuildOptions;
use crate::report::Report;
use jiff::civil::Date;

/// One story about a person.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// The story's key: the name of its folder under content/stories.
    pub slug: String,
    /// The title in the story's original language.
    pub title: String,
    pub languages: Vec<String>,
    pub project: String,
    pub region: String,
    pub kind: String,
    pub display_name: String,
    pub identifiability: String,
    pub minor: bool,
    pub reference: String,
    pub consent_date: String,
    pub given_by: String,
    pub scope: Vec<String>,
    pub expires: Option<String>,
    pub withdrawn: bool,
    pub withdrawn_on: Option<String>,
    pub withdrawal_reason: Option<String>,
    /// `published`, `expires in N days`, `taken down: expired`, `taken down: withdrawn` or
    /// `refused: <why>`.
    pub status: String,
    /// Days from the register's date to the expiry (negative once expired).
    pub days_left: Option<i64>,
    /// The web addresses where the story is published, one per language of the site.
    pub addresses: Vec<String>,
}

/// The register of a site on a given day.
#[derive(Debug, Serialize)]
pub struct Register {
    pub date: String,
    pub expiry_warning_days: u32,
    /// Only consents expiring within this many days (or expired) are listed.
    pub within: Option<u32>,
    pub stories: Vec<Entry>,
}

/// Reads the site and makes its register; `None` if the site cannot be read at all (the
/// reasons are in the report). Errors elsewhere in the site do not stop it.
pub fn register(opts: &BuildOptions, within: Option<u32>) -> (Report, Option<Register>) {
    let (report, site) = crate::pipeline::read_model(opts);
    let Some(site) = site else {
        return (report, None);
    };
    let plan = crate::plan::plan(&site, &mut Diagnostics::new());
    let days = warning_days(&site);
    let mut stories = Vec::new();
    for story in &site.stories {
        if let Some(mut e) = entry(story, &site, days, None) {
            if e.status == "published" || e.status.starts_with("expires in") {
                e.addresses = site
                    .langs
                    .iter()
                    .filter_map(|l| plan.path(crate::plan::PageKind::Story, &story.key, &l.code))
                    .map(|p| format!("{}{p}", site.base_url))
                    .collect();
            }
            stories.push(e);
        }
    }
    for t in &site.taken_down {
        let withdrawn = t.reason.contains("withdrawn");
        if let Some(e) = entry(&t.story, &site, days, Some(withdrawn)) {
            stories.push(e);
        }
    }
    if let Some(w) = within {
        stories.retain(|e| e.days_left.is_some_and(|d| d <= i64::from(w)));
    }
    stories.sort_by(|a, b| a.slug.cmp(&b.slug));
    let reg = Register {
        date: site.today.to_string(),
        expiry_warning_days: days,
        within,
        stories,
    };
    (report, Some(reg))
}

fn entry(
    story: &Entity<StoryFm>,
    site: &Site,
    days: u32,
    taken_down: Option<bool>,
) -> Option<Entry> {
    let fm = &story.source(&site.langs).fm;
    // About a person, or with a consent record (someone shown or quoted in it agreed).
    if !about_person(fm) && fm.consent.is_none() {
        return None;
    }
    let person = fm.person.as_ref().map(|p| &p.value);
    let consent = fm.consent.as_ref().map(|c| &c.value);
    let expires = consent.and_then(|c| c.expires.as_ref()).map(|e| e.value);
    let days_left = expires.map(|e| days_between(site.today, e));
    let status = match taken_down {
        Some(true) => "taken down: withdrawn".to_string(),
        Some(false) => "taken down: expired".to_string(),
        None => match refusal(story) {
            Some(why) => format!("refused: {why}"),
            None => match days_left {
                Some(0) => "expires today".to_string(),
                Some(1) => "expires in 1 day".to_string(),
                Some(n) if n <= i64::from(days) => format!("expires in {n} days"),
                _ => "published".to_string(),
            },
        },
    };
    let scope: BTreeSet<Scope> = consent
        .map(|c| c.scope.iter().copied().collect())
        .unwrap_or_default();
    Some(Entry {
        slug: story.key.clone(),
        title: fm.title.clone(),
        languages: story.docs.keys().cloned().collect(),
        project: fm.project.value.clone(),
        region: fm.region.value.clone(),
        kind: name(&fm.kind.value),
        display_name: person
            .map(|p| p.display_name.value.clone())
            .unwrap_or_default(),
        identifiability: person
            .map(|p| name(&p.identifiability.value))
            .unwrap_or_default(),
        minor: person
            .and_then(|p| p.minor.as_ref())
            .is_some_and(|m| m.value),
        reference: consent.map(|c| c.reference.clone()).unwrap_or_default(),
        consent_date: consent.map(|c| c.date.to_string()).unwrap_or_default(),
        given_by: consent
            .map(|c| given_by(c.given_by.value))
            .unwrap_or_default(),
        scope: scope.iter().map(name).collect(),
        expires: expires.map(|e| e.to_string()),
        withdrawn: consent
            .and_then(|c| c.withdrawn.as_ref())
            .is_some_and(|w| w.value),
        withdrawn_on: consent.and_then(|c| c.withdrawn_on).map(|d| d.to_string()),
        withdrawal_reason: consent.and_then(|c| c.withdrawal_reason.clone()),
        status,
        days_left,
        addresses: Vec::new(),
    })
}

/// Why the build refuses to publish the story for its consent, if it does (every language
/// counts: one text without the consent stops the story).
fn refusal(story: &Entity<StoryFm>) -> Option<&'static str> {
    story.docs.values().find_map(|d| {
        let fm = &d.fm;
        if !about_person(fm) {
            return None;
        }
        let Some(c) = &fm.consent else {
            return Some("no consent record");
        };
        if fm.person.is_none() {
            return Some("no person block");
        }
        if !c.value.scope.contains(&Scope::Web) {
            return Some("the consent does not cover the website (no web in scope)");
        }
        let minor = fm
            .person
            .as_ref()
            .and_then(|p| p.value.minor.as_ref())
            .is_some_and(|m| m.value);
        if minor && c.value.given_by.value == GivenBy::Myself {
            return Some("a minor's consent must be given by a parent or guardian");
        }
        if minor
            && fm.person.as_ref().is_some_and(|p| {
                !matches!(
                    p.value.identifiability.value,
                    Identifiability::Pseudonym | Identifiability::Anonymous
                )
            })
        {
            return Some("a minor must not be shown by name");
        }
        None
    })
}

fn about_person(fm: &StoryFm) -> bool {
    fm.kind.value == StoryKind::Participant || fm.person.is_some()
}

/// The YAML spelling of a value (`first-name`, `self`, …).
fn name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn given_by(g: GivenBy) -> String {
    name(&g)
}

const COLUMNS: [&str; 20] = [
    "slug",
    "title",
    "languages",
    "project",
    "region",
    "kind",
    "display_name",
    "identifiability",
    "minor",
    "consent_reference",
    "consent_date",
    "given_by",
    "scope",
    "expires",
    "withdrawn",
    "withdrawn_on",
    "withdrawal_reason",
    "status",
    "days_left",
    "addresses",
];

impl Entry {
    fn cells(&self) -> [String; 20] {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        [
            self.slug.clone(),
            self.title.clone(),
            self.languages.join(" "),
            self.project.clone(),
            self.region.clone(),
            self.kind.clone(),
            self.display_name.clone(),
            self.identifiability.clone(),
            yes_no(self.minor),
            self.reference.clone(),
            self.consent_date.clone(),
            self.given_by.clone(),
            self.scope.join(" "),
            opt(&self.expires),
            yes_no(self.withdrawn),
            opt(&self.withdrawn_on),
            opt(&self.withdrawal_reason),
            self.status.clone(),
            self.days_left.map(|d| d.to_string()).unwrap_or_default(),
            self.addresses.join(" "),
        ]
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

impl Register {
    /// CSV (RFC 4180: a header row, commas, CRLF line ends, fields quoted when they hold a
    /// comma, a quote or a line break), in UTF-8 with a byte-order mark so that spreadsheets
    /// read accented letters right. A cell that a spreadsheet would run as a formula (it
    /// starts with `=`, `+`, `-` or `@`) is preceded by `'`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let row = |cells: &[String], out: &mut String| {
            let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&quoted.join(","));
            out.push_str("\r\n");
        };
        let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        row(&header, &mut out);
        for e in &self.stories {
            row(&e.cells(), &mut out);
        }
        out
    }

    /// An aligned table for people, then a line of counts.
    pub fn to_text(&self) -> String {
        let head = [
            "slug",
            "status",
            "expires",
            "consent",
            "given by",
            "scope",
            "languages",
            "shown as",
        ];
        let rows: Vec<[String; 8]> = self
            .stories
            .iter()
            .map(|e| {
                [
                    e.slug.clone(),
                    e.status.clone(),
                    e.expires.clone().unwrap_or_else(|| "-".into()),
                    e.reference.clone(),
                    e.given_by.clone(),
                    e.scope.join(" "),
                    e.languages.join(" "),
                    if e.display_name.is_empty() {
                        "-".to_string()
                    } else {
                        format!("{} ({})", e.display_name, e.identifiability)
                    },
                ]
            })
            .collect();
        let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut l = String::new();
            for (c, w) in cells.iter().zip(&widths) {
                l.push_str(c);
                l.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
            l.trim_end().to_string() + "\n"
        };
        let mut out = line(&head.map(String::from));
        for r in &rows {
            out.push_str(&line(r));
        }
        let scope = match self.within {
            Some(w) => format!(" expiring within {w} days or expired"),
            None => String::new(),
        };
        out.push_str(&format!(
            "\n{} stories about a person{scope}, on {} (warning period: {} days).\n",
            self.stories.len(),
            self.date,
            self.expiry_warning_days
        ));
        for e in self.stories.iter().filter(|e| !e.addresses.is_empty()) {
            out.push_str(&format!("{}: {}\n", e.slug, e.addresses.join(" ")));
        }
        out
    }
}

fn csv_cell(c: &str) -> String {
    let c = if c.starts_with(['=', '+', '-', '@']) {
        format!("'{c}")
    } else {
        c.to_string()
    };
    if c.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}

/// Today for a register or a takedown: `--now`, else `VETRINA_NOW`, else the computer's date.
pub fn today(now: Option<Date>) -> Result<Date, String> {
    match now {
        Some(d) => Ok(d),
        None => crate::options::today_from_env(),
    }
}
