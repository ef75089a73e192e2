//! Hostile pictures (the build is the security boundary; authors are not trusted): pictures
//! too large, or that only claim to be, cut off, under a lying or unknown name, sharing a
//! published name, or carrying metadata in every container. Each is refused with an error
//! naming the file, or published re-encoded without its metadata, within bounded time and
//! memory. Every hostile file is made here, from a few bytes; none is committed.

mod common;

use common::*;
use image::{DynamicImage, ImageFormat, RgbImage, Rgba, RgbaImage};
use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

const BUNDLE: &str = "content/stories/dal-tirocinio-in-cucina-al-contratto";

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A small photo-like picture: a gradient, so that it is not trivially compressible.
fn photo(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    }))
}

fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    img.write_to(&mut buf, format).unwrap();
    buf.into_inner()
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encoded(&photo(w, h), ImageFormat::Jpeg)
}

/// A JPEG whose frame header claims `w` × `h` (and, with `progressive`, a progressive scan),
/// over the few bytes of a 16 × 16 picture.
fn jpeg_claiming(w: u16, h: u16, progressive: bool) -> Vec<u8> {
    let mut b = jpeg(16, 16);
    let sof = b.windows(2).position(|p| p == [0xFF, 0xC0]).unwrap();
    if progressive {
        b[sof + 1] = 0xC2;
    }
    b[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    b[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    b
}

fn crc(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc(&typed).to_be_bytes());
}

/// A greyscale PNG of `w` × `h` whose rows are all zero: its IDAT is a few hundred KB that
/// inflates to `w × h` bytes (a decompression bomb, up to the header's claim).
fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; w as usize + 1];
    for _ in 0..h {
        z.write_all(&row).unwrap();
    }
    png_chunk(&mut out, b"IDAT", &z.finish().unwrap());
    png_chunk(&mut out, b"IEND", b"");
    out
}

/// A PNG whose IHDR claims `w` × `h`, with its CRC made again so that only the size is wrong.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut b = encoded(&photo(16, 16), ImageFormat::Png);
    b[16..20].copy_from_slice(&w.to_be_bytes());
    b[20..24].copy_from_slice(&h.to_be_bytes());
    let c = crc(&b[12..29]);
    b[29..33].copy_from_slice(&c.to_be_bytes());
    b
}

/// A GIF whose logical screen claims `w` × `h`.
fn gif_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut b = encoded(&photo(16, 16), ImageFormat::Gif);
    b[6..8].copy_from_slice(&w.to_le_bytes());
    b[8..10].copy_from_slice(&h.to_le_bytes());
    b
}

/// A lossless WebP whose header claims 16000 × 16000 (256 megapixels; WebP stops at 16384).
fn webp_claiming_largest() -> Vec<u8> {
    let b = encoded(&photo(16, 16), ImageFormat::WebP);
    let mut b = b;
    assert_eq!(&b[12..16], b"VP8L");
    let bits = u32::from_le_bytes([b[21], b[22], b[23], b[24]]);
    let bits = (bits & 0xF000_0000) | 15999 | (15999 << 14);
    b[21..25].copy_from_slice(&bits.to_le_bytes());
    b
}

/// An animated GIF of many frames.
fn gif_of_frames(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut out);
        let frames = (0..n).map(|i| {
            let img = RgbaImage::from_pixel(64, 64, Rgba([i as u8, 0, 0, 255]));
            image::Frame::new(img)
        });
        enc.encode_frames(frames).unwrap();
    }
    out
}

/// The demo site with `files` added to the story's bundle.
/// A copy of the demo site with `files` beside the story, each linked from its Italian text
/// (only linked files are published): shown as a picture when its name says picture.
fn site_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let t = demo_copy();
    let mut links = String::new();
    for (name, bytes) in files {
        fs::write(t.path().join(BUNDLE).join(name), bytes).unwrap();
        let ext = name
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let shown = !matches!(
            ext.as_str(),
            "pdf" | "txt" | "odt" | "docx" | "csv" | "xlsx"
        );
        links.push_str(&format!(
            "\n{}[Prova {name}](<{name}>)\n",
            if shown { "!" } else { "" }
        ));
    }
    let text = t.path().join(BUNDLE).join("index.it.md");
    let body = fs::read_to_string(&text).unwrap();
    fs::write(&text, body + &links).unwrap();
    t
}

/// Every error of a report, rendered.
fn errors(r: &vetrina::Report) -> Vec<String> {
    r.diagnostics.errors().map(|d| d.render(false)).collect()
}

/// The one error about `name`, which must name it.
fn error_at(r: &vetrina::Report, name: &str) -> String {
    let at = format!("{BUNDLE}/{name}");
    let found: Vec<String> = errors(r)
        .into_iter()
        .filter(|e| {
            e.contains(&format!("{at}:")) || e.ends_with(&at) || e.contains(&format!("{at}\n"))
        })
        .collect();
    assert_eq!(found.len(), 1, "one error at {at}, in:\n{}", rendered(r));
    found.into_iter().next().unwrap()
}

#[test]
fn pictures_too_large_are_refused_from_their_header() {
    let t = site_with(&[
        ("huge.jpg", jpeg_claiming(60000, 60000, false)),
        ("huge-progressive.jpg", jpeg_claiming(60000, 60000, true)),
        ("enorme.png", png_claiming(30000, 30000)),
        ("gigante.gif", gif_claiming(60000, 60000)),
        ("immensa.webp", webp_claiming_largest()),
        ("wide.png", png_claiming(25000, 100)),
    ]);
    let started = Instant::now();
    let r = build(t.path());
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(!r.ok());
    let e = error_at(&r, "huge.jpg");
    assert!(
        e.contains("error: this picture is 60000 × 60000 px (3600.0 megapixels); the limit is 100 megapixels and 20000 px a side, so that a build cannot run out of memory")
            && e.contains("help: export it smaller, e.g. 4000 px wide, as JPEG"),
        "{e}"
    );
    assert!(error_at(&r, "huge-progressive.jpg").contains("60000 × 60000 px"));
    assert!(error_at(&r, "enorme.png").contains("30000 × 30000 px (900.0 megapixels)"));
    assert!(error_at(&r, "gigante.gif").contains("60000 × 60000 px"));
    assert!(error_at(&r, "immensa.webp").contains("16000 × 16000 px (256.0 megapixels)"));
    assert!(error_at(&r, "wide.png").contains("25000 × 100 px (2.5 megapixels)"));
}

#[test]
fn a_picture_file_over_the_size_limit_is_refused_before_it_is_read() {
    let mut big = jpeg(16, 16);
    big.resize(51 * 1024 * 1024, 0);
    let t = site_with(&[("enorme.jpg", big)]);
    let e = error_at(&build(t.path()), "enorme.jpg");
    assert!(
        e.contains("error: this picture's file is 51 MB; the limit is 50 MB")
            && e.contains("help: export it smaller, e.g. 4000 px wide"),
        "{e}"
    );
}

#[test]
fn a_cut_off_jpeg_is_an_error_not_a_grey_picture() {
    let whole = jpeg(300, 200);
    for cut in [whole.len() - 2, whole.len() * 3 / 4, whole.len() / 2, 700] {
        let t = site_with(&[("tagliata.jpg", whole[..cut].to_vec())]);
        let e = error_at(&build(t.path()), "tagliata.jpg");
        assert!(
            e.contains("error: the picture is incomplete or damaged")
                && e.contains("help: copy it again from the camera or phone"),
            "cut at {cut}: {e}"
        );
    }
}

#[test]
fn a_cut_off_png_gif_webp_tiff_or_bmp_is_an_error() {
    let img = photo(120, 80);
    for (format, name) in [
        (ImageFormat::Png, "cut.png"),
        (ImageFormat::Gif, "cut.gif"),
        (ImageFormat::WebP, "cut.webp"),
        (ImageFormat::Tiff, "cut.tif"),
        (ImageFormat::Bmp, "cut.bmp"),
    ] {
        let whole = encoded(&img, format);
        for cut in [whole.len() - 1, whole.len() / 2] {
            let t = site_with(&[(name, whole[..cut].to_vec())]);
            let e = error_at(&build(t.path()), name);
            assert!(
                e.contains("the picture is incomplete or damaged"),
                "{name} cut at {cut} of {}: {e}",
                whole.len()
            );
        }
    }
}

#[test]
fn two_pictures_with_one_published_name_are_an_error_naming_both() {
    let png = encoded(&photo(100, 100), ImageFormat::Png);
    let jpg = jpeg(100, 100);
    let t = site_with(&[
        ("detail.png", png.clone()),
        ("Foto.JPG", jpg.clone()),
        ("foto.jpg", jpg.clone()),
    ]);
    let r = build(t.path());
    assert!(!r.ok());
    let e = error_at(&r, "detail.png");
    assert!(
        e.contains("error: `detail.jpg` and `detail.png` would be published under the same names (`detail-480.jpg`, `detail-960.jpg`, …), and one would replace the other")
            && e.contains("help: rename one of them (e.g. `detail-2.png`) and change the link to it in the text"),
        "{e}"
    );
    let e = error_at(&r, "foto.jpg");
    assert!(
        e.contains("`Foto.JPG` and `foto.jpg` would be published under the same names"),
        "{e}"
    );
    // A picture named as a published size of another.
    let t = site_with(&[("detail-480.jpg", jpg)]);
    let e = error_at(&build(t.path()), "detail-480.jpg");
    assert!(
        e.contains("error: `detail-480.jpg` has the name of a published size of `detail.jpg`, and one would replace the other"),
        "{e}"
    );
}

#[test]
fn every_picture_name_is_re_encoded_or_refused_never_copied() {
    let jpg = jpeg(200, 100);
    let t = site_with(&[
        ("foto.jfif", jpg.clone()),
        ("foto2.jpe", jpg.clone()),
        ("scan.tif", encoded(&photo(200, 100), ImageFormat::Tiff)),
        ("scan2.bmp", encoded(&photo(200, 100), ImageFormat::Bmp)),
        // A PNG under a JPEG name is decoded as the PNG it is.
        ("finta.jpg", encoded(&photo(200, 100), ImageFormat::Png)),
    ]);
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let dir = t
        .path()
        .join("public/storie/dal-tirocinio-in-cucina-al-contratto");
    for stem in ["foto", "foto2", "scan", "scan2", "finta"] {
        assert!(dir.join(format!("{stem}-200.jpg")).is_file(), "{stem}");
    }
    for name in [
        "foto.jfif",
        "foto2.jpe",
        "scan.tif",
        "scan2.bmp",
        "finta.jpg",
    ] {
        assert!(!dir.join(name).exists(), "{name} copied as it is");
    }
}

#[test]
fn unsupported_and_lying_pictures_are_refused_with_how_to_fix() {
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    let t = site_with(&[
        ("iphone.heic", heic.clone()),
        ("iphone-renamed.jpg", heic),
        (
            "foto.avif",
            b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf".to_vec(),
        ),
        ("raw.dng", b"II*\0\x08\0\0\0 camera raw".to_vec()),
        (
            "not-a-picture.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        ("empty.jpg", Vec::new()),
        ("hidden.pdf", encoded(&photo(20, 20), ImageFormat::Png)),
    ]);
    let r = build(t.path());
    assert!(!r.ok());
    for name in ["iphone.heic", "iphone-renamed.jpg"] {
        let e = error_at(&r, name);
        assert!(
            e.contains(
                "error: this is a HEIC picture (the iPhone's format), which Vetrina cannot read"
            ) && e.contains("help: save it as JPEG"),
            "{e}"
        );
    }
    let e = error_at(&r, "foto.avif");
    assert!(
        e.contains("error: this picture is in the AVIF format, which Vetrina cannot read")
            && e.contains(
                "help: open it in an image editor and save it as JPEG (photos) or PNG (drawings)"
            ),
        "{e}"
    );
    // A camera's raw file is TIFF inside; its name says what it is and it is refused.
    let e = error_at(&r, "raw.dng");
    assert!(
        e.contains("error: this picture is in the DNG format, which Vetrina cannot read"),
        "{e}"
    );
    for name in ["not-a-picture.png", "empty.jpg"] {
        let e = error_at(&r, name);
        assert!(
            e.contains(
                "error: this file is named as a picture but does not hold one that Vetrina can read"
            ),
            "{e}"
        );
    }
    let e = error_at(&r, "hidden.pdf");
    assert!(
        e.contains("error: `hidden.pdf` is a PNG picture under a name that does not say so")
            && e.contains("help: rename it to `hidden.png`"),
        "{e}"
    );
}

/// Markers put into every metadata container of every format; none may reach the output.
const MARKERS: [&[u8]; 4] = [
    b"VetrinaSecretGPS",
    b"VetrinaArtist",
    b"VetrinaXMP",
    b"VetrinaText",
];

fn png_with_metadata() -> Vec<u8> {
    let png = encoded(&photo(600, 400), ImageFormat::Png);
    let (head, rest) = png.split_at(33); // signature and IHDR
    let mut out = head.to_vec();
    png_chunk(&mut out, b"tEXt", b"Author\0VetrinaArtist");
    png_chunk(
        &mut out,
        b"iTXt",
        b"XML:com.adobe.xmp\0\0\0\0\0<x>VetrinaXMP</x>",
    );
    png_chunk(&mut out, b"eXIf", b"MM\0*\0\0\0\x08VetrinaSecretGPS");
    png_chunk(&mut out, b"zTXt", b"Comment\0\0x\x9c"); // a damaged ancillary chunk is metadata too
    out.extend_from_slice(rest);
    // Text after the picture data too.
    let iend = out.len() - 12;
    let mut tail = Vec::new();
    png_chunk(&mut tail, b"tEXt", b"Comment\0VetrinaText");
    out.splice(iend..iend, tail);
    out
}

fn webp_with_metadata() -> Vec<u8> {
    let webp = encoded(&photo(600, 400), ImageFormat::WebP);
    let vp8l = &webp[12..];
    let (w, h) = (600u32 - 1, 400u32 - 1);
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0u8; 10];
    vp8x[0] = 0x08 | 0x04; // EXIF and XMP present
    vp8x[4..7].copy_from_slice(&w.to_le_bytes()[..3]);
    vp8x[7..10].copy_from_slice(&h.to_le_bytes()[..3]);
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        body.extend_from_slice(kind);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    };
    chunk(b"VP8X", &vp8x);
    chunk(b"VP8L", &vp8l[8..]);
    chunk(b"EXIF", b"MM\0*\0\0\0\x08VetrinaSecretGPS VetrinaArtist");
    chunk(b"XMP ", b"<x>VetrinaXMP VetrinaText</x>");
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// A TIFF with an Artist tag (315) and an ImageDescription (270) among its own tags.
fn tiff_with_metadata() -> Vec<u8> {
    use tiff_tags::*;
    let img = photo(600, 400).to_rgb8();
    let mut out = Cursor::new(Vec::new());
    let mut enc = tiff::encoder::TiffEncoder::new(&mut out).unwrap();
    let mut im = enc
        .new_image::<tiff::encoder::colortype::RGB8>(600, 400)
        .unwrap();
    im.encoder().write_tag(ARTIST, "VetrinaArtist").unwrap();
    im.encoder()
        .write_tag(DESCRIPTION, "VetrinaSecretGPS VetrinaText VetrinaXMP")
        .unwrap();
    im.write_data(img.as_raw()).unwrap();
    out.into_inner()
}

mod tiff_tags {
    pub const ARTIST: tiff::tags::Tag = tiff::tags::Tag::Artist;
    pub const DESCRIPTION: tiff::tags::Tag = tiff::tags::Tag::ImageDescription;
}

#[test]
fn no_metadata_of_any_format_reaches_the_output() {
    let exif = fs::read(demo_root().join("tests/fixtures/gps-exif.jpg")).unwrap();
    let files = [
        ("meta-png.png", png_with_metadata()),
        ("meta-webp.webp", webp_with_metadata()),
        ("meta-tiff.tif", tiff_with_metadata()),
        ("meta-jfif.jfif", exif.clone()),
    ];
    for (name, bytes) in &files {
        assert!(
            MARKERS.iter().any(|m| contains(bytes, m)) || contains(bytes, b"VetrinaTestCamera"),
            "{name} carries the markers"
        );
    }
    let t = site_with(&files);
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let out = t.path().join("public");
    let mut published = 0;
    for (path, bytes) in tree(&out) {
        let p = path.to_string_lossy();
        for m in MARKERS
            .iter()
            .chain([&&b"VetrinaTestCamera"[..], &&b"Exif\0\0"[..]])
        {
            assert!(
                !contains(&bytes, m),
                "{p} carries {:?}",
                String::from_utf8_lossy(m)
            );
        }
        if p.contains("/meta-") {
            published += 1;
        }
    }
    // 600 px: 480 and 600 wide, for each of the three pictures of that size.
    assert!(published >= 6, "{published}");
}

#[test]
fn many_frames_and_inflating_pictures_within_the_limits_are_published_quickly() {
    let t = site_with(&[
        ("animata.gif", gif_of_frames(500)),
        ("bomba.png", png_bomb(10_000, 10_000)),
    ]);
    let started = Instant::now();
    let r = build(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let dir = t
        .path()
        .join("public/storie/dal-tirocinio-in-cucina-al-contratto");
    assert!(dir.join("animata-64.png").is_file() || dir.join("animata-64.jpg").is_file());
    assert!(dir.join("bomba-1440.jpg").is_file());
}

/// The memory a whole build of hostile and large pictures takes, measured in a process of its
/// own (this test binary run again for that test alone), so that other tests running at the
/// same time do not count.
#[test]
fn a_build_of_hostile_pictures_stays_within_time_and_memory() {
    const CHILD: &str = "VETRINA_HARDENING_MEMORY_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let big = encoded(&photo(8000, 6000), ImageFormat::Jpeg); // a 48 MP photo
        let t = site_with(&[
            ("grande1.jpg", big.clone()),
            ("grande2.jpg", big.clone()),
            ("grande3.png", png_bomb(10_000, 10_000)),
            ("finto-progressivo.jpg", jpeg_claiming(10_000, 10_000, true)),
            ("finto.jpg", jpeg_claiming(10_000, 10_000, false)),
            ("huge.jpg", jpeg_claiming(60000, 60000, true)),
            ("enorme.png", png_claiming(30000, 30000)),
            ("gigante.gif", gif_claiming(60000, 60000)),
            ("immensa.webp", webp_claiming_largest()),
        ]);
        // A cache of its own: pictures taken from the shared one would not be decoded.
        let cache = tempfile::tempdir().unwrap();
        let mut o = opts(t.path());
        o.cache_dir = Some(cache.path().to_path_buf());
        let started = Instant::now();
        let r = vetrina::build(&o);
        let took = started.elapsed();
        let errs = errors(&r);
        // The JPEG that claims 10000 × 10000 over 16 × 16 pixels of data is complete (it
        // reaches its end marker): it is decoded, 100 megapixels of mostly grey, and published.
        assert_eq!(errs.len(), 5, "{}", rendered(&r));
        for name in [
            "finto-progressivo.jpg",
            "huge.jpg",
            "enorme.png",
            "gigante.gif",
            "immensa.webp",
        ] {
            assert!(
                errs.iter().any(|e| e.contains(&format!("{BUNDLE}/{name}"))),
                "{name}"
            );
        }
        println!("build {took:?}");
        assert!(took < Duration::from_secs(60), "{took:?}");
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let peak_kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        println!("peak {} MB", peak_kb / 1024);
        assert!(peak_kb < 1536 * 1024, "peak {} MB", peak_kb / 1024);
        return;
    }
    if !Path::new("/proc/self/status").exists() {
        return; // peak memory is read from Linux's /proc
    }
    let started = Instant::now();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_build_of_hostile_pictures_stays_within_time_and_memory",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(240) {
            child.kill().unwrap();
            panic!("the test took more than 240 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(status.success(), "{out}");
    eprintln!("{out}");
}
