//! Atom feeds, the sitemap and robots.txt.

mod common;

use common::*;

#[test]
fn atom_feeds_per_language_region_and_project() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let it = read(&out, "feed.xml");
    assert!(it.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"it\">"));
    assert!(it.contains(
        "<id>tag:vetrina.example.org,2022:story/dal-tirocinio-in-cucina-al-contratto</id>"
    ));
    assert!(it.contains(r#"<link rel="self" type="application/atom+xml" href="https://vetrina.example.org/feed.xml"/>"#));
    assert!(
        it.contains("<updated>2023-11-01T00:00:00Z</updated>"),
        "the newest entry's date (a news item of November 2023: the month's first day), not the clock"
    );
    assert_eq!(
        it.matches("<entry").count(),
        6 + 3 + 4,
        "stories, news and events"
    );
    let en = read(&out, "en/feed.xml");
    assert!(
        en.contains(r#"xml:lang="en""#)
            && en.contains("href=\"https://vetrina.example.org/en/stories/")
    );
    // A French feed lists untranslated stories in their own language.
    let fr = read(&out, "fr/feed.xml");
    assert!(fr.contains(r#"<entry xml:lang="it">"#) && fr.contains(r#"<entry xml:lang="fr">"#));

    let lombardia = read(&out, "regioni/lombardia/feed.xml");
    assert!(lombardia.contains("event/focus-group-lombardia-2021"));
    assert!(lombardia.contains("story/dal-tirocinio-in-cucina-al-contratto"));
    assert!(
        !lombardia.contains("story/il-mediatore-allo-sportello"),
        "a Lazio story"
    );
    assert!(
        read(&out, "en/regions/lombardy/feed.xml")
            .contains("<id>tag:vetrina.example.org,2020:feed/en/region/lombardia</id>")
    );
    assert!(
        read(&out, "progetti/prima-il-lavoro/feed.xml")
            .contains("story/il-mediatore-allo-sportello")
    );
    let hub = read(&out, "regioni/lombardia/index.html");
    assert!(hub.contains(r#"href="feed.xml" type="application/atom+xml""#));
    assert!(hub.contains(r#"href="calendario.ics" type="text/calendar""#));
}

#[test]
fn sitemap_lists_real_pages_with_alternates_and_robots_points_to_it() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let sm = read(&out, "sitemap.xml");
    assert!(sm.contains("<loc>https://vetrina.example.org/progetti/puoi/</loc>"));
    assert!(sm.contains(r#"<xhtml:link rel="alternate" hreflang="ar" href="https://vetrina.example.org/ar/projects/puoi/"/>"#));
    assert!(sm.contains(r#"<xhtml:link rel="alternate" hreflang="x-default" href="https://vetrina.example.org/progetti/puoi/"/>"#));
    assert!(sm.contains(
        "<loc>https://vetrina.example.org/en/stories/dal-tirocinio-in-cucina-al-contratto/</loc>"
    ));
    assert!(
        !sm.contains("/fr/recits/dal-tirocinio-in-cucina-al-contratto/"),
        "a fallback page is not in the sitemap"
    );
    assert!(!sm.contains("404"));
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://vetrina.example.org/sitemap.xml\n"
    );
}

#[test]
fn link_previews_use_a_story_picture_only_with_social_consent() {
    let t = demo_copy();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let og = |page: &str| {
        let html = read(&out, page);
        let at = html
            .find(r#"<meta property="og:image" content=""#)
            .expect("og:image")
            + 35;
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    // scope: [web] — the site's own picture, never the participant's.
    let web_only = og("storie/dal-tirocinio-in-cucina-al-contratto/index.html");
    assert!(
        web_only.starts_with("https://vetrina.example.org/share.") && web_only.ends_with(".png"),
        "{web_only}"
    );
    // scope: [web, social] — the story's picture.
    assert_eq!(
        og("storie/italiano-e-competenze-al-centro-per-l-impiego/index.html"),
        "https://vetrina.example.org/storie/italiano-e-competenze-al-centro-per-l-impiego/cover-1200.jpg"
    );
    assert!(og("index.html").contains("/share."));
}
