//! The search index: Pagefind, used as a library. The rendered pages are indexed in memory
//! during the build and Pagefind's files (one index per language, chosen by the browser from
//! the page's `<html lang>`) are published under `/pagefind/`. `vetrina build` hands the
//! pages over as files it has just staged; `vetrina serve` from memory.
//!
//! Only pages that carry content of their own are indexed: project sheets, stories, news,
//! pages, events and region hubs, in the languages they are written in. Pages that show
//! another language's text (fallbacks) are left out, and so are lists, the home page and the
//! 404 page. Stories taken down for consent never reach the renderer, so never the index.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::plan::{Kind, Route};

/// A file of the index: (path in the output, bytes).
pub type GeneratedFile = (String, Vec<u8>);
/// The pages of one language: (route, rendered HTML).
type LangPages<'a> = (String, Vec<(&'a Route, Page<'a>)>);

/// A rendered page to index: in memory, or already on disk (a build puts its pages there
/// and lets go of them before indexing, to need less memory).
pub enum Page<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
}

impl Page<'_> {
    fn read(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        match self {
            Page::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Page::File(p) => std::fs::read(p)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| format!("cannot read {} back: {e}", p.display())),
        }
    }
}

/// The error of an index given up because a newer build made it out of date.
pub const CANCELLED: &str = "cancelled";

/// The folder of the search files in the output.
pub const SEARCH_DIR: &str = "pagefind";

/// What the index holds, for the build report and the tests.
#[derive(Debug, Default, Clone)]
pub struct SearchStats {
    /// Pages indexed per language, in the order first met.
    pub pages: Vec<(String, usize)>,
    /// The address of every indexed page.
    pub urls: Vec<String>,
    /// Time spent indexing and writing the index out, in memory.
    pub elapsed: Duration,
    /// The languages whose index was taken from the cache folder: the same pages as when it
    /// was built.
    pub reused: Vec<String>,
}

/// Whether a route's page goes into the search index.
pub fn indexed(route: &Route) -> bool {
    !route.fallback
        && matches!(
            route.kind,
            Kind::Project(_)
                | Kind::Story(_)
                | Kind::News(_)
                | Kind::Page(_)
                | Kind::Event(_)
                | Kind::Region(_)
        )
}

/// Indexes `pages` (route, rendered HTML) and returns Pagefind's files, as (path in the
/// output, bytes), sorted by path.
///
/// Pagefind indexes one page at a time, so each language gets an index of its own, built on
/// a thread of its own; their file sets are disjoint except for the shared script and entry file, whose
/// language lists are merged.
///
/// With a `cache` folder, each language's files are kept there with a fingerprint of what
/// Pagefind was given (and of the program); a language whose pages are all the same as then
/// is not indexed again. A one-story edit re-indexes one language, not four.
pub fn index<'a>(
    pages: impl Iterator<Item = (&'a Route, Page<'a>)>,
    cache: Option<&Path>,
    cancelled: &(dyn Fn() -> bool + Sync),
    background: bool,
) -> Result<(Vec<GeneratedFile>, SearchStats), String> {
    let started = Instant::now();
    let mut stats = SearchStats::default();
    let mut by_lang: Vec<LangPages> = Vec::new();
    for (route, html) in pages {
        match by_lang.iter_mut().find(|(l, _)| *l == route.lang) {
            Some((_, list)) => list.push((route, html)),
            None => by_lang.push((route.lang.clone(), vec![(route, html)])),
        }
        stats.urls.push(route.path.clone());
    }
    stats.pages = by_lang.iter().map(|(l, p)| (l.clone(), p.len())).collect();
    // Threads of their own, not rayon's pool: in `vetrina serve` the index is built while
    // the next edit's pages render, which must not wait for a whole language's index. No more
    // languages at once than there are cores: Pagefind holds a language's whole index in
    // memory until it is written out, and more threads than cores would only add to that.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(by_lang.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    type Slot = std::sync::Mutex<Option<Result<(Vec<GeneratedFile>, bool), String>>>;
    let slots: Vec<Slot> = by_lang.iter().map(|_| Default::default()).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((lang, pages)) = by_lang.get(i) else {
                        break;
                    };
                    // A fault in Pagefind fails the build with a message, never a panic.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let Some(dir) = cache else {
                            return index_one(pages, cancelled, background, indexed_part)
                                .map(|f| (f, false));
                        };
                        let kept = Kept::new(dir, lang, pages, indexed_part)?;
                        if let Some(files) = kept.read() {
                            return Ok((files, true));
                        }
                        let files = index_one(pages, cancelled, background, indexed_part)?;
                        // The cache only saves time: a build does not fail for it.
                        let _ = kept.write(&files);
                        Ok((files, false))
                    }))
                    .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".into()));
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    let per_lang = slots.into_iter().map(|slot| {
        slot.into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(|| Err("the search indexer stopped unexpectedly".into()))
    });
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
    let mut entry: Option<serde_json::Value> = None;
    for ((lang, _), set) in by_lang.iter().zip(per_lang) {
        let (set, reused) = set?;
        if reused {
            stats.reused.push(lang.clone());
        }
        for (name, bytes) in set {
            if name == "pagefind-entry.json" {
                let e: serde_json::Value = serde_json::from_slice(&bytes)
                    .map_err(|e| format!("unreadable pagefind-entry.json: {e}"))?;
                match &mut entry {
                    None => entry = Some(e),
                    Some(all) => {
                        if let (Some(to), Some(from)) = (
                            all.get_mut("languages").and_then(|v| v.as_object_mut()),
                            e.get("languages").and_then(|v| v.as_object()),
                        ) {
                            to.extend(from.clone());
                        }
                    }
                }
            } else if published(&name) {
                files.insert(format!("{SEARCH_DIR}/{name}"), bytes);
            }
        }
    }
    if let Some(e) = entry {
        // serde_json's maps keep their keys sorted: the merged file does not depend on the
        // order in which the languages were indexed.
        files.insert(
            format!("{SEARCH_DIR}/pagefind-entry.json"),
            e.to_string().into_bytes(),
        );
    }
    stats.elapsed = started.elapsed();
    Ok((files.into_iter().collect(), stats))
}

/// One language's index: Pagefind's files, by name within the bundle folder.
///
/// Pagefind does its work on threads of the async runtime's blocking pool and, when it builds
/// the index, on rayon's pool. In the background every one of those threads runs at the
/// lowest priority, and rayon's is a pool of its own, not the one the pages render on.
fn index_one(
    pages: &[(&Route, Page)],
    cancelled: &(dyn Fn() -> bool + Sync),
    background: bool,
    prepare: fn(&[u8]) -> String,
) -> Result<Vec<GeneratedFile>, String> {
    let mut runtime = tokio::runtime::Builder::new_current_thread();
    if background {
        lowest_priority();
        runtime.on_thread_start(lowest_priority);
    }
    let runtime = runtime
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    let pool = if background {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .start_handler(|_| lowest_priority())
            .build()
            .map_err(|e| format!("cannot start the search indexer: {e}"))?;
        Some(pool)
    } else {
        None
    };
    let work = || {
        runtime.block_on(async {
            let config = PagefindServiceConfig::builder().build();
            let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
            for (route, html) in pages {
                if cancelled() {
                    return Err(CANCELLED.to_string());
                }
                let html = prepare(&html.read()?);
                index
                    .add_html_file(None, Some(route.path.clone()), html)
                    .await
                    .map_err(|e| format!("cannot index {}: {e}", route.path))?;
            }
            index.get_files().await.map_err(|e| e.to_string())
        })
    };
    let files = match &pool {
        Some(p) => p.install(work),
        None => work(),
    }?;
    Ok(files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .collect())
}

/// A language's index as kept in the cache folder: `search/<lang>.bin`, holding the
/// fingerprint of what it was built from, the hash of the rest, then each file as (name
/// length, name, length, bytes), lengths as little-endian u64. A file that is cut short or
/// altered does not match its hash and is not used. One file per language, rewritten only when that
/// language's pages change.
struct Kept {
    file: PathBuf,
    key: blake3::Hash,
}

const KEPT_MAGIC: &[u8] = b"vetrina search index 1\n";

impl Kept {
    fn new(
        dir: &Path,
        lang: &str,
        pages: &[(&Route, Page)],
        prepare: fn(&[u8]) -> String,
    ) -> Result<Kept, String> {
        let safe: String = lang
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut h = blake3::Hasher::new();
        h.update(KEPT_MAGIC);
        // A new build of Vetrina (another Pagefind, other pages) never reads an old index.
        h.update(crate::stamp::program().unwrap_or_default().as_bytes());
        h.update(lang.as_bytes()).update(&[0]);
        for (route, html) in pages {
            let text = prepare(&html.read()?);
            h.update(&(route.path.len() as u64).to_le_bytes())
                .update(route.path.as_bytes())
                .update(&(text.len() as u64).to_le_bytes())
                .update(text.as_bytes());
        }
        Ok(Kept {
            file: dir.join("search").join(format!("{safe}.bin")),
            key: h.finalize(),
        })
    }

    /// The kept files, if they were built from the same pages.
    fn read(&self) -> Option<Vec<GeneratedFile>> {
        let (key, body) = crate::write::read_sealed(&self.file, KEPT_MAGIC)?;
        if key != self.key {
            return None;
        }
        let mut rest = &body[..];
        fn take(b: &[u8]) -> Option<(&[u8], &[u8])> {
            let (n, b) = b.split_at_checked(8)?;
            let n = usize::try_from(u64::from_le_bytes(n.try_into().ok()?)).ok()?;
            b.split_at_checked(n)
        }
        let mut files = Vec::new();
        while !rest.is_empty() {
            let (name, r) = take(rest)?;
            let (data, r) = take(r)?;
            files.push((String::from_utf8(name.to_vec()).ok()?, data.to_vec()));
            rest = r;
        }
        Some(files)
    }

    /// Keeps `files` for the next build (written beside, then renamed into place).
    fn write(&self, files: &[GeneratedFile]) -> std::io::Result<()> {
        let size: usize = files.iter().map(|(n, d)| 16 + n.len() + d.len()).sum();
        let mut buf = Vec::with_capacity(size);
        for (name, data) in files {
            buf.extend_from_slice(&(name.len() as u64).to_le_bytes());
            buf.extend_from_slice(name.as_bytes());
            buf.extend_from_slice(&(data.len() as u64).to_le_bytes());
            buf.extend_from_slice(data);
        }
        crate::write::write_sealed(&self.file, KEPT_MAGIC, &self.key, &buf)
    }
}

/// What Pagefind needs of a page: its `<html …>` tag (the language) and the element marked
/// `data-pagefind-body`, which holds everything that is indexed, the `<h1>` that titles the
/// result included. The header, menus, EU band and footer are left out before Pagefind
/// parses the page (they are most of its bytes); the index is the same. A page without a
/// `<main data-pagefind-body>` is given whole.
fn indexed_part(html: &[u8]) -> String {
    let text = String::from_utf8_lossy(html);
    let part = (|| {
        let open = text.find("<html")?;
        let open_end = open + text[open..].find('>')? + 1;
        let main = text.find("<main")?;
        let main_tag_end = main + text[main..].find('>')? + 1;
        if !text[main..main_tag_end].contains("data-pagefind-body") {
            return None;
        }
        let close = main + text[main..].rfind("</main>")? + "</main>".len();
        Some(format!(
            "<!DOCTYPE html>{}<body>{}</body></html>",
            &text[open..open_end],
            &text[main..close]
        ))
    })();
    part.unwrap_or_else(|| text.into_owned())
}

/// Pagefind also produces its ready-made interfaces and a playground; the theme has its own
/// search page, so only the index and the script that reads it are published.
fn published(name: &str) -> bool {
    !(name.starts_with("pagefind-ui")
        || name.starts_with("pagefind-modular-ui")
        || name.starts_with("pagefind-component-ui")
        || name.starts_with("pagefind-highlight")
        || name.starts_with("playground/"))
}

/// In `vetrina serve` the index is built in the background: its threads run only when the
/// processor has nothing else to do, so that the next edit's pages are not slowed down.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::unix::*;
        let _ = set_thread_priority_and_policy(
            thread_native_id(),
            thread_priority::ThreadPriority::Min,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
        );
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(kind: Kind, lang: &str, path: &str, fallback: bool) -> Route {
        Route {
            kind,
            lang: lang.into(),
            path: path.into(),
            fallback,
        }
    }

    #[test]
    fn only_pages_with_their_own_text_are_indexed() {
        assert!(indexed(&route(
            Kind::Story("a".into()),
            "it",
            "/storie/a/",
            false
        )));
        assert!(!indexed(&route(
            Kind::Story("a".into()),
            "fr",
            "/fr/recits/a/",
            true
        )));
        assert!(!indexed(&route(
            Kind::StoryList(1),
            "it",
            "/storie/",
            false
        )));
        assert!(!indexed(&route(Kind::Search, "it", "/cerca/", false)));
    }

    const STORY: &[u8] = "<!DOCTYPE html><html lang=\"it\" dir=\"ltr\"><head><meta charset=utf-8><title>Tirocinio – Vetrina</title></head><body><a href=\"#main\">Salta</a><header><nav><a href=\"/\">Home</a><a href=\"/storie/\">Storie di lavoro</a></nav><div class=band><svg><title>Bandiera europea</title></svg><p>Cofinanziato dall'Unione europea</p></div></header><main id=main class=wrap data-pagefind-body><h1>Tirocinio in Lombardia</h1><p>Un percorso di <em>inserimento</em> lavorativo a Brescia.</p><p data-pagefind-ignore><a href=\"feed.xml\">Feed</a></p><h2 id=esiti>Esiti</h2><p>Contratto a tempo determinato.</p></main><footer><p>Fondo Sociale Europeo Plus</p></footer></body></html>".as_bytes();

    #[test]
    fn pagefind_is_given_the_html_tag_and_the_indexed_element() {
        let part = indexed_part(STORY);
        assert!(
            part.starts_with("<!DOCTYPE html><html lang=\"it\" dir=\"ltr\"><body><main id=main"),
            "{part}"
        );
        assert!(part.ends_with("</main></body></html>"), "{part}");
        assert!(
            !part.contains("Cofinanziato")
                && !part.contains("Storie di lavoro")
                && !part.contains("Fondo Sociale"),
            "{part}"
        );
        // A page whose <main> is not the indexed element goes to Pagefind whole.
        let other = "<html lang=it><body><main><h1>T</h1></main><div data-pagefind-body>x</div></body></html>";
        assert_eq!(indexed_part(other.as_bytes()), other);
    }

    #[test]
    fn the_shortened_page_gives_the_same_index_as_the_whole_page() {
        let it = route(Kind::Story("a".into()), "it", "/storie/a/", false);
        let whole = |h: &[u8]| String::from_utf8_lossy(h).into_owned();
        let short =
            index_one(&[(&it, Page::Bytes(STORY))], &|| false, false, indexed_part).unwrap();
        let long = index_one(&[(&it, Page::Bytes(STORY))], &|| false, false, whole).unwrap();
        assert!(
            short.iter().any(|(n, _)| n.starts_with("fragment/")),
            "{:?}",
            short.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        assert_eq!(short, long);
    }

    #[test]
    fn writes_an_index_per_language() {
        let it = route(Kind::Page("a".into()), "it", "/a/", false);
        let en = route(Kind::Page("a".into()), "en", "/en/a/", false);
        let html_it = b"<html lang=\"it\"><body><main data-pagefind-body><h1>Tirocinio in Lombardia</h1><p>Un percorso di inserimento lavorativo.</p></main></body></html>";
        let html_en = b"<html lang=\"en\"><body><main data-pagefind-body><h1>Internship in Lombardy</h1><p>A work-integration path.</p></main></body></html>";
        let (files, stats) = index(
            [(&it, Page::Bytes(html_it)), (&en, Page::Bytes(html_en))].into_iter(),
            None,
            &|| false,
            false,
        )
        .unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.starts_with("pagefind/pagefind.it")));
        assert!(names.iter().any(|n| n.starts_with("pagefind/pagefind.en")));
        assert!(!names.iter().any(|n| n.contains("-ui")), "{names:?}");
        assert_eq!(stats.pages, vec![("it".into(), 1), ("en".into(), 1)]);
        let entry = &files
            .iter()
            .find(|(n, _)| n == "pagefind/pagefind-entry.json")
            .unwrap()
            .1;
        let entry = String::from_utf8_lossy(entry);
        assert!(
            entry.contains("\"it\"") && entry.contains("\"en\""),
            "{entry}"
        );
    }
}
