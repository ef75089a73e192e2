//! iCalendar (RFC 5545) files: the site's calendar, one per event, per region and per project.
//!
//! Output is a pure function of the events: UIDs are `<id>@<host>`, DTSTAMP comes from the
//! event's `updated` date (else its start date) and SEQUENCE from its `sequence` key, so the
//! same input gives byte-identical files. Every TZID used gets a VTIMEZONE generated from
//! the tz database, with the transitions of the years the events span. Lines end in CRLF and
//! are folded at 75 octets without splitting a UTF-8 character; TEXT values are escaped.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::Bytes;
use crate::model::schema::EventStatus;
use crate::model::{Event, Site};
use crate::plan::{FileKind, PageKind, Plan, Scope, file_of};

/// What one event contributes to a calendar, already in the calendar's language.
pub struct IcsEvent<'a> {
    pub event: &'a Event,
    pub summary: String,
    pub description: String,
    pub location: String,
    /// Absolute URL of the event's page.
    pub url: String,
}

/// Every calendar of the site, in every language, where the plan puts them: all events,
/// each event, each region's and each project's events.
pub(crate) fn calendars(site: &Site, plan: &Plan) -> Vec<(String, Bytes)> {
    let host = site.host();
    let dl = site.default_lang();
    let mut files = Vec::new();
    for file in plan.feeds_and_calendars() {
        let FileKind::Calendar(scope) = file.kind else {
            continue;
        };
        let l = file.lang;
        let site_name = site.config.title.get(l, dl);
        let (name, events): (String, Vec<&Event>) = match scope {
            Scope::All => (site_name.to_string(), site.events.iter().collect()),
            Scope::Event(id) => {
                let Some(e) = site.events.iter().find(|e| e.id() == id) else {
                    continue;
                };
                (
                    format!("{} — {}", e.data.title.get(l, dl), site_name),
                    vec![e],
                )
            }
            Scope::Region(key) => {
                let Some(r) = crate::model::regions::Region::get(key) else {
                    continue;
                };
                let evs = site
                    .events
                    .iter()
                    .filter(|e| e.data.regions.iter().any(|x| x.value == r.key))
                    .collect();
                (format!("{} — {}", r.name(l), site_name), evs)
            }
            Scope::Project(key) => {
                let Some(p) = site.project(key) else {
                    continue;
                };
                let evs = site
                    .events
                    .iter()
                    .filter(|e| e.data.projects.iter().any(|x| x.value == p.key))
                    .collect();
                let title = &p.doc(l, &site.langs).0.fm.title;
                (format!("{title} — {site_name}"), evs)
            }
        };
        let items: Vec<IcsEvent> = events
            .into_iter()
            .map(|e| calendar_item(site, plan, l, e))
            .collect();
        files.push((
            file_of(&file.path),
            Arc::new(calendar(&name, host, l, &items)),
        ));
    }
    files
}

/// An event as a calendar in `l` shows it.
fn calendar_item<'e>(site: &Site, plan: &Plan, l: &str, e: &'e Event) -> IcsEvent<'e> {
    let dl = site.default_lang();
    let d = &e.data;
    let location = match (&d.venue, &d.online) {
        (Some(v), _) => [
            Some(v.name.as_str()),
            v.address.as_deref(),
            v.city.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", "),
        (None, Some(o)) => format!("Online: {}", o.platform),
        (None, None) => String::new(),
    };
    IcsEvent {
        event: e,
        summary: d.title.get(l, dl).to_string(),
        description: d
            .summary
            .as_ref()
            .map(|s| s.get(l, dl).to_string())
            .unwrap_or_default(),
        location,
        url: format!(
            "{}{}",
            site.base_url,
            plan.path(PageKind::Event, e.id(), l).unwrap_or("/")
        ),
    }
}

/// A whole VCALENDAR.
pub fn calendar(name: &str, host: &str, lang: &str, events: &[IcsEvent]) -> Vec<u8> {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//Vetrina//Vetrina {}//{}",
            env!("CARGO_PKG_VERSION"),
            lang.to_uppercase()
        ),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    let zones: BTreeSet<&str> = events
        .iter()
        .filter(|e| !e.event.all_day)
        .map(|e| e.event.timezone.as_str())
        .collect();
    for zone in zones {
        let years: Vec<i16> = events
            .iter()
            .filter(|e| e.event.timezone == zone && !e.event.all_day)
            .flat_map(|e| [Some(e.event.start.year()), e.event.end.map(|d| d.year())])
            .flatten()
            .collect();
        let (Some(&lo), Some(&hi)) = (years.iter().min(), years.iter().max()) else {
            continue;
        };
        if let Ok(tz) = TimeZone::get(zone) {
            lines.extend(vtimezone(zone, &tz, lo, hi));
        }
    }
    for e in events {
        lines.extend(vevent(e, host));
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        out.push_str(&fold(&l));
    }
    out.into_bytes()
}

fn vevent(e: &IcsEvent, host: &str) -> Vec<String> {
    let ev = e.event;
    let d = &ev.data;
    let stamp = d.updated.unwrap_or(ev.start.date());
    let mut l = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@{}", ev.id(), host),
        format!("DTSTAMP:{}T000000Z", compact_date(stamp)),
        format!("SEQUENCE:{}", d.sequence),
    ];
    if ev.all_day {
        l.push(format!(
            "DTSTART;VALUE=DATE:{}",
            compact_date(ev.start.date())
        ));
        // DTEND of a whole-day event is exclusive: the day after the last day.
        let last = ev.end.map(|e| e.date()).unwrap_or(ev.start.date());
        let after = last.tomorrow().unwrap_or(last);
        l.push(format!("DTEND;VALUE=DATE:{}", compact_date(after)));
    } else {
        l.push(format!(
            "DTSTART;TZID={}:{}",
            ev.timezone,
            compact_datetime(ev.start)
        ));
        if let Some(end) = ev.end {
            l.push(format!(
                "DTEND;TZID={}:{}",
                ev.timezone,
                compact_datetime(end)
            ));
        }
    }
    l.push(format!("SUMMARY:{}", escape(&e.summary)));
    if !e.description.is_empty() {
        l.push(format!("DESCRIPTION:{}", escape(&e.description)));
    }
    if !e.location.is_empty() {
        l.push(format!("LOCATION:{}", escape(&e.location)));
    }
    l.push(format!("URL:{}", e.url));
    l.push(format!(
        "STATUS:{}",
        match d.status {
            EventStatus::Cancelled => "CANCELLED",
            EventStatus::Postponed => "TENTATIVE",
            EventStatus::Scheduled | EventStatus::MovedOnline => "CONFIRMED",
        }
    ));
    l.push("END:VEVENT".into());
    l
}

/// A VTIMEZONE with every transition from a year before `lo` to a year after `hi`, each as
/// its own STANDARD or DAYLIGHT component (no recurrence rules to get wrong), plus the rule
/// in force at the start so that a zone without transitions is still described.
fn vtimezone(name: &str, tz: &TimeZone, lo: i16, hi: i16) -> Vec<String> {
    let mut l = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{name}")];
    let from = jiff::civil::date(lo.saturating_sub(1), 1, 1)
        .to_datetime(jiff::civil::Time::midnight())
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let until = jiff::civil::date(hi.saturating_add(2), 1, 1)
        .to_datetime(jiff::civil::Time::midnight())
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(jiff::Timestamp::MAX);
    let initial = tz.to_offset_info(from);
    let mut prev_offset = initial.offset();
    let mut wrote = false;
    for t in tz.following(from) {
        if t.timestamp() >= until {
            break;
        }
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        // DTSTART is the local time just before the change, in the offset then in force.
        let local = prev_offset.to_datetime(t.timestamp());
        l.push(format!("BEGIN:{kind}"));
        l.push(format!("DTSTART:{}", compact_datetime(local)));
        l.push(format!("TZOFFSETFROM:{}", offset(prev_offset)));
        l.push(format!("TZOFFSETTO:{}", offset(t.offset())));
        l.push(format!("TZNAME:{}", t.abbreviation()));
        l.push(format!("END:{kind}"));
        prev_offset = t.offset();
        wrote = true;
    }
    if !wrote {
        let kind = if initial.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        l.push(format!("BEGIN:{kind}"));
        l.push("DTSTART:19700101T000000".into());
        l.push(format!("TZOFFSETFROM:{}", offset(initial.offset())));
        l.push(format!("TZOFFSETTO:{}", offset(initial.offset())));
        l.push(format!("TZNAME:{}", initial.abbreviation()));
        l.push(format!("END:{kind}"));
    }
    l.push("END:VTIMEZONE".into());
    l
}

fn offset(o: jiff::tz::Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    if !a.is_multiple_of(60) {
        format!("{sign}{:02}{:02}{:02}", a / 3600, (a / 60) % 60, a % 60)
    } else {
        format!("{sign}{:02}{:02}", a / 3600, (a / 60) % 60)
    }
}

fn compact_date(d: jiff::civil::Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn compact_datetime(d: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        compact_date(d.date()),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): a line break (LF, CRLF or a lone CR) becomes
/// `\n`, and control characters other than tab are left out: in a calendar they could end
/// the line early and start a property of their own, or confuse the reader's calendar app.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Control characters (C0 but tab, DEL, C1): never part of a content line.
fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// One content line, folded at 75 octets (a continuation starts with a space, which counts),
/// never inside a UTF-8 character, ended with CRLF. Control characters are left out here too,
/// whatever the line was made of, so that the only line ends of a calendar are the ones
/// written here.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars().filter(|&c| !is_unsafe(c)) {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_never_splits_a_character_and_keeps_lines_short() {
        let arabic = "SUMMARY:".to_string() + &"لقاء حول قابلية التوظيف والإدماج المهني ".repeat(5);
        let folded = fold(&arabic);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, arabic);
        let accented = "DESCRIPTION:".to_string() + &"àèéìòù".repeat(30);
        let f = fold(&accented);
        assert!(f.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(f.trim_end_matches("\r\n").replace("\r\n ", ""), accented);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\nnew"), "a\\, b\\; c\\\\d\\nnew");
    }

    #[test]
    fn no_control_character_reaches_a_line() {
        assert_eq!(
            escape("a\r\nb\rc\nd\u{0}e\u{1b}[31mf\u{b}g\u{7f}h\u{85}i\u{9b}j\tk"),
            "a\\nb\\nc\\nde[31mfghij\tk"
        );
        let injected = "URL:https://x.org\r\nBEGIN:VEVENT\u{0}";
        assert_eq!(fold(injected), "URL:https://x.orgBEGIN:VEVENT\r\n");
        let folded = fold(&format!("SUMMARY:{}", "\u{1}é\r\n".repeat(60)));
        assert!(
            folded
                .split("\r\n")
                .all(|l| !l.chars().any(|c| c.is_control() && c != '\t')),
            "{folded:?}"
        );
    }

    #[test]
    fn rome_vtimezone_has_the_2021_changes() {
        let tz = TimeZone::get("Europe/Rome").unwrap();
        let v = vtimezone("Europe/Rome", &tz, 2021, 2021).join("\n");
        assert!(v.contains("BEGIN:DAYLIGHT\nDTSTART:20210328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST"), "{v}");
        assert!(v.contains("BEGIN:STANDARD\nDTSTART:20211031T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET"), "{v}");
        let utc = vtimezone("UTC", &TimeZone::UTC, 2021, 2021).join("\n");
        assert!(utc.contains("TZOFFSETTO:+0000"), "{utc}");
    }
}
