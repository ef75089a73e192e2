//! Events: validation, the event list around the build date, event pages with JSON-LD, and
//! the RFC 5545 calendars (time zones, daylight-saving edges, whole-day and multi-day events,
//! cancellation, folding, determinism). The demo's calendars are checked as a whole; the
//! other tests start from the small fixture sites of tests/fixtures/ with the events they
//! need written in.

mod common;

use common::*;
use vetrina::Date;

fn jsonld(html: &str) -> serde_json::Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn demo_calendars_and_structured_data() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let all = read(&out, "eventi/calendario.ics");
    assert!(all.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(
        !all.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    assert!(all.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Rome\r\n"));
    assert!(all.contains("UID:focus-group-lombardia-2021@vetrina.example.org\r\n"));
    assert!(all.contains(
        "DTSTART;TZID=Europe/Rome:20210713T143000\r\nDTEND;TZID=Europe/Rome:20210713T170000\r\n"
    ));
    assert!(
        all.contains(
            "DTSTART;TZID=Europe/Rome:20201124T140000\r\nDTEND;TZID=Europe/Rome:20201124T163000\r\n"
        ),
        "Puglia, 24 November 2020"
    );
    assert!(
        all.contains("DTSTART;VALUE=DATE:20230328\r\nDTEND;VALUE=DATE:20230329\r\n"),
        "Foggia: a date, no invented time"
    );
    for line in all.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line}");
    }
    for f in [
        "en/events/calendar.ics",
        "fr/evenements/calendrier.ics",
        "eventi/focus-group-lombardia-2021.ics",
        "regioni/lombardia/calendario.ics",
        "en/regions/lombardy/calendar.ics",
        "progetti/puoi/calendario.ics",
    ] {
        assert!(read(&out, f).contains("BEGIN:VCALENDAR"), "{f}");
    }
    assert!(
        read(&out, "regioni/lombardia/calendario.ics").contains("UID:focus-group-lombardia-2021@")
    );
    assert!(!read(&out, "regioni/lazio/calendario.ics").contains("BEGIN:VEVENT"));
    assert!(
        read(&out, "en/events/calendar.ics")
            .contains("SUMMARY:The PUOI project in the Lombardy Region\r\n")
    );

    let page = read(&out, "eventi/focus-group-lombardia-2021/index.html");
    let j = jsonld(&page);
    assert_eq!(j["@type"], "Event");
    assert_eq!(j["startDate"], "2021-07-13T14:30:00+02:00");
    assert_eq!(j["endDate"], "2021-07-13T17:00:00+02:00");
    assert_eq!(j["location"]["@type"], "VirtualLocation");
    assert_eq!(
        j["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(j["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(j["organizer"]["name"], "ANPAL Servizi S.p.A.");
    assert_eq!(j["inLanguage"], "it");
    assert!(
        page.contains(r#"href="../focus-group-lombardia-2021.ics""#),
        "add-to-calendar link"
    );
    let foggia = jsonld(&read(&out, "en/events/incontro-foggia-2023/index.html"));
    assert_eq!(foggia["startDate"], "2023-03-28");
    assert_eq!(foggia["location"]["@type"], "Place");
    assert_eq!(foggia["inLanguage"], "en");
}

const EXTRA: &str = r#"
- id: dst-spring
  kind: seminar
  title: {it: "Primavera", en: "Spring"}
  start: 2021-03-28T10:00
  end: 2021-03-28T12:00
  timezone: Europe/Rome
  venue: {name: "Sala A", address: "Via Roma 1", city: "Bari"}
  regions: [puglia]
- id: dst-autumn
  kind: seminar
  title: {it: "Autunno", en: "Autumn"}
  start: 2021-10-31T02:30
  end: 2021-10-31T04:00
  venue: {name: "Sala B", city: "Bari"}
- id: eve-of-spring
  kind: webinar
  title: {it: "Vigilia"}
  start: 2021-03-27T10:00
  online: {platform: "Jitsi", url: "https://meet.example.org/vigilia"}
- id: three-days
  kind: conference
  title: {it: "Tre giorni, un testo molto lungo che andrà piegato su più righe nel calendario: àèéìòù àèéìòù àèéìòù"}
  start: 2022-05-10
  end: 2022-05-12
  venue: {name: "Centro congressi", city: "Roma"}
- id: annullato
  kind: workshop
  title: {it: "Laboratorio annullato", en: "Cancelled workshop"}
  start: 2022-06-01T09:00
  end: 2022-06-01T13:00
  status: cancelled
  venue: {name: "Aula 3", city: "Milano"}
"#;

#[test]
fn daylight_saving_edges_multi_day_and_cancelled_events() {
    // The fixture site in Italian and English, with these events as its only calendar.
    let t = fixture("two-languages");
    write(t.path(), "data/events/extra.yaml", EXTRA);
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let offset = |id: &str| {
        jsonld(&read(&out, &format!("eventi/{id}/index.html")))["startDate"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        offset("dst-spring"),
        "2021-03-28T10:00:00+02:00",
        "after the spring change"
    );
    assert_eq!(
        offset("eve-of-spring"),
        "2021-03-27T10:00:00+01:00",
        "the day before"
    );
    assert_eq!(
        offset("dst-autumn"),
        "2021-10-31T02:30:00+02:00",
        "a repeated hour is its first occurrence"
    );

    let spring = read(&out, "eventi/dst-spring.ics");
    assert!(spring.contains(
        "BEGIN:DAYLIGHT\r\nDTSTART:20210328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    ));
    assert!(
        spring.contains("LOCATION:Sala A\\, Via Roma 1\\, Bari\r\n"),
        "TEXT escaped"
    );
    let autumn = read(&out, "eventi/dst-autumn.ics");
    assert!(autumn.contains(
        "BEGIN:STANDARD\r\nDTSTART:20211031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    ));

    let three = read(&out, "eventi/three-days.ics");
    assert!(
        three.contains("DTSTART;VALUE=DATE:20220510\r\nDTEND;VALUE=DATE:20220513\r\n"),
        "exclusive end day"
    );
    for line in three.split("\r\n") {
        assert!(line.len() <= 75);
    }
    assert!(three.contains("\r\n "), "the long summary is folded");
    let page = read(&out, "eventi/three-days/index.html");
    // Two days joined by CLDR's range fallback for Italian (thin spaces around the dash).
    assert!(page.contains("10 maggio 2022\u{2009}–\u{2009}12 maggio 2022"));

    let cancelled = read(&out, "eventi/annullato.ics");
    assert!(cancelled.contains("STATUS:CANCELLED\r\n"));
    assert!(read(&out, "eventi/annullato/index.html").contains("Annullato"));
    assert!(read(&out, "en/events/annullato/index.html").contains("Cancelled"));
    assert_eq!(
        jsonld(&read(&out, "eventi/annullato/index.html"))["eventStatus"],
        "https://schema.org/EventCancelled"
    );
    let online = jsonld(&read(&out, "eventi/eve-of-spring/index.html"));
    assert_eq!(
        online["location"]["url"],
        "https://meet.example.org/vigilia"
    );
}

#[test]
fn a_time_skipped_by_the_clocks_is_refused() {
    let t = fixture("story-ok");
    write(
        t.path(),
        "data/events/gap.yaml",
        "- id: gap\n  kind: seminar\n  title: {it: \"Buco\"}\n  start: 2021-03-28T02:30\n  venue: {name: \"Sala\"}\n",
    );
    let e = one_error(&build(t.path()));
    assert!(
        e.contains("2021-03-28T02:30 does not exist in Europe/Rome"),
        "{e}"
    );
    assert!(e.contains("--> data/events/gap.yaml:4:10"), "{e}");
}

#[test]
fn event_validation() {
    let t = fixture("story-ok");
    write(
        t.path(),
        "data/events/bad.yaml",
        "- id: rovescio\n  kind: seminar\n  title: {it: \"R\"}\n  start: 2021-05-02T10:00\n  end: 2021-05-01T10:00\n  venue: {name: \"Sala\"}\n",
    );
    let e = one_error(&build(t.path()));
    assert!(
        e.contains("the event ends before it starts") && e.contains("bad.yaml:5:8"),
        "{e}"
    );

    // Two calendars of the fixture site that give one id to two events.
    let t = fixture("story-ok");
    write(
        t.path(),
        "data/events/progetto-esempio.yaml",
        "- id: incontro-di-esempio\n  kind: seminar\n  title: {it: \"Incontro di esempio\"}\n  start: 2026-12-10T10:00\n  venue: {name: \"Sala\", city: \"Roma\"}\n",
    );
    write(
        t.path(),
        "data/events/dup.yaml",
        "- id: incontro-di-esempio\n  kind: seminar\n  title: {it: \"Doppio\"}\n  start: 2021-05-02\n  venue: {name: \"Sala\"}\n",
    );
    let e = one_error(&build(t.path()));
    assert!(
        e.contains("the event id `incontro-di-esempio` is used twice")
            && e.contains("data/events/progetto-esempio.yaml"),
        "{e}"
    );

    let t = fixture("story-ok");
    write(
        t.path(),
        "data/events/st.yaml",
        "- id: st\n  kind: seminar\n  title: {it: \"S\"}\n  start: 2021-05-02\n  status: canceled\n  venue: {name: \"Sala\"}\n",
    );
    let e = one_error(&build(t.path()));
    assert!(
        e.contains("`canceled` is not an allowed value") && e.contains("did you mean `cancelled`?"),
        "{e}"
    );
}

/// Four events of four years, for the event list: one in 2020, the others from July 2021 on.
const YEARS: &str = r#"- id: incontro-luglio-2021
  kind: seminar
  title: {it: "Incontro di luglio"}
  start: 2021-07-13T14:30
  venue: {name: "Sala", city: "Milano"}
- id: convegno-2022
  kind: conference
  title: {it: "Convegno finale"}
  start: 2022-05-10
  venue: {name: "Centro congressi", city: "Roma"}
- id: incontro-2023
  kind: workshop
  title: {it: "Incontro di marzo"}
  start: 2023-03-28
  venue: {name: "Aula", city: "Foggia"}
- id: incontro-novembre-2020
  kind: seminar
  title: {it: "Incontro di novembre"}
  start: 2020-11-24T14:00
  venue: {name: "Sala", city: "Bari"}
"#;

#[test]
fn event_list_is_relative_to_the_build_date() {
    let t = fixture("story-ok");
    write(t.path(), "data/events/anni.yaml", YEARS);
    let mut o = opts(t.path());
    o.today = Some("2021-07-01".parse::<Date>().unwrap());
    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    let list = read(&t.path().join("public"), "eventi/index.html");
    let upcoming_at = list.find("events-upcoming").unwrap();
    let past_at = list.find("events-past").unwrap();
    let pos = |s: &str| list.find(s).unwrap_or_else(|| panic!("{s} not listed"));
    let (july, final_, march, november) = (
        pos("Incontro di luglio"),
        pos("convegno-2022/"),
        pos("incontro-2023/"),
        pos("Incontro di novembre"),
    );
    assert!(
        upcoming_at < july && july < final_ && final_ < march && march < past_at,
        "upcoming, soonest first"
    );
    assert!(past_at < november, "the 2020 event is past");
    assert!(list.contains(r#"<h3 id="year-2020">2020</h3>"#));

    // With the real build date of the tests, everything is past, grouped by year, newest first.
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let list = read(&t.path().join("public"), "eventi/index.html");
    let y = |s: &str| list.find(&format!(r#"<h3 id="year-{s}">"#)).unwrap();
    assert!(y("2023") < y("2022") && y("2022") < y("2021") && y("2021") < y("2020"));
}

/// An event known only to the month: the month on its page and cards, `datetime="2023-03"`,
/// and the month's first day in its calendar (RFC 5545 has no month-only date).
#[test]
fn an_event_known_only_to_the_month() {
    let t = demo_copy();
    edit(
        t.path(),
        "data/events/puoi.yaml",
        "start: 2023-03-28\n",
        "start: 2023-03\n",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let it = read(&out, "eventi/incontro-foggia-2023/index.html");
    assert!(
        it.contains(r#"<time datetime="2023-03">marzo 2023</time>"#),
        "{it}"
    );
    let ar = read(&out, "ar/events/incontro-foggia-2023/index.html");
    assert!(ar.contains("<time datetime=\"2023-03\">مارس \u{2066}2023\u{2069}</time>"));
    let ics = read(&out, "eventi/incontro-foggia-2023.ics");
    assert!(ics.contains("DTSTART;VALUE=DATE:20230301\r\n"), "{ics}");
}
