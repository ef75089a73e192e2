//! Pictures: re-encoded without metadata, turned upright, resized, with srcset markup, and
//! processed once across builds. The tests start from the small `story-with-pictures` fixture
//! site (tests/fixtures/): one story in Italian and English with a cover and a picture in
//! its text.

mod common;

use common::*;
use std::fs;

const SITE: &str = "story-with-pictures";
const BUNDLE: &str = "content/stories/un-percorso-di-esempio";
/// The story's folder in the output, in Italian.
const OUT_DIR: &str = "storie/un-percorso-di-esempio";

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A story whose cover is a JPEG carrying EXIF with a camera name, an orientation and a GPS
/// position (tests/fixtures/gps-exif.jpg, 640×480 stored, shown rotated by 90°).
fn site_with_gps_picture() -> tempfile::TempDir {
    let t = fixture(SITE);
    let src = demo_root().join("tests/fixtures/gps-exif.jpg");
    let bytes = fs::read(&src).unwrap();
    assert!(
        contains(&bytes, b"Exif\0\0") && contains(&bytes, b"VetrinaTestCamera"),
        "the fixture carries EXIF"
    );
    fs::copy(&src, t.path().join(BUNDLE).join("posizione.jpg")).unwrap();
    for f in ["index.it.md", "index.en.md"] {
        edit(
            t.path(),
            &format!("{BUNDLE}/{f}"),
            "src: cover.jpg",
            "src: posizione.jpg",
        );
    }
    t
}

#[test]
fn no_published_file_carries_metadata() {
    let t = site_with_gps_picture();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let mut pictures = 0;
    for (path, bytes) in tree(&out) {
        let p = path.to_string_lossy();
        assert!(
            !p.ends_with("posizione.jpg"),
            "the original file must never be published: {p}"
        );
        for marker in [
            &b"Exif\0\0"[..],
            b"VetrinaTestCamera",
            b"http://ns.adobe.com/xap/",
            b"Photoshop 3.0",
        ] {
            assert!(
                !contains(&bytes, marker),
                "{p} carries metadata ({:?})",
                String::from_utf8_lossy(marker)
            );
        }
        if p.contains("posizione-") {
            pictures += 1;
            // JPEG: no APP1 (EXIF/XMP) or APP13 (IPTC) segment at all.
            if p.ends_with(".jpg") {
                assert!(
                    !contains(&bytes, &[0xFF, 0xE1]) && !contains(&bytes, &[0xFF, 0xED]),
                    "{p}"
                );
            }
        }
    }
    assert!(pictures >= 1, "the picture is published");
}

#[test]
fn pictures_are_upright_resized_and_marked_up() {
    let t = site_with_gps_picture();
    assert!(build(t.path()).ok());
    let out = t.path().join("public");
    let dir = out.join(OUT_DIR);
    // Stored 640×480 with "rotate 90°": published 480 wide and 640 high, never enlarged.
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("posizione-"))
        .collect();
    assert!(
        names.contains(&"posizione-480.jpg".to_string()),
        "{names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.contains("-960.") || n.contains("-1440.")),
        "{names:?}"
    );
    let html = read(&out, &format!("{OUT_DIR}/index.html"));
    assert!(
        html.contains(r#"width="480" height="640""#),
        "orientation applied"
    );
    assert!(
        html.contains(r#"src="posizione-480.jpg" srcset="posizione-480.jpg 480w""#),
        "{html}"
    );
    // The cover is not lazy; pictures in the text are.
    let detail = html.find("detail-480.jpg 480w").unwrap();
    assert!(html[detail..].contains(r#"loading="lazy" decoding="async""#));
    assert!(html.contains(r#"sizes="(min-width: 75rem) 72rem, 100vw""#));
}

#[test]
fn each_picture_is_processed_once_across_builds() {
    let t = fixture(SITE);
    let cache = tempfile::tempdir().unwrap();
    let build = |root: &std::path::Path| {
        let mut o = opts(root);
        o.cache_dir = Some(cache.path().to_path_buf());
        vetrina::build(&o)
    };
    let r = build(t.path());
    // The fixture's two pictures: the cover and the one in the text.
    assert_eq!((r.images_processed, r.images_reused), (2, 0));
    // A text change makes a real rebuild (not "nothing changed"); the pictures come from
    // the cache.
    edit(
        t.path(),
        &format!("{BUNDLE}/index.it.md"),
        "\n\n",
        "\n\nUna frase nuova.\n\n",
    );
    let r = build(t.path());
    assert!(!r.nothing_changed);
    assert_eq!((r.images_processed, r.images_reused), (0, 2));
}

#[test]
fn a_corrupt_picture_is_named() {
    let t = fixture(SITE);
    fs::write(
        t.path().join(BUNDLE).join("cover.jpg"),
        b"\xff\xd8\xff\xe0garbage",
    )
    .unwrap();
    let r = build(t.path());
    assert!(!r.ok());
    let e = one_error(&r);
    assert!(
        e.contains("the picture is incomplete or damaged")
            && e.contains(&format!("{BUNDLE}/cover.jpg")),
        "{e}"
    );
}

#[test]
fn a_missing_cover_is_an_error_with_did_you_mean() {
    let t = fixture(SITE);
    edit(
        t.path(),
        &format!("{BUNDLE}/index.it.md"),
        "src: cover.jpg",
        "src: covr.jpg",
    );
    let e = one_error(&build(t.path()));
    assert!(
        e.contains("the picture `covr.jpg` is not in this story's folder")
            && e.contains("did you mean `cover.jpg`?"),
        "{e}"
    );
}

/// The values of every `attr="…"` in `html`.
fn attr_values<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .filter_map(|(at, _)| {
            let rest = &html[at + key.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn pictures_named_with_spaces_commas_and_accents_have_working_addresses() {
    let t = fixture(SITE);
    let b = t.path().join(BUNDLE);
    fs::copy(b.join("cover.jpg"), b.join("foto città, 1.jpg")).unwrap();
    fs::copy(b.join("detail.jpg"), b.join("in cucina (2).jpg")).unwrap();
    for f in ["index.it.md", "index.en.md"] {
        edit(
            t.path(),
            &format!("{BUNDLE}/{f}"),
            "src: cover.jpg",
            "src: \"foto città, 1.jpg\"",
        );
        // Markdown takes a space in an address escaped, or between < and >.
        let to = if f == "index.it.md" {
            "(in%20cucina%20%282%29.jpg)"
        } else {
            "(<in cucina (2).jpg>)"
        };
        edit(t.path(), &format!("{BUNDLE}/{f}"), "(detail.jpg)", to);
    }
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    for page in ["storie", "en/stories"] {
        let page = format!("{page}/un-percorso-di-esempio");
        let html = read(&out, &format!("{page}/index.html"));
        assert!(
            html.contains("foto%20citt%C3%A0%2C%201-480.jpg 480w"),
            "{html}"
        );
        assert!(
            html.contains("in%20cucina%20%282%29-480.jpg 480w"),
            "{html}"
        );
        let mut urls: Vec<&str> = attr_values(&html, "src");
        for set in attr_values(&html, "srcset") {
            for candidate in set.split(", ") {
                // Each candidate is an address and a width: a raw space or comma in the
                // address would split it.
                let parts: Vec<&str> = candidate.split_whitespace().collect();
                assert_eq!(parts.len(), 2, "{candidate:?} in {set:?}");
                urls.push(parts[0]);
            }
        }
        let pictures: Vec<&&str> = urls.iter().filter(|u| u.ends_with(".jpg")).collect();
        assert!(pictures.len() >= 8, "{pictures:?}");
        for u in pictures {
            let name = percent_encoding::percent_decode_str(u)
                .decode_utf8()
                .unwrap();
            assert!(
                out.join(&page).join(name.as_ref()).is_file(),
                "{u} names no published file"
            );
        }
    }
}

#[test]
fn every_demo_picture_has_a_webp_smaller_than_its_jpeg_made_once() {
    let t = demo_copy();
    let cache = tempfile::tempdir().unwrap();
    let build = |root: &std::path::Path| {
        let mut o = opts(root);
        o.cache_dir = Some(cache.path().to_path_buf());
        vetrina::build(&o)
    };
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!((r.images_processed, r.images_reused), (8, 0));
    let out = t.path().join("public");
    let files = tree(&out);
    let (mut jpeg, mut webp, mut pairs) = (0, 0, 0);
    for (path, bytes) in &files {
        let p = path.to_string_lossy();
        let Some(stem) = p.strip_suffix(".jpg") else {
            continue;
        };
        let w = fs::read(out.join(format!("{stem}.webp")))
            .unwrap_or_else(|_| panic!("no WebP beside {p}"));
        assert!(
            w.len() < bytes.len(),
            "{p}: WebP {} ≥ JPEG {}",
            w.len(),
            bytes.len()
        );
        assert!(
            w.starts_with(b"RIFF") && &w[8..16] == b"WEBPVP8 ",
            "{p}: lossy, nothing else"
        );
        jpeg += bytes.len();
        webp += w.len();
        pairs += 1;
    }
    assert_eq!(pairs, 8 * 3, "eight pictures, three sizes each");
    assert!(
        webp * 10 <= jpeg * 7,
        "WebP {webp} bytes, JPEG {jpeg}: not 30 % less"
    );
    // A second build takes every picture from the cache, WebP included, byte for byte.
    edit(
        t.path(),
        "content/stories/il-mediatore-allo-sportello/index.it.md",
        "\n\n",
        "\n\nUna frase nuova.\n\n",
    );
    let r = build(t.path());
    assert!(!r.nothing_changed);
    assert_eq!((r.images_processed, r.images_reused), (0, 8));
    for (path, bytes) in &files {
        if path.extension().is_some_and(|e| e == "webp") {
            assert_eq!(
                &fs::read(out.join(path)).unwrap(),
                bytes,
                "{}",
                path.display()
            );
        }
    }
}
