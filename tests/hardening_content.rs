//! What an author writes or drops into the site folder cannot put script on the site, publish
//! a file nobody linked, or make the build read outside the site folder. Each test is one of
//! the reproduced attacks of the hardening issue, with variants of its class: the build refuses
//! it naming the file (and line), and a refused build leaves the previous output as it was.
//! Each starts from the small `story-ok` fixture site (tests/fixtures/), so that the demo's
//! content can change without touching these tests.

mod common;

use common::*;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const DIR: &str = "content/stories/un-percorso-di-esempio";
const STORY: &str = "content/stories/un-percorso-di-esempio/index.it.md";
/// The story's page in the output.
const PAGE: &str = "public/storie/un-percorso-di-esempio/index.html";

/// Appends `text` to the Italian text of the story; returns the line number of its first line.
fn append(root: &Path, text: &str) -> usize {
    let p = root.join(STORY);
    let mut s = fs::read_to_string(&p).unwrap();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s.push('\n');
    let line = s.lines().count() + 1;
    s.push_str(text);
    fs::write(&p, s).unwrap();
    line
}

fn errors(r: &vetrina::Report) -> Vec<String> {
    r.diagnostics.errors().map(|d| d.render(false)).collect()
}

/// Builds, expects a refusal, and checks that the output of the good build before it is
/// byte for byte as it was.
fn refused(root: &Path) -> Vec<String> {
    let before = tree(&root.join("public"));
    let r = build(root);
    assert!(!r.ok(), "the build should be refused");
    assert!(
        tree(&root.join("public")) == before,
        "a refused build changed the output"
    );
    errors(&r)
}

/// A copy of the clean fixture site, built once, so that refused builds can be compared with
/// it (its story's page is there, so the output is not empty).
fn built_copy() -> tempfile::TempDir {
    let t = fixture("story-ok");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        t.path().join(PAGE).is_file(),
        "the story's page was not written"
    );
    t
}

/// Every file of the output whose text contains `needle` (case-insensitive).
fn files_with(out: &Path, needle: &str) -> Vec<String> {
    let needle = needle.to_ascii_lowercase();
    tree(out)
        .into_iter()
        .filter(|(_, b)| readable(b).to_ascii_lowercase().contains(&needle))
        .map(|(p, _)| p.display().to_string())
        .collect()
}

#[test]
fn heading_attributes_are_refused_at_their_line() {
    let t = built_copy();
    let line = append(
        t.path(),
        "## Orari {tabindex=0 autofocus= onfocus=alert(1)}\n\n## Sede {style=position:fixed;inset:0 .overlay}\n\n## Fine {#fine data-x=1}\n",
    );
    let errs = refused(t.path());
    assert_eq!(errs.len(), 3, "{errs:#?}");
    for (i, n) in [line, line + 2, line + 4].iter().enumerate() {
        assert!(
            errs[i].contains("a heading may carry only an id")
                && errs[i].contains(&format!("{STORY}:{n}:")),
            "{}",
            errs[i]
        );
    }
    // A plain id is still a heading's anchor.
    let t = fixture("story-ok");
    append(t.path(), "## Orari di apertura {#orari}\n");
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let page = read(t.path(), PAGE);
    assert!(page.contains(r#"<h2 id="orari">"#), "no plain id");
}

#[test]
fn comments_and_tags_are_read_as_browsers_read_them() {
    for payload in [
        "x <!-- y --!> <script>alert(1)</script> -->",
        "x <!--> <script>alert(2)</script> -->",
        "x <!---> <img src=x onerror=alert(3)> -->",
        "<b/onmouseover=alert(4)>b</b>",
        "<B\nonclick=alert(5)>b</B>",
        "<details open ontoggle=alert(6)>",
        "<svg><script>alert(7)</script></svg>",
        "<!-- <script>alert(8)</script>",
    ] {
        let t = fixture("story-ok");
        let line = append(t.path(), &format!("{payload}\n"));
        let r = build(t.path());
        let errs = errors(&r);
        if r.ok() {
            // Not HTML to Markdown (`<b/on…>` is text there): published as text, inert.
            assert!(t.path().join(PAGE).is_file(), "{payload}: no story page");
            let found = active_content_in(&t.path().join("public"));
            assert!(found.is_empty(), "{payload}: {found:#?}");
            continue;
        }
        assert!(
            errs.iter()
                .any(|e| e.contains("HTML in the text is not published")
                    && e.contains(&format!("{STORY}:{line}:"))),
            "{payload}: {errs:#?}"
        );
        assert!(!t.path().join("public").exists(), "{payload}");
    }
    // Allowed tags and comments: the tags published as the tokenizer reads them, the comment
    // left out.
    let t = fixture("story-ok");
    append(
        t.path(),
        "CO<SUB>2</SUB> <!-- nota interna: da verificare -->\n",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let page = read(t.path(), PAGE);
    assert!(page.contains("CO<sub>2</sub>"));
    assert!(files_with(&t.path().join("public"), "da verificare").is_empty());
}

#[test]
fn only_linked_files_of_allowed_types_are_published() {
    let t = fixture("story-ok");
    let d = t.path().join(DIR);
    fs::write(d.join("pagina.html"), "<script>alert('pagina')</script>").unwrap();
    fs::write(
        d.join("logo.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert('svg')</script></svg>",
    )
    .unwrap();
    fs::write(
        d.join("consenso-firmato.pdf"),
        "%PDF-1.4 QX7-consenso-firmato",
    )
    .unwrap();
    fs::write(d.join("notes.txt"), "QX7-appunti-riservati").unwrap();
    fs::write(d.join("script.js"), "alert('js')").unwrap();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    for name in [
        "pagina.html",
        "logo.svg",
        "consenso-firmato.pdf",
        "notes.txt",
        "script.js",
    ] {
        let published: Vec<String> = tree(&out)
            .into_iter()
            .map(|(p, _)| p.display().to_string())
            .filter(|p| p.ends_with(name))
            .collect();
        assert!(published.is_empty(), "{name} published: {published:?}");
    }
    for text in ["alert('", "QX7-consenso-firmato", "QX7-appunti-riservati"] {
        assert!(files_with(&out, text).is_empty(), "{text}");
    }

    // Linked: a document of an allowed type is published, with a warning about its
    // metadata; anything else is refused at the link.
    let first = append(
        t.path(),
        "[Il modulo](consenso-firmato.pdf)\n\n[La pagina](pagina.html)\n\n![Il logo](logo.svg)\n\n[Gli appunti](notes.txt)\n\n[Lo script](script.js)\n",
    );
    let errs = refused(t.path());
    assert_eq!(errs.len(), 4, "{errs:#?}");
    for (e, (name, line)) in errs.iter().zip([
        ("pagina.html", first + 2),
        ("logo.svg", first + 4),
        ("notes.txt", first + 6),
        ("script.js", first + 8),
    ]) {
        assert!(
            e.contains(&format!("`{name}`")) && e.contains(&format!("{STORY}:{line}:")),
            "{name}: {e}"
        );
    }
    assert!(errs[0].contains("can run programs"), "{}", errs[0]);
    assert!(
        errs[1].contains("is not a picture Vetrina can publish"),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].contains("documents allowed: pdf, odt, docx, xlsx, csv"),
        "{}",
        errs[2]
    );

    let t = fixture("story-ok");
    let d = t.path().join(DIR);
    fs::write(d.join("Relazione finale.PDF"), "%PDF-1.4 relazione").unwrap();
    fs::write(d.join("dati.txt"), "dati aperti").unwrap();
    let line = append(
        t.path(),
        "[La relazione](<Relazione finale.PDF>) e [i dati](dati.txt)\n",
    );
    edit(
        t.path(),
        "site.yaml",
        "privacy_page:",
        "documents: [pdf, txt]\nprivacy_page:",
    );
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let warnings: Vec<String> = r
        .diagnostics
        .sorted()
        .iter()
        .filter(|d| d.severity == vetrina::diag::Severity::Warning)
        .map(|d| d.render(false))
        .collect();
    assert!(
        warnings.iter().any(
            |w| w.contains("`Relazione finale.PDF` is published as it is")
                && w.contains(&format!("{STORY}:{line}:"))
        ),
        "{warnings:#?}"
    );
    let dir = t.path().join("public/storie/un-percorso-di-esempio");
    assert!(dir.join("Relazione finale.PDF").is_file());
    assert!(dir.join("dati.txt").is_file());

    // Types that run script cannot be allowed.
    let t = fixture("story-ok");
    edit(
        t.path(),
        "site.yaml",
        "privacy_page:",
        "documents: [pdf, svg, docxx]\nprivacy_page:",
    );
    let r = build(t.path());
    let errs = errors(&r);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs[0].contains("`svg` cannot be a document type") && errs[0].contains("can run programs"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].contains("`docxx`") && errs[1].contains("did you mean `docx`?"),
        "{}",
        errs[1]
    );
}

#[test]
fn pictures_from_elsewhere_are_refused_however_written() {
    let t = fixture("story-ok");
    let line = append(
        t.path(),
        "![x](http:evil.example/pixel)\n\n![y](https:host/path.jpg)\n\n![z](//evil.example/a.jpg)\n\n![w](<\\\\evil.example\\a.jpg>)\n\n![v](HTTPS://EVIL.EXAMPLE/a.jpg)\n\n![u](/themes/x.png)\n\n![t](../un-altro-percorso/detail.jpg)\n",
    );
    let r = build(t.path());
    let errs = errors(&r);
    assert_eq!(errs.len(), 7, "{errs:#?}");
    for (i, e) in errs.iter().enumerate() {
        assert!(
            e.contains("this picture is") && e.contains(&format!("{STORY}:{}:", line + 2 * i)),
            "{e}"
        );
    }
}

#[test]
fn links_that_run_code_are_refused_however_written() {
    let t = fixture("story-ok");
    let line = append(
        t.path(),
        "[a](JaVaScRiPt:alert(1))\n\n[b](java&#x09;script:alert(2))\n\n[c](<javascript&colon;alert(3)>)\n\n[d](vbscript:x)\n\n[e](data:text/html,<script>alert(5)</script>)\n\n[f](file:///etc/passwd)\n\n<javascript:alert(7)>\n\n[g][rif]\n\n[rif]: javascript:alert(8)\n",
    );
    let r = build(t.path());
    let errs = errors(&r);
    assert_eq!(errs.len(), 8, "{errs:#?}");
    assert!(errs[0].contains(&format!("{STORY}:{line}:")), "{}", errs[0]);
}

#[cfg(unix)]
#[test]
fn a_story_folder_linked_to_the_root_of_the_disk_is_not_walked() {
    let t = built_copy();
    std::os::unix::fs::symlink("/", t.path().join("content/stories/tutto")).unwrap();
    let started = Instant::now();
    let errs = refused(t.path());
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains("content/stories/tutto")
            && errs[0].contains("a link to something outside the site folder"),
        "{}",
        errs[0]
    );
}

#[cfg(unix)]
#[test]
fn files_outside_the_site_are_never_read() {
    use std::os::unix::fs::symlink;
    let cases: Vec<(&str, &str, &str)> = vec![
        ("site.yaml", "/etc/passwd", "site.yaml"),
        ("data/funds.yaml", "/dev/zero", "data/funds.yaml"),
        (
            "data/organisations.yaml",
            "/etc/passwd",
            "data/organisations.yaml",
        ),
        (
            "data/events/extra.yaml",
            "/etc/passwd",
            "data/events/extra.yaml",
        ),
        (
            "data/i18n/it.yaml",
            "/proc/self/environ",
            "data/i18n/it.yaml",
        ),
        (
            "themes/default/templates/extra.html",
            "/etc/passwd",
            "themes/default/templates/extra.html",
        ),
        (
            "themes/default/static/passwd.css",
            "/etc/passwd",
            "themes/default/static/passwd.css",
        ),
        (
            "content/stories/un-percorso-di-esempio/extra.jpg",
            "/etc/passwd",
            "extra.jpg",
        ),
    ];
    for (rel, target, named) in cases {
        let t = built_copy();
        let p = t.path().join(rel);
        if p.exists() {
            fs::remove_file(&p).unwrap();
        }
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        symlink(target, &p).unwrap();
        let started = Instant::now();
        let errs = refused(t.path());
        assert!(started.elapsed() < Duration::from_secs(30), "{rel}");
        assert!(
            errs.iter().any(|e| e.contains(named) && e.contains("link")),
            "{rel}: {errs:#?}"
        );
        assert!(
            files_with(&t.path().join("public"), "root:").is_empty(),
            "{rel}"
        );
    }

    // A folder on the way out of the site: data/events and a theme.
    let t = built_copy();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.yaml"), "- id: fuori\n").unwrap();
    assert!(!t.path().join("data/events").exists());
    symlink(outside.path(), t.path().join("data/events")).unwrap();
    let errs = refused(t.path());
    assert!(
        errs.iter()
            .any(|e| e.contains("data/events") && e.contains("link")),
        "{errs:#?}"
    );

    // A pipe where a calendar should be: refused without waiting for a writer.
    let t = built_copy();
    fs::create_dir_all(t.path().join("data/events")).unwrap();
    let fifo = t.path().join("data/events/pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let started = Instant::now();
        let errs = refused(t.path());
        assert!(started.elapsed() < Duration::from_secs(30));
        assert!(
            errs.iter()
                .any(|e| e.contains("pipe.yaml") && e.contains("not an ordinary file")),
            "{errs:#?}"
        );
    }
}

#[test]
fn the_theme_is_a_folder_of_themes_never_a_path() {
    for name in ["../../x", "/etc", "default/../../content", "..", "def ault"] {
        let t = fixture("story-ok");
        edit(
            t.path(),
            "site.yaml",
            "theme: default",
            &format!("theme: \"{name}\""),
        );
        let r = build(t.path());
        let e = one_error(&r);
        assert!(
            e.contains(&format!("`{name}` is not a theme name")) && e.contains("site.yaml:"),
            "{e}"
        );
    }
}

#[test]
fn control_characters_in_texts_are_refused_at_their_place() {
    for (c, name) in [
        ('\0', "0000"),
        ('\u{1b}', "001B"),
        ('\u{b}', "000B"),
        ('\u{7f}', "007F"),
        ('\u{85}', "0085"),
    ] {
        let t = fixture("story-ok");
        edit(
            t.path(),
            STORY,
            "title: \"Un percorso",
            &format!("title: \"Un {c}[31mpercorso"),
        );
        let r = build(t.path());
        let e = one_error(&r);
        assert!(
            e.contains(&format!("invisible control character (U+{name})"))
                && e.contains(&format!("{STORY}:2:12")),
            "{e}"
        );
    }
    let t = fixture("story-ok");
    let events = "data/events/progetto-esempio.yaml";
    write(
        t.path(),
        events,
        "# Un calendario di esempio.\n# nota\u{1b}[2J\n- id: incontro-di-esempio\n  kind: seminar\n  title: {it: \"Incontro di esempio\"}\n  start: 2026-12-10T10:00\n  venue: {name: \"Sala\", city: \"Roma\"}\n  regions: [lazio]\n  projects: [progetto-esempio]\n",
    );
    let e = one_error(&build(t.path()));
    assert!(e.contains(&format!("{events}:2:7")), "{e}");
}

#[cfg(unix)]
#[test]
fn vetrina_new_reads_and_writes_only_inside_the_site() {
    use std::os::unix::fs::symlink;
    use vetrina::scaffold::{NewKind, NewOptions, new_content};
    let opts = |root: &Path, kind: NewKind| NewOptions {
        root: root.to_path_buf(),
        kind,
        title: "Una storia nuova".into(),
        lang: None,
        region: Some("lazio".into()),
        project: Some("progetto-esempio".into()),
        today: test_date(),
    };
    // A sections folder linked out of the site: nothing is written there.
    let t = fixture("story-ok");
    let outside = tempfile::tempdir().unwrap();
    assert!(!t.path().join("content/news").exists());
    symlink(outside.path(), t.path().join("content/news")).unwrap();
    let e = new_content(&opts(t.path(), NewKind::News)).unwrap_err();
    assert!(e.contains("outside the site"), "{e}");
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);

    // site.yaml linked to a file elsewhere is not read.
    let t = fixture("story-ok");
    fs::remove_file(t.path().join("site.yaml")).unwrap();
    symlink("/etc/passwd", t.path().join("site.yaml")).unwrap();
    let e = new_content(&opts(t.path(), NewKind::Story)).unwrap_err();
    assert!(e.contains("site.yaml") && e.contains("link"), "{e}");
    assert!(!e.contains("root:"), "{e}");
}
