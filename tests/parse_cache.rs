//! The parse cache of `vetrina build` (`model::parse_cache`): front matters taken as the last
//! build parsed them give the output and the messages of a build that parsed them again.
//! Each test has its own cache folder, inside its copy of the demo site (the shared one
//! holds what other tests' builds parsed).

mod common;

use common::*;
use std::fs;

const STORY: &str = "content/stories/dalla-comunita-alla-serra/index.it.md";

#[test]
fn a_rebuild_takes_the_front_matters_the_last_build_parsed_and_equals_a_fresh_build() {
    let t = demo_copy();
    let out = t.path().join("public");
    let first = build_own_cache(t.path());
    assert!(first.ok(), "{}", rendered(&first));
    assert_eq!(
        first.front_matters_reused, 0,
        "nothing to take on a first build"
    );
    assert!(t.path().join(".vetrina-cache/front-matter.bin").is_file());
    let files = fs::read_dir(t.path().join("content/stories"))
        .unwrap()
        .count();

    // A body edited: every front matter is taken from the cache.
    let text = fs::read_to_string(t.path().join(STORY)).unwrap();
    fs::write(t.path().join(STORY), format!("{text}\nUna frase in più.\n")).unwrap();
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        r.front_matters_reused > files,
        "only {} front matters taken",
        r.front_matters_reused
    );
    assert_same_as_uncached(t.path(), &out, "a body edited");

    // Front matter edited: the title, the region and the consent's scope of one story, a
    // project's web address. Those are parsed again, the others taken.
    edit(
        t.path(),
        STORY,
        "title: \"Dalla comunità per minori alla serra\"",
        "title: \"Dalla comunità alla serra, un nuovo titolo\"",
    );
    edit(t.path(), STORY, "region: puglia", "region: basilicata");
    edit(t.path(), STORY, "scope: [web]", "scope: [web, print]");
    edit(
        t.path(),
        "content/projects/puoi/index.it.md",
        "title:",
        "website: \"https://example.org/puoi\"\ntitle:",
    );
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(r.front_matters_reused > 0);
    assert_same_as_uncached(t.path(), &out, "front matters edited");
}

#[test]
fn a_message_about_a_front_matter_taken_from_the_cache_points_where_a_parse_would() {
    let t = demo_copy();
    assert!(build_own_cache(t.path()).ok());
    // The stories of project PUOI now name a project that is not there: their front matter
    // is unchanged (taken from the cache), and the errors point into it.
    fs::rename(
        t.path().join("content/projects/puoi"),
        t.path().join("content/projects/puoi-bis"),
    )
    .unwrap();
    let with_cache = build_own_cache(t.path());
    assert!(!with_cache.ok());
    let messages = rendered_in(&with_cache, t.path());
    assert!(
        messages.contains("project: puoi") && messages.contains("dalla-comunita-alla-serra"),
        "{messages}"
    );
    assert_eq!(
        with_cache.front_matters_reused, 0,
        "built again without the cache"
    );

    fs::remove_dir_all(t.path().join(".vetrina-cache")).unwrap();
    let without = build_own_cache(t.path());
    assert_eq!(messages, rendered_in(&without, t.path()));
}

#[test]
fn a_cache_written_by_another_program_or_altered_is_not_taken() {
    let t = demo_copy();
    assert!(build_own_cache(t.path()).ok());
    let cache = t.path().join(".vetrina-cache/front-matter.bin");
    let mut bytes = fs::read(&cache).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    fs::write(&cache, &bytes).unwrap();
    let text = fs::read_to_string(t.path().join(STORY)).unwrap();
    fs::write(t.path().join(STORY), format!("{text}\nUna frase in più.\n")).unwrap();
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.front_matters_reused, 0, "an altered cache was taken");
    // Written again whole: the next build takes it.
    fs::write(t.path().join(STORY), format!("{text}\nDue frasi in più.\n")).unwrap();
    assert!(build_own_cache(t.path()).front_matters_reused > 0);
}
