//! `vetrina serve` end to end: a server on a free port over a copy of the demo site; edits
//! to its files are rebuilt, served and announced; broken edits show an overlay over the
//! last good site; requests cannot leave the output folder; after any sequence of edits the
//! output is byte-for-byte a fresh full build.

mod common;
use common::http::Events;
use common::*;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vetrina::serve::{Handle, ServeOptions, start};

fn serve(root: &Path) -> Handle {
    let opts = ServeOptions {
        build: opts(root),
        bind: "127.0.0.1".into(),
        port: 0,
        after_index: None,
        give_back_memory: None,
    };
    start(opts, Arc::new(|_, _, _| {})).expect("the server starts")
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

/// One raw HTTP request, so that the path reaches the server exactly as written.
fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path)
}

const PUOI: &str = "content/projects/puoi/index.it.md";

#[test]
fn serves_pages_with_the_reload_script_correct_types_and_404s() {
    let t = demo_copy();
    let h = serve(t.path());
    let home = get(h.addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.head.contains("content-type: text/html; charset=utf-8"));
    assert!(
        home.body
            .contains("<script src=\"/__vetrina/live.js\" defer></script></body>")
    );
    // The file on disk is the plain build, without the script.
    assert!(!read(&t.path().join("public"), "index.html").contains("__vetrina"));

    let head = request(h.addr, "HEAD", "/progetti/puoi/");
    assert_eq!(head.status, 200);
    assert!(head.head.contains("content-type: text/html"));
    assert!(head.body.is_empty(), "HEAD has no body");

    let css = std::fs::read_dir(t.path().join("public"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .find(|n| n.starts_with("style.") && n.ends_with(".css"))
        .unwrap();
    let r = get(h.addr, &format!("/{css}"));
    assert!(r.head.contains("content-type: text/css; charset=utf-8"));
    let r = get(h.addr, "/eventi/calendario.ics");
    assert!(
        r.head
            .contains("content-type: text/calendar; charset=utf-8")
    );
    assert!(get(h.addr, "/feed.xml").head.contains("application/xml"));

    // A folder without its slash is redirected; a folder is never listed.
    let r = get(h.addr, "/progetti/puoi");
    assert_eq!(r.status, 301);
    assert!(r.head.contains("location: /progetti/puoi/"));
    let r = get(h.addr, "/search-index/it/");
    assert_eq!(r.status, 404);

    // The site's 404 page, in the language of the path.
    let r = get(h.addr, "/non-esiste/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("lang=\"it\""));
    let r = get(h.addr, "/en/missing/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("lang=\"en\""), "{}", &r.body[..200]);
    assert_eq!(request(h.addr, "POST", "/").status, 405);
    h.stop();
}

#[test]
fn requests_never_leave_the_output_folder() {
    let t = demo_copy();
    std::fs::write(t.path().join("secret.txt"), "do not serve").unwrap();
    let h = serve(t.path());
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        t.path().join("secret.txt"),
        t.path().join("public/link.txt"),
    )
    .unwrap();
    for path in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/en/..%2f..%2fsecret.txt",
        "/%2E%2E%5Csecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/link.txt",
    ] {
        let r = get(h.addr, path);
        assert_eq!(r.status, 404, "{path} answered {}", r.status);
        assert!(!r.body.contains("do not serve"), "{path}");
        assert!(!r.body.contains("root:"), "{path}");
    }
    h.stop();
}

#[test]
fn edits_are_served_announced_and_errors_shown_over_the_last_good_site() {
    let t = demo_copy();
    let h = serve(t.path());
    let mut events = Events::open(h.addr);

    edit(
        t.path(),
        PUOI,
        "title: ",
        "title: Sportello PUOI aggiornato — ",
    );
    events.expect("reload");
    let page = get(h.addr, "/progetti/puoi/");
    assert!(page.body.contains("Sportello PUOI aggiornato"));

    // A broken edit: the error comes as an event, in the terminal's words, and the last good
    // page is still served.
    edit(t.path(), PUOI, "title: ", "title: [broken ");
    let err = events.expect("build-error");
    assert!(err.contains("error:"), "{err}");
    assert!(
        err.contains("--> content/projects/puoi/index.it.md:2:"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
    let page = get(h.addr, "/progetti/puoi/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Sportello PUOI aggiornato"));
    // A page opened now gets the error at once.
    let mut late = Events::open(h.addr);
    assert!(late.expect("build-error").contains("index.it.md:2:"));

    // The fix removes the overlay: the pages reload, and new tabs get no error.
    edit(t.path(), PUOI, "title: [broken ", "title: ");
    events.expect("reload");
    late.expect("reload");
    let page = get(h.addr, "/progetti/puoi/");
    assert!(page.body.contains("Sportello PUOI aggiornato"));
    let mut fresh = Events::open(h.addr);
    edit(
        t.path(),
        PUOI,
        "Sportello PUOI aggiornato",
        "Sportello PUOI",
    );
    assert_eq!(
        fresh.next().0,
        "reload",
        "no error is replayed after the fix"
    );
    h.stop();
}

#[test]
fn after_any_edits_the_output_is_a_fresh_full_build() {
    let t = demo_copy();
    let h = serve(t.path());
    let mut events = Events::open(h.addr);
    let story = "content/stories/dalla-comunita-alla-serra/index.it.md";
    type Step = Box<dyn Fn(&Path)>;
    let steps: Vec<Step> = vec![
        // A sentence added to a story.
        Box::new(move |r| {
            let p = r.join(story);
            let s = std::fs::read_to_string(&p).unwrap();
            std::fs::write(
                &p,
                format!("{s}\nUna frase aggiunta durante l'anteprima.\n"),
            )
            .unwrap();
        }),
        // Saved the way many editors do: a new file renamed over the old one.
        Box::new(move |r| {
            let p = r.join(story);
            let s = std::fs::read_to_string(&p).unwrap();
            let tmp = p.with_extension("md.tmp-save");
            std::fs::write(&tmp, s.replace("Una frase aggiunta", "Una frase corretta")).unwrap();
            std::fs::rename(&tmp, &p).unwrap();
        }),
        // The English text of the same story (only Markdown bodies changed: the pages that
        // show no body are taken from the last build as they are).
        Box::new(move |r| {
            edit(
                r,
                "content/stories/dalla-comunita-alla-serra/index.en.md",
                "## Growing up fast",
                "## Growing up very fast",
            )
        }),
        // A project's title, shown on many pages.
        Box::new(|r| edit(r, PUOI, "title: ", "title: Nuovo titolo — ")),
        // The story's text again, after a change that rebuilt everything.
        Box::new(move |r| {
            edit(
                r,
                story,
                "Una frase corretta",
                "Una frase corretta due volte",
            )
        }),
        // A new story, in Italian only (a folder the last walk did not see).
        Box::new(|r| {
            let from = r.join("content/stories/dalla-comunita-alla-serra/index.it.md");
            let text = std::fs::read_to_string(from).unwrap();
            let text = text.replacen("title: ", "title: Copia — ", 1);
            let dir = r.join("content/stories/una-storia-nuova");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("index.it.md"), text).unwrap();
            for pic in ["cover.jpg", "detail.jpg"] {
                std::fs::copy(
                    r.join("content/stories/dalla-comunita-alla-serra")
                        .join(pic),
                    dir.join(pic),
                )
                .unwrap();
            }
        }),
        // A picture replaced by another under the same name.
        Box::new(|r| {
            std::fs::copy(
                r.join("content/stories/dalla-comunita-alla-serra/detail.jpg"),
                r.join("content/stories/una-storia-nuova/cover.jpg"),
            )
            .unwrap();
        }),
        // An event's title, in a calendar in data/.
        Box::new(|r| {
            edit(
                r,
                "data/events/puoi.yaml",
                "The PUOI project in the Apulia Region",
                "The PUOI project in Apulia",
            )
        }),
        // A template.
        Box::new(|r| {
            edit(
                r,
                "themes/default/templates/404.html",
                "<h1>{{ title }}</h1>",
                "<h1 class=\"not-found\">{{ title }}</h1>",
            )
        }),
        // An interface string, overridden in data/.
        Box::new(|r| write(r, "data/i18n/en.yaml", "nav_news: \"Latest news\"\n")),
        // A whole story deleted (several files at once).
        Box::new(|r| {
            std::fs::remove_dir_all(r.join("content/stories/il-mediatore-allo-sportello")).unwrap()
        }),
        // The site's settings.
        Box::new(|r| {
            edit(
                r,
                "site.yaml",
                "stories_per_page: 12",
                "stories_per_page: 2",
            )
        }),
        // Last, so that no later step renders every page again: a story's title and summary
        // (on lists, hubs, its project's page and feeds), then its date (its place in the
        // lists) with a sentence of its text; the other stories' pages are taken as they
        // are.
        Box::new(move |r| edit(r, story, "title: \"", "title: \"Titolo nuovo — ")),
        Box::new(move |r| edit(r, story, "summary: \"", "summary: \"Riassunto nuovo — ")),
        Box::new(move |r| {
            edit(r, story, "date: 20", "date: 19");
            let p = r.join(story);
            let s = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{s}\nUn'ultima frase.\n")).unwrap();
        }),
    ];
    for (i, step) in steps.iter().enumerate() {
        step(t.path());
        let (e, d) = events.next();
        assert_eq!(e, "reload", "step {i}: {d}");
    }
    wait_settled(&h);
    h.stop();

    same_as_a_full_build(t.path(), "", "after the edits");
    // And the edits are in it.
    let html = read(&t.path().join("public"), "progetti/puoi/index.html");
    assert!(html.contains("Nuovo titolo"));
    assert!(
        !t.path()
            .join("public/storie/il-mediatore-allo-sportello")
            .exists()
    );
}

#[test]
fn unchanged_pages_are_taken_from_the_previous_build() {
    let t = demo_copy();
    let mut b = vetrina::Builder::new(opts(t.path()));
    let (r, _) = b.build_pages();
    assert!(r.ok());
    let total: usize = r.pages.iter().map(|(_, n)| n).sum();
    edit(
        t.path(),
        "content/stories/dalla-comunita-alla-serra/index.it.md",
        "\n\n",
        "\n\nUna frase nuova.\n\n",
    );
    let (r, _) = b.build_pages();
    assert!(r.ok());
    // Only the story's own page changes (its list card shows the summary, not the text).
    assert!(
        b.pages_reused() >= total - 3,
        "{} of {total}",
        b.pages_reused()
    );
    assert!(b.pages_reused() < total);
    // Only the Markdown text changed: no other page's context was even built (the story in
    // its four languages, two of them showing the Italian text).
    assert_eq!(b.contexts_built(), 4);
    // A build that fails in between does not lose what was rendered.
    edit(t.path(), PUOI, "title: ", "title: [broken ");
    assert!(!b.build_pages().0.ok());
    edit(t.path(), PUOI, "title: [broken ", "title: ");
    let (r, _) = b.build_pages();
    assert!(r.ok());
    assert_eq!(b.pages_reused(), total);
    // A template changed, and nothing else: every page is made again with it (the engine of
    // the last build is not taken, though its strings and plan are the same).
    let footer = "themes/default/templates/partials/footer.html";
    let text = read(t.path(), footer);
    let marked = text.replacen("</footer>", "<p>Piè di pagina nuovo</p></footer>", 1);
    assert_ne!(text, marked, "the footer template ends its element");
    write(t.path(), footer, &marked);
    let (r, _) = b.build_pages();
    assert!(r.ok());
    let home = read(t.path(), "public/index.html");
    assert!(home.contains("Piè di pagina nuovo"), "{home}");
}

/// Between two builds the builder holds none of the site's texts: a build reads again the
/// texts of the pages it makes, each checked against what the file held when it was read.
/// A file whose text changed while its size and time did not (a copy that keeps times)
/// is found so when its text is read again, and the build is made again with it.
#[test]
fn between_builds_no_text_is_held_and_a_text_read_again_is_checked() {
    let t = demo_copy();
    let mut b = builder_as_serve(t.path());
    build_and_index(&mut b, true);
    assert_eq!(b.texts_held(), 0, "every text let go after the build");

    // The story's text changes, its size and time kept.
    let story = "content/stories/dalla-comunita-alla-serra/index.it.md";
    let file = t.path().join(story);
    let time = std::fs::metadata(&file).unwrap().modified().unwrap();
    let text = read(t.path(), story);
    let changed = text.replacen(
        "Diventare grandi in fretta",
        "Diventare GRANDI in fretta",
        1,
    );
    assert_ne!(text, changed);
    write(t.path(), story, &changed);
    let f = std::fs::File::options().write(true).open(&file).unwrap();
    f.set_modified(time).unwrap();
    drop(f);
    // Its project's title changes: the story's page shows it, and is made again, from
    // the story's text read again.
    edit(t.path(), PUOI, "title: \"PUOI", "title: \"Il progetto PUOI");
    build_and_index(&mut b, true);
    let page = read(
        &t.path().join("public"),
        "storie/dalla-comunita-alla-serra/index.html",
    );
    assert!(
        page.contains("Diventare GRANDI in fretta"),
        "the text as the file holds it"
    );
    assert!(page.contains("Il progetto PUOI"));
    assert_eq!(b.texts_held(), 0);
    same_as_a_full_build(t.path(), "", "after a text changed unseen");

    // An edit the builder is told of is built as usual, and its text let go too.
    edit(t.path(), story, "GRANDI", "grandi");
    build_and_index(&mut b, true);
    assert_eq!(b.texts_held(), 0);
    same_as_a_full_build(t.path(), "", "after an edit");
}

#[test]
fn a_story_s_title_edited_builds_only_the_pages_that_show_its_card() {
    let t = demo_copy();
    let mut b = builder_as_serve(t.path());
    let (pages, _) = build_and_index(&mut b, true).unwrap();
    assert!(pages > 20);
    let total = b.contexts_built();
    let story = "content/stories/dalla-comunita-alla-serra/index.it.md";
    // A sentence first (a build of bodies only, which keeps the stories' placements).
    edit(t.path(), story, "\n\n", "\n\nUna frase in più.\n\n");
    build_and_index(&mut b, true);
    edit(t.path(), story, "title: \"", "title: \"Titolo nuovo — ");
    build_and_index(&mut b, true);
    // Its own pages and those showing its card (lists, its region's and project's pages,
    // the home page): not every page's context.
    assert!(
        b.contexts_built() < total / 3,
        "{} of {total} contexts built",
        b.contexts_built()
    );
    same_as_a_full_build(t.path(), "", "title edited");
    edit(
        t.path(),
        story,
        "summary: \"",
        "summary: \"Riassunto nuovo — ",
    );
    build_and_index(&mut b, true);
    same_as_a_full_build(t.path(), "", "summary edited");
    // Its date: its place on the lists changes, and every page that may show it is built.
    edit(t.path(), story, "date: 20", "date: 19");
    build_and_index(&mut b, true);
    same_as_a_full_build(t.path(), "", "date edited");
}

#[test]
fn a_story_added_or_removed_leaves_the_other_stories_pages_as_they_are() {
    let t = demo_copy();
    let mut b = builder_as_serve(t.path());
    build_and_index(&mut b, true);
    let total = b.contexts_built();
    let from = t.path().join("content/stories/dalla-comunita-alla-serra");
    let to = t.path().join("content/stories/una-storia-in-piu");
    std::fs::create_dir_all(&to).unwrap();
    for f in std::fs::read_dir(&from).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
    }
    edit(
        t.path(),
        "content/stories/una-storia-in-piu/index.it.md",
        "title: \"",
        "title: \"Un'altra — ",
    );
    build_and_index(&mut b, true);
    // The other six stories' pages, in four languages, are taken as they are: 24 pages
    // fewer than the first build's, the new story's four pages more.
    assert!(
        b.contexts_built() + 24 <= total + 4,
        "{} of {total} contexts built",
        b.contexts_built()
    );
    same_as_a_full_build(t.path(), "", "a story added");
    std::fs::remove_dir_all(&from).unwrap();
    build_and_index(&mut b, true);
    // One story fewer: the six others' pages taken as they are.
    assert!(
        b.contexts_built() + 24 <= total,
        "{} of {total}",
        b.contexts_built()
    );
    same_as_a_full_build(t.path(), "", "a story removed");
}

#[test]
fn a_build_that_fails_while_rendering_leaves_the_output_as_it_was() {
    let t = demo_copy();
    let mut b = vetrina::Builder::new(opts(t.path()));
    assert!(b.build_pages().0.ok());
    let before = tree(&t.path().join("public"));
    // The story template reads a value no page has: every other page renders (and is
    // staged as it is), the stories fail.
    let story = "themes/default/templates/story.html";
    let text = read(t.path(), story);
    let broken = text.replacen(
        "{% block content %}",
        "{% block content %}{{ no_such_value_anywhere }}",
        1,
    );
    assert_ne!(text, broken);
    write(t.path(), story, &broken);
    let (r, _) = b.build_pages();
    assert!(!r.ok());
    assert!(
        before == tree(&t.path().join("public")),
        "the output changed"
    );
    let staging: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .map(|e| e.file_name())
        .collect();
    assert!(staging.is_empty(), "{staging:?}");
    // Mended: written as a full build would.
    write(t.path(), story, &text);
    let (r, _) = b.build_pages();
    assert!(r.ok(), "{}", rendered(&r));
    assert!(before == tree(&t.path().join("public")));
}

#[test]
fn after_an_edit_the_search_index_takes_apart_only_the_pages_that_changed() {
    let t = demo_copy();
    let mut b = vetrina::Builder::new(opts(t.path()));
    let same_as_a_full_build = |step: &str| same_as_a_full_build(t.path(), "search-index", step);
    let (pages, recalled) = build_and_index(&mut b, true).unwrap();
    assert!(pages > 20, "{pages}");
    assert_eq!(recalled, 0, "the first index reads every page");
    same_as_a_full_build("first build");

    // One story's Italian text: its Italian page is the only indexed page that changes (the
    // other languages show their own text).
    let story = "content/stories/dalla-comunita-alla-serra/index.it.md";
    edit(
        t.path(),
        story,
        "\n\n",
        "\n\nUna frase sulla serra idroponica.\n\n",
    );
    assert_eq!(build_and_index(&mut b, true), Some((pages, pages - 1)));
    same_as_a_full_build("one text edited");
    let found = tree(&t.path().join("public/search-index/it"))
        .iter()
        .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("idroponica"));
    assert!(found, "the new word is in the Italian index");

    // An index made and let go of unwritten (a newer save came meanwhile): its files were
    // staged beside the output as each language was done, and are gone with it; the
    // output holds the last index written.
    edit(t.path(), story, "idroponica", "a gradoni");
    let (r, job) = b.build_pages();
    assert!(r.ok(), "{}", rendered(&r));
    let mut job = job.expect("a search job");
    b.ready(&mut job);
    let index_before = tree(&t.path().join("public/search-index"));
    drop(job.index(&|| false).expect("an index"));
    assert!(index_before == tree(&t.path().join("public/search-index")));
    let staging: Vec<String> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(staging.is_empty(), "left beside the output: {staging:?}");
    edit(t.path(), story, "a gradoni", "idroponica fresca");
    assert_eq!(build_and_index(&mut b, true), Some((pages, pages - 1)));
    same_as_a_full_build("an index let go of unwritten");

    // Two saves in a row: the first one's index never runs, and the second takes from the
    // last index written the pages whose bytes are still those it read.
    edit(t.path(), story, "idroponica", "verticale");
    assert_eq!(build_and_index(&mut b, false), None);
    edit(t.path(), PUOI, "\n\n", "\n\nUna frase sul progetto.\n\n");
    let (_, recalled) = build_and_index(&mut b, true).unwrap();
    // Both the story's page (changed since the last index) and the project's are read.
    assert!(recalled <= pages - 2, "{recalled} of {pages}");
    same_as_a_full_build("two edits, one index");

    // Its files removed by hand: the next index makes them again rather than keep them.
    std::fs::remove_dir_all(t.path().join("public/search-index/fr")).unwrap();
    edit(t.path(), story, "verticale", "sul tetto");
    assert_eq!(build_and_index(&mut b, true), Some((pages, pages - 1)));
    same_as_a_full_build("French files removed");
}

#[test]
fn the_program_is_called_back_around_each_search_index() {
    use std::sync::Mutex;
    // What was called, in order: `give back` before and after the index of a build that
    // wrote every page (the first), `after` once each index is written.
    static CALLS: Mutex<Vec<&str>> = Mutex::new(Vec::new());
    fn give_back_memory() {
        CALLS.lock().unwrap().push("give back");
    }
    fn after_index() {
        CALLS.lock().unwrap().push("after");
    }
    let t = fixture("story-ok");
    let opts = ServeOptions {
        build: opts(t.path()),
        bind: "127.0.0.1".into(),
        port: 0,
        after_index: Some(after_index),
        give_back_memory: Some(give_back_memory),
    };
    let h = start(opts, Arc::new(|_, _, _| {})).expect("the server starts");
    wait_settled(&h);
    assert_eq!(*CALLS.lock().unwrap(), ["give back", "give back", "after"]);
    assert!(t.path().join("public/search-index").is_dir());
    // A one-story edit writes a few files: its index is not a large build's.
    let mut events = Events::open(h.addr);
    let story = t
        .path()
        .join("content/stories/un-percorso-di-esempio/index.it.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, format!("{text}\nUna frase in più.\n")).unwrap();
    events.expect("reload");
    wait_settled(&h);
    assert_eq!(
        *CALLS.lock().unwrap(),
        ["give back", "give back", "after", "after"]
    );
    h.stop();
}

#[test]
fn a_first_override_of_the_theme_is_watched_and_served() {
    // `templates/` does not exist when the preview starts.
    let t = fixture("story-ok");
    let h = serve(t.path());
    let mut events = Events::open(h.addr);
    let footer = read(t.path(), "themes/default/templates/partials/footer.html");
    let with = |text: &str| {
        footer.replace(
            "<footer class=\"site-footer\">",
            &format!("<footer class=\"site-footer\"><p>{text}</p>"),
        )
    };
    write(
        t.path(),
        "templates/partials/footer.html",
        &with("Sede di prova"),
    );
    events.expect("reload");
    assert!(get(h.addr, "/").body.contains("Sede di prova"));
    // Later edits inside the new folder are seen too.
    write(
        t.path(),
        "templates/partials/footer.html",
        &with("Sede nuova"),
    );
    events.expect("reload");
    let home = get(h.addr, "/").body;
    assert!(home.contains("Sede nuova") && !home.contains("Sede di prova"));
    h.stop();
}

/// A builder of the site at `root` with the options `serve` gives it (the editor's local
/// back end, as `same_as_a_full_build` builds too).
fn builder_as_serve(root: &Path) -> vetrina::Builder {
    let mut o = opts(root);
    o.cms_local_backend = true;
    vetrina::Builder::new(o)
}

/// A build, then (when `run`: else it is superseded by the next build before it runs) its
/// search index as `serve` makes and writes it: (pages, of them recalled).
fn build_and_index(b: &mut vetrina::Builder, run: bool) -> Option<(usize, usize)> {
    let (r, job) = b.build_pages();
    assert!(r.ok(), "{}", rendered(&r));
    let mut job = job.expect("a search job");
    if !run {
        return None;
    }
    b.ready(&mut job);
    let files = job.index(&|| false).expect("an index");
    let counts = (files.pages(), files.pages_recalled());
    files.write().expect("the index written");
    Some(counts)
}

/// Asserts that the folder `part` of the site's output (`""`: all of it) holds the files a
/// fresh `vetrina build` of the site makes there, byte for byte.
fn same_as_a_full_build(site: &Path, part: &str, step: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let mut o = opts(site);
    o.output = Some(fresh.path().join("public"));
    // The admin under serve saves to the folder itself (its local back end).
    o.cms_local_backend = true;
    let r = vetrina::build(&o);
    assert!(r.ok(), "{}", rendered(&r));
    let served = tree(&site.join("public").join(part));
    let full = tree(&fresh.path().join("public").join(part));
    assert!(!full.is_empty());
    let names =
        |t: &[(std::path::PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&served), names(&full), "{step}: the same files");
    for ((p, a), (_, b)) in served.iter().zip(&full) {
        assert!(a == b, "{step}: {} differs from a full build", p.display());
    }
}

fn wait_settled(h: &Handle) {
    let t = Instant::now();
    while !h.search_settled() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "search never settled"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
