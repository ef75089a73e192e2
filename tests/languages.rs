//! Languages: right-to-left Arabic, fallback pages, hreflang alternates, the language
//! switcher, CLDR dates and plurals, Open Graph locales, and the translation report.

mod common;

use common::*;
use std::fs;
use std::time::{Duration, SystemTime};

#[test]
fn four_trees_with_their_direction_dates_and_alternates() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    assert!(read(&out, "ar/index.html").contains(r#"<html lang="ar" dir="rtl">"#));

    let dates = [
        (
            "eventi/focus-group-lombardia-2021/index.html",
            "13 luglio 2021",
        ),
        (
            "en/events/focus-group-lombardia-2021/index.html",
            "13 July 2021",
        ),
        (
            "fr/evenements/focus-group-lombardia-2021/index.html",
            "13 juillet 2021",
        ),
        ("ar/events/focus-group-lombardia-2021/index.html", "يوليو"),
    ];
    for (page, date) in dates {
        let html = read(&out, page);
        assert!(html.contains(date), "{page} should read {date}");
        assert!(
            html.contains(r#"<time datetime="2021-07-13T14:30:00+02:00">"#),
            "{page}: the local time with its offset"
        );
    }
    // The time and its range in CLDR's words and patterns for each language; in Arabic every
    // number isolated (LRI … PDI), the zone too.
    for (page, when) in [
        (
            "eventi/focus-group-lombardia-2021/index.html",
            "13 luglio 2021 alle ore 14:30–17:00 (Europe/Rome)",
        ),
        (
            "en/events/focus-group-lombardia-2021/index.html",
            "13 July 2021 at 14:30\u{2009}–\u{2009}17:00 (Europe/Rome)",
        ),
        (
            "fr/evenements/focus-group-lombardia-2021/index.html",
            "13 juillet 2021 à 14:30\u{2009}–\u{2009}17:00 (Europe/Rome)",
        ),
        (
            "ar/events/focus-group-lombardia-2021/index.html",
            "\u{2066}13\u{2069} يوليو \u{2066}2021\u{2069} في \u{2066}2:30\u{2069}–\u{2066}5:00\u{2069} م (\u{2066}Europe/Rome\u{2069})",
        ),
    ] {
        assert!(read(&out, page).contains(when), "{page} should read {when}");
    }
    // Roles and organisations: the language's own comma; lists: CLDR's "and" list.
    let ar = read(&out, "ar/events/focus-group-lombardia-2021/index.html");
    assert!(ar.contains("<li>إدارة الجلسة، <bdi>ANPAL Servizi S.p.A.</bdi>"));
    assert!(!ar.contains(", <bdi>"));
    assert!(ar.contains("</a> و<a href=\"../../projects/faro/index.html\">"));
    let it = read(&out, "eventi/focus-group-lombardia-2021/index.html");
    assert!(it.contains("<li>Conduzione, <bdi>ANPAL Servizi S.p.A.</bdi>"));
    assert!(it.contains("</a> e <a href=\"../../progetti/parti/index.html\">"));

    let puoi = read(&out, "progetti/puoi/index.html");
    for (lang, path) in [
        ("it", "progetti"),
        ("en", "en/projects"),
        ("fr", "fr/projets"),
        ("ar", "ar/projects"),
    ] {
        let link = format!(
            r#"<link rel="alternate" hreflang="{lang}" href="https://vetrina.example.org/{path}/puoi/">"#
        );
        assert!(puoi.contains(&link), "missing {link}");
    }
    assert!(puoi.contains(r#"<link rel="alternate" hreflang="x-default" href="https://vetrina.example.org/progetti/puoi/">"#));
    assert!(puoi.contains(r#"<meta property="og:locale" content="it_IT">"#));
    assert!(puoi.contains(r#"<meta property="og:locale:alternate" content="ar_EG">"#));

    // The switcher of the French sheet goes to the same sheet in every language.
    let fr = read(&out, "fr/projets/puoi/index.html");
    for target in [
        "../../../progetti/puoi/index.html",
        "../../../en/projects/puoi/index.html",
        "../../../ar/projects/puoi/index.html",
        "index.html",
    ] {
        assert!(
            fr.contains(&format!(r#"<a href="{target}" lang="#)),
            "switcher to {target}"
        );
    }
}

#[test]
fn fallback_pages_say_so_and_are_not_alternates() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let ar = read(
        &out,
        "ar/stories/dal-tirocinio-in-cucina-al-contratto/index.html",
    );
    assert!(ar.contains("notice--fallback"), "a visible notice");
    assert!(
        ar.contains(r#"<h1 lang="it" dir="auto">Dal tirocinio in cucina al contratto</h1>"#),
        "lang on the untranslated text"
    );
    assert!(ar.contains(r#"<div class="prose" lang="it" dir="auto">"#));
    assert!(
        !ar.contains(r#"rel="alternate" hreflang="ar""#),
        "the fallback is not listed as a translation"
    );
    assert!(!ar.contains(r#"og:locale:alternate" content="ar_EG""#));
    let it = read(
        &out,
        "storie/dal-tirocinio-in-cucina-al-contratto/index.html",
    );
    assert!(
        !it.contains(r#"rel="alternate" hreflang="fr""#)
            && !it.contains(r#"rel="alternate" hreflang="ar""#)
    );
    assert!(it.contains(r#"rel="alternate" hreflang="en""#));
    assert!(!it.contains("notice--fallback"));
}

#[test]
fn plurals_follow_each_language() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    // Six stories: Arabic uses the "few" form (3–10), Italian and English "other".
    assert!(read(&out, "ar/stories/index.html").contains("6 قصص منشورة"));
    assert!(read(&out, "storie/index.html").contains("6 storie pubblicate"));
    assert!(read(&out, "en/stories/index.html").contains("6 stories published"));
    // Molise has only the national project: "one" in Italian, "one" in Arabic.
    assert!(read(&out, "regioni/molise/index.html").contains("1 progetto attivo nella regione"));
    assert!(read(&out, "ar/regions/molise/index.html").contains("مشروع واحد نشط في الإقليم"));
    // Lombardia has three: Arabic "few".
    assert!(read(&out, "ar/regions/lombardy/index.html").contains("3 مشاريع نشطة في الإقليم"));
}

#[test]
fn a_missing_plural_form_is_an_error() {
    let t = demo_copy();
    edit(
        t.path(),
        "themes/default/i18n/ar.yaml",
        ", other: \"{n} قصة منشورة\"}",
        "}",
    );
    let r = build(t.path());
    assert!(!r.ok());
    let all = rendered(&r);
    assert!(
        all.contains("the plural string `stories_count` has no `other` form"),
        "{all}"
    );
    assert!(all.contains("--> themes/default/i18n/ar.yaml:"), "{all}");
}

fn set_mtime(path: &std::path::Path, t: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn translation_report_has_three_states() {
    let t = demo_copy();
    let base = SystemTime::now() - Duration::from_secs(3600);
    let puoi = t.path().join("content/projects/puoi");
    // The Italian source changed after the English translation; French is older still.
    set_mtime(&puoi.join("index.en.md"), base);
    set_mtime(&puoi.join("index.fr.md"), base - Duration::from_secs(60));
    set_mtime(&puoi.join("index.ar.md"), base + Duration::from_secs(120));
    set_mtime(&puoi.join("index.it.md"), base + Duration::from_secs(60));
    let (r, report) = vetrina::translations(&opts(t.path()));
    assert!(r.ok(), "{}", rendered(&r));
    let report = report.unwrap();
    let row = report
        .pages
        .iter()
        .find(|p| p.page == "projects/puoi")
        .expect("PUOI is listed");
    let s = |l: &str| row.statuses[l].as_str();
    assert_eq!(
        (s("it"), s("en"), s("fr"), s("ar")),
        ("source", "outdated", "outdated", "translated")
    );
    let story = report
        .pages
        .iter()
        .find(|p| p.page == "stories/dal-tirocinio-in-cucina-al-contratto")
        .unwrap();
    assert_eq!(story.statuses["fr"].as_str(), "missing");
    let text = report.to_text();
    assert!(text.contains("projects/puoi"), "{text}");
    assert!(text.contains("fr: "), "{text}");
    assert!(report.totals["fr"].missing >= 6);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["pages"].as_array().unwrap().len(), report.pages.len());
}

/// A news item known only to the month says the month in every language, sorts at the
/// month's start, and gives feeds a valid date (the month's first day).
#[test]
fn news_known_only_to_the_month() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    for (page, month) in [
        ("notizie/index.html", "marzo 2023"),
        ("en/news/index.html", "March 2023"),
        ("fr/actualites/index.html", "mars 2023"),
        ("ar/news/index.html", "مارس 2023"),
    ] {
        let html = read(&out, page);
        let march = format!(r#"<time datetime="2023-03">{month}</time>"#);
        assert!(html.contains(&march), "{page}: {march}");
        // November 2023 (a month), then March 2023 (a month), then 30 June 2022 (a day).
        let nov = html.find(r#"<time datetime="2023-11">"#).unwrap();
        let mar = html.find(&march).unwrap();
        let jun = html.find(r#"<time datetime="2022-06-10">"#).unwrap();
        assert!(nov < mar && mar < jun, "{page}: newest first");
        // The list's "last updated" is the newest item's month, not an invented day.
        assert!(!html.contains(r#"<time datetime="2023-11-01">"#), "{page}");
    }
    // An untranslated item on the Arabic list keeps its language and reads left to right.
    let ar = read(&out, "ar/news/index.html");
    assert!(ar.contains(r#"<h3 class="card__title" lang="it" dir="ltr">"#));
    assert!(ar.contains(r#"<p class="card__summary" lang="it" dir="ltr">"#));
    assert!(!read(&out, "en/news/index.html").contains(r#"class="card__title" lang="#));
    let news = read(
        &out,
        "notizie/incontro-a-foggia-sui-migranti-vulnerabili/index.html",
    );
    assert!(news.contains(r#"<time datetime="2023-03">marzo 2023</time>"#));
    let feed = read(&out, "feed.xml");
    assert!(feed.contains("<published>2023-03-01T00:00:00Z</published>"));
    assert!(feed.contains("<published>2023-11-01T00:00:00Z</published>"));
}
