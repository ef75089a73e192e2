//! Event pages: one event (with its programme and its schema.org `Event` as JSON-LD), the
//! list of events (upcoming, then past ones grouped by year), and the event card other pages
//! show.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{Cx, Link, Listed, OrgView, RegionCard, all_langs, i18n, latest};
use super::filters;
use super::{PageContext, PageParts};
use crate::model::Event;
use crate::model::schema::{Direction, EventStatus, Online, Venue};
use crate::plan::{FileKind, PageKind, Scope};
use crate::render::dates::Precision;

#[derive(Serialize)]
pub(super) struct EventCard {
    id: String,
    href: String,
    title: String,
    summary: String,
    date_iso: String,
    when: String,
    status: &'static str,
    place: String,
    online: bool,
    /// The facets the list filters read (the card's `data-` attributes): the keys of its
    /// regions and of its projects, space-separated, its year, and whether it is still to
    /// come (`upcoming`) or over (`past`).
    regions: String,
    projects: String,
    year: i16,
    period: &'static str,
}

#[derive(Serialize)]
struct YearGroup {
    year: i16,
    events: Vec<EventCard>,
}

fn status_event_key(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Scheduled => "event_scheduled",
        EventStatus::Cancelled => "event_cancelled",
        EventStatus::Postponed => "event_postponed",
        EventStatus::MovedOnline => "event_moved_online",
    }
}

/// "13 luglio 2021 alle ore 14:30–17:00 (Europe/Rome)", in CLDR's words for the language
/// (`render::dates`), or the day or month alone when no time is known. The zone's name is
/// isolated on a right-to-left page, as the numbers are.
fn event_when(cx: &Cx, e: &Event) -> String {
    let precision = if e.month_only {
        Precision::Month
    } else if e.all_day {
        Precision::Day
    } else {
        Precision::Time
    };
    let rtl = cx.lang.dir == Direction::Rtl;
    let when = cx.s.i18n.event_when(cx.l(), e.start, e.end, precision, rtl);
    match precision {
        Precision::Time if rtl => format!("{when} (\u{2066}{}\u{2069})", e.timezone),
        Precision::Time => format!("{when} ({})", e.timezone),
        _ => when,
    }
}

/// The start for `<time datetime>`: the local date and time with its UTC offset
/// (`2021-07-13T14:30:00+02:00`), or the day, or the month, when that is all that is known.
fn datetime_attr(e: &Event) -> String {
    if e.all_day {
        return e.start_date().iso();
    }
    e.zoned(e.start)
        .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|| e.start.date().to_string())
}

pub(super) fn event_card(cx: &Cx, e: &Event) -> EventCard {
    let place = match (&e.data.venue, &e.data.online) {
        (Some(v), _) => [Some(v.name.clone()), v.city.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        (None, Some(o)) => o.platform.clone(),
        (None, None) => String::new(),
    };
    EventCard {
        id: e.id().to_string(),
        href: cx.link(PageKind::Event, e.id()),
        title: cx.text(&e.data.title).to_string(),
        summary: e
            .data
            .summary
            .as_ref()
            .map(|s| cx.text(s).to_string())
            .unwrap_or_default(),
        date_iso: datetime_attr(e),
        when: event_when(cx, e),
        status: status_event_key(e.data.status),
        place,
        online: e.data.venue.is_none(),
        regions: keys(&e.data.regions),
        projects: keys(&e.data.projects),
        year: e.start.year(),
        period: if is_upcoming(cx, e) {
            "upcoming"
        } else {
            "past"
        },
    }
}

fn keys(keys: &[crate::model::schema::Key]) -> String {
    keys.iter()
        .map(|k| k.value.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the event has not ended before the build's day: the list shows it as upcoming.
pub(super) fn is_upcoming(cx: &Cx, e: &Event) -> bool {
    e.until() >= cx.site().today.to_datetime(jiff::civil::Time::midnight())
}

pub(super) fn event_list(cx: &Cx, ctx: &mut PageContext) -> PageParts {
    let site = cx.site();
    let upcoming: Vec<EventCard> = site
        .events
        .iter()
        .filter(|e| is_upcoming(cx, e))
        .map(|e| event_card(cx, e))
        .collect();
    let mut by_year: BTreeMap<i16, Vec<&Event>> = BTreeMap::new();
    for e in site.events.iter().filter(|e| !is_upcoming(cx, e)) {
        by_year.entry(e.start.year()).or_default().push(e);
    }
    let past: Vec<YearGroup> = by_year
        .into_iter()
        .rev()
        .map(|(year, mut evs)| {
            evs.sort_by_key(|e| std::cmp::Reverse(e.start));
            YearGroup {
                year,
                events: evs.into_iter().map(|e| event_card(cx, e)).collect(),
            }
        })
        .collect();
    let filters = filters::choices(
        cx,
        site.events
            .iter()
            .flat_map(|e| e.data.regions.iter().map(|k| k.value.as_str())),
        site.events
            .iter()
            .flat_map(|e| e.data.projects.iter().map(|k| k.value.as_str())),
        site.events.iter().map(|e| e.start.year()),
    );
    filters::insert(cx, &filters, "events_count", ctx);
    ctx.insert("event_total", &site.events.len());
    ctx.insert("upcoming", &upcoming);
    ctx.insert("past", &past);
    ctx.insert(
        "calendar_href",
        &cx.file_link(FileKind::Calendar(Scope::All)),
    );
    let upd = latest(site.events.iter().map(|e| e.data.updated)).max(cx.s.content_date());
    (
        "event-list.html",
        i18n(cx, "nav_events"),
        upd,
        all_langs(site),
    )
}

#[derive(Serialize)]
struct SessionView {
    time: Option<String>,
    title: String,
    speakers: Vec<SpeakerView>,
}

#[derive(Serialize)]
struct SpeakerView {
    role: String,
    org: Option<OrgView>,
}

#[derive(Serialize)]
struct EventView {
    card: EventCard,
    kind: String,
    venue: Option<Venue>,
    online: Option<Online>,
    organiser: Option<OrgView>,
    programme: Vec<SessionView>,
    projects: Vec<Listed<Link>>,
    regions: Vec<Listed<RegionCard>>,
    registration: Option<String>,
    time_known: bool,
    ics_href: String,
    /// schema.org `Event` as JSON, ready for a `<script type="application/ld+json">`.
    jsonld: String,
}

pub(super) fn event(cx: &Cx, id: &str, ctx: &mut PageContext) -> Option<PageParts> {
    let site = cx.site();
    let e = site.events.iter().find(|e| e.id() == id)?;
    let d = &e.data;
    let view = EventView {
        card: event_card(cx, e),
        kind: format!(
            "event_kind_{}",
            serde_json::to_value(d.kind)
                .ok()?
                .as_str()?
                .replace('-', "_")
        ),
        venue: d.venue.clone(),
        online: d.online.clone(),
        organiser: d.organiser.as_ref().map(|o| cx.org(&o.value)),
        programme: d
            .programme
            .iter()
            .map(|s| SessionView {
                time: s.time.as_ref().map(|t| t.value.clone()),
                title: cx.text(&s.title).to_string(),
                speakers: s
                    .speakers
                    .iter()
                    .map(|sp| SpeakerView {
                        role: cx.text(&sp.role).to_string(),
                        org: sp.org.as_ref().map(|o| cx.org(&o.value)),
                    })
                    .collect(),
            })
            .collect(),
        projects: cx.project_links(d.projects.iter().map(|p| p.value.as_str())),
        regions: cx.and_list(
            d.regions
                .iter()
                .filter_map(|r| cx.region(&r.value))
                .collect(),
        ),
        registration: d.registration.as_ref().map(|r| r.value.clone()),
        time_known: !e.all_day,
        ics_href: cx
            .file_link(FileKind::Calendar(Scope::Event(id)))
            .unwrap_or_default(),
        jsonld: event_jsonld(cx, e),
    };
    ctx.insert("description", &view.card.summary);
    ctx.insert("event", &view);
    let content_lang = if d.title.has(cx.l()) {
        cx.l().to_string()
    } else {
        cx.default_lang().to_string()
    };
    ctx.insert("content_lang", &content_lang);
    let translated: Vec<String> = site
        .langs
        .iter()
        .filter(|l| d.title.has(&l.code))
        .map(|l| l.code.clone())
        .collect();
    let updated = d.updated.unwrap_or_else(|| cx.s.content_date());
    Some((
        "event.html",
        cx.text(&d.title).to_string(),
        updated,
        translated,
    ))
}

/// The event as schema.org `Event`: times with their UTC offset, the place or the online
/// platform, status and attendance mode, the organiser.
fn event_jsonld(cx: &Cx, e: &Event) -> String {
    use serde_json::{Value, json};
    let site = cx.site();
    let d = &e.data;
    let when = |dt: jiff::civil::DateTime| -> String {
        if e.all_day {
            dt.date().to_string()
        } else {
            e.zoned(dt)
                .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
                .unwrap_or_else(|| dt.to_string())
        }
    };
    let mut locations: Vec<Value> = Vec::new();
    if let Some(v) = &d.venue {
        let mut address = json!({"@type": "PostalAddress", "addressCountry": "IT"});
        if let Some(a) = &v.address {
            address["streetAddress"] = json!(a);
        }
        if let Some(c) = &v.city {
            address["addressLocality"] = json!(c);
        }
        locations.push(json!({"@type": "Place", "name": v.name, "address": address}));
    }
    if let Some(o) = &d.online {
        let mut v = json!({"@type": "VirtualLocation", "name": o.platform});
        if let Some(u) = &o.url {
            v["url"] = json!(u.value);
        }
        locations.push(v);
    }
    let mode = match (&d.venue, &d.online) {
        (Some(_), Some(_)) => "MixedEventAttendanceMode",
        (None, Some(_)) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    let status = match d.status {
        EventStatus::Scheduled => "EventScheduled",
        EventStatus::Cancelled => "EventCancelled",
        EventStatus::Postponed => "EventPostponed",
        EventStatus::MovedOnline => "EventMovedOnline",
    };
    let lang = if d.title.has(cx.l()) {
        cx.l()
    } else {
        cx.default_lang()
    };
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": cx.text(&d.title),
        "startDate": when(e.start),
        "eventStatus": format!("https://schema.org/{status}"),
        "eventAttendanceMode": format!("https://schema.org/{mode}"),
        "inLanguage": lang,
        "url": format!("{}{}", site.base_url, cx.s.plan.path(PageKind::Event, e.id(), cx.l()).unwrap_or("/")),
    });
    if let Some(end) = e.end {
        v["endDate"] = json!(when(end));
    }
    if let Some(s) = &d.summary {
        v["description"] = json!(cx.text(s));
    }
    v["location"] = match locations.len() {
        1 => locations.remove(0),
        _ => Value::Array(locations),
    };
    if let Some(o) = &d.organiser {
        let org = cx.org(&o.value);
        let mut ov = json!({"@type": "Organization", "name": org.name});
        if let Some(w) = org.website {
            ov["url"] = json!(w);
        }
        v["organizer"] = ov;
    }
    crate::render::script_json::to_script(&v)
}
