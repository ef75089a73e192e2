//! Work of earlier builds that a build takes instead of doing it again: the one object
//! (`Reuse`) that owns it, and the three ways a page is taken rather than rendered.
//!
//! - **Bodies only** (`vetrina serve`): when nothing but the Markdown text of some entries
//!   changed since the last build of the process (the same front matter, data, settings,
//!   theme and pictures), only the pages that show those texts are built again: an entry's
//!   own page in every language (a missing translation shows the original). No other page
//!   reads a body, so the others are taken without building their context.
//! - **Same context** (`vetrina serve`): every page's template context is built, and a page
//!   whose context has the fingerprint of last time's, under the same templates, strings and
//!   addresses (`globals_hash`), keeps its bytes from memory. Only the fingerprint is kept,
//!   not the context.
//! - **Ledger** (`vetrina build`): a page whose context fingerprint is the one the last
//!   build recorded, and whose published file still holds those bytes, is taken from the
//!   output folder (see `ledger`).
//!
//! Every way gives exactly the bytes a full render would: the tests of `vetrina serve` and
//! of rebuilds compare them. A build that already has errors takes and records nothing: the
//! site it sees is not the one that will be built once they are fixed.

use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::extras::{Extra, Job, KeptExtras};
use super::i18n::I18n;
use super::ledger::{self, Ledger, RecordedPrints};
use super::prints::theme_hash;
use super::prints::{
    EntryPrints, SitePrints, fold_story_pictures, with_pictures, with_pictures_but_stories,
};
pub(super) use super::prints::{globals_hash, routes_hash};
use super::templates::Engine;
use crate::diag::Diagnostics;
use crate::images::Pictures;
use crate::load::Theme;
use crate::model::Site;
use crate::plan::{Kind, Plan, Route};
use crate::write::Bytes;

/// What a build may take from earlier work.
pub enum Reuse<'r> {
    /// Every page is rendered (`vetrina check`, a first build, a test).
    Nothing,
    /// `vetrina build`: the record of the last build into the same output folder, and the
    /// fingerprints of the site being built (`site_prints`).
    Ledger(&'r mut Ledger, Box<SitePrints>),
    /// `vetrina serve`: the pages of the last build of this process, in memory, and the
    /// fingerprints of the site being built (`site_prints`).
    Memory(&'r mut RenderCache, Box<SitePrints>),
}

/// The pages of the last build of a `vetrina serve` process, and what they were made from.
#[derive(Default)]
pub struct RenderCache {
    globals: Option<blake3::Hash>,
    meta: Option<blake3::Hash>,
    rest: Option<blake3::Hash>,
    /// `SitePrints::rest_but_stories` of the last build, with the pictures but the stories'.
    rest_but_stories: Option<blake3::Hash>,
    fronts: EntryPrints,
    bodies: EntryPrints,
    /// Each story's placement (`SitePrints::placements`) in the last build.
    placements: EntryPrints,
    pages: FxHashMap<String, CachedPage>,
    /// The interface strings and what loading them reported, by a hash of their sources.
    i18n: Option<(blake3::Hash, Arc<I18n>, Diagnostics)>,
    /// Feeds, calendars, the sitemap, the open data and the web editor's files: they read no
    /// Markdown body.
    extras: Vec<Extra>,
    /// The plan of the last build and `routes_hash` of it.
    routes: Option<(Arc<Plan>, blake3::Hash)>,
    /// The template engine of the last build, by what it was made from (`EngineKey`).
    engine: Option<(EngineKey, Arc<Engine>)>,
    /// Pages taken from the cache by the last build.
    pub reused: usize,
    /// Pages whose template context was built by the last build.
    pub contexts_built: usize,
}

/// A page the last build published. Its bytes are not kept: they are in the output folder,
/// which only this process writes (at 10,000 stories, 0.9 GB that the search index reads
/// back from the disk's cache).
struct CachedPage {
    /// The fingerprint of the template context the page was made from; with the site's
    /// addresses when its templates looked one up (`addresses`), as the ledger records it.
    fingerprint: blake3::Hash,
    /// Whether its templates looked an address up (`url()`): the page is then the same only
    /// while every address is.
    addresses: bool,
    /// What building this page reported (warnings), repeated when it is reused.
    diags: Diagnostics,
    /// The stories whose cards it shows (`ledger::card_key`).
    cards: Arc<[u64]>,
}

impl RenderCache {
    /// Forgets the pages of the last build (their write failed: the output folder does not
    /// hold them), so that the next build renders every page.
    pub fn forget_pages(&mut self) {
        self.pages.clear();
        self.globals = None;
        self.extras.clear();
    }
}

/// What a template engine is made from: the theme's templates and static files and
/// whether they are minified (hashed), and the very strings and plan it holds.
pub(super) struct EngineKey {
    pub theme: blake3::Hash,
    pub i18n: Arc<I18n>,
    pub plan: Arc<Plan>,
}

impl EngineKey {
    pub(super) fn new(theme: &Theme, minify: bool, i18n: &Arc<I18n>, plan: &Arc<Plan>) -> Self {
        EngineKey {
            theme: theme_hash(theme, minify),
            i18n: i18n.clone(),
            plan: plan.clone(),
        }
    }

    fn same(&self, other: &EngineKey) -> bool {
        self.theme == other.theme
            && Arc::ptr_eq(&self.i18n, &other.i18n)
            && Arc::ptr_eq(&self.plan, &other.plan)
    }
}

/// What became of one route.
pub(super) enum Page {
    /// Not rendered: what went wrong.
    Failed(Diagnostics),
    /// Bodies only: the last build's page, still in the output folder, its context not
    /// built.
    Reused(Diagnostics),
    /// Same context: built and equal to last time's, so the page in the output folder is
    /// the one it makes.
    SameContext(Diagnostics),
    /// Ledger: context equal to the last `vetrina build`'s, whose bytes are still in the
    /// output folder.
    Kept(Bytes, ledger::Entry),
    /// Rendered now.
    Rendered {
        bytes: Bytes,
        /// The fingerprint of its context, kept for the next build of `vetrina serve`.
        fingerprint: Option<blake3::Hash>,
        diags: Diagnostics,
        /// Recorded for the next `vetrina build`.
        entry: Option<ledger::Entry>,
        /// The stories whose cards it shows (`ledger::card_key`).
        cards: Arc<[u64]>,
        /// Whether its templates looked an address up (`url()`).
        addresses: bool,
        /// Taken by the page sink: `bytes` is empty.
        streamed: bool,
    },
}

/// How many pages a render took from earlier work.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct ReuseCounts {
    /// Pages not rendered (taken from memory or from the output folder).
    pub reused: usize,
    /// Pages whose template context was built.
    pub contexts_built: usize,
}

/// The read-only side of `Reuse` while pages render in parallel: each strategy asked in turn.
pub(super) struct Decisions<'a> {
    /// Same context: the last build's pages, when made under the same globals.
    previous: Option<&'a FxHashMap<String, CachedPage>>,
    /// Bodies only: the entries whose bodies changed, when nothing else did.
    changed_bodies: Option<HashSet<(&'static str, String)>>,
    /// Stories only: the stories whose front matter or bodies changed (or that were
    /// added), when nothing but stories' front matter and entries' bodies did, and stories
    /// were added or removed.
    changed_stories: Option<HashSet<String>>,
    /// Stories only: whether the same stories are there (the site's addresses are the same).
    same_stories: bool,
    /// Ledger, bodies only: the entries whose bodies changed since the last `vetrina build`,
    /// when nothing else did.
    ledger_bodies: Option<HashSet<(&'static str, String)>>,
    /// Ledger, bodies only: the files the last build made beside the pages, when every one
    /// is as it left them (no bytes: they stay in the output).
    ledger_extras: Option<Vec<Extra>>,
    /// Ledger, stories only: the stories whose front matter or bodies changed (or that
    /// were added) since the last `vetrina build`, when nothing but stories did.
    ledger_stories: Option<ledger::ChangedStories>,
    /// Ledger, cards only: the print of every card the site's stories show now
    /// (`prints::card_prints`), when only what the cards of `ledger_stories` show changed
    /// (the same placements): a page whose cards are all among them shows what it showed.
    ledger_cards: Option<FxHashSet<u64>>,
    /// Cards only: the same for `changed_stories`.
    changed_cards: Option<FxHashSet<u64>>,
    /// The extras of the last build, when only bodies changed.
    extras: Option<&'a [Extra]>,
    /// Cards only: the extras of the last build of this process, each kept when the cards
    /// it shows are all among `changed_cards` (see `extras`).
    past_extras: Option<&'a [Extra]>,
    ledger: Option<&'a Ledger>,
    keep_fingerprints: bool,
}

impl Reuse<'_> {
    /// Nothing is taken or recorded by a build that already has errors.
    pub(super) fn unless_errors(self, diags: &Diagnostics) -> Self {
        if diags.has_errors() {
            Reuse::Nothing
        } else {
            self
        }
    }

    /// Whether the pages are remembered for the next build of this process (`vetrina
    /// serve`).
    #[cfg(test)]
    fn keeps_pages(&self) -> bool {
        matches!(self, Reuse::Memory(..))
    }

    /// The interface strings of `site` under `theme`: loaded, or taken from the last build
    /// when their sources are the same.
    pub(super) fn i18n(
        &mut self,
        site: &Site,
        theme: &Theme,
        diags: &mut Diagnostics,
    ) -> Arc<I18n> {
        let langs: Vec<(&str, &str)> = site
            .langs
            .iter()
            .map(|l| (l.code.as_str(), l.locale.as_str()))
            .collect();
        let mut h = blake3::Hasher::new();
        for (code, locale) in &langs {
            h.update(code.as_bytes())
                .update(&[0])
                .update(locale.as_bytes());
        }
        for src in theme.i18n.iter().chain(&site.i18n_overrides) {
            h.update(src.path.to_string_lossy().as_bytes())
                .update(&[0])
                .update(src.text.as_bytes())
                .update(&[0]);
        }
        let hash = h.finalize();
        let cache = match self {
            Reuse::Memory(c, _) => Some(&mut **c),
            _ => None,
        };
        if let Some(c) = &cache
            && let Some((h, i18n, d)) = &c.i18n
            && *h == hash
        {
            diags.extend(d.clone());
            return i18n.clone();
        }
        let mut d = Diagnostics::new();
        let i18n = Arc::new(I18n::load(
            &theme.i18n,
            &site.i18n_overrides,
            &langs,
            &mut d,
        ));
        if let Some(c) = cache {
            c.i18n = Some((hash, i18n.clone(), d.clone()));
        }
        diags.extend(d);
        i18n
    }

    /// The template engine made by `make` from what `key` says: the last build's, when it
    /// was made from the same (`vetrina serve`). An engine whose making reported anything
    /// is not kept, so that the report comes again.
    pub(super) fn engine(
        &mut self,
        key: impl FnOnce() -> EngineKey,
        diags: &mut Diagnostics,
        make: impl FnOnce(&mut Diagnostics) -> Option<Engine>,
    ) -> Option<Arc<Engine>> {
        let Reuse::Memory(c, _) = self else {
            return make(diags).map(Arc::new);
        };
        let key = key();
        if let Some((k, engine)) = &c.engine
            && k.same(&key)
        {
            return Some(engine.clone());
        }
        let mut d = Diagnostics::new();
        let engine = make(&mut d).map(Arc::new);
        c.engine = engine
            .as_ref()
            .filter(|_| d.is_empty())
            .map(|e| (key, e.clone()));
        diags.extend(d);
        engine
    }

    /// `routes_hash` of `plan`, for `globals_hash`: the last build's, when its plan is this
    /// very one (`vetrina serve` keeps the plan while the site's fingerprint is the same).
    /// None when nothing is taken from earlier builds: no fingerprint is needed.
    pub(super) fn routes_hash(&mut self, plan: &Arc<Plan>) -> Option<blake3::Hash> {
        let c = match self {
            Reuse::Nothing => return None,
            Reuse::Ledger(..) => return Some(routes_hash(plan)),
            Reuse::Memory(c, _) => c,
        };
        if let Some((p, h)) = &c.routes
            && Arc::ptr_eq(p, plan)
        {
            return Some(*h);
        }
        let h = routes_hash(plan);
        c.routes = Some((plan.clone(), h));
        Some(h)
    }

    /// Prepares the strategies for this build: `globals(with_routes)` is `globals_hash` of
    /// it, with the site's addresses or without. The ledger's key is without them: a page
    /// that looks an address up records them in its fingerprint (see `render`).
    /// `placements` makes each story's placement (`prints::placements`), which `vetrina
    /// serve` needs only when more than bodies changed (the ledger's prints hold them).
    /// `card_prints` gives the print of every card the stories show now
    /// (`prints::card_prints`), asked only when only what cards show changed.
    pub(super) fn begin(
        &mut self,
        globals: impl Fn(bool) -> blake3::Hash,
        pictures: &Pictures,
        placements: impl FnOnce() -> EntryPrints,
        card_prints: impl FnOnce() -> FxHashSet<u64>,
    ) -> Decisions<'_> {
        match self {
            Reuse::Nothing => Decisions::none(),
            Reuse::Ledger(l, prints) => {
                let mut key = blake3::Hasher::new();
                key.update(crate::fileio::program().unwrap_or_default().as_bytes())
                    .update(globals(false).as_bytes());
                l.start(key.finalize());
                // The shortcuts that take pages without their context (bodies only, stories
                // only) hold only while the site's addresses are the same: a template may
                // show any page's address (`url()`). The site's prints are recorded with
                // them.
                let addresses = globals(true);
                let with_addresses = |print: blake3::Hash| {
                    let mut h = blake3::Hasher::new();
                    h.update(with_pictures(print, pictures).as_bytes())
                        .update(addresses.as_bytes());
                    h.finalize()
                };
                let meta = with_addresses(prints.meta);
                let rest = with_addresses(prints.rest);
                // Without the addresses: a story's page that looked none up shows no
                // address, whatever stories were added or removed. Nor the stories'
                // pictures: those are in each story's front matter print.
                let rest_but_stories = with_pictures_but_stories(prints.rest_but_stories, pictures);
                fold_story_pictures(&mut prints.fronts, pictures);
                prints.meta_with_pictures = Some(meta);
                prints.rest_with_pictures = Some(rest);
                prints.rest_but_stories_with_pictures = Some(rest_but_stories);
                let ledger_bodies = l.changed_bodies(meta, &prints.bodies);
                let ledger_stories = (ledger_bodies.is_none())
                    .then(|| {
                        l.changed_stories(rest, rest_but_stories, &prints.fronts, &prints.bodies)
                    })
                    .flatten();
                // Only while the same stories are there with the same addresses: a story
                // added or removed moves cards on the lists.
                let ledger_cards = (ledger_stories.as_ref())
                    .filter(|changed| changed.same_stories)
                    .filter(|changed| l.same_placements(changed.keys.iter(), &prints.placements))
                    .map(|_| card_prints());
                let ledger_extras = ledger_bodies.as_ref().and_then(|_| l.untouched_extras());
                Decisions {
                    ledger_bodies,
                    ledger_extras,
                    ledger_stories,
                    ledger_cards,
                    ledger: Some(&**l),
                    ..Decisions::none()
                }
            }
            Reuse::Memory(c, prints) => {
                // The pages are kept under the globals without the site's addresses: a page
                // whose templates looked one up holds them in its fingerprint (`render`).
                let globals = globals(false);
                let previous = (c.globals == Some(globals)).then_some(&c.pages);
                prints.meta_with_pictures = Some(with_pictures(prints.meta, pictures));
                prints.rest_with_pictures = Some(with_pictures(prints.rest, pictures));
                // As the ledger: the stories' pictures in their own front matter's print.
                let rest_but_stories = with_pictures_but_stories(prints.rest_but_stories, pictures);
                fold_story_pictures(&mut prints.fronts, pictures);
                prints.rest_but_stories_with_pictures = Some(rest_but_stories);
                let changed_bodies = (previous.is_some() && c.meta == prints.meta_with_pictures)
                    .then(|| changed_entries(&c.bodies, &prints.bodies));
                if changed_bodies.is_none() {
                    prints.placements = placements();
                }
                let same_stories = c.rest == prints.rest_with_pictures;
                let changed_stories = (previous.is_some()
                    && changed_bodies.is_none()
                    && (same_stories || c.rest_but_stories == Some(rest_but_stories)))
                .then(|| changed_entries(&c.fronts, &prints.fronts))
                .filter(|fronts| fronts.iter().all(|(section, _)| *section == "stories"))
                .map(|fronts| {
                    let bodies = changed_entries(&c.bodies, &prints.bodies);
                    (fronts.into_iter().chain(bodies))
                        .filter(|(section, _)| *section == "stories")
                        .map(|(_, key)| key)
                        .collect()
                });
                // Only while every changed story keeps its placement: what its cards show
                // is all that changed of it on other pages.
                let changed_cards = (changed_stories.as_ref())
                    .filter(|_| same_stories)
                    .filter(|keys: &&HashSet<String>| {
                        keys.iter().all(|key| {
                            let k = ("stories", key.clone());
                            c.placements
                                .get(&k)
                                .is_some_and(|h| prints.placements.get(&k) == Some(h))
                        })
                    })
                    .map(|_| card_prints());
                prints.globals = Some(globals);
                prints.only_bodies = changed_bodies.is_some();
                Decisions {
                    previous,
                    changed_cards,
                    extras: changed_bodies
                        .as_ref()
                        .filter(|_| !c.extras.is_empty())
                        .map(|_| c.extras.as_slice()),
                    past_extras: (!c.extras.is_empty()).then_some(c.extras.as_slice()),
                    changed_bodies,
                    changed_stories,
                    same_stories,
                    ledger_bodies: None,
                    ledger_extras: None,
                    ledger_stories: None,
                    ledger_cards: None,
                    ledger: None,
                    keep_fingerprints: true,
                }
            }
        }
    }

    /// Keeps what this build did for the next one: the ledger's entries, or the pages and
    /// fingerprints in memory (only when the build has no error).
    pub(super) fn record(
        self,
        plan: &Plan,
        extras: &[Extra],
        results: Vec<(&Route, RecordedPage)>,
        counts: ReuseCounts,
        diags: &Diagnostics,
    ) {
        match self {
            Reuse::Nothing => {}
            Reuse::Ledger(l, prints) => {
                l.record(
                    results
                        .into_iter()
                        .filter_map(|(r, p)| Some((r.path.clone(), p.entry?)))
                        .collect(),
                );
                l.record_extras(extras);
                if let (Some(meta), Some(rest), Some(rest_but_stories), false) = (
                    prints.meta_with_pictures,
                    prints.rest_with_pictures,
                    prints.rest_but_stories_with_pictures,
                    diags.has_errors(),
                ) {
                    l.record_prints(RecordedPrints {
                        meta,
                        rest,
                        rest_but_stories,
                        bodies: prints.bodies,
                        fronts: prints.fronts,
                        placements: prints.placements,
                    });
                }
            }
            Reuse::Memory(c, prints) => {
                if diags.has_errors() {
                    return;
                }
                c.extras = extras.to_vec();
                c.reused = counts.reused;
                c.contexts_built = counts.contexts_built;
                if c.globals != prints.globals {
                    c.pages.clear();
                    c.globals = prints.globals;
                }
                let only_bodies = prints.only_bodies;
                c.meta = prints.meta_with_pictures;
                c.rest = prints.rest_with_pictures;
                c.rest_but_stories = prints.rest_but_stories_with_pictures;
                c.fronts = prints.fronts;
                c.bodies = prints.bodies;
                // A build of bodies only moved no story (the last placements hold) and
                // removed no page.
                if !only_bodies {
                    c.placements = prints.placements;
                    let live: HashSet<&str> = plan.routes.iter().map(|r| r.path.as_str()).collect();
                    c.pages.retain(|p, _| live.contains(p.as_str()));
                }
                for (route, p) in results {
                    if let Some(fingerprint) = p.fingerprint {
                        c.pages.insert(
                            route.path.clone(),
                            CachedPage {
                                fingerprint,
                                diags: p.diags,
                                cards: p.cards,
                                addresses: p.addresses,
                            },
                        );
                    }
                }
            }
        }
    }
}

/// What a rendered page leaves for the next build.
pub(super) struct RecordedPage {
    pub fingerprint: Option<blake3::Hash>,
    pub diags: Diagnostics,
    pub entry: Option<ledger::Entry>,
    /// The stories whose cards it shows (`ledger::card_key`).
    pub cards: Arc<[u64]>,
    /// Whether its templates looked an address up (`url()`).
    pub addresses: bool,
}

impl<'a> Decisions<'a> {
    fn none() -> Self {
        Decisions {
            previous: None,
            changed_bodies: None,
            changed_stories: None,
            same_stories: true,
            ledger_bodies: None,
            ledger_extras: None,
            ledger_stories: None,
            ledger_cards: None,
            changed_cards: None,
            extras: None,
            past_extras: None,
            ledger: None,
            keep_fingerprints: false,
        }
    }

    /// Bodies only: the last build's page for `route`, if its body is not one that changed.
    pub(super) fn unchanged_body(&self, route: &Route) -> Option<Page> {
        let changed = self.changed_bodies.as_ref()?;
        let cached = self.previous?.get(&route.path)?;
        (!shows_a_changed_body(&route.kind, changed)).then(|| Page::Reused(cached.diags.clone()))
    }

    /// Ledger, bodies only: the published page of `route`, if it shows no body that changed
    /// since the last `vetrina build` and its file is as that build left it. Its context is
    /// not built; its bytes are not read (the search index reads them from the output).
    pub(super) fn untouched_on_disk(&self, route: &Route) -> Option<Page> {
        let changed = self.ledger_bodies.as_ref()?;
        if shows_a_changed_body(&route.kind, changed) {
            return None;
        }
        let entry = self.ledger?.untouched(&route.path, route.file())?;
        Some(Page::Kept(Arc::new(Vec::new()), entry))
    }

    /// Ledger, stories only: the published page of `route`, if it is the page of a story
    /// whose texts did not change since the last `vetrina build` (when nothing but stories'
    /// texts did, and stories were added or removed) and its file is as that build left
    /// it. Such a page shows no other story (see `unchanged_story`): its context is not
    /// built, its bytes not read. A page whose templates looked an address up (`url()`) is
    /// taken so only while the site's addresses are the same (the same stories).
    pub(super) fn untouched_story_on_disk(&self, route: &Route) -> Option<Page> {
        let changed = self.ledger_stories.as_ref()?;
        let Kind::Story(key) = &route.kind else {
            return None;
        };
        if changed.keys.contains(key) {
            return None;
        }
        let entry = self.ledger?.untouched(&route.path, route.file())?;
        (changed.same_stories || !entry.addresses).then(|| Page::Kept(Arc::new(Vec::new()), entry))
    }

    /// Ledger, cards only: the published page of `route`, if it is not a story's, each card
    /// it showed is one the stories show now (when only what stories' cards show changed
    /// since the last `vetrina build`: a card of a language whose front matter was not
    /// edited is the same), and its file is as that build left it. Only a card shows a
    /// story's title and summary on another page (`views::story_card`, which records it):
    /// its context is not built, its bytes not read.
    pub(super) fn untouched_with_the_same_cards(&self, route: &Route) -> Option<Page> {
        let now = self.ledger_cards.as_ref()?;
        if matches!(route.kind, Kind::Story(_)) {
            return None;
        }
        let entry = self.ledger?.untouched(&route.path, route.file())?;
        if !entry.cards.iter().all(|k| now.contains(k)) {
            return None;
        }
        Some(Page::Kept(Arc::new(Vec::new()), entry))
    }

    /// Cards only: the last build's page for `route`, if it is not a story's and each card
    /// it showed is one the stories show now (when only what stories' cards show changed).
    /// Only a card shows a story's title and summary on another page (`views::story_card`,
    /// which records it): its context is not built.
    pub(super) fn unchanged_with_the_same_cards(&self, route: &Route) -> Option<Page> {
        let now = self.changed_cards.as_ref()?;
        if matches!(route.kind, Kind::Story(_)) {
            return None;
        }
        let cached = self.previous?.get(&route.path)?;
        if !cached.cards.iter().all(|k| now.contains(k)) {
            return None;
        }
        Some(Page::Reused(cached.diags.clone()))
    }

    /// Stories only: the last build's page for `route`, if it is the page of a story that
    /// did not change. A story's page shows that story's texts, its project's title and
    /// what every page shows (strings, addresses: the globals), never another story. When
    /// stories were added or removed, a page whose templates looked an address up is not
    /// taken.
    pub(super) fn unchanged_story(&self, route: &Route) -> Option<Page> {
        let changed = self.changed_stories.as_ref()?;
        let Kind::Story(key) = &route.kind else {
            return None;
        };
        if changed.contains(key) {
            return None;
        }
        let cached = self.previous?.get(&route.path)?;
        (self.same_stories || !cached.addresses).then(|| Page::Reused(cached.diags.clone()))
    }

    /// Same context: the last build's page for `route`, if it was made from a context with
    /// this `fingerprint` (`with_addresses`: the same with the site's addresses, for a page
    /// whose templates looked one up).
    pub(super) fn same_context(
        &self,
        route: &Route,
        fingerprint: &blake3::Hash,
        with_addresses: &blake3::Hash,
    ) -> Option<Page> {
        let cached = self.previous?.get(&route.path)?;
        let wanted = if cached.addresses {
            with_addresses
        } else {
            fingerprint
        };
        (cached.fingerprint == *wanted).then(|| Page::SameContext(cached.diags.clone()))
    }

    /// Whether pages need a fingerprint of their context (for the ledger).
    pub(super) fn wants_fingerprint(&self) -> bool {
        self.ledger.is_some()
    }

    /// Whether the fingerprints of rendered pages' contexts are kept for the next build.
    pub(super) fn keeps_fingerprints(&self) -> bool {
        self.keep_fingerprints
    }

    /// Ledger: the published page of `route`, if the last build made it from a context with
    /// this `fingerprint` and the output still holds it. Its bytes are read only when
    /// `want_bytes` (a build that streams its pages has no use for them).
    pub(super) fn on_disk(
        &self,
        route: &Route,
        fingerprint: &blake3::Hash,
        with_addresses: &blake3::Hash,
        want_bytes: bool,
    ) -> Option<Page> {
        let (bytes, entry) =
            (self.ledger?).kept(&route.path, route.file(), [fingerprint, with_addresses])?;
        let bytes = if want_bytes {
            Arc::new(bytes)
        } else {
            Arc::new(Vec::new())
        };
        Some(Page::Kept(bytes, entry))
    }

    /// The feeds, calendars, sitemap, open data and editor's files of the last build, when
    /// only bodies changed (they show none): from memory (`vetrina serve`), or left in the
    /// output as they are (`vetrina build`, without bytes).
    pub(super) fn unchanged_extras(&self) -> Option<Vec<Extra>> {
        let kept = |x: &Extra| Extra {
            kept: true,
            ..x.clone()
        };
        (self.extras.map(|x| x.iter().map(kept).collect())).or_else(|| self.ledger_extras.clone())
    }
}

/// Cards only (`ledger_cards`, `changed_cards`): a file of the last build's beside the pages
/// is kept when every card it showed is among the site's now, and, from the ledger, when
/// its file is as that build left it. A file that shows no card is kept whatever changed:
/// what changed is only what cards show (see `extras`).
impl KeptExtras for Decisions<'_> {
    fn kept_job(&self, job: Job) -> Option<Vec<Extra>> {
        let past = match (self.ledger, &self.ledger_cards, self.past_extras) {
            (Some(l), Some(_), _) if !l.past_extras().is_empty() => l.past_extras(),
            (None, _, Some(past)) if self.changed_cards.is_some() => past,
            _ => return None,
        };
        (past.iter())
            .filter(|x| x.job == job)
            .map(|x| self.kept_file(&x.path))
            .collect()
    }

    fn kept_file(&self, path: &str) -> Option<Extra> {
        let shown = |x: &Extra, cards: &FxHashSet<u64>| x.cards.iter().all(|c| cards.contains(c));
        if let (Some(l), Some(cards)) = (self.ledger, &self.ledger_cards) {
            let x = l.past_extras().iter().find(|x| x.path == path)?;
            return (shown(x, cards) && l.is_untouched(path)).then(|| x.clone());
        }
        let (past, cards) = (self.past_extras?, self.changed_cards.as_ref()?);
        let x = past.iter().find(|x| x.path == path)?;
        shown(x, cards).then(|| Extra {
            kept: true,
            ..x.clone()
        })
    }
}

/// The entries whose prints (bodies, or front matter) differ between two builds.
fn changed_entries(before: &EntryPrints, now: &EntryPrints) -> HashSet<(&'static str, String)> {
    now.iter()
        .filter(|(k, h)| before.get(*k) != Some(*h))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Whether a page of this kind shows one of the `changed` bodies (a few: looked through).
fn shows_a_changed_body(kind: &Kind, changed: &HashSet<(&'static str, String)>) -> bool {
    body_of(kind).is_some_and(|(s, k)| changed.iter().any(|(cs, ck)| *cs == s && ck == k))
}

/// The entry whose Markdown body a route shows, if any: (section, key).
fn body_of(kind: &Kind) -> Option<(&'static str, &str)> {
    match kind {
        Kind::Home => Some(("home", "home")),
        Kind::Project(k) => Some(("projects", k)),
        Kind::Story(k) => Some(("stories", k)),
        Kind::News(k) => Some(("news", k)),
        Kind::Page(k) => Some(("pages", k)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
