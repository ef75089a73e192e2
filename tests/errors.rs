//! One test per error class: each builds a fixture site of tests/fixtures/ that makes one
//! mistake (or, where the case is about a whole site, a copy of the demo site broken in one
//! way) and asserts the diagnostic's text, file, line and column, and that the build failed
//! without writing. tests/diagnostics.rs holds the exact text of each class as a snapshot.

mod common;

use common::*;
use std::fs;

const STORY: &str = "content/stories/dal-tirocinio-in-cucina-al-contratto/index.it.md";
/// The story of the fixture sites (tests/fixtures/story-ok and the cases made from it).
const FIXTURE_STORY: &str = "content/stories/un-percorso-di-esempio/index.it.md";

fn fails_with(root: &std::path::Path) -> String {
    let r = build(root);
    assert!(!r.ok(), "the build should fail");
    assert!(
        !root.join("public").exists(),
        "a failed first build must write nothing"
    );
    one_error(&r)
}

#[test]
fn unknown_key_with_did_you_mean() {
    let t = fixture("unknown-key");
    let e = fails_with(t.path());
    assert!(e.starts_with("error: unknown key `regoin`"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:6:1")), "{e}");
    assert!(e.contains("6 | regoin: lazio"), "{e}");
    assert!(e.contains("help: did you mean `region`?"), "{e}");
}

#[test]
fn wrong_type() {
    let t = fixture("wrong-type");
    let e = fails_with(t.path());
    assert!(e.contains("wrong kind of value"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:2:8")), "{e}");
}

#[test]
fn bad_date() {
    let t = fixture("bad-date");
    let e = fails_with(t.path());
    assert!(e.contains("not a valid date"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:3:7")), "{e}");
    assert!(e.contains("YYYY-MM-DD"), "{e}");
}

#[test]
fn unknown_region_project_fund_and_organisation() {
    let t = fixture("unknown-region");
    let e = fails_with(t.path());
    assert!(e.contains("unknown region `lazoi`"), "{e}");
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:6:9")), "{e}");
    assert!(e.contains("did you mean `lazio`?"), "{e}");

    let t = fixture("unknown-project");
    let e = fails_with(t.path());
    assert!(
        e.contains("unknown project `progetto-esmepio`")
            && e.contains("did you mean `progetto-esempio`?"),
        "{e}"
    );
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:5:10")), "{e}");

    let t = fixture("unknown-fund");
    let e = fails_with(t.path());
    assert!(
        e.contains("unknown fund `fondo-esmepio`") && e.contains("did you mean `fondo-esempio`?"),
        "{e}"
    );
    assert!(
        e.contains("--> content/projects/progetto-esempio/index.it.md:5:9"),
        "{e}"
    );

    let t = fixture("unknown-organisation");
    let e = fails_with(t.path());
    assert!(
        e.contains("unknown organisation `ente-esmepio`")
            && e.contains("did you mean `ente-esempio`?"),
        "{e}"
    );
    assert!(
        e.contains("--> data/events/progetto-esempio.yaml:12:14"),
        "{e}"
    );
}

#[test]
fn malformed_yaml() {
    let t = fixture("yaml-syntax-error");
    let e = fails_with(t.path());
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:4:18")), "{e}");
    assert!(e.contains("help:"), "{e}");
}

#[test]
fn non_utf8_file() {
    // A news item saved in Latin-1: `è` is the single byte 0xE8.
    let t = fixture("not-utf8");
    let e = fails_with(t.path());
    assert!(e.contains("not UTF-8"), "{e}");
    assert!(
        e.contains("--> content/news/una-notizia/index.it.md:7:16"),
        "{e}"
    );
    assert!(e.contains("UTF-8"), "{e}");
}

#[test]
fn empty_file() {
    let t = fixture("empty-file");
    let e = fails_with(t.path());
    assert!(e.contains("this file is empty"), "{e}");
    assert!(e.contains("--> content/news/vuota/index.it.md:1:1"), "{e}");
}

#[test]
fn missing_and_unclosed_front_matter() {
    let t = fixture("no-front-matter");
    let e = fails_with(t.path());
    assert!(
        e.contains("does not start with front matter")
            && e.contains("--> content/news/senza-intestazione/index.it.md:1:1"),
        "{e}"
    );

    let t = fixture("front-matter-not-closed");
    let e = fails_with(t.path());
    assert!(e.contains("never closed"), "{e}");
    assert!(
        e.contains("--> content/news/una-notizia/index.it.md:1:1"),
        "{e}"
    );
}

#[test]
fn unknown_language_and_section() {
    let t = fixture("story-ok");
    let src = t.path().join(FIXTURE_STORY);
    fs::copy(&src, src.with_file_name("index.itt.md")).unwrap();
    let e = fails_with(t.path());
    assert!(
        e.contains("`itt`") && e.contains("did you mean `it`?"),
        "{e}"
    );

    let t = fixture("unknown-section");
    let e = fails_with(t.path());
    assert!(
        e.contains("`storie` is not a content section") && e.contains("did you mean `stories`?"),
        "{e}"
    );
    assert!(
        e.contains("--> content/storie/un-percorso/index.it.md"),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn broken_link_and_link_loop() {
    let bundle = "content/stories/un-percorso-di-esempio";
    let t = fixture("story-ok");
    std::os::unix::fs::symlink(
        "/nonexistent/file.jpg",
        t.path().join(bundle).join("extra.jpg"),
    )
    .unwrap();
    let e = fails_with(t.path());
    assert!(e.contains("cannot read"), "{e}");
    assert!(e.contains("extra.jpg"), "{e}");

    let t = fixture("story-ok");
    std::os::unix::fs::symlink("..", t.path().join("content/stories/loop")).unwrap();
    let r = build(t.path());
    assert!(!r.ok());
    let all = rendered(&r);
    assert!(all.contains("endless loop"), "{all}");

    let t = fixture("story-ok");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "x").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        t.path().join(bundle).join("secret.txt"),
    )
    .unwrap();
    let e = fails_with(t.path());
    assert!(e.contains("outside the site folder"), "{e}");
}

#[test]
fn hostile_yaml_is_refused_not_expanded() {
    let t = fixture("story-ok");
    let mut y = String::from("- id: bomb\n  x0: &a0 [1,1,1,1,1,1,1,1,1,1]\n");
    for i in 1..14 {
        let p = i - 1;
        y.push_str(&format!(
            "  x{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    write(t.path(), "data/events/bomb.yaml", &y);
    let r = build(t.path());
    assert!(!r.ok());
    assert!(rendered(&r).contains("data/events/bomb.yaml"));

    let t = fixture("story-ok");
    let deep = format!(
        "- id: deep\n  kind: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    write(t.path(), "data/events/deep.yaml", &deep);
    let r = build(t.path());
    assert!(!r.ok());
    assert!(rendered(&r).contains("data/events/deep.yaml"));
}

#[test]
fn every_error_of_a_build_is_reported_together() {
    let t = demo_copy();
    edit(t.path(), STORY, "region: lombardia", "region: lombrdia");
    edit(
        t.path(),
        "content/projects/faro/index.en.md",
        "status:",
        "stauts:",
    );
    edit(
        t.path(),
        "data/events/puoi.yaml",
        "timezone: Europe/Rome",
        "timezone: Europe/Roma",
    );
    write(t.path(), "content/news/vuota/index.it.md", "\n");
    let r = build(t.path());
    let all = rendered(&r);
    assert_eq!(r.diagnostics.errors().count(), 4, "{all}");
    for needle in ["lombrdia", "stauts", "Europe/Roma", "this file is empty"] {
        assert!(all.contains(needle), "{needle} missing from:\n{all}");
    }
    assert!(all.contains("did you mean `Europe/Rome`?"), "{all}");
}

#[test]
fn missing_interface_string_names_key_language_and_template() {
    let t = demo_copy();
    edit(
        t.path(),
        "themes/default/i18n/fr.yaml",
        "skip_link:",
        "skip_lien:",
    );
    let e = fails_with(t.path());
    assert!(
        e.contains("missing interface string `skip_link` for language `fr`"),
        "{e}"
    );
    let base = read(t.path(), "themes/default/templates/base.html");
    let line = base
        .lines()
        .position(|l| l.contains(r#"t(key="skip_link")"#))
        .unwrap()
        + 1;
    let at = format!("--> themes/default/templates/base.html:{line}:38");
    assert!(e.contains(&at), "{e}");
    assert!(e.contains("did you mean `skip_lien`?"), "{e}");
}

#[test]
fn template_syntax_error_points_at_the_template() {
    // The fixture's page.html ends with `{% endblok content %}` on its line 12.
    let t = fixture("template-syntax-error");
    let e = fails_with(t.path());
    assert!(
        e.contains("--> themes/default/templates/page.html:12:4"),
        "{e}"
    );
    assert!(e.contains("12 | {% endblok content %}"), "{e}");
}

#[test]
fn no_panic_on_garbage_front_matter() {
    // A deterministic stream of hostile inputs: every one must give diagnostics, not a panic.
    let samples: Vec<String> = {
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        let alphabet = b"ab:- \n\t[]{}&*!|>'\"#%@`,?\\0123\xc3\xa8";
        (0..40)
            .map(|n| {
                let mut s = Vec::new();
                for _ in 0..(20 + n * 7) {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
                }
                String::from_utf8_lossy(&s).into_owned()
            })
            .collect()
    };
    let t = fixture("story-ok");
    for (i, s) in samples.iter().enumerate() {
        write(
            t.path(),
            &format!("content/news/fuzz-{i}/index.it.md"),
            &format!("---\n{s}\n---\nbody\n"),
        );
    }
    let r = check(t.path());
    assert!(!r.ok());
    assert!(r.diagnostics.errors().count() >= 30);
}

#[test]
fn output_folder_may_not_hold_the_sources() {
    let t = fixture("story-ok");
    let mut o = opts(t.path());
    o.output = Some(t.path().to_path_buf());
    let r = vetrina::build(&o);
    assert!(!r.ok());
    assert!(rendered(&r).contains("contains the site itself"));
    assert!(
        t.path().join("content").is_dir(),
        "the sources must be untouched"
    );
}

#[test]
fn slug_too_long_for_a_web_address() {
    // Past 255 bytes no file system could write the page; a build used to fail with the
    // system's "File name too long" and no hint of which page.
    let t = fixture("story-ok");
    let long = "dal-tirocinio-in-cucina-al-contratto-".repeat(8) + "fine";
    edit(
        t.path(),
        FIXTURE_STORY,
        "region: lazio",
        &format!("region: lazio\nslug: {long}"),
    );
    let e = fails_with(t.path());
    assert!(
        e.starts_with(&format!(
            "error: `{long}` is too long for a web address: {} characters, at most 100",
            long.len()
        )),
        "{e}"
    );
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:7:7")), "{e}");
    assert!(
        e.contains("help: shorten it, for example to `dal-tirocinio-in-cucina-al-contratto-dal-tirocinio-in-cucina-al-contratto-dal`"),
        "{e}"
    );
}

#[test]
fn folder_name_too_long_for_a_web_address() {
    let t = demo_copy();
    let long = "una-storia-".repeat(12) + "fine";
    let from = t
        .path()
        .join("content/stories/dal-tirocinio-in-cucina-al-contratto");
    fs::rename(&from, from.with_file_name(&long)).unwrap();
    let r = build(t.path());
    assert!(!r.ok() && !t.path().join("public").exists());
    // One error for each of the folder's files (the story is in Italian and English).
    let errs: Vec<String> = r.diagnostics.errors().map(|d| d.render(false)).collect();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    for (e, lang) in errs.iter().zip(["en", "it"]) {
        assert!(
            e.starts_with(&format!(
                "error: the folder name `{long}` is too long for a web address: 136 characters, at most 100"
            )),
            "{e}"
        );
        assert!(
            e.contains(&format!("--> content/stories/{long}/index.{lang}.md")),
            "{e}"
        );
        assert!(
            e.contains("help: rename the folder to `una-storia-una-storia-una-storia-una-storia-una-storia-una-storia-una-storia-una`"),
            "{e}"
        );
    }
}

#[test]
fn an_embedded_player_is_refused_where_it_is_written() {
    // A video player pasted into a story would make every reader's browser contact
    // another site (SPEC §4: no third-party requests).
    let t = fixture("markdown-raw-html");
    let e = fails_with(t.path());
    assert!(
        e.starts_with(
            "error: HTML in the text is not published: `<iframe src=\"https://video.example/embed/1\" title=\"Video\"></iframe>`"
        ),
        "{e}"
    );
    let line = line_of(t.path(), FIXTURE_STORY, |l| l.starts_with("<iframe"));
    assert!(e.contains(&format!("--> {FIXTURE_STORY}:{line}:1")), "{e}");
    assert!(e.contains("help: write it in Markdown"), "{e}");
}

#[test]
fn a_link_to_a_page_the_site_does_not_have() {
    let t = demo_copy();
    edit(
        t.path(),
        STORY,
        "## Dopo il tirocinio",
        "Si veda [il progetto](/progetti/puio/).\n\n## Dopo il tirocinio",
    );
    let e = fails_with(t.path());
    assert!(
        e.starts_with("error: no page of the site has the address `/progetti/puio/`"),
        "{e}"
    );
    let line = line_of(t.path(), STORY, |l| l.starts_with("Si veda"));
    assert!(e.contains(&format!("--> {STORY}:{line}:9")), "{e}");
    assert!(e.contains("help: did you mean `/progetti/puoi/`?"), "{e}");
    let story_page = || {
        let r = build(t.path());
        assert!(r.ok(), "{}", rendered(&r));
        read(
            &t.path().join("public"),
            "storie/dal-tirocinio-in-cucina-al-contratto/index.html",
        )
    };
    // Mended with the address copied from the browser: published relative to the page,
    // so that it also works from disk; a relative link to another story is checked too.
    edit(
        t.path(),
        STORY,
        "(/progetti/puio/)",
        "(https://vetrina.example.org/progetti/puoi/#risultati) e [un'altra](../dopo-l-accoglienza-una-casa-e-un-lavoro/)",
    );
    let html = story_page();
    assert!(
        html.contains(r#"<a href="../../progetti/puoi/index.html#risultati">il progetto</a>"#),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<a href="../dopo-l-accoglienza-una-casa-e-un-lavoro/index.html">un'altra</a>"#
        ),
        "{html}"
    );
    // A site published under a folder: the address copied from the browser without the
    // host begins with that folder.
    edit(
        t.path(),
        "site.yaml",
        "base_url: \"https://vetrina.example.org\"",
        "base_url: \"https://vetrina.example.org/sito/\"",
    );
    edit(
        t.path(),
        STORY,
        "(https://vetrina.example.org/progetti/puoi/#risultati)",
        "(/sito/progetti/puoi/#risultati)",
    );
    let html = story_page();
    assert!(
        html.contains(r#"<a href="../../progetti/puoi/index.html#risultati">il progetto</a>"#),
        "{html}"
    );
}

/// A news date may be a month (`2023-03`) or a day; a month or day without its two digits,
/// or a month that does not exist, is refused at its line with the two forms to write.
#[test]
fn news_date_neither_a_day_nor_a_month() {
    const NEWS: &str = "content/news/puoi-risultati-a-giugno-2023/index.it.md";
    for (bad, why) in [
        ("2023-13", "months go from 01 to 12"),
        ("2023-3", "months and days take two digits"),
    ] {
        let t = demo_copy();
        edit(t.path(), NEWS, "date: 2023-11\n", &format!("date: {bad}\n"));
        let e = fails_with(t.path());
        assert!(
            e.contains(&format!("`{bad}` is not a valid day or month: {why}")),
            "{e}"
        );
        assert!(e.contains(&format!("--> {NEWS}:3:7")), "{e}");
        assert!(
            e.contains("help: write the day as YYYY-MM-DD (for example 2023-03-28) or, when only the month is known, the month as YYYY-MM (for example 2023-03)"),
            "{e}"
        );
    }
    // In a calendar, the same forms, at the event's line.
    let t = demo_copy();
    edit(
        t.path(),
        "data/events/puoi.yaml",
        "start: 2023-03-28\n",
        "start: 2023-3\n",
    );
    let e = fails_with(t.path());
    assert!(
        e.contains("`2023-3` is not a valid day or month: months and days take two digits"),
        "{e}"
    );
    let line = line_of(t.path(), "data/events/puoi.yaml", |l| {
        l.contains("start: 2023-3")
    });
    assert!(
        e.contains(&format!("--> data/events/puoi.yaml:{line}:")),
        "{e}"
    );
    assert!(e.contains("or YYYY-MM when only the month is"), "{e}");
}
