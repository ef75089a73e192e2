//! Event calendars (`data/events/*.yaml`): each entry parsed, its times resolved in its time
//! zone, its addresses checked. Ids are unique across all calendars. Nothing here touches the
//! disk.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::DateTime;
use serde_saphyr::Spanned;

use super::config::web_address;
use super::dates::FactDate;
use super::schema::EventFile;
use super::yaml::{Origin, parse};
use crate::diag::{Diagnostics, SourceText, unknown_help};
use crate::weburl::Schemes;

/// A validated event with its times resolved.
#[derive(Debug)]
pub struct Event {
    pub file: SourceText,
    pub data: EventFile,
    pub start: DateTime,
    pub end: Option<DateTime>,
    /// Only a date was given: the time is unknown, and it is shown as a whole-day event.
    pub all_day: bool,
    /// Only the month was given (`2023-03`): `start` (and `end`) is the month's first day,
    /// and pages show the month alone.
    pub month_only: bool,
    pub timezone: String,
    pub tz: jiff::tz::TimeZone,
}

impl Event {
    pub fn id(&self) -> &str {
        &self.data.id.value
    }

    /// A local time of the event in its zone. A time repeated when clocks go back resolves to
    /// its first occurrence (RFC 5545 §3.3.5); times that do not exist were refused by `model`.
    pub fn zoned(&self, dt: DateTime) -> Option<jiff::ZonedDateTime> {
        dt.to_zoned_datetime(self.tz.clone()).ok()
    }

    /// The last moment the event may still be on: its end (or start), or for an event known
    /// only to the month, the last day of that month.
    pub fn until(&self) -> DateTime {
        let last = self.end.unwrap_or(self.start);
        if self.month_only {
            last.date()
                .last_of_month()
                .to_datetime(jiff::civil::Time::midnight())
        } else {
            last
        }
    }

    /// The start as a day or a month, for the pages that show events known only to the month.
    pub fn start_date(&self) -> FactDate {
        self.fact_date(self.start)
    }

    pub fn end_date(&self) -> Option<FactDate> {
        self.end.map(|e| self.fact_date(e))
    }

    fn fact_date(&self, dt: DateTime) -> FactDate {
        if self.month_only {
            FactDate::month_of(dt.date())
        } else {
            FactDate::day(dt.date())
        }
    }
}

/// The events of every calendar, sorted by start (and id); an id used twice is an error.
pub(super) fn events(calendars: &[SourceText], diags: &mut Diagnostics) -> Vec<Event> {
    let mut events = Vec::new();
    let mut event_ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for f in calendars {
        let list: Vec<EventFile> = match parse(f, &f.text, Origin::FILE, diags) {
            Some(l) => l,
            None => continue,
        };
        for e in list {
            let id = e.id.value.clone();
            if let Some(first) = event_ids.get(&id) {
                diags
                    .error(
                        f,
                        Origin::FILE.pos_of(&e.id),
                        format!("the event id `{id}` is used twice"),
                    )
                    .help(format!(
                        "event ids must be unique across all calendars; it is already used in {}",
                        first.display()
                    ));
                continue;
            }
            event_ids.insert(id, f.path.clone());
            if let Some(ev) = event(f, e, diags) {
                events.push(ev);
            }
        }
    }
    events.sort_by(|a, b| (a.start, a.id()).cmp(&(b.start, b.id())));
    events
}

/// Parses an event's times and zone, and checks its addresses.
fn event(f: &SourceText, mut e: EventFile, diags: &mut Diagnostics) -> Option<Event> {
    let o = Origin::FILE;
    // Registering by email is as good as a form; a meeting link is a web page.
    web_address(&mut e.registration, Schemes::WebOrMail, f, o, diags);
    if let Some(online) = &mut e.online {
        web_address(&mut online.url, Schemes::Web, f, o, diags);
    }
    // What was given: a time (0), a day (1) or only the month (2).
    let parse_time = |s: &Spanned<String>, diags: &mut Diagnostics| -> Option<(DateTime, u8)> {
        let v = s.value.trim();
        if v.contains('T') {
            match v.parse::<DateTime>() {
                Ok(dt) => Some((dt, 0)),
                Err(err) => {
                    diags
                        .error(f, o.pos_of(s), format!("`{v}` is not a valid date and time ({err})"))
                        .help("write the local date and time as YYYY-MM-DDTHH:MM, for example 2021-07-13T14:30");
                    None
                }
            }
        } else {
            match FactDate::parse(v) {
                Ok(d) => Some((
                    d.first_day().to_datetime(jiff::civil::Time::midnight()),
                    if d.is_month_only() { 2 } else { 1 },
                )),
                Err(err) => {
                    diags
                        .error(f, o.pos_of(s), err)
                        .help("write YYYY-MM-DDTHH:MM when the time is known (for example 2021-07-13T14:30), YYYY-MM-DD when only the day is, or YYYY-MM when only the month is (for example 2023-03)");
                    None
                }
            }
        }
    };
    let start = parse_time(&e.start, diags);
    let end = e.end.as_ref().map(|s| parse_time(s, diags));
    let timezone = e
        .timezone
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| "Europe/Rome".to_string());
    let mut ok = true;
    let tz = jiff::tz::TimeZone::get(&timezone).ok();
    if let Some(t) = &e.timezone
        && tz.is_none()
    {
        ok = false;
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        diags
            .error(
                f,
                o.pos_of(t),
                format!("`{}` is not a time zone name", t.value),
            )
            .help(unknown_help(
                "time zones",
                &t.value,
                names.iter().map(String::as_str),
            ));
    }
    let (start, precision) = start?;
    let all_day = precision > 0;
    let month_only = precision == 2;
    let end = match end {
        None => None,
        Some(None) => return None,
        Some(Some((end, end_precision))) => {
            if end_precision != precision {
                let s = e.end.as_ref().map(|s| o.pos_of(s)).unwrap_or_default();
                diags
                    .error(
                        f,
                        s,
                        "the start and the end must both have a time, both be days only, or both be months only",
                    )
                    .help("write both as YYYY-MM-DDTHH:MM, both as YYYY-MM-DD, or both as YYYY-MM");
                return None;
            }
            if end < start {
                let s = e.end.as_ref().map(|s| o.pos_of(s)).unwrap_or_default();
                diags
                    .error(f, s, "the event ends before it starts")
                    .help("check the end date and time: it must come after the start");
                return None;
            }
            Some(end)
        }
    };
    // A local time skipped when clocks go forward does not exist: refuse it rather than guess.
    if let Some(tz) = &tz
        && !all_day
    {
        for (dt, s) in std::iter::once((start, &e.start))
            .chain(end.iter().zip(e.end.iter()).map(|(d, s)| (*d, s)))
        {
            if let jiff::tz::AmbiguousOffset::Gap { before, after } =
                tz.to_ambiguous_timestamp(dt).offset()
            {
                ok = false;
                diags
                    .error(f, o.pos_of(s), format!("{} does not exist in {timezone}: the clocks jump from {before} to {after} that night", s.value.trim()))
                    .help("choose a time outside the hour the clocks skip (for example one hour later)");
            }
        }
    }
    if e.venue.is_none() && e.online.is_none() {
        diags
            .error(
                f,
                o.pos_of(&e.id),
                format!("the event `{}` has no venue and is not online", e.id.value),
            )
            .help("add `venue: {name: …, city: …}` or `online: {platform: …}`");
        ok = false;
    }
    let tz = tz?;
    ok.then_some(Event {
        file: f.clone(),
        data: e,
        start,
        end,
        all_day,
        month_only,
        timezone,
        tz,
    })
}

#[cfg(test)]
mod tests {
    use crate::model::testing::{TODAY, build_site, files, lines};

    #[test]
    fn an_event_id_used_twice_and_an_event_nowhere_are_errors() {
        let calendar = r#"- id: incontro
  kind: seminar
  title: {it: "Incontro"}
  start: 2026-03-02T10:00
  status: scheduled
  projects: [alfa]
  venue: {name: "Sala", city: "Roma"}
- id: incontro
  kind: seminar
  title: {it: "Di nuovo"}
  start: 2026-03-03T10:00
  status: scheduled
  online: {platform: "Video"}
- id: altrove
  kind: webinar
  title: {it: "Altrove"}
  start: 2026-03-04
  status: scheduled
"#;
        let (site, d) = build_site(&files(&[("data/events/alfa.yaml", calendar)]), TODAY);
        let d = lines(&d);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].starts_with("data/events/alfa.yaml:8: the event id `incontro` is used twice |"),
            "{d:?}"
        );
        assert!(
            d[1].starts_with(
                "data/events/alfa.yaml:14: the event `altrove` has no venue and is not online |"
            ),
            "{d:?}"
        );
        let site = site.unwrap();
        assert_eq!(site.events.len(), 1);
        assert_eq!(site.events[0].id(), "incontro");
    }
}
