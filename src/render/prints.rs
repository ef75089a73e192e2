//! Fingerprints of a site and of what its pages are made from, for the builds that take
//! earlier work (`reuse`): the site's parts but the Markdown bodies (`SitePrints::meta`),
//! each entry's front matter and bodies, and the globals every page depends on (templates,
//! strings, every address of the site). Only equality matters: a difference in how a part is
//! written into a hash only costs a full rebuild.

use rustc_hash::FxHashMap;

use crate::images::Pictures;
use crate::load::Theme;
use crate::model::Site;
use crate::plan::Plan;

/// `meta` of the site and the pictures together.
pub(super) fn with_pictures(meta: blake3::Hash, pictures: &Pictures) -> blake3::Hash {
    use std::io::Write;
    let mut h = blake3::Hasher::new();
    h.update(meta.as_bytes());
    let mut keys: Vec<_> = pictures.by_asset.keys().collect();
    keys.sort();
    for k in keys {
        let _ = write!(h, "{k:?}{:?}", pictures.by_asset[k]);
    }
    h.finalize()
}

/// `print` with the pictures of every section but the stories: a story's pictures are
/// in its front matter's print instead ([`fold_story_pictures`]), so that a story added
/// with its pictures changes only the stories' prints.
pub(super) fn with_pictures_but_stories(print: blake3::Hash, pictures: &Pictures) -> blake3::Hash {
    use std::io::Write;
    let mut h = blake3::Hasher::new();
    h.update(print.as_bytes());
    let mut keys: Vec<_> = (pictures.by_asset.keys())
        .filter(|(section, ..)| section != "stories")
        .collect();
    keys.sort();
    for k in keys {
        let _ = write!(h, "{k:?}{:?}", pictures.by_asset[k]);
    }
    h.finalize()
}

/// Each story's front matter print with the story's pictures: a story whose pictures
/// changed is a story whose front matter did.
pub(super) fn fold_story_pictures(fronts: &mut EntryPrints, pictures: &Pictures) {
    use std::io::Write;
    let mut keys: Vec<_> = (pictures.by_asset.keys())
        .filter(|(section, ..)| section == "stories")
        .collect();
    keys.sort();
    let mut by_story: FxHashMap<&str, blake3::Hasher> = FxHashMap::default();
    for k in keys {
        let h = by_story.entry(k.1.as_str()).or_default();
        let _ = write!(h, "{k:?}{:?}", pictures.by_asset[k]);
    }
    for (story, mut h) in by_story {
        if let Some(front) = fronts.get_mut(&("stories", story.to_string())) {
            h.update(front.as_bytes());
            *front = h.finalize();
        }
    }
}

/// Fingerprints of a site (`vetrina serve`): everything but the Markdown bodies in one hash
/// (`meta`); each entry's front matter (all its languages) and its bodies, in one hash per
/// entry each; and everything but the entries' texts (`rest`: settings, data, the entries
/// there are and their languages).
pub struct SitePrints {
    pub meta: blake3::Hash,
    pub(super) rest: blake3::Hash,
    /// `rest` without the stories there are: the same when, besides stories' texts, only
    /// stories were added or removed.
    pub(super) rest_but_stories: blake3::Hash,
    pub(super) fronts: EntryPrints,
    pub(super) bodies: EntryPrints,
    /// Each story's front matter (all its languages) without its title and summary
    /// ([`placement_text`]): the same when an edit changed only what its card shows of it.
    /// Made only for the ledger of `vetrina build` ([`SitePrints::with_placements`]).
    pub(super) placements: EntryPrints,
    /// Set by `Reuse::begin`: `meta` and `rest` with the pictures, the build's globals, and
    /// whether only bodies changed since the last build.
    pub(super) meta_with_pictures: Option<blake3::Hash>,
    pub(super) rest_with_pictures: Option<blake3::Hash>,
    /// Set by `Reuse::begin` for the ledger: `rest_but_stories` with the pictures.
    pub(super) rest_but_stories_with_pictures: Option<blake3::Hash>,
    pub(super) globals: Option<blake3::Hash>,
    pub(super) only_bodies: bool,
}

/// A hash per entry: (section, key) → hash.
pub(super) type EntryPrints = FxHashMap<(&'static str, String), blake3::Hash>;

/// The fingerprints of `site`; documents seen by the last build are not hashed again (a
/// document keeps its hashes, see `Doc::prints`).
pub fn site_prints(site: &Site) -> SitePrints {
    // Each text hashed once (`Doc::prints`), on every core: at 10,000 stories, 285 MB.
    {
        use rayon::prelude::*;
        site.stories.par_iter().for_each(|e| {
            for d in e.docs.values() {
                d.prints();
            }
        });
    }
    let mut meta = blake3::Hasher::new();
    // Debug output of the small parts of the site: settings, languages, data files, events,
    // bundle files, the stories taken down, the build date. (Only equality matters: a
    // difference in formatting only costs a full rebuild.) Written out first and hashed in
    // one call, as the entries below: a hasher fed many small pieces is much slower.
    let small = format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|",
        site.config,
        site.langs,
        site.base_url,
        site.events,
        site.funds,
        site.orgs,
        site.indicators,
        site.taken_down,
        site.today
    );
    meta.update(small.as_bytes());
    for src in &site.i18n_overrides {
        meta.update(src.text.as_bytes()).update(&[0]);
    }
    let mut rest_but_stories = meta.clone();
    // The bundle files: a story's are in its front matter's print too (`front` below), so
    // that `rest_but_stories` leaves them out.
    meta.update(format!("{:?}|", site.assets).as_bytes());
    let others: Vec<_> = (site.assets.iter())
        .filter(|a| a.section != "stories")
        .collect();
    rest_but_stories.update(format!("{others:?}|").as_bytes());
    let mut bundles: FxHashMap<(&str, &str), Vec<&crate::load::Asset>> = FxHashMap::default();
    for a in &site.assets {
        bundles.entry((&a.section, &a.key)).or_default().push(a);
    }
    let mut rest = meta.clone();
    let mut fronts = FxHashMap::default();
    let mut bodies = FxHashMap::default();
    let mut entries: Vec<u8> = Vec::new();
    let mut names: Vec<u8> = Vec::new();
    let mut front: Vec<u8> = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    macro_rules! each {
        ($section:literal, $list:expr) => {
            for e in $list {
                entries.extend_from_slice($section.as_bytes());
                entries.extend_from_slice(e.key.as_bytes());
                entries.push(0);
                names.extend_from_slice($section.as_bytes());
                names.extend_from_slice(e.key.as_bytes());
                names.push(0);
                front.clear();
                body.clear();
                for (lang, d) in &e.docs {
                    let (f, b) = d.prints();
                    entries.extend_from_slice(lang.as_bytes());
                    entries.extend_from_slice(f.as_bytes());
                    names.extend_from_slice(lang.as_bytes());
                    names.push(0);
                    front.extend_from_slice(lang.as_bytes());
                    front.extend_from_slice(f.as_bytes());
                    body.extend_from_slice(lang.as_bytes());
                    body.extend_from_slice(b.as_bytes());
                }
                if let Some(files) = bundles.get(&($section, e.key.as_str())) {
                    front.extend_from_slice(format!("{files:?}").as_bytes());
                }
                fronts.insert(($section, e.key.clone()), blake3::hash(&front));
                bodies.insert(($section, e.key.clone()), blake3::hash(&body));
            }
        };
    }
    each!("home", site.home.iter());
    each!("projects", &site.projects);
    let before_stories = names.len();
    each!("stories", &site.stories);
    let after_stories = names.len();
    each!("news", &site.news);
    each!("pages", &site.pages);
    meta.update(&entries);
    rest.update(&names);
    rest_but_stories
        .update(&names[..before_stories])
        .update(&[0xff])
        .update(&names[after_stories..]);
    SitePrints {
        meta: meta.finalize(),
        rest: rest.finalize(),
        rest_but_stories: rest_but_stories.finalize(),
        fronts,
        bodies,
        placements: EntryPrints::default(),
        meta_with_pictures: None,
        rest_with_pictures: None,
        rest_but_stories_with_pictures: None,
        globals: None,
        only_bodies: false,
    }
}

impl SitePrints {
    /// The same prints with each story's placement (see `ledger`: a page that shows no card
    /// of a story whose placement is the same is taken without its context).
    pub fn with_placements(mut self, site: &Site) -> Self {
        use rayon::prelude::*;
        self.placements = (site.stories.par_iter())
            .map(|e| {
                let mut h = blake3::Hasher::new();
                for (lang, d) in &e.docs {
                    let text = d.src.text.get(..d.body_offset).unwrap_or(&d.src.text);
                    h.update(lang.as_bytes()).update(&[0]);
                    for piece in placement_text(text) {
                        h.update(piece.as_bytes());
                    }
                    h.update(&[0]);
                }
                (("stories", e.key.clone()), h.finalize())
            })
            .collect();
        self
    }
}

/// Everything outside a page's context that its bytes depend on: templates, interface
/// strings, every address of the site (for `url()`), the theme's static files and settings.
pub(super) fn globals_hash(
    site: &Site,
    routes: Option<blake3::Hash>,
    theme: &Theme,
    minify: bool,
) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(theme_hash(theme, minify).as_bytes());
    for src in theme.i18n.iter().chain(&site.i18n_overrides) {
        h.update(src.path.to_string_lossy().as_bytes())
            .update(&[0])
            .update(src.text.as_bytes())
            .update(&[0]);
    }
    if let Some(routes) = routes {
        h.update(routes.as_bytes());
    }
    h.finalize()
}

/// The theme's templates and static files, and whether the templates are minified: what a
/// template engine is made from, besides its strings and plan.
pub(super) fn theme_hash(theme: &Theme, minify: bool) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(&[u8::from(minify)]);
    for (name, src) in &theme.templates {
        h.update(name.as_bytes())
            .update(&[0])
            .update(src.text.as_bytes())
            .update(&[0]);
    }
    for (rel, published, _) in &theme.statics {
        h.update(rel.as_bytes())
            .update(&[0])
            .update(published.as_bytes())
            .update(&[0]);
    }
    h.finalize()
}

/// Every address of the site, as `globals_hash` takes them (see `Reuse::routes_hash`).
pub(super) fn routes_hash(plan: &Plan) -> blake3::Hash {
    // The routes gathered first and hashed in one call (the same bytes as one `update`
    // each: at 10,000 stories, 400,000 small updates took 10 ms of every serve rebuild).
    let mut routes = Vec::with_capacity(plan.routes.len() * 64);
    for r in &plan.routes {
        routes.extend_from_slice(r.kind.name().as_bytes());
        routes.push(0);
        routes.extend_from_slice(r.kind.key().as_bytes());
        routes.push(0);
        routes.extend_from_slice(r.lang.as_bytes());
        routes.push(0);
        routes.extend_from_slice(r.path.as_bytes());
        routes.push(r.fallback as u8);
    }
    blake3::hash(&routes)
}

/// The keys whose values a story's card shows and nothing else of the site but the story's
/// own pages: an edit of them moves no story on any list.
const CARD_ONLY_KEYS: [&str; 2] = ["title", "summary"];

/// A story's front matter text without its `title` and `summary` (each a key at the start
/// of a line, with the lines that continue its value: indented or blank), as pieces. Two
/// texts with the same pieces hold the same values for every other key. A value with `&` or
/// `*` (a YAML anchor or alias, which another key could repeat) is left in; so is anything
/// not written as a key at the start of a line.
pub(super) fn placement_text(front_matter: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut lines = front_matter.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let card_only = CARD_ONLY_KEYS.iter().any(|k| {
            line.strip_prefix(k)
                .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
        });
        if !card_only {
            pieces.push(line);
            continue;
        }
        let mut block = vec![line];
        while let Some(next) = lines.peek() {
            if next.starts_with([' ', '\t']) || next.trim().is_empty() {
                block.push(next);
                lines.next();
            } else {
                break;
            }
        }
        if block.iter().any(|l| l.contains(['&', '*'])) {
            pieces.extend(block);
        } else {
            // Which key was left out stays in the text: a title moved into the summary's
            // place is not the same front matter.
            pieces.push(&line[..line.find(':').unwrap_or(0)]);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::placement_text;

    fn print(text: &str) -> String {
        placement_text(text).concat()
    }

    #[test]
    fn a_placement_is_the_front_matter_without_title_and_summary() {
        let a = "title: Una storia\ndate: 2024-05-01\nsummary: >-\n  Su due\n  righe.\nregion: puglia\n";
        let b = "title: \"Un'altra\"\ndate: 2024-05-01\nsummary: Breve.\nregion: puglia\n";
        assert_eq!(print(a), print(b));
        // Any other key's value matters, and so does a line after the summary that is a key.
        for other in [
            "title: Una storia\ndate: 2024-05-02\nsummary: x\nregion: puglia\n",
            "title: Una storia\ndate: 2024-05-01\nsummary: x\nregion: lazio\n",
            "title: Una storia\ndate: 2024-05-01\nsummary: x\nregion: puglia\nexample: true\n",
            "title: Una storia\ndate: 2024-05-01\nsummary: x\n  region: puglia\n",
        ] {
            assert_ne!(print(a), print(other), "{other}");
        }
        // Anchors and aliases are kept: another key could repeat the title.
        let anchored = "title: &t Una storia\nsummary: *t\nregion: puglia\n";
        let renamed = "title: &t Altra\nsummary: *t\nregion: puglia\n";
        assert_ne!(print(anchored), print(renamed));
        // A flow mapping is not a key at the start of a line: kept whole.
        assert_ne!(
            print("{title: A, region: puglia}\n"),
            print("{title: B, region: puglia}\n")
        );
        // `titles:` is another key.
        assert_ne!(print("titles: a\n"), print("titles: b\n"));
    }
}
