//! The filters of the story and event lists, as the build writes them: each card carries its
//! facets as data attributes, the form (hidden until its script shows it) offers what the
//! list holds under parameter names in the page's language, and a story list over several
//! pages has beside it the JSON of every card the script filters. The filtering itself is
//! checked in a browser by tests/conformance/list_filters.mjs.

mod common;

use common::*;

/// The values of attribute `name` on every element of `html` whose tag text holds `marker`.
fn attrs_of<'h>(html: &'h str, marker: &str, name: &str) -> Vec<&'h str> {
    let want = format!("{name}=\"");
    html.split('<')
        .filter(|t| t.contains(marker))
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .filter_map(|t| {
            let at = t.find(&want)? + want.len();
            Some(&t[at..at + t[at..].find('"')?])
        })
        .collect()
}

#[test]
fn demo_lists_carry_their_facets_and_a_hidden_form() {
    let t = demo_copy();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let stories = read(&out, "storie/index.html");
    // Every story of the demo is on the one page, each card with its region, project, year.
    let regions = attrs_of(&stories, "class=\"card\"", "data-region");
    assert_eq!(regions.len(), 6, "{regions:?}");
    for r in ["puglia", "lazio", "lombardia"] {
        assert!(regions.contains(&r), "{r} in {regions:?}");
    }
    let projects = attrs_of(&stories, "class=\"card\"", "data-project");
    assert!(projects.contains(&"puoi"), "{projects:?}");
    let years = attrs_of(&stories, "class=\"card\"", "data-year");
    assert!(
        years
            .iter()
            .all(|y| y.len() == 4 && y.parse::<u16>().is_ok()),
        "{years:?}"
    );
    // The form: hidden without its script, native selects under the page's language's names,
    // the count a status region, the script a file of the theme.
    assert!(
        stories.contains("<form class=\"filters\" hidden"),
        "the form is not hidden"
    );
    for name in ["regione", "progetto", "anno"] {
        assert!(
            stories.contains(&format!("name=\"{name}\"")),
            "select {name}"
        );
    }
    assert!(
        stories.contains("id=\"list-count\" role=\"status\""),
        "status"
    );
    assert!(
        stories.contains("list-filters.") && stories.contains(" defer>"),
        "script"
    );
    assert!(!stories.contains("data-cards="), "one page needs no JSON");
    assert!(!out.join("storie/cards.json").exists());
    let english = read(&out, "en/stories/index.html");
    assert!(english.contains("name=\"region\"") && english.contains("name=\"project\""));
    // Events: regions and projects (several, space-separated), year, upcoming or past.
    let events = read(&out, "eventi/index.html");
    let periods = attrs_of(&events, "class=\"card\"", "data-period");
    assert!(!periods.is_empty());
    assert!(
        periods.iter().all(|p| *p == "upcoming" || *p == "past"),
        "{periods:?}"
    );
    let projects = attrs_of(&events, "class=\"card\"", "data-project");
    assert!(projects.iter().any(|p| p.contains(' ')), "{projects:?}");
    assert!(events.contains("name=\"quando\""));
}

#[test]
fn a_story_list_over_several_pages_has_the_json_of_every_card_beside_it() {
    // The fixture's story and four more like it, two a page: three pages.
    let t = fixture("story-ok");
    let story = read(
        t.path(),
        "content/stories/un-percorso-di-esempio/index.it.md",
    );
    for n in 2..=5 {
        let other = story
            .replace(
                "\"Un percorso di esempio\"",
                &format!("\"Percorso numero {n}\""),
            )
            .replace("ESEMPIO-0001", &format!("ESEMPIO-000{n}"))
            .replace(
                "region: lazio",
                if n % 2 == 0 {
                    "region: puglia"
                } else {
                    "region: lazio"
                },
            )
            .replace("date: 2025-03-10", &format!("date: 202{}-03-10", n % 3 + 2));
        write(
            t.path(),
            &format!("content/stories/percorso-{n}/index.it.md"),
            &other,
        );
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
    // Each page of the list points at the one JSON, relative to itself.
    assert!(read(&out, "storie/index.html").contains("data-cards=\"cards.json\""));
    assert!(read(&out, "storie/3/index.html").contains("data-cards=\"../cards.json\""));
    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "storie/cards.json")).expect("the cards are JSON");
    let cards = json.as_array().expect("a list of cards");
    assert_eq!(cards.len(), 5);
    // Newest first, as the list; every card with its facets and texts, and a link that
    // reaches the story from the JSON's folder.
    let dates: Vec<&str> = cards.iter().filter_map(|c| c["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    for c in cards {
        assert_eq!(c["project"], "progetto-esempio", "{c}");
        let region = c["region"].as_str().unwrap_or_default();
        assert!(region == "lazio" || region == "puglia", "{c}");
        let year = c["year"].as_i64().unwrap_or_default();
        assert_eq!(
            c["date"].as_str().map(|d| &d[..4]),
            Some(year.to_string().as_str())
        );
        assert!(c["title"].as_str().is_some_and(|s| !s.is_empty()), "{c}");
        assert!(
            c["meta"]
                .as_str()
                .is_some_and(|m| m.contains("Lazio") || m.contains("Puglia")),
            "{c}"
        );
        let href = c["href"].as_str().unwrap_or_default();
        assert!(out.join("storie").join(href).is_file(), "{href}");
    }
    // The filters offer what the whole list holds, on every page: both regions, every year.
    let last = read(&out, "storie/3/index.html");
    for v in ["lazio", "puglia", "2022", "2023", "2024", "2025"] {
        assert!(last.contains(&format!("<option value=\"{v}\">")), "{v}");
    }
}
