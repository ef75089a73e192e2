//! `render` as a whole, in memory: the page sink, the files beside the pages, and the
//! reuse of a `vetrina serve` build, on the small site of the views' tests.

use std::sync::{Arc, Mutex};

use super::views::tests::{Fixture, strings};
use super::*;
use crate::diag::SourceText;

/// A theme whose every template prints the page's address: enough to tell pages apart.
fn theme() -> Theme {
    let names = [
        "404",
        "data",
        "event-list",
        "event",
        "home",
        "news-list",
        "news",
        "page",
        "project-list",
        "project",
        "region-list",
        "region",
        "search",
        "story-list",
        "story",
    ];
    Theme {
        name: "t".into(),
        templates: names
            .iter()
            .map(|n| {
                let file = format!("{n}.html");
                let text = format!("<p>{n} {{{{ page_path }}}}</p>");
                (
                    file.clone(),
                    SourceText::new(format!("themes/t/templates/{file}"), text),
                )
            })
            .collect(),
        i18n: ["it", "en"]
            .iter()
            .map(|l| SourceText::new(format!("themes/t/i18n/{l}.yaml"), strings(l)))
            .collect(),
        statics: Vec::new(),
    }
}

/// A sink that keeps what it was given, and takes it or not.
struct Recorder {
    takes: bool,
    pages: Mutex<Vec<(String, String, usize)>>,
}

impl PageSink for Recorder {
    fn take(&self, route: &Route, file: &str, bytes: &[u8]) -> bool {
        self.pages
            .lock()
            .unwrap()
            .push((route.path.clone(), file.to_string(), bytes.len()));
        self.takes
    }
}

fn context<'a>(fx: &'a Fixture, theme: &'a Theme) -> RenderContext<'a> {
    RenderContext {
        site: &fx.site,
        plan: Arc::new(crate::plan::plan(&fx.site, &mut Diagnostics::new())),
        theme,
        pictures: &fx.pictures,
        minify: false,
        cms_local_backend: false,
    }
}

#[test]
fn a_sink_that_takes_the_pages_leaves_only_their_names_in_the_output() {
    let fx = Fixture::new();
    let theme = theme();
    let cx = context(&fx, &theme);
    let sink = Recorder {
        takes: true,
        pages: Mutex::new(Vec::new()),
    };
    let mut diags = Diagnostics::new();
    let out = render(&cx, Reuse::Nothing, Some(&sink), &mut diags);
    assert!(!diags.has_errors(), "{diags:?}");
    let given = sink.pages.into_inner().unwrap();
    // Every route once, with its bytes, as soon as it was made.
    assert_eq!(given.len(), cx.plan.routes.len());
    assert!(given.iter().all(|(_, _, len)| *len > 0));
    for route in &cx.plan.routes {
        let file = route.file();
        assert!(out.is(file, Held::Streamed), "{file} not streamed");
        let listed = out.file(file).expect("listed");
        assert!(listed.bytes.is_empty(), "{file} kept its bytes");
    }
    // The feeds, calendars and sitemap are made beside the pages, and kept.
    for made in ["sitemap.xml", "robots.txt", "feed.xml"] {
        assert!(
            out.files
                .iter()
                .any(|f| f.path.ends_with(made) && !f.bytes.is_empty() && f.held == Held::Here),
            "{made}"
        );
    }
    assert!(out.files.iter().any(|f| f.path.ends_with(".ics")));
}

#[test]
fn a_sink_that_refuses_leaves_the_pages_in_the_output() {
    let fx = Fixture::new();
    let theme = theme();
    let cx = context(&fx, &theme);
    let sink = Recorder {
        takes: false,
        pages: Mutex::new(Vec::new()),
    };
    let mut diags = Diagnostics::new();
    let out = render(&cx, Reuse::Nothing, Some(&sink), &mut diags);
    assert!(out.files.iter().all(|f| f.held != Held::Streamed));
    let home = cx
        .plan
        .routes
        .iter()
        .find(|r| r.kind == crate::plan::Kind::Home)
        .unwrap();
    let bytes = &out.file(home.file()).unwrap().bytes;
    assert_eq!(
        String::from_utf8_lossy(bytes),
        format!("<p>home {}</p>", home.path)
    );
}

#[test]
fn a_second_serve_build_of_the_same_site_takes_every_page_from_the_first() {
    let fx = Fixture::new();
    let theme = theme();
    let cx = context(&fx, &theme);
    let mut cache = RenderCache::default();
    let mut diags = Diagnostics::new();
    let first = render(
        &cx,
        Reuse::Memory(&mut cache, Box::new(site_prints(&fx.site))),
        None,
        &mut diags,
    );
    assert!(!diags.has_errors(), "{diags:?}");
    assert_eq!(cache.reused, 0);
    assert_eq!(cache.contexts_built, cx.plan.routes.len());
    let prints = site_prints(&fx.site);
    let second = render(
        &cx,
        Reuse::Memory(&mut cache, Box::new(prints)),
        None,
        &mut diags,
    );
    // Nothing changed but no body either: every page taken without building its context.
    assert_eq!(cache.reused, cx.plan.routes.len());
    assert_eq!(cache.contexts_built, 0);
    // Every page is the one the first build wrote, and so are the feeds, calendars and
    // sitemap (only bodies could have changed, and none did): kept in the output folder,
    // their bytes not held again. The other files are the same.
    let pages: std::collections::HashSet<&str> = cx.plan.routes.iter().map(|r| r.file()).collect();
    assert!(pages.iter().all(|p| second.is(p, Held::Kept)));
    let kept = (second.files.iter())
        .filter(|f| f.held == Held::Kept)
        .count();
    assert!(kept > pages.len(), "the extras are kept too");
    assert_eq!(first.files.len(), second.files.len());
    for (f1, f2) in first.files.iter().zip(&second.files) {
        assert_eq!(f1.path, f2.path);
        if f2.held != Held::Kept {
            assert_eq!(f1.bytes, f2.bytes, "{}", f2.path);
        }
    }
    // A sink is not used when pages are remembered for the next build.
    let sink = Recorder {
        takes: true,
        pages: Mutex::new(Vec::new()),
    };
    let prints = site_prints(&fx.site);
    render(
        &cx,
        Reuse::Memory(&mut cache, Box::new(prints)),
        Some(&sink),
        &mut diags,
    );
    assert!(sink.pages.into_inner().unwrap().is_empty());
}
