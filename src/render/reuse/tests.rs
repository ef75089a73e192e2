//! The strategies' tests: what each takes from earlier work, and what it leaves.

use super::*;
use crate::render::prints::card_print;

fn route(kind: Kind, path: &str) -> Route {
    Route::new(kind, "it".into(), path.into(), false)
}

fn context(title: &str) -> blake3::Hash {
    blake3::hash(title.as_bytes())
}

fn cached(title: &str) -> CachedPage {
    CachedPage {
        fingerprint: context(title),
        diags: Diagnostics::new(),
        cards: Arc::from([]),
        addresses: false,
    }
}

#[test]
fn cards_only_takes_every_page_but_those_showing_a_changed_card_and_the_stories() {
    let mut pages = FxHashMap::default();
    // A card's print as the last build made it: Amina's Italian title was edited since.
    let card = |story: &str, title: &str| card_print(story, "it", context(title), None);
    let showing = |title: &str, stories: &[&str]| CachedPage {
        cards: stories.iter().map(|s| card(s, s)).collect(),
        ..cached(title)
    };
    pages.insert(
        "/storie/".to_string(),
        showing("Storie", &["amina", "bilal"]),
    );
    pages.insert(
        "/storie/pagina/2/".to_string(),
        showing("Storie 2", &["chen"]),
    );
    pages.insert("/progetti/".to_string(), cached("Progetti"));
    pages.insert("/storie/bilal/".to_string(), showing("Bilal", &["amina"]));
    let d = Decisions {
        previous: Some(&pages),
        changed_cards: Some(
            [
                card("amina", "amina, edited"),
                card("bilal", "bilal"),
                card("chen", "chen"),
            ]
            .into_iter()
            .collect(),
        ),
        ..Decisions::none()
    };
    let first = route(Kind::StoryList(1), "/storie/");
    let second = route(Kind::StoryList(2), "/storie/pagina/2/");
    let projects = route(Kind::ProjectList, "/progetti/");
    let bilal = route(Kind::Story("bilal".into()), "/storie/bilal/");
    let new = route(Kind::ProjectList, "/en/projects/");
    assert!(
        d.unchanged_with_the_same_cards(&first).is_none(),
        "shows Amina"
    );
    for r in [&second, &projects] {
        assert_eq!(
            bytes_of(d.unchanged_with_the_same_cards(r)),
            Some(("reused", Vec::new())),
            "{}",
            r.path
        );
    }
    // A story's page is another strategy's (`unchanged_story`), whatever it shows.
    assert!(d.unchanged_with_the_same_cards(&bilal).is_none());
    assert!(
        d.unchanged_with_the_same_cards(&new).is_none(),
        "not built last time"
    );
    // Not a cards-only change: the strategy takes nothing.
    let all = Decisions {
        previous: Some(&pages),
        ..Decisions::none()
    };
    assert!(all.unchanged_with_the_same_cards(&second).is_none());
}

fn bytes_of(page: Option<Page>) -> Option<(&'static str, Vec<u8>)> {
    match page? {
        Page::Reused(_) => Some(("reused", Vec::new())),
        Page::SameContext(_) => Some(("same context", Vec::new())),
        Page::Kept(b, _) => Some(("kept", b.to_vec())),
        Page::Failed(_) | Page::Rendered { .. } => Some(("other", Vec::new())),
    }
}

#[test]
fn bodies_only_takes_every_page_but_those_showing_a_changed_body() {
    let mut pages = FxHashMap::default();
    pages.insert("/storie/amina/".to_string(), cached("Amina"));
    pages.insert("/storie/bilal/".to_string(), cached("Bilal"));
    pages.insert("/storie/".to_string(), cached("Storie"));
    let d = Decisions {
        previous: Some(&pages),
        changed_bodies: Some([("stories", "amina".to_string())].into_iter().collect()),
        ..Decisions::none()
    };
    let amina = route(Kind::Story("amina".into()), "/storie/amina/");
    let bilal = route(Kind::Story("bilal".into()), "/storie/bilal/");
    let list = route(Kind::StoryList(1), "/storie/");
    let new = route(Kind::Story("chen".into()), "/storie/chen/");
    assert!(d.unchanged_body(&amina).is_none(), "its body changed");
    assert_eq!(
        bytes_of(d.unchanged_body(&bilal)),
        Some(("reused", Vec::new()))
    );
    assert_eq!(
        bytes_of(d.unchanged_body(&list)),
        Some(("reused", Vec::new()))
    );
    assert!(d.unchanged_body(&new).is_none(), "not built last time");
    // Anything but bodies changed: the strategy takes nothing.
    let all = Decisions {
        previous: Some(&pages),
        ..Decisions::none()
    };
    assert!(all.unchanged_body(&bilal).is_none());
}

#[test]
fn same_context_takes_a_page_only_when_its_context_is_equal() {
    let mut pages = FxHashMap::default();
    pages.insert("/progetti/".to_string(), cached("Progetti"));
    let d = Decisions {
        previous: Some(&pages),
        keep_fingerprints: true,
        ..Decisions::none()
    };
    let r = route(Kind::ProjectList, "/progetti/");
    assert_eq!(
        bytes_of(d.same_context(&r, &context("Progetti"), &context("Progetti+"))),
        Some(("same context", Vec::new()))
    );
    assert!(
        d.same_context(&r, &context("Projects"), &context("Projects+"))
            .is_none()
    );
    assert!(
        Decisions::none()
            .same_context(&r, &context("Progetti"), &context("Progetti+"))
            .is_none()
    );
    // A page whose templates looked an address up was recorded with the site's addresses:
    // the same context under other addresses is not the same page.
    pages.insert(
        "/".to_string(),
        CachedPage {
            addresses: true,
            ..cached("Home+")
        },
    );
    let d = Decisions {
        previous: Some(&pages),
        keep_fingerprints: true,
        ..Decisions::none()
    };
    let home = route(Kind::Home, "/");
    assert!(
        d.same_context(&home, &context("Home"), &context("Home+"))
            .is_some()
    );
    assert!(
        d.same_context(&home, &context("Home"), &context("Home++"))
            .is_none()
    );
}

#[test]
fn stories_only_takes_the_other_stories_pages_when_stories_are_added() {
    let mut pages = FxHashMap::default();
    pages.insert("/storie/amina/".to_string(), cached("Amina"));
    pages.insert(
        "/storie/bilal/".to_string(),
        CachedPage {
            addresses: true,
            ..cached("Bilal")
        },
    );
    pages.insert("/storie/".to_string(), cached("Storie"));
    let added = |same_stories: bool| Decisions {
        previous: Some(&pages),
        changed_stories: Some(["chen".to_string()].into_iter().collect()),
        same_stories,
        keep_fingerprints: true,
        ..Decisions::none()
    };
    let amina = route(Kind::Story("amina".into()), "/storie/amina/");
    let bilal = route(Kind::Story("bilal".into()), "/storie/bilal/");
    let chen = route(Kind::Story("chen".into()), "/storie/chen/");
    let list = route(Kind::StoryList(1), "/storie/");
    let d = added(false);
    assert_eq!(
        bytes_of(d.unchanged_story(&amina)),
        Some(("reused", Vec::new()))
    );
    // It looked an address up, and the addresses changed with the story added.
    assert!(d.unchanged_story(&bilal).is_none());
    assert!(d.unchanged_story(&chen).is_none(), "the story added");
    assert!(d.unchanged_story(&list).is_none(), "not a story's page");
    // The same stories (one edited): every other story's page is taken.
    assert!(added(true).unchanged_story(&bilal).is_some());
}

#[test]
fn the_ledger_takes_a_page_from_the_output_when_its_fingerprint_and_file_match() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, out) = (dir.path().join("cache"), dir.path().join("public"));
    std::fs::create_dir_all(out.join("notizie")).unwrap();
    std::fs::write(out.join("notizie/index.html"), b"<p>n</p>").unwrap();
    let fp = blake3::hash(b"context");
    let mut ledger = Ledger::open(&cache, &out);
    ledger.start(blake3::hash(b"key"));
    ledger.record(vec![(
        "/notizie/".into(),
        ledger::Entry {
            context: fp,
            bytes: blake3::hash(b"<p>n</p>"),
            cards: Arc::from([]),
            addresses: false,
        },
    )]);
    ledger.save().unwrap();
    let mut ledger = Ledger::open(&cache, &out);
    ledger.start(blake3::hash(b"key"));
    let d = Decisions {
        ledger: Some(&ledger),
        ..Decisions::none()
    };
    assert!(d.wants_fingerprint() && !d.keeps_fingerprints());
    let r = route(Kind::NewsList, "/notizie/");
    let other = blake3::hash(b"other");
    assert_eq!(
        bytes_of(d.on_disk(&r, &fp, &other, true)),
        Some(("kept", b"<p>n</p>".to_vec()))
    );
    // A build that streams its pages does not hold the bytes of a kept one.
    assert_eq!(
        bytes_of(d.on_disk(&r, &fp, &other, false)),
        Some(("kept", Vec::new()))
    );
    // Recorded with the site's addresses (the page looked one up): taken while they
    // are the same, that is, while the fingerprint with them is.
    assert!(d.on_disk(&r, &other, &fp, true).is_some());
    assert!(d.on_disk(&r, &other, &other, true).is_none());
    assert!(!Decisions::none().wants_fingerprint());
}

#[test]
fn changed_bodies_are_those_new_or_different() {
    let h = |s: &str| blake3::hash(s.as_bytes());
    let before: FxHashMap<_, _> = [
        (("stories", "a".to_string()), h("1")),
        (("stories", "b".to_string()), h("2")),
    ]
    .into_iter()
    .collect();
    let now: FxHashMap<_, _> = [
        (("stories", "a".to_string()), h("1")),
        (("stories", "b".to_string()), h("3")),
        (("news", "c".to_string()), h("4")),
    ]
    .into_iter()
    .collect();
    let mut changed: Vec<_> = changed_entries(&before, &now).into_iter().collect();
    changed.sort();
    assert_eq!(
        changed,
        vec![("news", "c".to_string()), ("stories", "b".to_string())]
    );
}

fn some_prints() -> SitePrints {
    SitePrints {
        meta: blake3::hash(b"m"),
        rest: blake3::hash(b"r"),
        rest_but_stories: blake3::hash(b"s"),
        fronts: FxHashMap::default(),
        bodies: FxHashMap::default(),
        placements: FxHashMap::default(),
        meta_with_pictures: None,
        rest_with_pictures: None,
        rest_but_stories_with_pictures: None,
        globals: None,
        only_bodies: false,
    }
}

#[test]
fn a_build_with_errors_takes_nothing_from_earlier_work() {
    let mut cache = RenderCache::default();
    let prints = some_prints();
    let mut diags = Diagnostics::new();
    assert!(
        Reuse::Memory(&mut cache, Box::new(prints))
            .unless_errors(&diags)
            .keeps_pages()
    );
    diags.file_error(
        std::path::Path::new("site.yaml"),
        "broken".to_string(),
        "fix it",
    );
    let prints = some_prints();
    assert!(matches!(
        Reuse::Memory(&mut cache, Box::new(prints)).unless_errors(&diags),
        Reuse::Nothing
    ));
}
