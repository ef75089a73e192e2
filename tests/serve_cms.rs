//! The web editor's local back end of `vetrina serve` (`POST /api/v1`, Decap CMS's proxy
//! protocol) end to end, over a copy of a fixture site: the editor lists, reads and saves
//! entries and pictures, a save is rebuilt and announced like any edit, and the site still
//! passes `vetrina check`; a new entry never overwrites one; requests from another site, in
//! another form, or for files outside the editor's folders are refused and write nothing.

mod common;
use common::http::{Events, Reply, send, serve};
use common::*;

use std::net::SocketAddr;
use std::path::Path;

use base64::Engine;
use serde_json::{Value, json};
use vetrina::serve::MAX_API_BODY;

/// A POST to the back end with the given header lines and body.
fn post(addr: SocketAddr, headers: &[String], body: &[u8]) -> Reply {
    let mut raw = format!(
        "POST /api/v1 HTTP/1.1\r\nContent-Length: {}\r\n",
        body.len()
    );
    for h in headers {
        raw.push_str(h);
        raw.push_str("\r\n");
    }
    raw.push_str("\r\n");
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    send(addr, raw)
}

/// The headers a browser sends with the editor's requests (fetch from /admin/).
fn editor_headers(addr: SocketAddr) -> Vec<String> {
    vec![
        format!("Host: {addr}"),
        format!("Origin: http://{addr}"),
        "Content-Type: application/json; charset=utf-8".into(),
        "Sec-Fetch-Site: same-origin".into(),
    ]
}

/// An action as the editor sends it.
fn api(addr: SocketAddr, action: &str, params: Value) -> Reply {
    let body = json!({"action": action, "branch": "main", "params": params});
    post(addr, &editor_headers(addr), body.to_string().as_bytes())
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    send(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes(),
    )
}

/// A small photo-like JPEG.
fn jpeg() -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    }));
    let mut buf = std::io::Cursor::new(Vec::new());
    img.write_to(&mut buf, image::ImageFormat::Jpeg).unwrap();
    buf.into_inner()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A story's text as the editor writes it.
fn story(title: &str, with_picture: bool) -> String {
    let image = if with_picture {
        "image:\n  src: cover.jpg\n  alt: Un tagliere con delle verdure\n  faces: none\n"
    } else {
        ""
    };
    format!(
        "---\ntitle: {title}\ndate: 2025-04-01\nkind: participant\nproject: progetto-esempio\nregion: lazio\nsummary: Una storia nuova, per i test.\n{image}person:\n  display_name: Amina\n  identifiability: pseudonym\n  minor: false\nconsent:\n  reference: ESEMPIO-0002\n  date: 2025-03-20\n  given_by: self\n  scope:\n    - web\n  expires: 2028-03-20\n  withdrawn: false\nexample: true\n---\nUna storia scritta nell'editor.\n"
    )
}

const STORY: &str = "content/stories/un-percorso-di-esempio";
const NEW: &str = "content/stories/una-storia-nuova";

#[test]
fn the_editor_reads_and_saves_the_site_and_the_preview_follows() {
    let t = fixture("two-languages");
    let root = t.path();
    let h = serve(root);
    let addr = h.addr;

    let info = api(addr, "info", Value::Null);
    assert_eq!(info.status, 200, "{}", info.body);
    assert!(info.json["repo"].is_string());
    assert_eq!(info.json["publish_modes"], json!(["simple"]));
    assert_eq!(info.json["type"], "local_fs");
    // The probe Decap sends first: no params, a plain JSON content type.
    let probe = post(
        addr,
        &[
            format!("Host: {addr}"),
            format!("Origin: http://{addr}"),
            "Content-Type: application/json".into(),
        ],
        br#"{"action":"info"}"#,
    );
    assert_eq!(probe.status, 200, "{}", probe.body);
    assert!(probe.head.contains("content-type: application/json"));
    assert!(!probe.head.contains("access-control"));

    // Listing and reading.
    let list = api(
        addr,
        "entriesByFolder",
        json!({"folder": "content/stories", "extension": "md", "depth": 2}),
    );
    assert_eq!(list.status, 200, "{}", list.body);
    let paths: Vec<&str> = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "content/stories/un-percorso-di-esempio/index.en.md",
            "content/stories/un-percorso-di-esempio/index.it.md"
        ]
    );
    let it = format!("{STORY}/index.it.md");
    let e = api(addr, "getEntry", json!({"path": it}));
    assert_eq!(e.status, 200);
    assert_eq!(e.json["data"], read(root, &it));
    assert_eq!(e.json["file"]["path"], it);
    assert!(e.json["file"]["id"].as_str().is_some_and(|s| !s.is_empty()));
    // A language's file that does not exist: 200, with no data.
    let e = api(
        addr,
        "getEntry",
        json!({"path": format!("{STORY}/index.md")}),
    );
    assert_eq!(e.status, 200);
    assert_eq!(e.json["data"], Value::Null);
    assert_eq!(e.json["file"]["id"], Value::Null);
    let files = api(
        addr,
        "entriesByFiles",
        json!({"files": [{"path": "data/organisations.yaml", "label": "Organizzazioni"}, {"path": "data/funds.yaml"}]}),
    );
    assert_eq!(files.status, 200, "{}", files.body);
    assert_eq!(files.json[0]["data"], read(root, "data/organisations.yaml"));
    assert_eq!(files.json[0]["file"]["label"], "Organizzazioni");

    // A new story in two languages with a picture: saved, rebuilt, announced, served.
    let mut events = Events::open(addr);
    let builds = h.builds();
    let picture = jpeg();
    let saved = api(
        addr,
        "persistEntry",
        json!({
            "branch": "main",
            "dataFiles": [
                {"path": format!("{NEW}/index.it.md"), "slug": "una-storia-nuova/index", "raw": story("Una storia nuova", true)},
                {"path": format!("{NEW}/index.en.md"), "slug": "una-storia-nuova/index", "raw": story("A new story", true)},
            ],
            "assets": [{"path": format!("{NEW}/cover.jpg"), "content": b64(&picture), "encoding": "base64"}],
            "options": {"newEntry": true, "commitMessage": "Create Stories “una-storia-nuova/index”", "collectionName": "stories", "useWorkflow": false, "hasSubfolders": true, "unpublished": false, "status": "draft"},
        }),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(
        read(root, &format!("{NEW}/index.it.md")),
        story("Una storia nuova", true)
    );
    assert_eq!(
        read(root, &format!("{NEW}/index.en.md")),
        story("A new story", true)
    );
    assert_eq!(
        std::fs::read(root.join(NEW).join("cover.jpg")).unwrap(),
        picture
    );
    // The preview tab is told to reload, once the new story is built.
    loop {
        let (ev, _) = events.next();
        assert_ne!(ev, "build-error", "the saved story does not build");
        if ev == "reload" && h.builds() > builds {
            break;
        }
    }
    let page = get(addr, "/storie/una-storia-nuova/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Una storia nuova"));
    assert!(page.body.contains("/__vetrina/live.js"));
    let page = get(addr, "/en/stories/una-storia-nuova/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("A new story"));
    let report = check(root);
    assert!(report.ok(), "{}", rendered(&report));

    // The entry's media: its picture, not its texts.
    let media = api(addr, "getMedia", json!({"mediaFolder": NEW}));
    assert_eq!(media.status, 200, "{}", media.body);
    let media = media.json.as_array().unwrap();
    assert_eq!(media.len(), 1);
    assert_eq!(media[0]["path"], format!("{NEW}/cover.jpg"));
    assert_eq!(media[0]["name"], "cover.jpg");
    assert_eq!(media[0]["encoding"], "base64");
    assert_eq!(media[0]["content"], b64(&picture));
    let one = api(
        addr,
        "getMediaFile",
        json!({"path": format!("{NEW}/cover.jpg")}),
    );
    assert_eq!(one.json["content"], b64(&picture));
    assert_eq!(
        api(
            addr,
            "getMediaFile",
            json!({"path": format!("{NEW}/none.jpg")})
        )
        .status,
        404
    );

    // A new entry over an existing one is refused, and nothing changes.
    let before = tree(&root.join("content"));
    let again = api(
        addr,
        "persistEntry",
        json!({
            "dataFiles": [
                {"path": format!("{STORY}/index.it.md"), "slug": "un-percorso-di-esempio/index", "raw": story("Un percorso di esempio", false)},
                {"path": format!("{STORY}/index.en.md"), "slug": "un-percorso-di-esempio/index", "raw": "\n"},
            ],
            "assets": [{"path": format!("{STORY}/cover.jpg"), "content": b64(&picture), "encoding": "base64"}],
            "options": {"newEntry": true},
        }),
    );
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        again.json["error"],
        "Esiste già un contenuto con questo indirizzo (content/stories/un-percorso-di-esempio): scegli un altro titolo."
    );
    assert_eq!(tree(&root.join("content")), before);

    // Editing an existing entry (not new) saves it.
    let edited = read(root, &it).replace("Un percorso di esempio", "Un percorso rivisto");
    let r = api(
        addr,
        "persistEntry",
        json!({"dataFiles": [{"path": it, "raw": edited}], "assets": [], "options": {"newEntry": false}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(read(root, &it), edited);

    // A new entry in Italian only: the English file Decap sends without a title is not written.
    let only = "content/stories/solo-in-italiano";
    let r = api(
        addr,
        "persistEntry",
        json!({
            "dataFiles": [
                {"path": format!("{only}/index.it.md"), "raw": story("Solo in italiano", false)},
                {"path": format!("{only}/index.en.md"), "raw": "---\ndate: 2025-04-01\nkind: participant\n---\n"},
            ],
            "assets": [],
            "options": {"newEntry": true},
        }),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(root.join(only).join("index.it.md").is_file());
    assert!(!root.join(only).join("index.en.md").exists());

    // The global media folder.
    let logo = api(
        addr,
        "persistMedia",
        json!({"asset": {"path": "static/media/volantino.jpg", "content": b64(&picture), "encoding": "base64"}, "options": {}}),
    );
    assert_eq!(logo.status, 200, "{}", logo.body);
    assert_eq!(logo.json["path"], "static/media/volantino.jpg");
    assert_eq!(
        std::fs::read(root.join("static/media/volantino.jpg")).unwrap(),
        picture
    );

    // Deleting a story's files (every language's, as Decap does).
    let del = api(
        addr,
        "deleteFiles",
        json!({"paths": [format!("{only}/index.it.md"), format!("{only}/index.en.md")], "options": {}}),
    );
    assert_eq!(del.status, 200, "{}", del.body);
    assert!(!root.join(only).join("index.it.md").exists());
    // Never site.yaml, never a folder.
    let del = api(addr, "deleteFiles", json!({"paths": ["site.yaml"]}));
    assert_eq!(del.status, 403, "{}", del.body);
    assert!(root.join("site.yaml").is_file());
    let del = api(addr, "deleteFile", json!({"path": format!("{NEW}")}));
    assert!(matches!(del.status, 403 | 422), "{}", del.body);
    assert!(root.join(NEW).is_dir());

    // Deleting an entry with a picture: its texts go, and the site still builds.
    let del = api(
        addr,
        "deleteFiles",
        json!({"paths": [format!("{NEW}/index.it.md"), format!("{NEW}/index.en.md")], "options": {}}),
    );
    assert_eq!(del.status, 200, "{}", del.body);
    let report = check(root);
    assert!(report.ok(), "{}", rendered(&report));

    // Decap's own deploy preview link: none.
    let r = api(
        addr,
        "getDeployPreview",
        json!({"collection": "stories", "slug": "x"}),
    );
    assert_eq!((r.status, r.json.clone()), (200, Value::Null));
    let r = api(addr, "unpublishedEntries", json!({}));
    assert_eq!(r.status, 422);
    assert!(r.json["error"].is_string());
    h.stop();
}

#[test]
fn requests_from_elsewhere_or_for_other_files_are_refused_and_write_nothing() {
    let t = fixture("two-languages");
    let root = t.path();
    let outside = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), root.join("content/stories/fuori")).unwrap();
    let h = serve(root);
    let addr = h.addr;
    let sources = |r: &Path| {
        (
            tree(&r.join("content")),
            tree(&r.join("data")),
            read(r, "site.yaml"),
        )
    };
    let before = sources(root);

    let new_story = json!({
        "action": "persistEntry",
        "params": {
            "dataFiles": [{"path": format!("{NEW}/index.it.md"), "raw": story("Intrusa", false)}],
            "assets": [],
            "options": {"newEntry": true},
        },
    })
    .to_string();
    let with = |replace: &str, by: Option<String>| -> Vec<String> {
        let mut hs: Vec<String> = editor_headers(addr)
            .into_iter()
            .filter(|h| {
                !h.to_ascii_lowercase()
                    .starts_with(&replace.to_ascii_lowercase())
            })
            .collect();
        hs.extend(by);
        hs
    };
    let port = addr.port();
    for (headers, status, why) in [
        (
            with("Origin:", Some("Origin: http://evil.example".into())),
            403,
            "another site",
        ),
        (with("Origin:", None), 403, "no Origin"),
        (
            with("Origin:", Some("Origin: null".into())),
            403,
            "an opaque origin",
        ),
        (
            with(
                "Origin:",
                Some(format!("Origin: http://localhost:{}", port.wrapping_add(1))),
            ),
            403,
            "another port",
        ),
        (
            with("Origin:", Some(format!("Origin: https://{addr}"))),
            403,
            "https",
        ),
        (
            {
                let mut hs = editor_headers(addr);
                hs.push("Origin: http://evil.example".into());
                hs
            },
            403,
            "two Origins",
        ),
        (
            with("Sec-Fetch-Site:", Some("Sec-Fetch-Site: cross-site".into())),
            403,
            "cross-site",
        ),
        (
            with("Sec-Fetch-Site:", Some("Sec-Fetch-Site: same-site".into())),
            403,
            "same-site",
        ),
        (
            with("Content-Type:", Some("Content-Type: text/plain".into())),
            415,
            "a form's type",
        ),
        (
            with(
                "Content-Type:",
                Some("Content-Type: application/x-www-form-urlencoded".into()),
            ),
            415,
            "a form",
        ),
        (with("Content-Type:", None), 415, "no type"),
        (
            {
                let mut hs = with("Host:", Some(format!("Host: evil.example:{port}")));
                hs.retain(|h| !h.starts_with("Origin:"));
                hs.push(format!("Origin: http://evil.example:{port}"));
                hs
            },
            403,
            "DNS rebinding",
        ),
        (with("Host:", None), 403, "no Host"),
    ] {
        let r = post(addr, &headers, new_story.as_bytes());
        assert_eq!(r.status, status, "{why}: {}", r.body);
        assert!(r.json["error"].is_string(), "{why}: {}", r.body);
        assert!(!r.head.contains("access-control"), "{why}");
    }
    // A preflight gets no permission; other methods are not the editor's.
    let pre = send(
        addr,
        format!("OPTIONS /api/v1 HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n").into_bytes(),
    );
    assert_eq!(pre.status, 403);
    assert!(!pre.head.contains("access-control"));
    assert_eq!(get(addr, "/api/v1").status, 405);
    // A body sent in chunks, or larger than the limit.
    let mut chunked = format!(
        "POST /api/v1 HTTP/1.1\r\n{}\r\nTransfer-Encoding: chunked\r\n\r\n",
        editor_headers(addr).join("\r\n")
    );
    chunked.push_str(&format!(
        "{:x}\r\n{new_story}\r\n0\r\n\r\n",
        new_story.len()
    ));
    let r = send(addr, chunked.into_bytes());
    assert_eq!(r.status, 411, "{}", r.body);
    let r = send(
        addr,
        format!(
            "POST /api/v1 HTTP/1.1\r\n{}\r\nContent-Length: {}\r\n\r\n",
            editor_headers(addr).join("\r\n"),
            MAX_API_BODY + 1
        )
        .into_bytes(),
    );
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.json["error"].is_string());
    let r = post(addr, &editor_headers(addr), b"{not json");
    assert_eq!(r.status, 400);

    // Files outside the editor's folders, of other kinds, or through a link.
    let write = |path: &str| {
        api(
            addr,
            "persistEntry",
            json!({"dataFiles": [{"path": path, "raw": "x"}], "assets": [], "options": {"newEntry": false}}),
        )
    };
    for (path, status) in [
        ("../fuori.md", 400),
        ("/etc/passwd", 400),
        ("content/../site.yaml", 400),
        ("content/stories/%2e%2e/%2e%2e/site.yaml", 400),
        ("site.yaml", 403),
        ("themes/default/templates/base.html", 403),
        ("public/index.html", 403),
        ("content/stories/x/evil.html", 422),
        #[cfg(unix)]
        ("content/stories/fuori/index.it.md", 403),
    ] {
        let r = write(path);
        assert_eq!(r.status, status, "{path}: {}", r.body);
        assert!(r.json["error"].is_string());
    }
    let r = api(
        addr,
        "persistMedia",
        json!({"asset": {"path": "content/stories/x/a.svg", "content": b64(b"<svg onload=alert(1)>"), "encoding": "base64"}}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    #[cfg(unix)]
    {
        let r = api(
            addr,
            "getEntry",
            json!({"path": "content/stories/fuori/segreto.md"}),
        );
        assert_eq!(r.status, 403, "{}", r.body);
        let r = api(
            addr,
            "entriesByFolder",
            json!({"folder": "content/stories/fuori", "extension": "md", "depth": 2}),
        );
        assert_eq!(r.status, 403, "{}", r.body);
    }
    let r = api(addr, "getEntry", json!({"path": "site.yaml"}));
    assert_eq!(r.status, 403);
    let r = api(
        addr,
        "entriesByFolder",
        json!({"folder": "data", "extension": "yaml", "depth": 1}),
    );
    assert_eq!(r.status, 403);
    assert!(
        r.json["error"]
            .as_str()
            .is_some_and(|e| e.contains("content/"))
    );

    assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());
    assert!(
        sources(root) == before,
        "a refused request changed the site"
    );
    h.stop();
}

#[test]
fn the_editor_s_pages_are_served_as_they_are() {
    let t = fixture("story-ok");
    let h = serve(t.path());
    // The admin's files appear in the output (the build writes them when site.yaml has `cms:`;
    // put here by hand so that this test does not depend on it).
    let out = t.path().join("public");
    write(
        &out,
        "admin/index.html",
        "<!doctype html><html><body><script src=\"decap-cms.js\"></script></body></html>",
    );
    write(&out, "admin/config.yml", "backend:\n  name: proxy\n");
    let page = get(h.addr, "/admin/");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/__vetrina/live.js"), "{}", page.body);
    let config = get(h.addr, "/admin/config.yml");
    assert!(
        config
            .head
            .contains("content-type: text/yaml; charset=utf-8")
    );
    // Every other page keeps its live reload.
    assert!(get(h.addr, "/").body.contains("/__vetrina/live.js"));
    h.stop();
}
