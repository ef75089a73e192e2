//! Consent beyond "present or not" (issue #27): the scope of a consent, warnings before a
//! consent expires, the register (`vetrina consents`), the recorded withdrawal (`vetrina
//! takedown`), and the erasure of a taken-down story's pictures from the image cache.

mod common;

use common::*;
use std::fs;
use std::path::Path;

const SLUG: &str = "dal-tirocinio-in-cucina-al-contratto";
const STORY: &str = "content/stories/dal-tirocinio-in-cucina-al-contratto/index.it.md";
const STORY_EN: &str = "content/stories/dal-tirocinio-in-cucina-al-contratto/index.en.md";
/// The fixture site in Italian and English (tests/fixtures/two-languages): one story, whose
/// consent covers the web and ends on 2028-02-20.
const FIXTURE: &str = "two-languages";
const FX_SLUG: &str = "un-percorso-di-esempio";
const FX_STORY: &str = "content/stories/un-percorso-di-esempio/index.it.md";
/// A second story written by a test, beside the fixture's.
const LATER: &str = "un-altro-percorso";
const FX_STORY_EN: &str = "content/stories/un-percorso-di-esempio/index.en.md";

fn assert_absent_everywhere(out: &Path, needles: &[&str]) {
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
fn a_consent_without_web_in_scope_is_refused_in_every_language() {
    let t = fixture(FIXTURE);
    for f in [FX_STORY, FX_STORY_EN] {
        edit(t.path(), f, "scope: [web]", "scope: [print]");
    }
    let r = build(t.path());
    assert!(!r.ok());
    let errors: Vec<String> = r.diagnostics.errors().map(|d| d.render(false)).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for f in [FX_STORY_EN, FX_STORY] {
        let line = line_of(t.path(), f, |l| l.trim_start().starts_with("scope:"));
        let e = errors
            .iter()
            .find(|e| e.contains(&format!("--> {f}:{line}:3")))
            .unwrap_or_else(|| panic!("no error at {f}:{line}: {errors:#?}"));
        assert!(
            e.contains(
                "the consent does not cover publication on the website: `web` is not in `scope`"
            ),
            "{e}"
        );
        assert!(e.contains("help: add web to scope only if the signed consent covers publication on the website; otherwise the story cannot be published here"), "{e}");
    }
    assert!(!t.path().join("public").exists(), "nothing is written");
}

#[test]
fn without_social_in_scope_the_share_picture_is_the_sites() {
    // The fixture story with a cover, in two languages, its consent first covering social
    // media too.
    let t = fixture("story-with-pictures");
    for lang in ["it", "en"] {
        edit(
            t.path(),
            &format!("content/stories/{FX_SLUG}/index.{lang}.md"),
            "scope: [web]",
            "scope: [web, social]",
        );
    }
    let page = format!("storie/{FX_SLUG}/index.html");
    let og = |html: &str| {
        html.lines()
            .find(|l| l.contains("property=\"og:image\""))
            .unwrap_or_default()
            .to_string()
    };
    assert!(build(t.path()).ok());
    let with_social = og(&read(&t.path().join("public"), &page));
    assert!(with_social.contains("cover"), "{with_social}");
    for lang in ["it", "en"] {
        edit(
            t.path(),
            &format!("content/stories/{FX_SLUG}/index.{lang}.md"),
            "scope: [web, social]",
            "scope: [web]",
        );
    }
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    for p in [page, format!("en/stories/{FX_SLUG}/index.html")] {
        let line = og(&read(&t.path().join("public"), &p));
        assert!(line.contains("share.png"), "{p}: {line}");
        assert!(!line.contains("cover"), "{p}: {line}");
    }
}

#[test]
fn a_consent_expiring_soon_is_warned_about_at_its_expires_line() {
    // The fixture's story, in two languages, with a consent that ends 27 days after the
    // build date; a second story whose consent ends later.
    let t = fixture(FIXTURE);
    for f in [FX_STORY, FX_STORY_EN] {
        edit(t.path(), f, "expires: 2028-02-20", "expires: 2028-01-28");
    }
    let later = read(t.path(), FX_STORY)
        .replace("expires: 2028-01-28", "expires: 2028-04-20")
        .replace("ESEMPIO-0001", "ESEMPIO-0002")
        .replace("\"Karim\"", "\"Amina\"")
        .replace(
            "title: \"Un percorso di esempio\"",
            "title: \"Un altro percorso\"",
        );
    assert!(later.contains("expires: 2028-04-20") && later.contains("ESEMPIO-0002"));
    write(
        t.path(),
        &format!("content/stories/{LATER}/index.it.md"),
        &later,
    );
    let mut o = opts(t.path());
    o.today = Some("2028-01-01".parse().unwrap());
    let r = vetrina::check(&o);
    assert!(r.ok(), "{}", rendered(&r));
    let w: Vec<String> = r.diagnostics.warnings().map(|d| d.render(false)).collect();
    for f in [FX_STORY, FX_STORY_EN] {
        let line = line_of(t.path(), f, |l| l.trim_start().starts_with("expires:"));
        let found = w
            .iter()
            .find(|w| w.contains(&format!("--> {f}:{line}:12")))
            .unwrap_or_else(|| panic!("no warning at {f}:{line}: {w:#?}"));
        assert!(
            found.contains(
                "warning: the consent for story `un-percorso-di-esempio` expires on 2028-01-28 (in 27 days)"
            ),
            "{found}"
        );
        assert!(
            found.contains("help: renew the consent and update `expires`, or the story will be taken down on 2028-01-29"),
            "{found}"
        );
    }
    // The other consent ends later than the default 60 days.
    assert_eq!(w.len(), 2, "{w:#?}");
    assert!(w.iter().all(|w| !w.contains(LATER)), "{w:#?}");
    // A shorter warning period in site.yaml: no warning 27 days ahead.
    let yaml = read(t.path(), "site.yaml");
    write(
        t.path(),
        "site.yaml",
        &format!("{yaml}privacy:\n  expiry_warning_days: 20\n"),
    );
    let r = vetrina::check(&o);
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.diagnostics.warnings().count(), 0, "{}", rendered(&r));
}

/// A minimal RFC 4180 reader: fields separated by commas, records by CRLF, quoted fields
/// with doubled quotes inside.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a bare CR in the CSV");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF ends a CSV record"),
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last record has no CRLF"
    );
    rows
}

#[test]
fn the_register_lists_every_story_about_a_person_in_csv_json_and_text() {
    let t = demo_copy();
    // A title with a comma and quotes, to test the CSV quoting.
    edit(
        t.path(),
        STORY,
        "title: \"Dal tirocinio in cucina al contratto\"",
        "title: \"Dal tirocinio, in \\\"cucina\\\", al contratto\"",
    );
    let mut o = opts(t.path());
    o.today = Some("2028-01-01".parse().unwrap());
    let (r, reg) = vetrina::consents::register(&o, None);
    assert!(r.ok(), "{}", rendered(&r));
    let reg = reg.unwrap();

    let csv = reg.to_csv();
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 byte-order mark");
    let rows = parse_csv(csv);
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 7, "six stories and the header: {rows:#?}");
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let row = rows.iter().find(|r| r[col("slug")] == SLUG).unwrap();
    assert_eq!(
        row[col("title")],
        "Dal tirocinio, in \"cucina\", al contratto"
    );
    assert_eq!(row[col("display_name")], "Moussa");
    assert_eq!(row[col("consent_reference")], "ESEMPIO-PUOI-LOM-01");
    assert_eq!(row[col("scope")], "web");
    assert_eq!(row[col("expires")], "2028-04-20");
    assert_eq!(row[col("status")], "published");
    assert_eq!(row[col("languages")], "en it");
    assert!(row[col("addresses")].contains(&format!("https://vetrina.example.org/storie/{SLUG}/")));
    let exp = rows
        .iter()
        .find(|r| r[col("slug")] == "il-mediatore-allo-sportello")
        .unwrap();
    assert_eq!(exp[col("status")], "expires in 27 days");
    assert_eq!(exp[col("days_left")], "27");

    let json: serde_json::Value = serde_json::to_value(&reg).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json.to_string()).unwrap();
    let stories = json["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 6);
    let s = stories.iter().find(|s| s["slug"] == SLUG).unwrap();
    assert_eq!(s["given_by"], "self");
    assert_eq!(s["identifiability"], "pseudonym");
    assert_eq!(s["minor"], false);
    assert_eq!(s["withdrawn"], false);

    let text = reg.to_text();
    assert!(text.contains("il-mediatore-allo-sportello"), "{text}");
    assert!(text.contains("expires in 27 days"), "{text}");

    // --within: only what expires within so many days.
    let (_, soon) = vetrina::consents::register(&o, Some(40));
    let soon: Vec<String> = soon.unwrap().stories.into_iter().map(|e| e.slug).collect();
    assert_eq!(
        soon,
        [
            "il-mediatore-allo-sportello",
            "un-laboratorio-che-apre-le-porte"
        ]
    );
}

#[test]
fn the_consents_command_exits_zero_and_prints_csv() {
    let t = fixture(FIXTURE);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vetrina"))
        .args([
            "consents",
            "--format",
            "csv",
            "--now",
            "2026-11-25",
            "--root",
        ])
        .arg(t.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("\u{feff}slug,title,"), "{text}");
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(
        rows.len(),
        2,
        "the header and the fixture's one story: {rows:#?}"
    );
    assert_eq!(rows[1][0], FX_SLUG);
}

/// The lines of `after` that are not in `before`, and the other way round.
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let b: Vec<&str> = before.split_inclusive('\n').collect();
    let a: Vec<&str> = after.split_inclusive('\n').collect();
    let added = a.iter().filter(|l| !b.contains(l)).map(|l| l.to_string());
    let removed = b.iter().filter(|l| !a.contains(l)).map(|l| l.to_string());
    (added.collect(), removed.collect())
}

#[test]
fn takedown_changes_only_the_consent_lines_and_the_next_build_removes_the_story() {
    let t = demo_copy();
    let cache = tempfile::tempdir().unwrap();
    let mut o = opts(t.path());
    o.cache_dir = Some(cache.path().to_path_buf());
    assert!(vetrina::build(&o).ok());
    let out = t.path().join("public");
    let published_cover = fs::read(out.join(format!("storie/{SLUG}/cover-480.jpg"))).unwrap();
    // The English file with Windows line ends and no `withdrawn` line: both are kept so.
    let en = read(t.path(), STORY_EN)
        .replace("  withdrawn: false\n", "")
        .replace('\n', "\r\n");
    write(t.path(), STORY_EN, &en);
    let it = read(t.path(), STORY);

    let today: vetrina::Date = "2026-11-26".parse().unwrap();
    let done = vetrina::takedown::takedown(&o, SLUG, Some("request \"R-12\" by e-mail"), today)
        .1
        .unwrap();
    assert_eq!(done.changed.len(), 2);
    assert!(
        done.addresses
            .contains(&format!("https://vetrina.example.org/storie/{SLUG}/"))
    );

    let it2 = read(t.path(), STORY);
    let (added, removed) = changed_lines(&it, &it2);
    assert_eq!(removed, ["  withdrawn: false\n"]);
    assert_eq!(
        added,
        [
            "  withdrawn: true\n",
            "  withdrawn_on: 2026-11-26\n",
            "  withdrawal_reason: \"request \\\"R-12\\\" by e-mail\"\n"
        ]
    );
    assert_eq!(it2.replace(&added.concat(), "  withdrawn: false\n"), it);
    let en2 = read(t.path(), STORY_EN);
    let (added, removed) = changed_lines(&en, &en2);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        [
            "  withdrawn: true\r\n",
            "  withdrawn_on: 2026-11-26\r\n",
            "  withdrawal_reason: \"request \\\"R-12\\\" by e-mail\"\r\n"
        ]
    );
    assert_eq!(en2.replace(&added.concat(), ""), en);

    // Again: already recorded, nothing changes.
    let again = vetrina::takedown::takedown(&o, SLUG, None, today)
        .1
        .unwrap();
    assert!(again.changed.is_empty() && again.already.len() == 2);
    assert_eq!(read(t.path(), STORY), it2);

    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.taken_down.len(), 1);
    assert_absent_everywhere(&out, &[SLUG, "Moussa"]);
    // The text stays in content/ for the records.
    assert!(read(t.path(), STORY).contains("Moussa"));
    // No processed copy of its pictures stays in the cache.
    let cached = tree(&cache.path().join("images"));
    assert!(!cached.is_empty());
    assert!(
        cached.iter().all(|(_, b)| *b != published_cover),
        "a copy of the story's picture is still in the cache"
    );
    // Other stories' pictures are kept.
    let other = fs::read(out.join("storie/dalla-comunita-alla-serra/cover-480.jpg")).unwrap();
    assert!(cached.iter().any(|(_, b)| *b == other));
}

#[test]
fn takedown_refuses_what_it_cannot_do_safely() {
    let t = fixture(FIXTURE);
    let o = opts(t.path());
    let today: vetrina::Date = "2026-11-26".parse().unwrap();
    let e = vetrina::takedown::takedown(&o, "un-percorso", None, today)
        .1
        .map(|_| ())
        .unwrap_err();
    assert!(e.contains("there is no story `un-percorso`"), "{e}");
    assert!(e.contains(&format!("did you mean `{FX_SLUG}`?")), "{e}");

    let en = read(t.path(), FX_STORY_EN);
    let start = en.find("consent:\n").unwrap();
    let end = en[start..].find("example:").unwrap() + start;
    let flow = format!(
        "{}consent: {{reference: \"ESEMPIO-0001\", date: 2025-02-20, given_by: self, scope: [web], expires: 2028-02-20}}\n{}",
        &en[..start],
        &en[end..]
    );
    write(t.path(), FX_STORY_EN, &flow);
    let it = read(t.path(), FX_STORY);
    let e = vetrina::takedown::takedown(&o, FX_SLUG, None, today)
        .1
        .map(|_| ())
        .unwrap_err();
    assert!(e.contains("written on one line"), "{e}");
    assert!(e.contains("nothing was changed"), "{e}");
    assert_eq!(read(t.path(), FX_STORY), it, "no file changed");
    assert_eq!(read(t.path(), FX_STORY_EN), flow);
}

#[test]
fn a_withdrawn_consent_without_web_is_taken_down_not_refused() {
    // The takedown must not be held up by an error about a scope that no longer matters.
    let t = fixture(FIXTURE);
    for f in [FX_STORY, FX_STORY_EN] {
        edit(t.path(), f, "scope: [web]", "scope: [print]");
        edit(t.path(), f, "withdrawn: false", "withdrawn: true");
    }
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.taken_down.len(), 1);
    let out = t.path().join("public");
    assert!(out.join("index.html").is_file() && out.join("en/index.html").is_file());
    assert_absent_everywhere(&out, &[FX_SLUG, "Karim"]);
}
