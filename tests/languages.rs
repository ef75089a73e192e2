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
        (
            "ar/events/focus-group-lombardia-2021/index.html",
            "13 يوليو 2021",
        ),
    ];
    for (page, date) in dates {
        let html = read(&out, page);
        assert!(html.contains(date), "{page} should read {date}");
        assert!(
            html.contains("14:30–17:00 (Europe/Rome)"),
            "{page}: 24-hour time with the zone"
        );
    }

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
