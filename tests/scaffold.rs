//! `vetrina new` and `vetrina init` (library side): new content lands where the site expects
//! it, every value left for the author keeps `check` failing with a clear error until it is
//! filled in, nothing is ever overwritten, and a new site builds and checks clean.

mod common;
use common::*;

use std::fs;
use std::path::{Path, PathBuf};

use vetrina::Report;
use vetrina::scaffold::{self, NewKind, NewOptions};

fn new_opts(root: &Path, kind: NewKind, title: &str) -> NewOptions {
    NewOptions {
        root: root.to_path_buf(),
        kind,
        title: title.to_string(),
        lang: None,
        region: None,
        project: None,
        today: test_date(),
    }
}

fn errors(r: &Report) -> String {
    r.diagnostics
        .errors()
        .map(|d| d.render(false))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn pages(r: &Report) -> usize {
    r.pages.iter().map(|(_, n)| n).sum()
}

/// A value marked for the author: the marked text, what an author writes instead, and a
/// fragment of the error `check` gives while the mark is left.
type Mark<'a> = (&'a str, &'a str, &'a str);

/// Checks that every mark on its own keeps `check` failing with its error, and that once all
/// are replaced the site checks without errors. The file is left filled in.
fn assert_marks(root: &Path, rel: &str, marks: &[Mark]) {
    let original = read(root, rel);
    for (from, _, _) in marks {
        assert_eq!(
            original.matches(from).count(),
            1,
            "{rel} should hold {from:?} exactly once:\n{original}"
        );
    }
    let r = check(root);
    assert!(!r.ok(), "a new file with TODOs must not check clean");
    for (i, (from, _, expect)) in marks.iter().enumerate() {
        let mut text = original.clone();
        for (j, (f, to, _)) in marks.iter().enumerate() {
            if i != j {
                text = text.replacen(f, to, 1);
            }
        }
        fs::write(root.join(rel), &text).unwrap();
        let r = check(root);
        let errs = errors(&r);
        assert!(
            !r.ok(),
            "leaving only {from:?} in {rel} should fail the check:\n{text}"
        );
        assert!(
            errs.contains(expect),
            "leaving {from:?} should give an error with {expect:?}, got:\n{errs}"
        );
        assert!(
            errs.contains(rel),
            "the error should name the file {rel}:\n{errs}"
        );
    }
    let mut text = original;
    for (from, to, _) in marks {
        text = text.replacen(from, to, 1);
    }
    fs::write(root.join(rel), &text).unwrap();
    let r = check(root);
    assert!(r.ok(), "{}\n\nfile:\n{text}", errors(&r));
}

// ---------------------------------------------------------------- init

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("nuovo-sito");
    let files = scaffold::init(&dir).expect("init");
    for f in [
        "site.yaml",
        "data/funds.yaml",
        "data/events/progetto-di-esempio.yaml",
        "content/projects/progetto-di-esempio/index.it.md",
        "content/pages/privacy/index.it.md",
        "themes/default/templates/partials/eu-emblem.svg",
        "themes/default/static/share.png",
        "themes/default/i18n/it.yaml",
    ] {
        assert!(files.contains(&PathBuf::from(f)), "{f} not in {files:?}");
        assert!(dir.join(f).is_file(), "{f} not written");
    }
    assert_eq!(
        fs::read(dir.join("themes/default/static/share.png")).unwrap(),
        fs::read(demo_root().join("themes/default/static/share.png")).unwrap()
    );
    let stories: Vec<_> = fs::read_dir(dir.join("content/stories")).unwrap().collect();
    assert_eq!(stories.len(), 1);

    let r = check(&dir);
    assert!(r.diagnostics.is_empty(), "{}", rendered(&r));
    let r = build(&dir);
    assert!(r.diagnostics.is_empty(), "{}", rendered(&r));
    assert_eq!(r.pages.len(), 1, "one language: {:?}", r.pages);
    let out = dir.join("public");
    let story = read(
        &out,
        "storie/dall-orientamento-al-tirocinio-un-percorso-di-esempio/index.html",
    );
    assert!(
        story.contains("notice--example"),
        "the story is marked as an example"
    );
    assert!(read(&out, "progetti/progetto-di-esempio/index.html").contains("Progetto di esempio"));
    assert!(
        out.join("eventi/presentazione-del-progetto-di-esempio/index.html")
            .is_file()
    );
    let home = read(&out, "index.html");
    assert!(
        home.contains("eu-band") && home.contains("Cofinanziato dall"),
        "{home}"
    );
    assert!(home.contains("Fondo Asilo, Migrazione e Integrazione (FAMI) 2021-2027"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("sito");
    write(&dir, "appunti.txt", "da non perdere");
    let e = scaffold::init(&dir).unwrap_err();
    assert!(e.contains("not empty") && e.contains("appunti.txt"), "{e}");
    assert_eq!(read(&dir, "appunti.txt"), "da non perdere");
    assert!(!dir.join("site.yaml").exists(), "nothing is written");

    let e = scaffold::init(&dir.join("appunti.txt")).unwrap_err();
    assert!(e.contains("is a file"), "{e}");

    // An empty folder, or one holding only hidden entries (a fresh git repository), is fine.
    let empty = t.path().join("vuota");
    fs::create_dir(&empty).unwrap();
    assert!(scaffold::init(&empty).is_ok());
    let git = t.path().join("con-git");
    write(&git, ".git/HEAD", "ref: refs/heads/main\n");
    write(&git, ".gitignore", "segreti/\n");
    let files = scaffold::init(&git).unwrap();
    assert_eq!(read(&git, ".gitignore"), "segreti/\n", "never overwritten");
    assert!(!files.contains(&PathBuf::from(".gitignore")));
    assert!(git.join("site.yaml").is_file());
}

#[test]
fn new_content_on_a_new_site_checks_clean_once_filled_in() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("sito");
    scaffold::init(&dir).unwrap();
    let mut o = new_opts(&dir, NewKind::News, "Nasce il sito");
    o.project = Some("progetto-di-esempio".into());
    o.region = Some("Lazio".into());
    let (rel, _) = scaffold::new_content(&o).unwrap();
    assert_eq!(rel, PathBuf::from("content/news/nasce-il-sito/index.it.md"));
    let text = read(&dir, "content/news/nasce-il-sito/index.it.md");
    assert!(text.contains("regions: [lazio]"), "{text}");
    assert!(text.contains("projects: [progetto-di-esempio]"), "{text}");
    let rel = rel.to_string_lossy().into_owned();
    assert_marks(
        &dir,
        &rel,
        &[(
            "#TODO summary: \"…\"",
            "summary: \"Il sito del progetto è online.\"",
            "`summary` is missing",
        )],
    );

    let o = new_opts(&dir, NewKind::Event, "Incontro con le aziende");
    let (rel, _) = scaffold::new_content(&o).unwrap();
    assert_eq!(
        rel,
        PathBuf::from("data/events/events.yaml"),
        "no --project"
    );
    assert_marks(
        &dir,
        "data/events/events.yaml",
        &[
            ("  kind: TODO", "  kind: meeting", "kind: TODO"),
            (
                "  start: TODO",
                "  start: 2027-02-01",
                "`TODO` is not a valid date",
            ),
            (
                "  # venue: {name: \"…\", address: \"…\", city: \"…\"}",
                "  venue: {name: \"Sala comunale\", city: \"Roma\"}",
                "has no venue and is not online",
            ),
        ],
    );
}

// ---------------------------------------------------------------- new

#[test]
fn new_story_has_a_transliterated_slug_and_fails_the_check_until_filled_in() {
    let t = demo_copy();
    let root = t.path();
    let before = check(root);
    assert!(before.ok(), "{}", errors(&before));

    let (rel, notes) =
        scaffold::new_content(&new_opts(root, NewKind::Story, "Caffè e lavoro: un'idea")).unwrap();
    assert_eq!(
        rel,
        PathBuf::from("content/stories/caffe-e-lavoro-un-idea/index.it.md")
    );
    let text = read(root, "content/stories/caffe-e-lavoro-un-idea/index.it.md");
    assert!(text.starts_with("---\n"), "{text}");
    assert!(
        text.contains("title: \"Caffè e lavoro: un'idea\"\n"),
        "{text}"
    );
    assert!(text.contains("date: 2026-11-25"), "{text}");
    assert!(
        text.contains("consent:"),
        "the consent block is there:\n{text}"
    );
    assert!(text.contains("example: true"), "{text}");
    // The notes name the lines to fill in, each pointing at a TODO.
    assert!(notes.len() >= 9, "{notes:?}");
    let lines: Vec<&str> = text.lines().collect();
    for n in notes.iter().filter(|n| n.starts_with("line ")) {
        let num: usize = n["line ".len()..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            lines[num - 1].contains("TODO"),
            "{n} → {:?}",
            lines[num - 1]
        );
    }
    assert!(notes.iter().any(|n| n.contains("`kind`")), "{notes:?}");

    let r = check(root);
    let errs = errors(&r);
    assert!(!r.ok());
    assert!(errs.contains("TODO"), "{errs}");
    assert!(
        errs.contains("content/stories/caffe-e-lavoro-un-idea/index.it.md"),
        "{errs}"
    );

    assert_marks(
        root,
        "content/stories/caffe-e-lavoro-un-idea/index.it.md",
        &[
            (
                "kind: TODO",
                "kind: participant",
                "participant, host, operator, partner",
            ),
            ("project: TODO", "project: puoi", "unknown project `TODO`"),
            ("region: TODO", "region: lombardia", "unknown region `TODO`"),
            (
                "#TODO summary: \"…\"",
                "summary: \"Un caffè, un'idea e un lavoro. Due frasi di riassunto.\"",
                "`summary` is missing",
            ),
            (
                "  #TODO display_name: \"…\"",
                "  display_name: \"Sara\"",
                "`display_name` is missing",
            ),
            (
                "  identifiability: TODO",
                "  identifiability: pseudonym",
                "named, first-name, pseudonym, anonymous",
            ),
            ("  minor: TODO", "  minor: false", "minor: TODO"),
            (
                "  #TODO reference: \"…\"",
                "  reference: \"PUOI-LOM-2026-001\"",
                "`reference` is missing",
            ),
            ("  date: TODO", "  date: 2026-11-20", "not a valid date"),
            (
                "  given_by: TODO",
                "  given_by: self",
                "self, parent, guardian",
            ),
        ],
    );
    let after = check(root);
    assert!(
        pages(&after) > pages(&before),
        "the filled-in story is part of the site"
    );
    assert!(
        after
            .taken_down
            .iter()
            .all(|s| s.key != "caffe-e-lavoro-un-idea")
    );
}

#[test]
fn new_project_fails_the_check_until_filled_in() {
    let t = demo_copy();
    let root = t.path();
    let mut o = new_opts(root, NewKind::Project, "Lavoro & Futuro: più opportunità");
    o.region = Some("Friuli-Venezia Giulia".into());
    let (rel, notes) = scaffold::new_content(&o).unwrap();
    assert_eq!(
        rel,
        PathBuf::from("content/projects/lavoro-futuro-piu-opportunita/index.it.md")
    );
    assert!(notes.iter().any(|n| n.contains("`status`")), "{notes:?}");
    let rel = rel.to_string_lossy().into_owned();
    let text = read(root, &rel);
    assert!(text.contains("regions: [friuli-venezia-giulia]"), "{text}");
    assert!(
        text.contains("fami-2014-2020, pon-inclusione-2014-2020"),
        "the funds are listed:\n{text}"
    );
    assert!(text.contains("updated: 2026-11-25"), "{text}");
    assert_marks(
        root,
        &rel,
        &[
            (
                "#TODO summary: \"…\"",
                "summary: \"Un progetto per l'inserimento lavorativo.\"",
                "`summary` is missing",
            ),
            (
                "status: TODO",
                "status: planned",
                "planned, ongoing, concluded, mainstreamed",
            ),
            (
                "funds: [TODO]",
                "funds: [fami-2014-2020]",
                "unknown fund `TODO`",
            ),
            (
                "lead: TODO",
                "lead: anpal-servizi",
                "unknown organisation `TODO`",
            ),
        ],
    );
    // The new project can now be named by new content.
    let mut o = new_opts(root, NewKind::News, "Al via il progetto");
    o.project = Some("lavoro-futuro-piu-opportunita".into());
    assert!(scaffold::new_content(&o).is_ok());
}

#[test]
fn new_news_and_page_fail_the_check_until_filled_in() {
    let t = demo_copy();
    let root = t.path();
    let mut o = new_opts(root, NewKind::News, "Un nuovo avviso per l'Emilia-Romagna");
    o.region = Some("emilia-romagna".into());
    o.project = Some("puoi".into());
    let (rel, _) = scaffold::new_content(&o).unwrap();
    assert_eq!(
        rel,
        PathBuf::from("content/news/un-nuovo-avviso-per-l-emilia-romagna/index.it.md")
    );
    let rel = rel.to_string_lossy().into_owned();
    let text = read(root, &rel);
    assert!(text.contains("regions: [emilia-romagna]"), "{text}");
    assert!(text.contains("projects: [puoi]"), "{text}");
    assert!(text.contains("date: 2026-11-25"), "{text}");
    assert_marks(
        root,
        &rel,
        &[(
            "#TODO summary: \"…\"",
            "summary: \"Un nuovo avviso. Due frasi.\"",
            "`summary` is missing",
        )],
    );

    let (rel, notes) =
        scaffold::new_content(&new_opts(root, NewKind::Page, "Come partecipare")).unwrap();
    assert_eq!(
        rel,
        PathBuf::from("content/pages/come-partecipare/index.it.md")
    );
    assert!(notes.iter().any(|n| n.contains("`updated`")), "{notes:?}");
    assert_marks(
        root,
        "content/pages/come-partecipare/index.it.md",
        &[("updated: TODO", "updated: 2026-11-24", "not a valid date")],
    );
}

#[test]
fn new_content_in_another_language() {
    let t = demo_copy();
    let root = t.path();
    let mut o = new_opts(root, NewKind::Page, "How to take part");
    o.lang = Some("en".into());
    let (rel, _) = scaffold::new_content(&o).unwrap();
    assert_eq!(
        rel,
        PathBuf::from("content/pages/how-to-take-part/index.en.md")
    );

    let mut o = new_opts(root, NewKind::Event, "Seminario a Bari");
    o.lang = Some("fr".into());
    o.project = Some("puoi".into());
    scaffold::new_content(&o).unwrap();
    assert!(read(root, "data/events/puoi.yaml").contains("\n    fr: \"Seminario a Bari\"\n"));

    let mut o = new_opts(root, NewKind::News, "Notizia");
    o.lang = Some("de".into());
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("`de` is not one of the site's languages"), "{e}");
    assert!(e.contains("it, en, fr, ar"), "{e}");
    o.lang = Some("itt".into());
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("did you mean `it`?"), "{e}");
}

#[test]
fn new_event_is_appended_keeping_the_calendar_text_intact() {
    let t = demo_copy();
    let root = t.path();
    let before = read(root, "data/events/puoi.yaml");
    let mut o = new_opts(root, NewKind::Event, "Focus group in Sicilia 2027");
    o.project = Some("puoi".into());
    o.region = Some("sicilia".into());
    let (rel, notes) = scaffold::new_content(&o).unwrap();
    assert_eq!(rel, PathBuf::from("data/events/puoi.yaml"));
    let after = read(root, "data/events/puoi.yaml");
    assert!(
        after.starts_with(&before),
        "the old text is kept byte for byte"
    );
    let added = &after[before.len()..];
    assert!(
        added.contains("- id: focus-group-in-sicilia-2027\n"),
        "{added}"
    );
    assert!(added.contains("  regions: [sicilia]"), "{added}");
    assert!(added.contains("  projects: [puoi]"), "{added}");
    assert!(
        added.contains("    it: \"Focus group in Sicilia 2027\""),
        "{added}"
    );
    // The notes give the lines of the whole file.
    let lines: Vec<&str> = after.lines().collect();
    for n in notes.iter().filter(|n| n.starts_with("line ")) {
        let num: usize = n["line ".len()..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            lines[num - 1].contains("TODO"),
            "{n} → {:?}",
            lines[num - 1]
        );
    }

    assert_marks(
        root,
        "data/events/puoi.yaml",
        &[
            (
                "  kind: TODO",
                "  kind: focus-group",
                "focus-group, seminar, webinar, conference, workshop, meeting",
            ),
            (
                "  start: TODO",
                "  start: 2027-03-10T10:00",
                "`TODO` is not a valid date",
            ),
            (
                "  # online: {platform: \"…\", url: \"https://…\"}",
                "  online: {platform: \"Microsoft Teams\"}",
                "has no venue and is not online",
            ),
        ],
    );
    assert!(read(root, "data/events/puoi.yaml").starts_with(&before));
}

#[test]
fn new_event_appends_to_a_calendar_without_a_final_newline() {
    let t = demo_copy();
    let root = t.path();
    let old = read(root, "data/events/parti.yaml");
    let trimmed = old.trim_end().to_string();
    fs::write(root.join("data/events/parti.yaml"), &trimmed).unwrap();
    let mut o = new_opts(root, NewKind::Event, "Incontro a Cremona");
    o.project = Some("parti".into());
    scaffold::new_content(&o).unwrap();
    let after = read(root, "data/events/parti.yaml");
    assert!(after.starts_with(&trimmed));
    for (from, to) in [
        ("  kind: TODO", "  kind: meeting"),
        ("  start: TODO", "  start: 2027-01-15"),
        (
            "  # venue: {name: \"…\", address: \"…\", city: \"…\"}",
            "  venue: {name: \"Sala\", city: \"Cremona\"}",
        ),
    ] {
        edit(root, "data/events/parti.yaml", from, to);
    }
    let r = check(root);
    assert!(r.ok(), "{}", errors(&r));

    // A project with no calendar yet gets its own file.
    let mut o = new_opts(root, NewKind::Event, "Seminario FARO");
    o.project = Some("faro".into());
    let (rel, _) = scaffold::new_content(&o).unwrap();
    assert_eq!(rel, PathBuf::from("data/events/faro.yaml"));
    assert!(read(root, "data/events/faro.yaml").contains("- id: seminario-faro\n"));

    // A calendar written as .yml is added to, not doubled by a .yaml beside it.
    write(root, "data/events/prima-il-lavoro.yml", "# PRIMA\n");
    let mut o = new_opts(root, NewKind::Event, "Seminario PRIMA");
    o.project = Some("prima-il-lavoro".into());
    let (rel, _) = scaffold::new_content(&o).unwrap();
    assert_eq!(rel, PathBuf::from("data/events/prima-il-lavoro.yml"));
    let text = read(root, "data/events/prima-il-lavoro.yml");
    assert!(
        text.starts_with("# PRIMA\n\n- id: seminario-prima\n"),
        "{text}"
    );
}

#[test]
fn new_never_overwrites_a_file_or_an_event() {
    let t = demo_copy();
    let root = t.path();
    let o = new_opts(root, NewKind::Story, "Caffè e lavoro: un'idea");
    let (rel, _) = scaffold::new_content(&o).unwrap();
    let rel = rel.to_string_lossy().into_owned();
    edit(root, &rel, "kind: TODO", "kind: host");
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("already exists"), "{e}");
    assert!(
        e.contains("content/stories/caffe-e-lavoro-un-idea/index.it.md"),
        "{e}"
    );
    assert!(
        read(root, &rel).contains("kind: host"),
        "the file is untouched"
    );

    // The same for an existing story of the demo site.
    let demo = "content/stories/il-mediatore-allo-sportello/index.it.md";
    let text = read(root, demo);
    let e = scaffold::new_content(&new_opts(
        root,
        NewKind::Story,
        "Il mediatore allo sportello",
    ))
    .unwrap_err();
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(read(root, demo), text);

    // An event id already used in any calendar is refused, whichever calendar is chosen.
    let calendars = tree(&root.join("data/events"));
    let mut o = new_opts(root, NewKind::Event, "Focus group Lombardia 2021");
    o.project = Some("parti".into());
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("`focus-group-lombardia-2021`"), "{e}");
    assert!(e.contains("data/events/puoi.yaml"), "{e}");
    assert_eq!(tree(&root.join("data/events")), calendars);
}

#[test]
fn wrong_options_are_refused_with_did_you_mean() {
    let t = demo_copy();
    let root = t.path();
    let snapshot = tree(&root.join("content"));

    let mut o = new_opts(root, NewKind::Story, "Una storia");
    o.region = Some("lombrdia".into());
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("unknown region `lombrdia`"), "{e}");
    assert!(e.contains("did you mean `lombardia`?"), "{e}");

    o.region = Some("Apulia".into());
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("did you mean `puglia`?"), "{e}");

    o.region = None;
    o.project = Some("poui".into());
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("unknown project `poui`"), "{e}");
    assert!(e.contains("did you mean `puoi`?"), "{e}");

    o.project = Some("zzz".into());
    let e = scaffold::new_content(&o).unwrap_err();
    assert!(e.contains("faro, parti, prima-il-lavoro, puoi"), "{e}");

    let mut o = new_opts(root, NewKind::Page, "Contatti utili");
    o.region = Some("lazio".into());
    assert!(scaffold::new_content(&o).unwrap_err().contains("--region"));

    let mut o = new_opts(root, NewKind::Project, "Nuovo progetto");
    o.project = Some("puoi".into());
    assert!(scaffold::new_content(&o).unwrap_err().contains("--project"));

    let e = scaffold::new_content(&new_opts(root, NewKind::Event, "Calendario")).unwrap_err();
    assert!(e.contains("name of the calendar files"), "{e}");

    let e = scaffold::new_content(&new_opts(root, NewKind::News, "  ")).unwrap_err();
    assert!(e.contains("needs a title"), "{e}");
    let e = scaffold::new_content(&new_opts(root, NewKind::News, "???")).unwrap_err();
    assert!(e.contains("letters or digits"), "{e}");

    let empty = tempfile::tempdir().unwrap();
    let e = scaffold::new_content(&new_opts(empty.path(), NewKind::News, "Notizia")).unwrap_err();
    assert!(
        e.contains("no site.yaml") && e.contains("vetrina init"),
        "{e}"
    );

    assert_eq!(tree(&root.join("content")), snapshot, "nothing was written");
}
