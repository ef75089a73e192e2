//! The build as the security boundary for addresses and embedded text (SPEC §7, Safety): every
//! address in front matter, data files, site.yaml and `--base-url` is checked as a browser
//! reads it, and refused with its file, line and column unless it is `http(s)` (or `mailto`
//! where an email makes sense); JSON-LD leaves no markup in the page; calendars, feeds and the
//! sitemap carry no control characters whatever the sources hold. Each test starts from the
//! small `two-languages` fixture site (tests/fixtures/), not from the demo.

mod common;

use common::*;
use std::path::Path;

const EVENTS: &str = "data/events/hardening.yaml";
const PROJECT: &str = "content/projects/progetto-esempio/index.it.md";
/// The fixture site of these tests: Italian and English, one project, one organisation.
const SITE: &str = "two-languages";

/// A calendar with one event whose last line is `extra` (a key of the event).
fn event_with(root: &Path, extra: &str) {
    write(
        root,
        EVENTS,
        &format!(
            "- id: prova-sicurezza\n  kind: seminar\n  title: {{it: \"Prova\", en: \"Test\"}}\n  start: 2022-05-10T10:00\n  venue: {{name: \"Sala\", city: \"Roma\"}}\n  regions: [lazio]\n{extra}\n"
        ),
    );
}

/// The build fails with exactly one error, and writes nothing.
fn fails_with(root: &Path) -> String {
    let r = build(root);
    assert!(!r.ok(), "the build should fail");
    assert!(
        !root.join("public").exists(),
        "a failed first build must write nothing"
    );
    one_error(&r)
}

/// The 1-based column of `needle` in line `line` of `rel`.
fn col_of(root: &Path, rel: &str, line: usize, needle: &str) -> usize {
    let text = read(root, rel);
    let l = text.lines().nth(line - 1).unwrap();
    l[..l.find(needle).unwrap()].chars().count() + 1
}

const ONLY_WEB_OR_MAIL: &str =
    "and only web addresses (https:// or http://) and email addresses (mailto:) are published";
const HOW_WEB_OR_MAIL: &str = "help: other kinds of address can run code or open files in the reader's browser; write the full address starting with https://, like https://www.example.org/, or an email address as mailto:name@example.org";
const HOW_WEB: &str = "help: other kinds of address can run code or open files in the reader's browser; write the full address starting with https://, like https://www.example.org/";

#[test]
fn javascript_registration_is_an_error_at_its_value() {
    let t = fixture(SITE);
    event_with(t.path(), "  registration: \"javascript:alert(1)\"");
    let e = fails_with(t.path());
    assert!(
        e.starts_with(&format!(
            "error: `javascript:alert(1)` is not allowed: it starts with `javascript:`, {ONLY_WEB_OR_MAIL}"
        )),
        "{e}"
    );
    let col = col_of(t.path(), EVENTS, 7, "\"javascript");
    assert!(e.contains(&format!("--> {EVENTS}:7:{col}")), "{e}");
    assert!(e.contains(HOW_WEB_OR_MAIL), "{e}");
}

#[test]
fn the_variants_a_reviewer_would_try_are_refused() {
    // (value as written in YAML, the start of the expected message)
    let cases = [
        (
            "\"JaVaScRiPt:alert(1)\"",
            "`JaVaScRiPt:alert(1)` is not allowed: it starts with `javascript:`",
        ),
        ("\"java\\tscript:alert(1)\"", "the address contains a tab"),
        ("\" javascript:alert(1)\"", "the address contains a space"),
        (
            "\"vbscript:msgbox(1)\"",
            "`vbscript:msgbox(1)` is not allowed: it starts with `vbscript:`",
        ),
        (
            "\"data:text/html,<script>alert(1)</script>\"",
            "`data:text/html,<script>alert(1)</script>` is not allowed: it starts with `data:`",
        ),
        (
            "\"file:///etc/passwd\"",
            "`file:///etc/passwd` is not allowed: it starts with `file:`",
        ),
        (
            "\"ftp://ftp.example.org/bando.pdf\"",
            "`ftp://ftp.example.org/bando.pdf` is not allowed: it starts with `ftp:`",
        ),
        (
            "\"//evil.example/x\"",
            "`//evil.example/x` does not say https: or http: (it starts with //)",
        ),
        (
            "\"iscrizioni.example.org/modulo\"",
            "`iscrizioni.example.org/modulo` is not a full web address: it does not start with https:// or http://",
        ),
        ("\"/eventi/\"", "`/eventi/` is not a full web address"),
        (
            "\"https://user:pw@iscrizioni.example.org/\"",
            "the address contains a user name or password (the part before `@`)",
        ),
        (
            "\"https://iscrizioni.example.org/\\x1b[31m\"",
            "the address contains an invisible control character (U+001B)",
        ),
        (
            "\"https://iscrizioni.example.org/\\r\\nX\"",
            "the address contains a line break",
        ),
        ("\"http://\"", "the address has no site name after `//`"),
        (
            "\"mailto:\"",
            "`mailto:` has no email address after `mailto:`",
        ),
    ];
    for (yaml, message) in cases {
        let t = fixture(SITE);
        event_with(t.path(), &format!("  registration: {yaml}"));
        let e = fails_with(t.path());
        assert!(e.starts_with(&format!("error: {message}")), "{yaml}: {e}");
        assert!(e.contains(&format!("--> {EVENTS}:7:17")), "{yaml}: {e}");
    }
    // Too long: no published address needs 2,000 characters.
    let t = fixture(SITE);
    let long = format!("https://iscrizioni.example.org/{}", "a".repeat(2000));
    event_with(t.path(), &format!("  registration: \"{long}\""));
    let e = fails_with(t.path());
    assert!(
        e.starts_with("error: the address is 2031 characters long; the limit is 2000"),
        "{e}"
    );
}

#[test]
fn a_missing_scheme_gets_the_address_to_write() {
    let t = fixture(SITE);
    event_with(t.path(), "  registration: iscrizioni.example.org/modulo");
    let e = fails_with(t.path());
    assert!(
        e.contains("help: write the full address starting with https://, like https://iscrizioni.example.org/modulo"),
        "{e}"
    );
    let t = fixture(SITE);
    event_with(t.path(), "  registration: \"//evil.example/x\"");
    let e = fails_with(t.path());
    assert!(
        e.contains(
            "help: write the full address starting with https://, like https://evil.example/x"
        ),
        "{e}"
    );
}

#[test]
fn online_meeting_links_are_web_pages_only() {
    let t = fixture(SITE);
    write(
        t.path(),
        EVENTS,
        "- id: prova-online\n  kind: webinar\n  title: {it: \"Prova\"}\n  start: 2022-05-10T10:00\n  online: {platform: \"Jitsi\", url: \"javascript:alert(1)\"}\n",
    );
    let e = fails_with(t.path());
    assert!(
        e.starts_with("error: `javascript:alert(1)` is not allowed: it starts with `javascript:`, and only web addresses (https:// or http://) are published"),
        "{e}"
    );
    let col = col_of(t.path(), EVENTS, 5, "\"javascript");
    assert!(e.contains(&format!("--> {EVENTS}:5:{col}")), "{e}");
    assert!(e.contains(HOW_WEB), "{e}");

    edit(
        t.path(),
        EVENTS,
        "javascript:alert(1)",
        "mailto:riunione@example.org",
    );
    let e = fails_with(t.path());
    assert!(
        e.starts_with("error: `mailto:riunione@example.org` is an email address, but the address of a web page is needed here"),
        "{e}"
    );
}

#[test]
fn project_and_organisation_websites_are_checked() {
    let t = fixture(SITE);
    edit(
        t.path(),
        PROJECT,
        "status: ongoing\n",
        "status: ongoing\nwebsite: \"javascript:alert(document.cookie)\"\n",
    );
    let line = line_of(t.path(), PROJECT, |l| l.starts_with("website:"));
    let e = fails_with(t.path());
    assert!(
        e.starts_with("error: `javascript:alert(document.cookie)` is not allowed: it starts with `javascript:`, and only web addresses (https:// or http://) are published"),
        "{e}"
    );
    assert!(e.contains(&format!("--> {PROJECT}:{line}:10")), "{e}");

    let t = fixture(SITE);
    let orgs = "data/organisations.yaml";
    edit(
        t.path(),
        orgs,
        "  kind: association\n",
        "  kind: association\n  website: \"data:text/html,<script>alert(1)</script>\"\n",
    );
    let line = line_of(t.path(), orgs, |l| l.starts_with("  website:"));
    let e = fails_with(t.path());
    assert!(e.contains("it starts with `data:`"), "{e}");
    assert!(e.contains(&format!("--> {orgs}:{line}:12")), "{e}");
}

#[test]
fn addresses_in_site_yaml_are_checked() {
    let t = fixture(SITE);
    edit(
        t.path(),
        "site.yaml",
        "accessibility_statement: \"https://accessibility.example.org/statement\"",
        "accessibility_statement: \"javascript:alert(1)\"",
    );
    let line = line_of(t.path(), "site.yaml", |l| {
        l.starts_with("accessibility_statement")
    });
    let e = fails_with(t.path());
    assert!(e.contains("it starts with `javascript:`"), "{e}");
    assert!(e.contains(&format!("--> site.yaml:{line}:26")), "{e}");
    assert!(
        e.contains("(or the key of a page of this site, like `accessibility`)"),
        "{e}"
    );

    let t = fixture(SITE);
    write(
        t.path(),
        "content/pages/accessibility/index.it.md",
        "---\ntitle: \"Dichiarazione di accessibilità (esempio)\"\n---\n\nUna dichiarazione di esempio.\n",
    );
    edit(
        t.path(),
        "site.yaml",
        "accessibility_statement: \"https://accessibility.example.org/statement\"",
        "accessibility_statement: accessibilty",
    );
    let e = fails_with(t.path());
    assert!(e.starts_with("error: unknown page `accessibilty`"), "{e}");
    assert!(e.contains("did you mean `accessibility`?"), "{e}");

    let t = fixture(SITE);
    edit(
        t.path(),
        "site.yaml",
        "feedback: {email: \"redazione@fixture.example.org\"}",
        "feedback: {email: \"mailto:redazione@fixture.example.org\", url: \"vbscript:msgbox(1)\"}",
    );
    let r = build(t.path());
    assert!(!r.ok());
    let all = rendered(&r);
    assert!(
        all.contains("error: `mailto:redazione@fixture.example.org` is not an email address"),
        "{all}"
    );
    assert!(
        all.contains(
            "help: write only the email address, without `mailto:`, like name@example.org"
        ),
        "{all}"
    );
    assert!(all.contains("it starts with `vbscript:`"), "{all}");
}

#[test]
fn base_url_in_site_yaml_must_be_an_absolute_web_address() {
    let cases = [
        (
            "\"javascript:alert(1)//\"",
            "error: `javascript:alert(1)//` is not allowed: it starts with `javascript:`",
        ),
        (
            "\"vetrina.example.org\"",
            "error: `vetrina.example.org` is not a full web address: it does not start with https:// or http://",
        ),
        (
            "\"mailto:redazione@example.org\"",
            "error: `mailto:redazione@example.org` is an email address",
        ),
        (
            "\"ftp://vetrina.example.org\"",
            "error: `ftp://vetrina.example.org` is not allowed: it starts with `ftp:`",
        ),
        (
            "\"http://\"",
            "error: the address has no site name after `//`",
        ),
        (
            "\"https://vetrina.example.org\\n\"",
            "error: the address contains a line break",
        ),
        (
            "\"https://admin:pw@vetrina.example.org\"",
            "error: the address contains a user name or password",
        ),
        (
            "\"https://vetrina.example.org/?preview=1\"",
            "error: the site's address must not have a `?…` or `#…` part",
        ),
        (
            "\"https://vetrina.example.org/#top\"",
            "error: the site's address must not have a `?…` or `#…` part",
        ),
    ];
    for (yaml, message) in cases {
        let t = fixture(SITE);
        edit(
            t.path(),
            "site.yaml",
            "base_url: \"https://fixture.example.org\"",
            &format!("base_url: {yaml}"),
        );
        let line = line_of(t.path(), "site.yaml", |l| l.starts_with("base_url:"));
        let e = fails_with(t.path());
        assert!(e.starts_with(message), "{yaml}: {e}");
        assert!(
            e.contains(&format!("--> site.yaml:{line}:11")),
            "{yaml}: {e}"
        );
    }
    let t = fixture(SITE);
    edit(
        t.path(),
        "site.yaml",
        "base_url: \"https://fixture.example.org\"",
        "base_url: vetrina.example.org",
    );
    let e = fails_with(t.path());
    assert!(
        e.contains(
            "help: write the full address starting with https://, like https://vetrina.example.org/"
        ),
        "{e}"
    );
}

#[test]
fn base_url_option_must_be_an_absolute_web_address() {
    let cases = [
        (
            "https://vetrina.example.org\r\nBEGIN:VEVENT",
            "the address contains a line break",
        ),
        (
            "https://vetrina.example.org\r",
            "the address contains a line break",
        ),
        (
            "javascript:alert(1)//",
            "`javascript:alert(1)//` is not allowed: it starts with `javascript:`",
        ),
        (
            "vetrina.example.org",
            "`vetrina.example.org` is not a full web address",
        ),
        (
            "mailto:redazione@example.org",
            "`mailto:redazione@example.org` is an email address",
        ),
        ("http://", "the address has no site name after `//`"),
        (
            "https://staging.example.org/?x=1",
            "the site's address must not have a `?…` or `#…` part",
        ),
    ];
    for (raw, message) in cases {
        let t = fixture(SITE);
        let mut o = opts(t.path());
        o.base_url = Some(raw.to_string());
        let r = vetrina::build(&o);
        assert!(!r.ok(), "{raw:?}");
        assert!(!t.path().join("public").exists(), "{raw:?}");
        let e = one_error(&r);
        assert!(
            e.starts_with(&format!(
                "error: the address given with --base-url is not usable: {message}"
            )),
            "{raw:?}: {e}"
        );
        assert!(e.contains("--> --base-url"), "{raw:?}: {e}");
        assert!(!e.contains('\r'), "{raw:?}: {e}");
    }
}

/// Every byte of every file of the output, as text, with its path.
fn texts(out: &Path) -> Vec<(String, String)> {
    tree(out)
        .into_iter()
        .map(|(p, b)| (p.to_string_lossy().into_owned(), readable(&b)))
        .collect()
}

#[test]
fn addresses_are_published_as_the_parser_writes_them() {
    let t = fixture(SITE);
    event_with(
        t.path(),
        "  registration: \"http:iscrizioni.example.org/Modulo?a=1&b=<2>\"\n  organiser: ente-esempio\n  online: {platform: \"Jitsi\", url: \"HTTPS://Meet.Example.ORG/stanza\"}",
    );
    edit(
        t.path(),
        PROJECT,
        "status: ongoing\n",
        "status: ongoing\nwebsite: \"https://www.città.example/puoi\"\n",
    );
    let mut o = opts(t.path());
    o.base_url = Some("https://Staging.Example.org/anteprima/".into());
    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let page = read(&out, "eventi/prova-sicurezza/index.html");
    assert!(
        page.contains("href=\"http://iscrizioni.example.org/Modulo?a=1&amp;b=%3C2%3E\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"https://meet.example.org/stanza\""),
        "{page}"
    );
    let sheet = read(&out, "progetti/progetto-esempio/index.html");
    assert!(
        sheet.contains("href=\"https://www.xn--citt-3na.example/puoi\""),
        "{sheet}"
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://staging.example.org/anteprima/</loc>"),
        "{sitemap}"
    );
    let ics = read(&out, "eventi/prova-sicurezza.ics");
    assert!(
        ics.contains("UID:prova-sicurezza@staging.example.org\r\n"),
        "{ics}"
    );

    // A registration by email.
    event_with(
        t.path(),
        "  registration: \"mailto:iscrizioni@example.org\"",
    );
    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    let page = read(&out, "eventi/prova-sicurezza/index.html");
    assert!(
        page.contains("href=\"mailto:iscrizioni@example.org\""),
        "{page}"
    );
}

/// An event whose texts hold markup that would open an HTML comment, and control characters
/// written with YAML escapes (which no check of the file's bytes sees).
const HOSTILE: &str = r#"- id: prova-ostile
  kind: seminar
  title: {it: "Titolo <!--<script>alert(1)</script> \0\e[31m\v\x7f\x85\x9b\uFFFE fine\r\nBEGIN:VEVENT\rX", en: "Title & </script><!--"}
  summary: {it: "Riga uno\r\nriga due\u2028\u2029 & <b>", en: "Line"}
  start: 2022-05-10T10:00
  venue: {name: "Sala\u0007", address: "Via Roma 1\u001b", city: "Roma"}
  regions: [lazio]
  projects: [progetto-esempio]
"#;

fn is_banned(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n')
}

#[test]
fn hostile_text_leaves_no_markup_in_json_ld_and_no_control_characters_in_calendars_feeds_and_sitemap()
 {
    let t = fixture(SITE);
    write(t.path(), EVENTS, HOSTILE);
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");

    for page in [
        "eventi/prova-ostile/index.html",
        "en/events/prova-ostile/index.html",
    ] {
        let html = read(&out, page);
        let open = r#"<script type="application/ld+json">"#;
        let start = html.find(open).expect("JSON-LD") + open.len();
        let end = start + html[start..].find("</script>").unwrap();
        let json = &html[start..end];
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!json.contains(bad), "{page}: {bad:?} in {json}");
        }
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert!(v["name"].as_str().unwrap().contains("<!--"), "{v}");
        // A browser's parser sees one script, and the page goes on after it.
        let doc = scraper::Html::parse_document(&html);
        let scripts = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
        assert_eq!(doc.select(&scripts).count(), 1, "{page}");
        let footer = scraper::Selector::parse("footer").unwrap();
        assert_eq!(
            doc.select(&footer).count(),
            1,
            "{page}: the footer was swallowed"
        );
    }

    let mut checked = 0;
    for (path, text) in texts(&out) {
        if path.ends_with(".ics") {
            checked += 1;
            assert!(
                !text.replace("\r\n", "").chars().any(is_banned),
                "{path}: a control character or a bare line end"
            );
            if text.contains("prova-ostile") {
                let unfolded = text.replace("\r\n ", "");
                let starts = unfolded.lines().filter(|l| *l == "BEGIN:VEVENT").count();
                let uids = unfolded.lines().filter(|l| l.starts_with("UID:")).count();
                assert_eq!(starts, uids, "{path}: an injected event");
                assert!(!unfolded.contains("\r\nBEGIN:VEVENT\rX"), "{path}");
            }
        } else if path.ends_with(".xml") {
            checked += 1;
            assert!(
                !text.chars().any(|c| is_banned(c) || c == '\u{FFFE}'),
                "{path}: a character XML does not allow"
            );
        }
    }
    assert!(checked > 10, "calendars, feeds and the sitemap were read");
    let ics = read(&out, "eventi/prova-ostile.ics");
    assert!(
        ics.contains("Riga uno\\nriga due"),
        "line breaks in text are written as \\n: {ics}"
    );
    let feed = read(&out, "feed.xml");
    assert!(
        feed.contains(
            "Titolo &lt;!--&lt;script&gt;alert(1)&lt;/script&gt; [31m fine\nBEGIN:VEVENT\nX"
        ),
        "{feed}"
    );

    // Minified pages keep the escapes: the minifier leaves values inside scripts alone.
    let mut o = opts(t.path());
    o.minify = Some(true);
    o.output = Some(t.path().join("public-min"));
    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    let html = read(
        &t.path().join("public-min"),
        "eventi/prova-ostile/index.html",
    );
    assert!(html.contains("\\u003c!--\\u003cscript\\u003e"), "{html}");
    assert!(!html.contains("<!--<script>"), "{html}");
}
