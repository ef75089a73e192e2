//! Atom feeds (RFC 4287): per language, per region and per project; and the sitemap with its
//! hreflang alternates, and robots.txt.
//!
//! Entry ids are tag URIs built from the entity's kind and key, so they survive a change of
//! address; `updated` comes from the content's dates, never from the clock, so the same
//! sources give byte-identical feeds. Fallback pages (shown in another language) are left
//! out of the sitemap: they are not translations, and search engines should not index
//! duplicates of the original.

use std::collections::BTreeMap;
use std::fmt::Write;

use jiff::civil::Date;
use rayon::prelude::*;

use std::sync::Arc;

use super::Bytes;
use crate::model::Site;
use crate::model::schema::{NewsFm, StoryFm};
use crate::model::{Entity, Event};
use crate::plan::{FileKind, Kind, PageKind, Plan, Scope, file_of};

/// The print of the card of a story made from one of its documents
/// (`prints::card_print`): what a feed records of each story it shows.
pub(crate) type StoryPrint<'p> =
    dyn Fn(&Entity<StoryFm>, &crate::model::Doc<StoryFm>) -> u64 + Sync + 'p;

/// At most this many entries per feed: the newest.
const FEED_ENTRIES: usize = 50;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_URLS: usize = 50_000;

/// Escapes text for XML content and attribute values. Characters XML 1.0 does not allow
/// (C0 controls but tab and line feed, U+FFFE, U+FFFF) and the ones it discourages (DEL, C1)
/// are left out, and a carriage return becomes a line feed (as an XML reader would read it),
/// so that feeds and the sitemap hold no control character whatever the sources hold.
pub fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    o.push('\n');
                }
            }
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() && !matches!(c, '\t' | '\n') => {}
            c => o.push(c),
        }
    }
    o
}

fn rfc3339(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

struct Entry {
    id: String,
    title: String,
    url: String,
    published: Date,
    updated: Date,
    summary: String,
    lang: String,
}

fn story_in(s: &Entity<StoryFm>, site: &Site, scope: &Scope) -> bool {
    let fm = &s.source(&site.langs).fm;
    match scope {
        Scope::All => true,
        Scope::Region(r) => fm.region.value == *r,
        Scope::Project(p) => fm.project.value == *p,
        Scope::Event(_) => false,
    }
}

fn news_in(n: &Entity<NewsFm>, site: &Site, scope: &Scope) -> bool {
    let fm = &n.source(&site.langs).fm;
    match scope {
        Scope::All => true,
        Scope::Region(r) => fm.regions.iter().any(|x| x.value == *r),
        Scope::Project(p) => fm.projects.iter().any(|x| x.value == *p),
        Scope::Event(_) => false,
    }
}

fn event_in(e: &Event, scope: &Scope) -> bool {
    match scope {
        Scope::All => true,
        Scope::Region(r) => e.data.regions.iter().any(|x| x.value == *r),
        Scope::Project(p) => e.data.projects.iter().any(|x| x.value == *p),
        Scope::Event(id) => e.id() == *id,
    }
}

/// An entry's id in a feed (`tag:host,year:kind/key`, RFC 4151) by its parts, which
/// order entries as their ids would: the year as its decimal text, then the kind and key.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct IdParts<'s> {
    year: YearText,
    kind: &'static str,
    key: &'s str,
}

impl<'s> IdParts<'s> {
    fn new(year: i16, kind: &'static str, key: &'s str) -> Self {
        IdParts {
            year: YearText::of(year),
            kind,
            key,
        }
    }

    fn id(&self, host: &str) -> String {
        format!(
            "tag:{host},{}:{}/{}",
            self.year.as_str(),
            self.kind,
            self.key
        )
    }
}

/// A year as `format!` writes it (a sign, at most five digits) and the `:` that follows it
/// in an id, kept on the stack: compared with the `:`, as in the id ("202:" after "2025").
#[derive(PartialEq, Eq)]
struct YearText {
    bytes: [u8; 7],
    len: u8,
}

impl YearText {
    fn of(year: i16) -> Self {
        let mut bytes = [0u8; 7];
        let mut w = &mut bytes[..];
        let _ = std::io::Write::write_fmt(&mut w, format_args!("{year}:"));
        let len = 7 - w.len() as u8;
        YearText { bytes, len }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The year alone.
    fn as_str(&self) -> &str {
        let year = self.as_bytes().strip_suffix(b":").unwrap_or_default();
        std::str::from_utf8(year).unwrap_or_default()
    }
}

impl PartialOrd for YearText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for YearText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

/// An Atom feed in `lang` of the news, stories and events in `scope`, and the print of
/// each story's card it shows (`print`), sorted: a story's title and summary are in it.
#[allow(clippy::too_many_arguments)]
pub fn atom(
    site: &Site,
    plan: &Plan,
    lang: &str,
    scope: &Scope,
    title: &str,
    self_path: &str,
    page_path: &str,
    print: &StoryPrint,
) -> (Vec<u8>, Vec<u64>) {
    let host = site.host();
    let base = &site.base_url;
    let dl = site.default_lang();
    let abs =
        |kind: PageKind, key: &str| format!("{base}{}", plan.path(kind, key, lang).unwrap_or("/"));
    // First only what decides an entry's place (the newest first, then by id), then the
    // entries themselves for the newest `FEED_ENTRIES`: at 10,000 stories a feed weighs
    // some thousands of candidates for its fifty entries.
    enum Of<'s> {
        Story(&'s crate::model::Doc<StoryFm>, &'s Entity<StoryFm>),
        News(&'s crate::model::Doc<NewsFm>, &'s str),
        Event(&'s Event),
    }
    // Each entry's place: its date, then its id (`tag:host,year:kind/key`), compared by the
    // parts the id is made of, so that an id is written only for the entries kept.
    let mut candidates: Vec<(Date, IdParts, Of)> = Vec::new();
    for s in site.stories.iter().filter(|s| story_in(s, site, scope)) {
        let (d, _) = s.doc(lang, &site.langs);
        let id = IdParts::new(d.fm.date.year(), "story", &s.key);
        candidates.push((d.fm.updated.unwrap_or(d.fm.date), id, Of::Story(d, s)));
    }
    for n in site.news.iter().filter(|n| news_in(n, site, scope)) {
        let (d, _) = n.doc(lang, &site.langs);
        let id = IdParts::new(d.fm.date.year(), "news", &n.key);
        // A news item known only to the month: the month's first day (RFC 3339).
        let updated = d.fm.updated.unwrap_or(d.fm.date.first_day());
        candidates.push((updated, id, Of::News(d, &n.key)));
    }
    for e in site.events.iter().filter(|e| event_in(e, scope)) {
        let when = e.start.date();
        let id = IdParts::new(when.year(), "event", e.id());
        candidates.push((e.data.updated.unwrap_or(when), id, Of::Event(e)));
    }
    let order =
        |a: &(Date, IdParts, Of), b: &(Date, IdParts, Of)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if candidates.len() > FEED_ENTRIES {
        candidates.select_nth_unstable_by(FEED_ENTRIES - 1, order);
        candidates.truncate(FEED_ENTRIES);
    }
    candidates.sort_by(order);
    let mut cards: Vec<u64> = (candidates.iter())
        .filter_map(|(_, _, of)| match of {
            Of::Story(d, s) => Some(print(s, d)),
            _ => None,
        })
        .collect();
    cards.sort_unstable();
    cards.dedup();
    let entries: Vec<Entry> = (candidates.into_iter())
        .map(|(updated, id, of)| (updated, id.id(host), of))
        .map(|(updated, id, of)| match of {
            Of::Story(d, s) => Entry {
                id,
                title: d.fm.title.clone(),
                url: abs(PageKind::Story, &s.key),
                published: d.fm.date,
                updated,
                summary: d.fm.summary.clone(),
                lang: d.lang.clone(),
            },
            Of::News(d, key) => Entry {
                id,
                title: d.fm.title.clone(),
                url: abs(PageKind::News, key),
                published: d.fm.date.first_day(),
                updated,
                summary: d.fm.summary.clone(),
                lang: d.lang.clone(),
            },
            Of::Event(e) => {
                let d = &e.data;
                let when = e.start.date();
                Entry {
                    id,
                    title: d.title.get(lang, dl).to_string(),
                    url: abs(PageKind::Event, e.id()),
                    published: d.updated.unwrap_or(when).min(when),
                    updated,
                    summary: d
                        .summary
                        .as_ref()
                        .map(|s| s.get(lang, dl).to_string())
                        .unwrap_or_default(),
                    lang: if d.title.has(lang) {
                        lang.to_string()
                    } else {
                        dl.to_string()
                    },
                }
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(jiff::civil::date(2000, 1, 1));
    let author = site
        .config
        .publisher
        .as_ref()
        .and_then(|p| site.orgs.get(&p.value))
        .map(|o| o.name.clone())
        .unwrap_or_else(|| site.config.title.get(lang, dl).to_string());
    let scope_id = match scope {
        Scope::All => String::new(),
        Scope::Region(r) => format!("/region/{r}"),
        Scope::Project(p) => format!("/project/{p}"),
        Scope::Event(id) => format!("/event/{id}"),
    };
    let mut o = String::new();
    let _ = writeln!(o, r#"<?xml version="1.0" encoding="utf-8"?>"#);
    let _ = writeln!(
        o,
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{}">"#,
        xml(lang)
    );
    let _ = writeln!(
        o,
        "  <id>{}</id>",
        xml(&format!("tag:{host},2020:feed/{lang}{scope_id}"))
    );
    let _ = writeln!(o, "  <title>{}</title>", xml(title));
    let _ = writeln!(
        o,
        r#"  <link rel="self" type="application/atom+xml" href="{}{}"/>"#,
        xml(base),
        xml(self_path)
    );
    let _ = writeln!(
        o,
        r#"  <link rel="alternate" type="text/html" href="{}{}"/>"#,
        xml(base),
        xml(page_path)
    );
    let _ = writeln!(o, "  <updated>{}</updated>", rfc3339(updated));
    let _ = writeln!(o, "  <author><name>{}</name></author>", xml(&author));
    for e in &entries {
        let _ = writeln!(o, r#"  <entry xml:lang="{}">"#, xml(&e.lang));
        let _ = writeln!(o, "    <id>{}</id>", xml(&e.id));
        let _ = writeln!(o, "    <title>{}</title>", xml(&e.title));
        let _ = writeln!(
            o,
            r#"    <link rel="alternate" type="text/html" href="{}"/>"#,
            xml(&e.url)
        );
        let _ = writeln!(o, "    <published>{}</published>", rfc3339(e.published));
        let _ = writeln!(o, "    <updated>{}</updated>", rfc3339(e.updated));
        if !e.summary.is_empty() {
            let _ = writeln!(
                o,
                r#"    <summary type="text">{}</summary>"#,
                xml(&e.summary)
            );
        }
        let _ = writeln!(o, "  </entry>");
    }
    o.push_str("</feed>\n");
    (o.into_bytes(), cards)
}

/// The sitemap (split into an index and parts past 50,000 addresses) and robots.txt.
pub fn sitemap(site: &Site, plan: &Plan) -> Vec<(String, Vec<u8>)> {
    // Group the real (non-fallback) pages of each entity or list across languages.
    let mut groups: BTreeMap<(&'static str, String), Vec<(&str, &str)>> = BTreeMap::new();
    for r in &plan.routes {
        if r.fallback || matches!(r.kind, Kind::NotFound | Kind::Search) {
            continue;
        }
        let key = match &r.kind {
            Kind::StoryList(n) => n.to_string(),
            k => k.key().to_string(),
        };
        groups
            .entry((r.kind.name(), key))
            .or_default()
            .push((r.lang.as_str(), r.path.as_str()));
    }
    let base = &site.base_url;
    let dl = site.default_lang();
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
    // Every entry written into one text after the head, each address escaped once; `ends`
    // marks where each entry ends, for a site that needs several files.
    let host = xml(base);
    let mut text = String::with_capacity(head.len() + plan.routes.len() * 700);
    text.push_str(head);
    let mut ends: Vec<usize> = Vec::new();
    for pages in groups.values() {
        let pages: Vec<(&str, String)> = pages.iter().map(|(l, p)| (*l, xml(p))).collect();
        let default = pages.iter().find(|(l, _)| *l == dl);
        for (_, path) in &pages {
            for piece in ["  <url>\n    <loc>", &host, path, "</loc>\n"] {
                text.push_str(piece);
            }
            if pages.len() > 1 {
                let alternates = pages
                    .iter()
                    .map(|(l, p)| (*l, p))
                    .chain(default.map(|(_, p)| ("x-default", p)));
                for (l, p) in alternates {
                    for piece in [
                        r#"    <xhtml:link rel="alternate" hreflang=""#,
                        l,
                        r#"" href=""#,
                        &host,
                        p,
                        "\"/>\n",
                    ] {
                        text.push_str(piece);
                    }
                }
            }
            text.push_str("  </url>\n");
            ends.push(text.len());
        }
    }
    let path = |file: FileKind| plan.file_path(file, dl).unwrap_or_default();
    let mut files = sitemap_files(head, text, &ends, &host, SITEMAP_URLS, &path);
    files.push((
        file_of(&path(FileKind::Robots)),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {base}{}\n",
            path(FileKind::Sitemap)
        )
        .into_bytes(),
    ));
    files
}

/// The sitemap's files: `text` (the head, then every entry, each ending where `ends` says)
/// as one `sitemap.xml`, or, past `limit` entries, as files of `limit` entries listed by a
/// `sitemap.xml` index (the protocol allows 50,000 addresses a file). `path` gives the
/// files' root-relative paths (the plan's).
fn sitemap_files(
    head: &str,
    mut text: String,
    ends: &[usize],
    host: &str,
    limit: usize,
    path: &dyn Fn(FileKind) -> String,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let sitemap = path(FileKind::Sitemap);
    if ends.len() <= limit {
        text.push_str("</urlset>\n");
        files.push((file_of(&sitemap), text.into_bytes()));
        return files;
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut from = head.len();
    for (i, chunk) in ends.chunks(limit).enumerate() {
        let part = path(FileKind::SitemapPart(i + 1));
        let _ = writeln!(index, "  <sitemap><loc>{host}{part}</loc></sitemap>");
        let to = chunk.last().copied().unwrap_or(from);
        files.push((
            file_of(&part),
            format!("{head}{}</urlset>\n", &text[from..to]).into_bytes(),
        ));
        from = to;
    }
    index.push_str("</sitemapindex>\n");
    files.push((file_of(&sitemap), index.into_bytes()));
    files
}

/// The Atom feeds of every language: the whole site, each region, each project, where the
/// plan puts them; each with the prints of the story cards it shows (see [`atom`]). A feed
/// whose path `skip` takes is not made (the caller keeps the last build's).
pub(crate) fn atom_feeds(
    site: &Site,
    plan: &Plan,
    print: &StoryPrint,
    skip: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<(String, Bytes, Vec<u64>)> {
    let dl = site.default_lang();
    // A feed per language and region or project: made on whichever thread is free.
    (plan.feeds_and_calendars())
        .par_iter()
        .filter_map(|file| {
            let FileKind::Feed(scope) = file.kind else {
                return None;
            };
            let l = file.lang;
            let site_name = site.config.title.get(l, dl);
            let (page, title) = match scope {
                Scope::All => (plan.path(PageKind::Home, "", l), site_name.to_string()),
                Scope::Region(key) => (
                    plan.path(PageKind::Region, key, l),
                    format!(
                        "{} — {site_name}",
                        crate::model::regions::Region::get(key)?.name(l)
                    ),
                ),
                Scope::Project(key) => (
                    plan.path(PageKind::Project, key, l),
                    format!(
                        "{} — {site_name}",
                        site.project(key)?.doc(l, &site.langs).0.fm.title
                    ),
                ),
                Scope::Event(_) => return None,
            };
            let path = file_of(&file.path);
            if skip(&path) {
                return None;
            }
            let (bytes, cards) = atom(site, plan, l, &scope, &title, &file.path, page?, print);
            Some((path, Arc::new(bytes), cards))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_ordered_by_the_parts_of_their_ids_as_by_the_ids() {
        let parts = [
            (2025, "story", "b"),
            (2025, "story", "a-b"),
            (2025, "story", "a"),
            (2025, "news", "z"),
            (2025, "event", "2025-03-01-x"),
            (2026, "story", "a"),
            (202, "story", "a"),
            (999, "news", "a"),
            (-45, "event", "x"),
            (10000, "story", "a"),
        ];
        let mut by_parts: Vec<IdParts> = (parts.iter())
            .map(|(y, kind, key)| IdParts::new(*y, kind, key))
            .collect();
        by_parts.sort();
        let by_parts: Vec<String> = by_parts.iter().map(|p| p.id("example.org")).collect();
        let mut by_ids: Vec<String> = (parts.iter())
            .map(|(y, kind, key)| format!("tag:example.org,{y}:{kind}/{key}"))
            .collect();
        by_ids.sort();
        assert_eq!(by_parts, by_ids);
    }

    #[test]
    fn a_long_sitemap_is_cut_into_files_listed_by_an_index() {
        let head = "<urlset>\n";
        let mut text = head.to_string();
        let mut ends = Vec::new();
        for n in 1..=5 {
            text.push_str(&format!("  <url><loc>https://x.org/{n}/</loc></url>\n"));
            ends.push(text.len());
        }
        let plan = Plan::default();
        let path = |file: FileKind| plan.file_path(file, "it").unwrap_or_default();
        let one = sitemap_files(head, text.clone(), &ends, "https://x.org", 5, &path);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert!(String::from_utf8_lossy(&one[0].1).ends_with("/5/</loc></url>\n</urlset>\n"));

        let files = sitemap_files(head, text, &ends, "https://x.org", 2, &path);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let body = |i: usize| String::from_utf8_lossy(&files[i].1).to_string();
        assert_eq!(
            body(0),
            "<urlset>\n  <url><loc>https://x.org/1/</loc></url>\n  <url><loc>https://x.org/2/</loc></url>\n</urlset>\n"
        );
        assert_eq!(
            body(2),
            "<urlset>\n  <url><loc>https://x.org/5/</loc></url>\n</urlset>\n"
        );
        assert!(body(3).contains("<loc>https://x.org/sitemap-3.xml</loc>"));
        assert_eq!(body(3).matches("<sitemap>").count(), 3);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            xml("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(
            xml("a\r\nb\rc\u{0}\u{1b}\u{b}\u{7f}\u{85}\u{9f}\u{fffe}\u{ffff}d\te"),
            "a\nb\ncd\te"
        );
    }
}
