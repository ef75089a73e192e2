//! Story and news cards with their pictures: the markup on every page that lists cards
//! (lists, home, project sheets, region hubs), the card without a picture, the consent rule
//! (a card shows a story's picture only where its page would, and a taken-down story shows
//! nowhere), and the JSON from which the list script rebuilds the same cards. The tests start
//! from the `story-with-pictures` fixture (one story with a 1200×800 cover, in Italian and
//! English) and `story-ok` (one story without a picture).

mod common;

use common::*;
use scraper::{ElementRef, Html, Selector};
use std::fs;
use std::path::Path;

const BUNDLE: &str = "content/stories/un-percorso-di-esempio";
const ALT_IT: &str = "Illustrazione: un piano di lavoro con un tagliere e delle verdure";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The cards of a page that link to the story `slug`.
fn cards_of<'h>(doc: &'h Html, slug: &str) -> Vec<ElementRef<'h>> {
    doc.select(&sel("li.card"))
        .filter(|li| {
            li.select(&sel(".card__title a"))
                .any(|a| a.value().attr("href").is_some_and(|h| h.contains(slug)))
        })
        .collect()
}

/// Every address of a srcset, checked to be a file beside `page`.
fn check_srcset(out: &Path, page: &str, set: &str, ext: &str) {
    let dir = out.join(page).parent().unwrap().to_path_buf();
    let mut widths = Vec::new();
    for candidate in set.split(", ") {
        let (url, w) = candidate.rsplit_once(' ').unwrap();
        assert!(url.ends_with(ext), "{page}: {candidate}");
        assert!(dir.join(url).is_file(), "{page}: {url} is not published");
        widths.push(w.to_string());
    }
    assert_eq!(widths, ["480w", "960w", "1200w"], "{page}: {set}");
}

/// The one card's `<picture>`: a WebP source, then the JPEG fallback with the author's alt
/// text, the box's width and height, and lazy loading; every address published.
fn check_card_picture(out: &Path, page: &str, card: ElementRef, alt: &str) {
    let children: Vec<String> = card
        .child_elements()
        .map(|e| e.value().name().to_string())
        .collect();
    assert_eq!(children, ["h3", "picture", "p", "p"], "{page}: title first");
    let picture = card.select(&sel("picture")).next().unwrap();
    let parts: Vec<&str> = picture.child_elements().map(|e| e.value().name()).collect();
    assert_eq!(parts, ["source", "img"], "{page}");
    let source = picture.select(&sel("source")).next().unwrap().value();
    let img = picture.select(&sel("img")).next().unwrap().value();
    assert_eq!(source.attr("type"), Some("image/webp"), "{page}");
    check_srcset(out, page, source.attr("srcset").unwrap(), ".webp");
    check_srcset(out, page, img.attr("srcset").unwrap(), ".jpg");
    let sizes = img.attr("sizes").unwrap();
    assert!(
        sizes.starts_with("(min-width: 75rem) 22rem,"),
        "{page}: {sizes}"
    );
    assert_eq!(source.attr("sizes"), Some(sizes), "{page}");
    assert!(
        out.join(page)
            .parent()
            .unwrap()
            .join(img.attr("src").unwrap())
            .is_file()
    );
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("1200"), Some("800")),
        "{page}: the box is held"
    );
    assert_eq!(img.attr("alt"), Some(alt), "{page}");
    assert_eq!(img.attr("loading"), Some("lazy"), "{page}");
    assert_eq!(img.attr("decoding"), Some("async"), "{page}");
}

#[test]
fn story_cards_show_their_picture_wherever_they_are_listed() {
    let t = fixture("story-with-pictures");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let pages = [
        ("storie/index.html", ALT_IT),
        ("index.html", ALT_IT),
        ("progetti/progetto-esempio/index.html", ALT_IT),
        ("regioni/lazio/index.html", ALT_IT),
        (
            "en/stories/index.html",
            "Illustration: a worktop with a chopping board and vegetables",
        ),
    ];
    for (page, alt) in pages {
        let doc = Html::parse_document(&read(&out, page));
        let cards = cards_of(&doc, "un-percorso-di-esempio");
        assert_eq!(cards.len(), 1, "{page}");
        check_card_picture(&out, page, cards[0], alt);
    }
    // The story's own page: the same sizes in WebP at the top, loaded at once.
    let html = read(&out, "storie/un-percorso-di-esempio/index.html");
    let doc = Html::parse_document(&html);
    let cover = doc.select(&sel(".entry__figure picture")).next().unwrap();
    assert!(
        cover
            .select(&sel("source[type='image/webp']"))
            .next()
            .is_some()
    );
    let img = cover.select(&sel("img")).next().unwrap().value();
    assert_eq!(img.attr("loading"), None, "the cover is above the fold");
}

#[test]
fn a_card_without_a_picture_has_no_picture_markup() {
    let t = fixture("story-ok");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    for page in [
        "storie/index.html",
        "index.html",
        "regioni/lazio/index.html",
    ] {
        let html = read(&out, page);
        let doc = Html::parse_document(&html);
        let cards = cards_of(&doc, "un-percorso-di-esempio");
        assert_eq!(cards.len(), 1, "{page}");
        let children: Vec<&str> = cards[0]
            .child_elements()
            .map(|e| e.value().name())
            .collect();
        assert_eq!(children, ["h3", "p", "p"], "{page}");
        let card = cards[0].html();
        for bad in ["<picture", "<img", "srcset", "alt=", "None", "null"] {
            assert!(!card.contains(bad), "{page}: {bad} in {card}");
        }
    }
}

#[test]
fn a_news_card_shows_its_picture() {
    let t = fixture("story-with-pictures");
    let news = t.path().join("content/news/una-notizia");
    fs::create_dir_all(&news).unwrap();
    fs::copy(
        t.path().join(BUNDLE).join("detail.jpg"),
        news.join("foto.jpg"),
    )
    .unwrap();
    write(
        t.path(),
        "content/news/una-notizia/index.it.md",
        "---\ntitle: \"Una notizia di prova\"\ndate: 2025-04-01\nsummary: \"Una notizia inventata, per i test.\"\nimage: {src: foto.jpg, alt: \"Illustrazione: una pentola su un fornello\"}\n---\n\nTesto.\n",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    for page in ["notizie/index.html", "index.html"] {
        let doc = Html::parse_document(&read(&out, page));
        let cards = cards_of(&doc, "una-notizia");
        assert_eq!(cards.len(), 1, "{page}");
        check_card_picture(
            &out,
            page,
            cards[0],
            "Illustrazione: una pentola su un fornello",
        );
    }
}

#[test]
fn a_card_shows_the_picture_only_where_the_consent_lets_the_story_page_show_it() {
    // Consent for the web only: the card and the page show the picture, and no link preview
    // offers it.
    let t = fixture("story-with-pictures");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let page = read(&out, "storie/un-percorso-di-esempio/index.html");
    assert!(page.contains("cover-480.webp"));
    let og = Html::parse_document(&page)
        .select(&sel("meta[property='og:image']"))
        .filter_map(|m| m.value().attr("content").map(str::to_string))
        .collect::<Vec<_>>();
    assert!(
        og.iter().all(|c| !c.contains("cover")),
        "no consent for social networks: {og:?}"
    );
    let list = Html::parse_document(&read(&out, "storie/index.html"));
    assert_eq!(
        cards_of(&list, "un-percorso-di-esempio")[0]
            .select(&sel("picture"))
            .count(),
        1
    );

    // Consent withdrawn: the story is taken down; no card anywhere, no picture published.
    let t = fixture("story-with-pictures");
    for f in ["index.it.md", "index.en.md"] {
        edit(
            t.path(),
            &format!("{BUNDLE}/{f}"),
            "withdrawn: false",
            "withdrawn: true",
        );
    }
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    for page in [
        "storie/index.html",
        "index.html",
        "progetti/progetto-esempio/index.html",
        "regioni/lazio/index.html",
        "en/stories/index.html",
    ] {
        let html = read(&out, page);
        assert!(!html.contains("un-percorso-di-esempio"), "{page}");
        assert!(!html.contains("<picture"), "{page}");
    }
    for (path, _) in tree(&out) {
        let p = path.to_string_lossy();
        assert!(
            !p.ends_with(".jpg") && !p.ends_with(".webp"),
            "a taken-down story's picture is published: {p}"
        );
    }
}

#[test]
fn the_json_of_the_cards_carries_each_picture_for_the_list_script() {
    // Three stories, two a page: two with the cover, one without a picture.
    let t = fixture("story-with-pictures");
    let it = read(t.path(), &format!("{BUNDLE}/index.it.md"));
    for (n, picture) in [(2, true), (3, false)] {
        let dir = format!("content/stories/percorso-{n}");
        let mut text = it
            .replace("\"Un percorso di esempio\"", &format!("\"Percorso {n}\""))
            .replace("ESEMPIO-0001", &format!("ESEMPIO-000{n}"))
            .replace("date: 2025-03-10", &format!("date: 2024-0{n}-10"))
            .replace(
                "![Illustrazione: una pentola su un fornello](detail.jpg)",
                "",
            );
        if picture {
            fs::create_dir_all(t.path().join(&dir)).unwrap();
            fs::copy(
                t.path().join(BUNDLE).join("cover.jpg"),
                t.path().join(&dir).join("cover.jpg"),
            )
            .unwrap();
        } else {
            text = text
                .lines()
                .filter(|l| !l.starts_with("image:"))
                .collect::<Vec<_>>()
                .join("\n");
        }
        write(t.path(), &format!("{dir}/index.it.md"), &text);
    }
    edit(
        t.path(),
        "site.yaml",
        "privacy_page:",
        "stories_per_page: 2\nprivacy_page:",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let json: serde_json::Value = serde_json::from_str(&read(&out, "storie/cards.json")).unwrap();
    let cards = json.as_array().unwrap();
    assert_eq!(cards.len(), 3);
    // The page's own card, for comparing with what the script builds from the JSON.
    let page = Html::parse_document(&read(&out, "storie/index.html"));
    for c in cards {
        let href = c["href"].as_str().unwrap();
        let p = &c["picture"];
        if href.contains("percorso-3") {
            assert!(p.is_null(), "{c}");
            continue;
        }
        for (set, ext) in [("webp", ".webp"), ("srcset", ".jpg")] {
            // Addresses relative to the JSON file, which is beside the list's first page.
            check_srcset(&out, "storie/index.html", p[set].as_str().unwrap(), ext);
        }
        assert!(
            out.join("storie")
                .join(p["src"].as_str().unwrap())
                .is_file()
        );
        assert_eq!(
            (p["width"].as_u64(), p["height"].as_u64()),
            (Some(1200), Some(800))
        );
        assert_eq!(p["alt"], ALT_IT);
        assert_eq!(p["lazy"], true);
        assert!(
            p["sizes"]
                .as_str()
                .unwrap()
                .starts_with("(min-width: 75rem) 22rem,")
        );
        // Where the first page shows the card, it shows the same picture.
        let slug = href.split('/').next().unwrap();
        if let Some(card) = cards_of(&page, slug).first() {
            let img = card.select(&sel("picture img")).next().unwrap().value();
            assert_eq!(img.attr("srcset"), p["srcset"].as_str());
            assert_eq!(img.attr("sizes"), p["sizes"].as_str());
            assert_eq!(img.attr("alt"), p["alt"].as_str());
        }
        // On the Italian list every card is in the list's language.
        assert!(c["lang"].is_null() && c["dir"].is_null(), "{c}");
    }
    // On the English list the stories written only in Italian keep their language, on the
    // page's cards and in the JSON the script rebuilds them from (WCAG 3.1.2).
    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "en/stories/cards.json")).unwrap();
    let page = Html::parse_document(&read(&out, "en/stories/index.html"));
    let mut italian = 0;
    for c in json.as_array().unwrap() {
        let href = c["href"].as_str().unwrap();
        // percorso-2 and percorso-3 are written in Italian only.
        let only_italian = href.starts_with("percorso-");
        assert_eq!(c["lang"].as_str(), only_italian.then_some("it"), "{c}");
        assert_eq!(c["dir"].as_str(), only_italian.then_some("ltr"), "{c}");
        let slug = href.split('/').next().unwrap();
        for card in cards_of(&page, slug) {
            for part in [".card__title", ".card__summary"] {
                let el = card.select(&sel(part)).next().unwrap().value();
                assert_eq!(
                    el.attr("lang"),
                    only_italian.then_some("it"),
                    "{slug} {part}"
                );
                assert_eq!(
                    el.attr("dir"),
                    only_italian.then_some("ltr"),
                    "{slug} {part}"
                );
            }
            italian += usize::from(only_italian);
        }
    }
    assert!(
        italian >= 1,
        "no untranslated card on the English list's first page"
    );
}
