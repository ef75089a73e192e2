//! The privacy rules of SPEC §6: each authoring error on a fixture site of tests/fixtures/
//! that breaks that one rule (the error text and line); the takedowns for expired and
//! withdrawn consent on the demo site, whose story is in two languages and reaches every
//! kind of output, so that "no trace left" is checked everywhere.

mod common;

use common::*;

const STORY: &str = "content/stories/dal-tirocinio-in-cucina-al-contratto/index.it.md";
const STORY_EN: &str = "content/stories/dal-tirocinio-in-cucina-al-contratto/index.en.md";
const SLUG: &str = "dal-tirocinio-in-cucina-al-contratto";
/// The story of the fixture sites (tests/fixtures/story-ok and the cases made from it).
const FIXTURE_STORY: &str = "content/stories/un-percorso-di-esempio/index.it.md";

#[test]
fn participant_story_without_consent_is_an_error() {
    let t = fixture("story-without-consent");
    let r = build(t.path());
    assert!(!r.ok());
    let e = one_error(&r);
    assert!(
        e.contains("this story has a `person` block but no `consent` block"),
        "{e}"
    );
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:8:1")), "{e}");
    assert!(e.contains("help:"), "{e}");
}

#[test]
fn a_story_with_a_person_block_needs_consent_whatever_its_kind() {
    let t = fixture("story-without-consent");
    edit(t.path(), FIXTURE_STORY, "kind: participant", "kind: host");
    let e = one_error(&build(t.path()));
    assert!(e.contains("no `consent` block"), "{e}");
}

#[test]
fn a_named_minor_is_refused() {
    // A minor (`minor: true`), consent by a parent, shown by first name.
    let t = fixture("minor-named");
    let e = one_error(&build(t.path()));
    assert!(e.contains("a minor must not be shown by name"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:10:20")), "{e}");
}

#[test]
fn a_minor_needs_consent_from_parent_or_guardian() {
    let t = fixture("minor-consent-by-self");
    let e = one_error(&build(t.path()));
    assert!(
        e.contains("consent for a minor must be given by a parent or guardian"),
        "{e}"
    );
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:15:13")), "{e}");
}

#[test]
fn a_minor_face_is_refused() {
    // A minor, consent by a guardian, a cover picture with `faces: consented`.
    let t = fixture("minor-face");
    let e = one_error(&build(t.path()));
    assert!(e.contains("a minor's face must not be shown"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:8:97")), "{e}");
}

#[test]
fn images_need_alt_text() {
    // The cover picture with `alt: ""`.
    let t = fixture("cover-without-alt");
    let e = one_error(&build(t.path()));
    assert!(e.contains("this image has an empty alt text"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:8:34")), "{e}");

    // A picture in the text written `![](disegno.png)`.
    let t = fixture("markdown-image-without-alt");
    let line = line_of(t.path(), FIXTURE_STORY, |l| l.starts_with("![]("));
    let e = one_error(&build(t.path()));
    assert!(e.contains("this image has no alt text"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:{line}:1")), "{e}");
}

#[test]
fn names_never_reach_web_addresses_or_file_names() {
    // The story of Karim (a made-up name) in the folder la-storia-di-karim.
    let t = fixture("name-in-address");
    let r = build(t.path());
    assert!(!r.ok());
    let all = rendered(&r);
    assert!(
        all.contains("the web address `la-storia-di-karim` contains the person's name"),
        "{all}"
    );

    // A picture of the story named karim.png.
    let t = fixture("name-in-file-name");
    let all = rendered(&build(t.path()));
    assert!(
        all.contains("the file name `karim.png` contains the person's name"),
        "{all}"
    );
}

fn assert_absent_everywhere(out: &std::path::Path, needles: &[&str]) {
    for (path, bytes) in tree(out) {
        let p = path.to_string_lossy();
        let text = readable(&bytes);
        for n in needles {
            assert!(!p.contains(n), "{p} still carries {n}");
            assert!(!text.contains(n), "{p} still mentions {n}");
        }
    }
}

#[test]
fn expired_consent_takes_the_story_down_everywhere() {
    let t = demo_copy();
    assert!(build_own_cache(t.path()).ok());
    assert!(
        t.path()
            .join("public/storie")
            .join(SLUG)
            .join("index.html")
            .exists()
    );
    // The story is in the search index until its consent expires.
    let index = search_index_text(&t.path().join("public"));
    assert!(index.contains("Dal tirocinio in cucina al contratto"));
    assert!(index.contains(&format!("/storie/{SLUG}/")));
    for f in [STORY, STORY_EN] {
        edit(t.path(), f, "expires: 2028-04-20", "expires: 2026-11-24");
    }
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let warnings: Vec<String> = r.diagnostics.warnings().map(|w| w.render(false)).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(&format!(
            "story `{SLUG}` taken down: consent expired on 2026-11-24"
        )),
        "{}",
        warnings[0]
    );
    assert_eq!(r.taken_down.len(), 1);
    let title_it = "Dal tirocinio in cucina al contratto";
    assert_absent_everywhere(&t.path().join("public"), &[SLUG, title_it, "Moussa"]);

    let c = check(t.path());
    assert!(c.ok());
    assert_eq!(
        c.taken_down
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>(),
        [SLUG]
    );
}

#[test]
fn consent_expiring_on_the_build_date_still_holds() {
    let t = fixture("story-ok");
    edit(
        t.path(),
        FIXTURE_STORY,
        "expires: 2028-02-20",
        "expires: 2026-11-25",
    );
    let r = build_own_cache(t.path());
    assert!(r.ok() && r.taken_down.is_empty());
}

#[test]
fn withdrawn_consent_in_any_language_takes_the_story_down() {
    let t = demo_copy();
    edit(t.path(), STORY_EN, "withdrawn: false", "withdrawn: true");
    let r = build_own_cache(t.path());
    assert!(r.ok());
    assert_eq!(r.taken_down.len(), 1);
    assert!(r.taken_down[0].reason.contains("withdrawn"));
    assert_absent_everywhere(&t.path().join("public"), &[SLUG, "Moussa"]);
}

#[test]
fn a_link_to_a_story_taken_down_is_left_out_and_the_takedown_goes_ahead() {
    let t = demo_copy();
    let other = "content/stories/dopo-l-accoglienza-una-casa-e-un-lavoro/index.it.md";
    let heading = read(t.path(), other)
        .lines()
        .find(|l| l.starts_with("## "))
        .unwrap()
        .to_string();
    edit(
        t.path(),
        other,
        &heading,
        &format!("Si legga anche [un altro percorso in cucina](/storie/{SLUG}/).\n\n{heading}"),
    );
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        read(
            &t.path().join("public"),
            "storie/dopo-l-accoglienza-una-casa-e-un-lavoro/index.html"
        )
        .contains(&format!(
            r#"<a href="../{SLUG}/index.html">un altro percorso in cucina</a>"#
        ))
    );
    // The consent expires: a link to the story must not hold the takedown up (a failed
    // build would leave the story published). The link goes; its words stay; a warning
    // names the line.
    for f in [STORY, STORY_EN] {
        edit(t.path(), f, "expires: 2028-04-20", "expires: 2026-11-24");
    }
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.taken_down.len(), 1);
    let warnings: Vec<String> = r.diagnostics.warnings().map(|w| w.render(false)).collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    let line = line_of(t.path(), other, |l| l.starts_with("Si legga"));
    assert!(
        warnings.iter().any(
            |w| w.contains("this link goes to a story taken down for consent")
                && w.contains(&format!("{other}:{line}:16"))
        ),
        "{warnings:#?}"
    );
    let out = t.path().join("public");
    assert!(
        read(
            &out,
            "storie/dopo-l-accoglienza-una-casa-e-un-lavoro/index.html"
        )
        .contains("Si legga anche un altro percorso in cucina.")
    );
    assert_absent_everywhere(&out, &[SLUG, "Moussa"]);
}

#[test]
fn a_takedown_warning_points_at_the_line_that_ended_the_consent() {
    let t = demo_copy();
    // Only the Italian text (not the first of the story's files) says so.
    edit(t.path(), STORY, "withdrawn: false", "withdrawn: true");
    let r = build_own_cache(t.path());
    assert!(r.ok() && r.taken_down.len() == 1);
    let w: Vec<String> = r.diagnostics.warnings().map(|w| w.render(false)).collect();
    let line = line_of(t.path(), STORY, |l| l.trim() == "withdrawn: true");
    assert!(
        w[0].contains(&format!("--> {STORY}:{line}:14"))
            && w[0].contains(&format!("{line} |   withdrawn: true")),
        "{}",
        w[0]
    );
    // An expired consent: the `expires` line of the first text whose consent ran out.
    let t = demo_copy();
    edit(
        t.path(),
        STORY_EN,
        "expires: 2028-04-20",
        "expires: 2026-11-24",
    );
    let r = build_own_cache(t.path());
    let w: Vec<String> = r.diagnostics.warnings().map(|w| w.render(false)).collect();
    assert!(
        w[0].contains(&format!("--> {STORY_EN}:")) && w[0].contains("|   expires: 2026-11-24"),
        "{}",
        w[0]
    );
}
