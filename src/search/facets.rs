//! The facets of indexed pages, for the search page's filters: what a page says of itself
//! in the attributes of its indexed element (`data-search-section`, `data-search-regions`,
//! `data-search-projects`, keys separated by spaces, written by the theme), read here, and
//! the table of them written into each language's `index.json`. The year is the page's
//! date's, already in the index. Nothing here reads the model: a theme decides what its
//! pages say.
//!
//! In `index.json`: `"facets":{"section":[key…],"region":[key…],"project":[key…],
//! "sets":[[section, [region…], [project…]]…],"pages":[set…]}`: the keys once each, in
//! order; each distinct combination once (`section` −1 when the page names none); and a
//! set per page. A site has few combinations, so a page costs a number of one to three
//! digits, and a query at ten thousand stories still fetches a small `index.json`.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;
use serde::Serialize;

/// At most this many keys of one facet are taken from a page (a project for every region
/// is twenty).
const MAX_KEYS: usize = 32;
/// A key longer than this is not a key.
const MAX_KEY: usize = 64;

/// What a page says of itself: its section and the regions and projects it is about.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub(super) struct Facets {
    pub(super) section: Option<Box<str>>,
    pub(super) regions: Vec<Box<str>>,
    pub(super) projects: Vec<Box<str>>,
}

impl Facets {
    /// The facets given by an element's attributes (`attr` finds one by name, its entities
    /// decoded). Only keys are kept: lower-case letters, digits, `-` and `_`; anything else
    /// a theme writes there is left out rather than published.
    pub(super) fn from_attributes(attr: impl Fn(&str) -> Option<String>) -> Facets {
        let keys = |name: &str| -> Vec<Box<str>> {
            let Some(value) = attr(name) else {
                return Vec::new();
            };
            let mut seen = BTreeSet::new();
            value
                .split_ascii_whitespace()
                .filter(|k| is_key(k) && seen.insert(*k))
                .take(MAX_KEYS)
                .map(Into::into)
                .collect()
        };
        Facets {
            section: keys("data-search-section").into_iter().next(),
            regions: keys("data-search-regions"),
            projects: keys("data-search-projects"),
        }
    }
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= MAX_KEY
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The facets of a language's `n` pages, as `index.json` holds them.
#[derive(Serialize, Debug, PartialEq)]
pub(super) struct Table {
    section: Vec<Box<str>>,
    region: Vec<Box<str>>,
    project: Vec<Box<str>>,
    sets: Vec<(i32, Vec<u32>, Vec<u32>)>,
    pages: Vec<u32>,
}

/// The table of `(page, facets)` for pages numbered `0..n` (a page not given has none).
pub(super) fn table(given: &[(u32, Facets)], n: usize) -> Table {
    let names = |pick: &dyn Fn(&Facets) -> Vec<&str>| -> Vec<Box<str>> {
        let all: BTreeSet<&str> = given.iter().flat_map(|(_, f)| pick(f)).collect();
        all.into_iter().map(Into::into).collect()
    };
    let section = names(&|f| f.section.iter().map(|s| &**s).collect());
    let region = names(&|f| f.regions.iter().map(|s| &**s).collect());
    let project = names(&|f| f.projects.iter().map(|s| &**s).collect());
    let number = |list: &[Box<str>], key: &str| list.binary_search_by(|k| (**k).cmp(key)).ok();
    let mut sets: Vec<(i32, Vec<u32>, Vec<u32>)> = vec![(-1, Vec::new(), Vec::new())];
    let mut set_of: FxHashMap<(i32, Vec<u32>, Vec<u32>), u32> = FxHashMap::default();
    set_of.insert(sets[0].clone(), 0);
    let mut pages = vec![0u32; n];
    // In page order, whatever order the pages were indexed in: the same site gives the same
    // file.
    let mut in_order: Vec<&(u32, Facets)> = given.iter().collect();
    in_order.sort_unstable_by_key(|(page, _)| *page);
    for (page, f) in in_order {
        let s = f
            .section
            .as_deref()
            .and_then(|k| number(&section, k))
            .map_or(-1, |i| i as i32);
        let mut r: Vec<u32> = f
            .regions
            .iter()
            .filter_map(|k| number(&region, k).map(|i| i as u32))
            .collect();
        r.sort_unstable();
        let mut p: Vec<u32> = f
            .projects
            .iter()
            .filter_map(|k| number(&project, k).map(|i| i as u32))
            .collect();
        p.sort_unstable();
        let key = (s, r, p);
        let next = sets.len() as u32;
        let id = *set_of.entry(key.clone()).or_insert_with(|| {
            sets.push(key);
            next
        });
        if let Some(slot) = pages.get_mut(*page as usize) {
            *slot = id;
        }
    }
    Table {
        section,
        region,
        project,
        sets,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs<'a>(list: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            list.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn only_keys_are_taken_from_a_page() {
        let f = Facets::from_attributes(attrs(&[
            ("data-search-section", "stories"),
            ("data-search-regions", "puglia  <b>x</b> puglia Lazio lazio"),
            ("data-search-projects", "puoi \"a\" prima-il-lavoro"),
        ]));
        assert_eq!(f.section.as_deref(), Some("stories"));
        assert_eq!(f.regions, vec!["puglia".into(), "lazio".into()]);
        assert_eq!(f.projects, vec!["puoi".into(), "prima-il-lavoro".into()]);
        assert_eq!(Facets::from_attributes(|_| None), Facets::default());
        let many = (0..100)
            .map(|i| format!("r{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let f = Facets::from_attributes(attrs(&[("data-search-regions", &many)]));
        assert_eq!(f.regions.len(), MAX_KEYS);
    }

    #[test]
    fn each_combination_is_written_once_and_each_page_names_its_own() {
        let story = |region: &str| Facets {
            section: Some("stories".into()),
            regions: vec![region.into()],
            projects: vec!["puoi".into()],
        };
        let hub = Facets {
            section: Some("regions".into()),
            regions: vec!["lazio".into()],
            projects: Vec::new(),
        };
        let t = table(
            &[
                (0, story("puglia")),
                (1, hub),
                (3, story("puglia")),
                (2, story("lazio")),
            ],
            5,
        );
        assert_eq!(t.section, vec!["regions".into(), "stories".into()]);
        assert_eq!(t.region, vec!["lazio".into(), "puglia".into()]);
        assert_eq!(t.project, vec!["puoi".into()]);
        // The empty set first (page 4 names nothing), then in page order.
        assert_eq!(
            t.sets,
            vec![
                (-1, vec![], vec![]),
                (1, vec![1], vec![0]),
                (0, vec![0], vec![]),
                (1, vec![0], vec![0]),
            ]
        );
        assert_eq!(t.pages, vec![1, 2, 3, 1, 0]);
    }
}
