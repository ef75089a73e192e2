//! Fingerprints of a site and of what its pages are made from, for the builds that take
//! earlier work (`reuse`): the site's parts but the Markdown bodies (`SitePrints::meta`),
//! each entry's front matter and bodies, and the globals every page depends on (templates,
//! strings, every address of the site). Only equality matters: a difference in how a part is
//! written into a hash only costs a full rebuild.

use rustc_hash::FxHashMap;

use crate::images::Pictures;
use crate::load::Theme;
use crate::model::{Entity, Site};
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

/// What a story's card shows beyond its document's front matter, by story: its pictures as
/// processed and the files of its folder (only stories that have any).
pub(super) fn story_extras_prints(
    site: &Site,
    pictures: &Pictures,
) -> FxHashMap<String, blake3::Hash> {
    use std::io::Write;
    let mut by_story: FxHashMap<String, blake3::Hasher> = FxHashMap::default();
    let mut keys: Vec<_> = (pictures.by_asset.keys())
        .filter(|(section, ..)| section == "stories")
        .collect();
    keys.sort();
    for k in keys {
        let h = by_story.entry(k.1.clone()).or_default();
        let _ = write!(h, "{k:?}{:?}", pictures.by_asset[k]);
    }
    for a in site.assets.iter().filter(|a| a.section == "stories") {
        let _ = write!(by_story.entry(a.key.clone()).or_default(), "{a:?}");
    }
    by_story
        .into_iter()
        .map(|(k, h)| (k, h.finalize()))
        .collect()
}

/// What a page records of a story's card it shows (`ledger::Entry::cards`): the story, the
/// language of the document the card is made from, that document's front matter print, and
/// the story's pictures and files (`extras`, from [`story_extras_prints`]). A card whose
/// print is among the site's now ([`card_prints`]) says what it said when the page was
/// made; an edit of one language's title leaves the cards of the others as they were. A
/// collision only keeps a page that shows a changed card as it was: 64 bits make it
/// negligible.
pub(super) fn card_print(
    story: &str,
    lang: &str,
    front: blake3::Hash,
    extras: Option<&blake3::Hash>,
) -> u64 {
    let mut h = blake3::Hasher::new();
    h.update(story.as_bytes())
        .update(&[0])
        .update(lang.as_bytes())
        .update(&[0])
        .update(front.as_bytes());
    if let Some(x) = extras {
        h.update(x.as_bytes());
    }
    let h = h.finalize();
    u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or_default())
}

/// The print of every card the site's stories can show now: one per story and language it
/// is written in (a page in another language shows one of these); `extras` from
/// [`story_extras_prints`].
pub(super) fn card_prints(
    site: &Site,
    extras: &FxHashMap<String, blake3::Hash>,
) -> rustc_hash::FxHashSet<u64> {
    use rayon::prelude::*;
    (site.stories.par_iter())
        .flat_map_iter(|e| {
            let x = extras.get(e.key.as_str());
            (e.docs.iter()).map(move |(lang, d)| card_print(&e.key, lang, d.prints().front, x))
        })
        .collect()
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
    /// (`load::text_prints::placement_text`): the same when an edit changed only what its card
    /// shows of it.
    /// Made by [`SitePrints::with_placements`] for `vetrina build`'s ledger, and by
    /// `Reuse::begin` for `vetrina serve`'s memory when more than bodies changed.
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
/// document keeps its hashes, see `Doc::prints`), and each text is hashed on whichever core
/// is free (at 10,000 stories, 285 MB): see [`entry_prints`].
pub fn site_prints(site: &Site) -> SitePrints {
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
    let sections = [
        ("home", entry_prints("home", site.home.as_slice(), &bundles)),
        (
            "projects",
            entry_prints("projects", &site.projects, &bundles),
        ),
        ("stories", entry_prints("stories", &site.stories, &bundles)),
        ("news", entry_prints("news", &site.news, &bundles)),
        ("pages", entry_prints("pages", &site.pages, &bundles)),
    ];
    let count: usize = sections.iter().map(|(_, e)| e.len()).sum();
    let mut fronts = FxHashMap::with_capacity_and_hasher(count, Default::default());
    let mut bodies = FxHashMap::with_capacity_and_hasher(count, Default::default());
    // Every entry and its languages (`rest`), and every entry with its front matters
    // (`meta`), written out first and hashed in one call each.
    let mut entries: Vec<u8> = Vec::with_capacity(count * 64);
    let mut names: Vec<u8> = Vec::with_capacity(count * 32);
    let (mut before_stories, mut after_stories) = (0, 0);
    for (section, prints) in sections {
        if section == "stories" {
            before_stories = names.len();
        }
        for p in prints {
            entries.extend_from_slice(section.as_bytes());
            entries.extend_from_slice(p.key.as_bytes());
            entries.push(0);
            entries.extend_from_slice(p.front.as_bytes());
            names.extend_from_slice(section.as_bytes());
            names.extend_from_slice(p.key.as_bytes());
            names.push(0);
            names.extend_from_slice(&p.langs);
            fronts.insert((section, p.key.to_string()), p.front);
            bodies.insert((section, p.key.to_string()), p.body);
        }
        if section == "stories" {
            after_stories = names.len();
        }
    }
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

/// What [`site_prints`] takes from one entry: its key, its languages (each followed by a
/// zero byte), and the hashes of its front matters (with its bundle's files) and of its
/// bodies, all its languages in each.
struct EntryPrint<'s> {
    key: &'s str,
    langs: Vec<u8>,
    front: blake3::Hash,
    body: blake3::Hash,
}

/// The [`EntryPrint`] of each entry of a section, in order, made on every core (at 10,000
/// stories, the hashes of 20,000 short texts: most of a `vetrina serve` rebuild's prints).
/// Each document's own prints are made once (`Doc::prints`).
fn entry_prints<'s, T: Send + Sync>(
    section: &'static str,
    list: &'s [Entity<T>],
    bundles: &FxHashMap<(&str, &str), Vec<&crate::load::Asset>>,
) -> Vec<EntryPrint<'s>> {
    use rayon::prelude::*;
    (list.par_iter())
        .map_init(
            || (Vec::new(), Vec::new()),
            |(front, body): &mut (Vec<u8>, Vec<u8>), e| {
                front.clear();
                body.clear();
                let mut langs = Vec::new();
                for (lang, d) in &e.docs {
                    let prints = d.prints();
                    langs.extend_from_slice(lang.as_bytes());
                    langs.push(0);
                    front.extend_from_slice(lang.as_bytes());
                    front.extend_from_slice(prints.front.as_bytes());
                    body.extend_from_slice(lang.as_bytes());
                    body.extend_from_slice(prints.body.as_bytes());
                }
                if let Some(files) = bundles.get(&(section, e.key.as_str())) {
                    front.extend_from_slice(format!("{files:?}").as_bytes());
                }
                EntryPrint {
                    key: &e.key,
                    langs,
                    front: blake3::hash(front),
                    body: blake3::hash(body),
                }
            },
        )
        .collect()
}

impl SitePrints {
    /// The same prints with each story's placement (see `ledger`: a page that shows no card
    /// of a story whose placement is the same is taken without its context).
    pub fn with_placements(mut self, site: &Site) -> Self {
        self.placements = placements(site);
        self
    }
}

/// Each story's placement (see [`SitePrints::placements`]).
pub(super) fn placements(site: &Site) -> EntryPrints {
    use rayon::prelude::*;
    (site.stories.par_iter())
        .map(|e| {
            let mut h = blake3::Hasher::new();
            for (lang, d) in &e.docs {
                h.update(lang.as_bytes()).update(&[0]);
                h.update(d.prints().placement.as_bytes());
            }
            (("stories", e.key.clone()), h.finalize())
        })
        .collect()
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
