//! Tests of the picture pipeline: kinds, limits, cut-off files, caching.
use super::*;
use crate::picture_kind::sniff;
use image::ImageFormat;

fn asset(dir: &Path, name: &str, img: &DynamicImage, format: image::ImageFormat) -> Asset {
    let p = dir.join(name);
    img.save_with_format(&p, format).unwrap();
    Asset {
        section: "stories".into(),
        key: "k".into(),
        name: name.into(),
        abs: p,
    }
}

#[test]
fn resizes_without_enlarging_and_reuses_the_cache() {
    let t = tempfile::tempdir().unwrap();
    // A flat picture: lossless WebP beats JPEG, so both formats are published.
    let big = DynamicImage::new_rgb8(1200, 800);
    let small = DynamicImage::new_rgba8(300, 200);
    let assets = vec![
        asset(t.path(), "big.jpg", &big, image::ImageFormat::Jpeg),
        asset(t.path(), "small.png", &small, image::ImageFormat::Png),
    ];
    let mut d = Diagnostics::new();
    let p = process(t.path(), t.path(), &assets, true, &mut d, None);
    assert!(d.is_empty());
    assert_eq!((p.processed, p.reused), (2, 0));
    let b = p.get("stories", "k", "big.jpg").unwrap();
    let widths: Vec<u32> = b.fallback().map(|v| v.width).collect();
    assert_eq!(widths, [480, 960, 1200]);
    assert_eq!(b.fallback().last().unwrap().height, 800);
    assert_eq!(b.variants[0].height, 320);
    let s = p.get("stories", "k", "small.png").unwrap();
    assert_eq!(s.fallback().map(|v| v.width).collect::<Vec<_>>(), [300]);
    assert_eq!(
        s.fallback().next().unwrap().format,
        Format::Png,
        "transparency keeps PNG"
    );
    let again = process(t.path(), t.path(), &assets, true, &mut d, None);
    assert_eq!((again.processed, again.reused), (0, 2));
    let html = picture_html(
        b,
        &|n| format!("/storie/k/{n}"),
        "A \"kitchen\"",
        Placement::InText,
    );
    assert!(html.contains(r#"srcset="/storie/k/big-480.webp 480w, /storie/k/big-960.webp 960w, /storie/k/big-1200.webp 1200w""#), "{html}");
    assert!(
        html.contains(r#"src="/storie/k/big-960.jpg""#)
            && html.contains(r#"width="1200" height="800""#)
    );
    assert!(
        html.contains(r#"alt="A &quot;kitchen&quot;" loading="lazy" decoding="async""#),
        "{html}"
    );
}

#[test]
fn a_corrupt_picture_is_a_diagnostic() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("broken.jpg");
    fs::write(&p, b"\xff\xd8\xff\xe0 not really a jpeg").unwrap();
    let a = Asset {
        section: "stories".into(),
        key: "k".into(),
        name: "broken.jpg".into(),
        abs: p,
    };
    let mut d = Diagnostics::new();
    let r = process(t.path(), t.path(), &[a], true, &mut d, None);
    assert!(r.by_asset.is_empty());
    let e = d.sorted()[0].render(false);
    assert!(
        e.contains("the picture is incomplete or damaged") && e.contains("broken.jpg"),
        "{e}"
    );
}

fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    img.write_to(&mut buf, format).unwrap();
    buf.into_inner()
}

fn samples() -> Vec<(Kind, Vec<u8>)> {
    let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, (x ^ y) as u8])
    }));
    [
        (Kind::Jpeg, ImageFormat::Jpeg),
        (Kind::Png, ImageFormat::Png),
        (Kind::Gif, ImageFormat::Gif),
        (Kind::Webp, ImageFormat::WebP),
        (Kind::Tiff, ImageFormat::Tiff),
        (Kind::Bmp, ImageFormat::Bmp),
    ]
    .into_iter()
    .map(|(k, f)| (k, encoded(&img, f)))
    .collect()
}

/// Classifies and decodes as a build does, but without catching a panic: a panic fails
/// the test.
fn open(name: &str, bytes: &[u8]) -> Result<DynamicImage, Problem> {
    let budget = Budget::new(WORK_BUDGET);
    let kind = classify(name, bytes)?.ok_or_else(|| unsupported("none"))?;
    decode(bytes, kind, &budget).map(|(img, _)| img)
}

#[test]
fn what_a_file_is_follows_its_content_and_its_name() {
    for (kind, bytes) in samples() {
        assert_eq!(sniff(&bytes), Some(kind));
        assert_eq!(classify("a.jpg", &bytes), Ok(Some(kind)), "{kind:?}");
        let e = classify("a.pdf", &bytes).unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "`a.pdf` is a {} picture under a name that does not say so",
                kind.name()
            )
        );
        assert!(
            e.help
                .starts_with(&format!("rename it to `a.{}`", kind.ext()))
        );
        assert!(open("a.jpg", &bytes).is_ok(), "{kind:?}");
    }
    for name in [
        "a.jpg",
        "b.JPEG",
        "c.jfif",
        "d.jpe",
        "e.pjpeg",
        "f.png",
        "g.apng",
        "h.webp",
        "i.gif",
        "j.tif",
        "k.TIFF",
        "l.bmp",
        "m.heic",
        "n.heif",
        "o.avif",
        "p.jxl",
        "q.ico",
        "r.dng",
        "s.psd",
        "dir/t.nef",
    ] {
        assert!(is_raster(name), "{name}");
    }
    for name in ["a.pdf", "b.svg", "c.html", "jpg", "d.jpg.txt", "e.mp4", "f"] {
        assert!(!is_raster(name), "{name}");
    }
    assert_eq!(classify("doc.pdf", b"%PDF-1.7 ..."), Ok(None));
    assert_eq!(classify("notes.txt", b"BMW and more text here"), Ok(None));
    assert_eq!(
        classify("clip.mp4", b"\0\0\0\x18ftypisom\0\0\0\0"),
        Ok(None)
    );
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert_eq!(sniff(heic), Some(Kind::Heif));
    assert!(
        classify("a.heic", heic)
            .unwrap_err()
            .message
            .contains("HEIC")
    );
    assert!(
        classify("a.jpg", heic)
            .unwrap_err()
            .message
            .contains("HEIC")
    );
    assert!(
        classify("a.pdf", heic)
            .unwrap_err()
            .message
            .contains("HEIC")
    );
    assert!(
        classify("a.jxl", b"")
            .unwrap_err()
            .message
            .starts_with("this picture is in the JXL format")
    );
    assert!(
        classify("a.png", b"")
            .unwrap_err()
            .message
            .starts_with("this file is named as a picture but does not hold one")
    );
}

#[test]
fn sizes_are_checked_from_the_header_with_the_numbers_in_the_message() {
    assert!(
        check_size(8160, 6120, 8160 * 6120 * 3).is_ok(),
        "a 50 MP photo"
    );
    let e = check_size(16320, 12240, 16320 * 12240 * 3).unwrap_err();
    assert_eq!(
        e.message,
        "this picture is 16320 × 12240 px (199.8 megapixels); the limit is 100 megapixels and 20000 px a side, so that a build cannot run out of memory"
    );
    assert_eq!(
        e.help,
        "export it smaller, e.g. 4000 px wide, as JPEG: the site never shows a picture wider than 1440 px"
    );
    assert!(check_size(20001, 10, 60003).is_err());
    let e = check_size(10000, 9000, 10000 * 9000 * 8).unwrap_err();
    assert_eq!(
        e.message,
        "this picture is 10000 × 9000 px with 8 bytes a pixel, which takes 687 MB of memory to open; the limit is 512 MB"
    );
    assert!(check_size(0, 10, 0).is_err());
}

#[test]
fn cut_off_pictures_are_refused() {
    for (kind, whole) in samples() {
        let mut cuts: Vec<usize> = (1..8).map(|i| whole.len() * i / 8).collect();
        cuts.extend([whole.len() - 1, whole.len().saturating_sub(2), 40]);
        for cut in cuts {
            let e = open("a.jpg", &whole[..cut]).err();
            assert!(
                e.as_ref().is_some_and(|e| e
                    .message
                    .starts_with("the picture is incomplete or damaged")
                    || e.message.starts_with("this file is named as a picture")),
                "{kind:?} cut at {cut} of {}: {e:?}",
                whole.len()
            );
        }
    }
}

#[test]
fn no_input_makes_it_panic() {
    // A small deterministic generator (xorshift): the same inputs on every run.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (kind, whole) in samples() {
        for _ in 0..150 {
            let mut b = whole.clone();
            // A few bytes changed, most often in the header, where the sizes are.
            for _ in 0..1 + next() % 4 {
                let at = if next() % 2 == 0 {
                    next() as usize % b.len().min(64)
                } else {
                    next() as usize % b.len()
                };
                b[at] = next() as u8;
            }
            if next() % 4 == 0 {
                b.truncate(next() as usize % b.len());
            }
            let _ = open(&format!("x.{}", kind.ext()), &b);
        }
    }
    for _ in 0..300 {
        let len = next() as usize % 200;
        let mut b: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        // Random bytes behind each real signature.
        let sigs: [&[u8]; 6] = [
            b"\xFF\xD8\xFF",
            b"\x89PNG\r\n\x1A\n",
            b"GIF89a",
            b"RIFF\0\0\0\0WEBP",
            b"II*\0",
            b"BM",
        ];
        let sig = sigs[next() as usize % sigs.len()];
        b.splice(0..0, sig.iter().copied());
        let _ = open("x.jpg", &b);
    }
}

#[test]
fn the_budget_is_shared_and_always_granted() {
    let budget = Budget::new(100);
    let a = budget.take(60);
    assert_eq!(a.bytes, 60);
    std::thread::scope(|s| {
        let waiting = s.spawn(|| budget.take(60).bytes);
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!waiting.is_finished(), "waits while the memory is held");
        drop(a);
        assert_eq!(waiting.join().unwrap(), 60);
    });
    assert_eq!(estimate(0, 100_000, 100_000, u64::MAX / 8), WORK_BUDGET);
}

/// A picture with the detail of a photo: gradients and a little deterministic noise.
fn photo(w: u32, h: u32) -> DynamicImage {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 24) as u32;
        image::Rgb([
            ((x * 255 / w + n) % 256) as u8,
            ((y * 255 / h + n) % 256) as u8,
            (((x + y) / 4 + n) % 256) as u8,
        ])
    }))
}

/// The four-character codes of a RIFF file's chunks (a WebP's `VP8 `, `VP8L`, `EXIF`, …).
fn riff_chunks(b: &[u8]) -> Vec<String> {
    assert_eq!((&b[..4], &b[8..12]), (&b"RIFF"[..], &b"WEBP"[..]));
    let mut at = 12;
    let mut out = Vec::new();
    while at + 8 <= b.len() {
        out.push(String::from_utf8_lossy(&b[at..at + 4]).into_owned());
        let len = u32::from_le_bytes([b[at + 4], b[at + 5], b[at + 6], b[at + 7]]) as usize;
        at += 8 + len + len % 2;
    }
    out
}

#[test]
fn a_photo_gets_a_lossy_webp_smaller_than_its_jpeg_made_once_and_alike_every_time() {
    let t = tempfile::tempdir().unwrap();
    let assets = vec![asset(
        t.path(),
        "foto.jpg",
        &photo(1000, 700),
        ImageFormat::Png,
    )];
    let mut d = Diagnostics::new();
    let p = process(t.path(), t.path(), &assets, true, &mut d, None);
    assert!(d.is_empty());
    assert_eq!((p.processed, p.reused), (1, 0));
    let pic = p.get("stories", "k", "foto.jpg").unwrap();
    let webp: Vec<&Variant> = pic.webp().collect();
    let jpeg: Vec<&Variant> = pic.fallback().collect();
    assert_eq!(webp.len(), jpeg.len(), "a WebP beside every JPEG");
    let mut first = Vec::new();
    for (w, j) in webp.iter().zip(&jpeg) {
        assert_eq!((w.width, w.height), (j.width, j.height));
        let (wb, jb) = (fs::read(&w.cached).unwrap(), fs::read(&j.cached).unwrap());
        assert!(
            wb.len() * 10 < jb.len() * 7,
            "{}: WebP {} bytes, JPEG {}",
            w.file_name,
            wb.len(),
            jb.len()
        );
        // Lossy (VP8), and nothing but the picture: no EXIF, XMP or ICC chunk.
        assert_eq!(riff_chunks(&wb), ["VP8 "], "{}", w.file_name);
        first.push(wb);
    }
    // A second build reuses the cache; a fresh cache makes the very same bytes.
    let again = process(t.path(), t.path(), &assets, true, &mut d, None);
    assert_eq!((again.processed, again.reused), (0, 1));
    let fresh = tempfile::tempdir().unwrap();
    let remade = process(t.path(), fresh.path(), &assets, true, &mut d, None);
    assert_eq!(remade.processed, 1);
    let remade: Vec<Vec<u8>> = remade
        .get("stories", "k", "foto.jpg")
        .unwrap()
        .webp()
        .map(|v| fs::read(&v.cached).unwrap())
        .collect();
    assert_eq!(remade, first, "the encoder's output is deterministic");
}

#[test]
fn a_card_picture_is_lazy_with_card_sizes_and_a_cover_is_not() {
    let t = tempfile::tempdir().unwrap();
    let assets = vec![asset(
        t.path(),
        "c.jpg",
        &photo(1200, 800),
        ImageFormat::Png,
    )];
    let mut d = Diagnostics::new();
    let p = process(t.path(), t.path(), &assets, true, &mut d, None);
    let pic = p.get("stories", "k", "c.jpg").unwrap();
    let href = |n: &str| format!("../k/{n}");
    let card = PictureParts::new(pic, &href, "Un tavolo", Placement::Card).unwrap();
    assert_eq!(
        card.webp,
        "../k/c-480.webp 480w, ../k/c-960.webp 960w, ../k/c-1200.webp 1200w"
    );
    assert_eq!(
        card.srcset,
        "../k/c-480.jpg 480w, ../k/c-960.jpg 960w, ../k/c-1200.jpg 1200w"
    );
    assert_eq!((card.width, card.height, card.lazy), (1200, 800, true));
    let html = card.html();
    assert!(
        html.starts_with("<picture><source type=\"image/webp\" srcset=\"../k/c-480.webp 480w"),
        "{html}"
    );
    assert!(html.contains("sizes=\"(min-width: 75rem) 22rem,"), "{html}");
    assert!(html.ends_with("width=\"1200\" height=\"800\" alt=\"Un tavolo\" loading=\"lazy\" decoding=\"async\"></picture>"), "{html}");
    let cover = picture_html(pic, &href, "Un tavolo", Placement::Cover);
    assert!(cover.contains("<source type=\"image/webp\""), "{cover}");
    assert!(!cover.contains("loading="), "{cover}");
}
