//! Images: every picture of a bundle is decoded once, turned upright (EXIF orientation),
//! resized to a few widths and re-encoded, so that no EXIF, XMP, IPTC or GPS data is ever
//! published; the original file never is.
//!
//! Pictures come from authors and are not trusted: the build is the security boundary. So
//! - what a file is follows its content (its first bytes) as well as its name: a file that is
//!   a picture by either is re-encoded or refused with an error, never copied as it is
//!   ([`classify`]); a PNG named `.jpg` is decoded as the PNG it is;
//! - a picture is decoded only after its header says that it fits the limits below (file size,
//!   pixels, memory), and the pictures decoded at once share one memory budget, whatever the
//!   number of threads;
//! - a cut-off or damaged picture is an error, never a grey patch: JPEG is decoded strictly,
//!   and PNG, GIF and WebP must end where their structure says they end;
//! - two pictures of a bundle that would publish under one name are an error naming both.
//!
//! Results are cached by a hash of the source bytes and the settings in
//! `<site>/.vetrina-cache/images/`, so an unchanged picture is processed once across builds.
//! Pictures are processed in parallel. A refused, corrupt or unsupported file is a diagnostic
//! naming it, never a panic.

use std::collections::HashMap;
use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::diag::Diagnostics;
use crate::load::Asset;

/// Target widths in CSS pixels; an image is never enlarged.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];
const JPEG_QUALITY: u8 = 80;
/// Changing how images are made or which pictures are accepted must change this, so that old
/// cache entries are not reused. v3: entries made before pictures were checked for being
/// complete may hold a cut-off photo filled with grey; they must be made (and refused) again.
const SETTINGS: &str = "v3;jpeg80;webp-lossless-if-smaller;480,960,1440;box-to-2x;catmull-rom";

/// The largest picture file read. A photo exported for the web is a few MB, a camera's JPEG
/// 5-20 MB; beyond this the file is not meant for a website, and reading it would hold that
/// much memory per thread before anything else is known.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// The most pixels a picture may have. A 50 MP phone photo passes; a 200 MP one (or a header
/// that merely claims 60000 × 60000) is refused before any pixel is decoded. At 3 bytes a
/// pixel this is 300 MB decoded, and the site shows at most 1,440 px wide.
pub const MAX_PIXELS: u64 = 100_000_000;
/// The longest side a picture may have. Resizing keeps floating-point copies (16 bytes a
/// pixel) whose size follows the picture's height, so the side, not only the pixel count,
/// bounds the memory; 20,000 px still leaves room for a phone's panorama.
pub const MAX_SIDE: u32 = 20_000;
/// The most memory the decoded pixels of one picture may take (the decoders' allocation cap):
/// 100 MP at 8 bits a colour fits; the same picture at 16 bits does not.
const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;
/// The memory that all the pictures being processed at once may take together. Each picture
/// reserves its estimate (see `estimate`) before decoding and waits while the others hold too
/// much, so that two or more threads on large pictures cannot add up past the machine: with
/// the rest of a build, a build stays within about 1.5 GB.
const WORK_BUDGET: u64 = 1024 * 1024 * 1024;

/// A picture that cannot be published, in words for the people who put it there: what is
/// wrong (`message`) and what to do (`help`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

impl Problem {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            help: help.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.help)
    }
}

const SAVE_AS: &str = "open it in an image editor and save it as JPEG (photos) or PNG (drawings)";
const EXPORT_SMALLER: &str = "export it smaller, e.g. 4000 px wide, as JPEG: the site never shows a picture wider than 1440 px";

/// A kind of picture, as its first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Tiff,
    Bmp,
    Heif,
    Avif,
    JpegXl,
    Jpeg2000,
    Photoshop,
}

impl Kind {
    /// Whether Vetrina decodes and re-encodes this kind; the others are refused.
    pub fn accepted(self) -> bool {
        self.format().is_some()
    }

    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Gif => "GIF",
            Kind::Webp => "WebP",
            Kind::Tiff => "TIFF",
            Kind::Bmp => "BMP",
            Kind::Heif => "HEIC",
            Kind::Avif => "AVIF",
            Kind::JpegXl => "JPEG XL",
            Kind::Jpeg2000 => "JPEG 2000",
            Kind::Photoshop => "Photoshop",
        }
    }

    /// The usual extension of a file of this kind.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Gif => "gif",
            Kind::Webp => "webp",
            Kind::Tiff => "tif",
            Kind::Bmp => "bmp",
            Kind::Heif => "heic",
            Kind::Avif => "avif",
            Kind::JpegXl => "jxl",
            Kind::Jpeg2000 => "jp2",
            Kind::Photoshop => "psd",
        }
    }

    fn format(self) -> Option<ImageFormat> {
        match self {
            Kind::Jpeg => Some(ImageFormat::Jpeg),
            Kind::Png => Some(ImageFormat::Png),
            Kind::Gif => Some(ImageFormat::Gif),
            Kind::Webp => Some(ImageFormat::WebP),
            Kind::Tiff => Some(ImageFormat::Tiff),
            Kind::Bmp => Some(ImageFormat::Bmp),
            _ => None,
        }
    }
}

/// How many first bytes of a file [`sniff`] and [`classify`] need.
pub const SNIFF_LEN: usize = 32;

/// The kind of picture a file's first bytes (at least [`SNIFF_LEN`] of them, or the whole
/// file if shorter) show, by signatures strong enough not to mistake a document for a
/// picture (which is why weak ones, such as ICO's or PNM's, are left out).
pub fn sniff(head: &[u8]) -> Option<Kind> {
    let at = |i: usize, sig: &[u8]| head.get(i..i + sig.len()) == Some(sig);
    if at(0, b"\xFF\xD8\xFF") {
        return Some(Kind::Jpeg);
    }
    if at(0, b"\x89PNG\r\n\x1A\n") {
        return Some(Kind::Png);
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return Some(Kind::Gif);
    }
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return Some(Kind::Webp);
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") || at(0, b"II+\0") || at(0, b"MM\0+") {
        return Some(Kind::Tiff);
    }
    // "BM" alone would match text; the size of the header that follows must be one of BMP's.
    if at(0, b"BM")
        && let Some(h) = head.get(14..18)
        && [12, 16, 40, 52, 56, 64, 108, 124]
            .contains(&u32::from_le_bytes([h[0], h[1], h[2], h[3]]))
    {
        return Some(Kind::Bmp);
    }
    if at(4, b"ftyp") {
        let brand = head.get(8..12)?;
        return match brand {
            b"avif" | b"avis" => Some(Kind::Avif),
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"hevm" | b"hevs"
            | b"mif1" | b"msf1" => Some(Kind::Heif),
            _ => None,
        };
    }
    if at(0, b"\xFF\x0A") || at(0, b"\0\0\0\x0CJXL \r\n\x87\n") {
        return Some(Kind::JpegXl);
    }
    if at(0, b"\0\0\0\x0CjP  \r\n\x87\n") || at(0, b"\xFF\x4F\xFF\x51") {
        return Some(Kind::Jpeg2000);
    }
    if at(0, b"8BPS") {
        return Some(Kind::Photoshop);
    }
    None
}

/// Extensions of the pictures Vetrina decodes and re-encodes.
const ACCEPTED_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "jif", "pjpeg", "pjp", "png", "apng", "webp", "gif", "tif",
    "tiff", "bmp", "dib",
];
/// Extensions of pictures it refuses: formats it cannot decode (so it could not remove their
/// metadata), among them cameras' raw files, which carry the most of it.
const REFUSED_EXTENSIONS: &[&str] = &[
    "heic", "heif", "hif", "avif", "jxl", "jp2", "j2k", "jpf", "jpx", "jpm", "psd", "psb", "xcf",
    "ico", "cur", "icns", "tga", "pcx", "exr", "hdr", "pbm", "pgm", "ppm", "pnm", "pam", "qoi",
    "dds", "raw", "dng", "cr2", "cr3", "crw", "nef", "nrw", "arw", "srf", "sr2", "orf", "rw2",
    "raf", "pef", "srw", "x3f", "3fr", "erf", "kdc", "mrw", "rwl", "iiq",
];

fn extension(name: &str) -> Option<String> {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// Whether the name says picture (of any raster format, accepted or not): such a file is
/// never published as it is, only re-encoded, or refused by [`process`].
pub fn is_raster(name: &str) -> bool {
    extension(name).is_some_and(|e| {
        ACCEPTED_EXTENSIONS.contains(&e.as_str()) || REFUSED_EXTENSIONS.contains(&e.as_str())
    })
}

/// What to do with a file beside a text, from its name and its first bytes (at least
/// [`SNIFF_LEN`], or the whole file):
/// - `Ok(Some(kind))`: a picture to decode (as `kind`, whatever its name says) and re-encode;
/// - `Ok(None)`: not a picture, by name or content: a document, judged by its own rules;
/// - `Err(problem)`: a picture that cannot be published: an unsupported format, a name that
///   says picture over content that is none, or a picture under a name that hides it (a PNG
///   named `.pdf` would otherwise be copied with all its metadata).
pub fn classify(name: &str, head: &[u8]) -> Result<Option<Kind>, Problem> {
    let named = is_raster(name);
    // A name of a format Vetrina cannot read is refused whatever is inside: a camera's raw
    // file is a TIFF inside, and decoding it would publish its small preview.
    if let Some(e) = extension(name)
        && REFUSED_EXTENSIONS.contains(&e.as_str())
    {
        return Err(match sniff(head) {
            Some(kind) if !kind.accepted() => unsupported(kind.name()),
            _ => unsupported(&e.to_ascii_uppercase()),
        });
    }
    match sniff(head) {
        Some(kind) if !kind.accepted() => Err(unsupported(kind.name())),
        Some(kind) if named => Ok(Some(kind)),
        Some(kind) => {
            let file = name.rsplit('/').next().unwrap_or(name);
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            Err(Problem::new(
                format!(
                    "`{file}` is a {} picture under a name that does not say so",
                    kind.name()
                ),
                format!(
                    "rename it to `{stem}.{}` and link it as a picture: pictures are published only re-encoded, without hidden data such as where a photo was taken",
                    kind.ext()
                ),
            ))
        }
        None if !named => Ok(None),
        None => Err(Problem::new(
            "this file is named as a picture but does not hold one that Vetrina can read (JPEG, PNG, WebP, GIF, TIFF or BMP): it may be empty, cut off, or of another kind",
            format!("copy it again from the camera or phone, or {SAVE_AS}"),
        )),
    }
}

fn unsupported(kind: &str) -> Problem {
    if kind == "HEIC" || kind == "HEIF" || kind == "HIF" {
        return Problem::new(
            "this is a HEIC picture (the iPhone's format), which Vetrina cannot read, so it cannot remove the hidden data it carries (such as where the photo was taken)",
            "save it as JPEG: open it on a computer and export it as JPEG (on the iPhone, Settings > Camera > Formats > Most Compatible takes JPEG photos from then on)",
        );
    }
    Problem::new(
        format!(
            "this picture is in the {kind} format, which Vetrina cannot read, so it cannot remove the hidden data it may carry (such as where a photo was taken)"
        ),
        format!("{SAVE_AS}, and link that file instead"),
    )
}

fn damaged(detail: impl std::fmt::Display) -> Problem {
    Problem::new(
        format!("the picture is incomplete or damaged ({detail})"),
        "copy it again from the camera or phone; if it still fails, open it in an image editor and save it again as JPEG or PNG",
    )
}

fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// Refuses a picture whose header says it is too large, before any pixel is decoded.
fn check_size(w: u32, h: u32, decoded_bytes: u64) -> Result<(), Problem> {
    let pixels = w as u64 * h as u64;
    if pixels == 0 {
        return Err(damaged("its header says it has no pixels"));
    }
    if pixels > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(Problem::new(
            format!(
                "this picture is {w} × {h} px ({:.1} megapixels); the limit is {} megapixels and {MAX_SIDE} px a side, so that a build cannot run out of memory",
                pixels as f64 / 1e6,
                MAX_PIXELS / 1_000_000
            ),
            EXPORT_SMALLER,
        ));
    }
    if decoded_bytes > MAX_DECODED_BYTES {
        return Err(Problem::new(
            format!(
                "this picture is {w} × {h} px with {} bytes a pixel, which takes {} MB of memory to open; the limit is {} MB",
                decoded_bytes / pixels,
                megabytes(decoded_bytes),
                megabytes(MAX_DECODED_BYTES)
            ),
            format!("{EXPORT_SMALLER} (8 bits a colour)"),
        ));
    }
    Ok(())
}

/// The memory one picture may take while it is processed: the file, the decoder's work (a
/// progressive JPEG keeps every coefficient, twice the decoded size), the picture turned
/// upright, and the floating-point column of the largest resize.
fn estimate(file: usize, w: u32, h: u32, decoded_bytes: u64) -> u64 {
    let side = w.max(h) as u64;
    let widest = WIDTHS[WIDTHS.len() - 1].min(w.max(h)) as u64;
    (file as u64 + 3 * decoded_bytes + side * widest * 16).min(WORK_BUDGET)
}

/// The memory shared by the pictures being processed at once ([`WORK_BUDGET`]).
struct Budget {
    free: Mutex<u64>,
    freed: Condvar,
}

/// Memory taken from the budget, given back when dropped.
struct Lease<'b> {
    budget: &'b Budget,
    bytes: u64,
}

impl Budget {
    fn new(bytes: u64) -> Budget {
        Budget {
            free: Mutex::new(bytes),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` (at most the whole budget, so that it always comes) are free. Each
    /// thread holds one lease at a time, so the threads cannot wait on each other for ever.
    fn take(&self, bytes: u64) -> Lease<'_> {
        let bytes = bytes.min(WORK_BUDGET);
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free < bytes {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= bytes;
        Lease {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut free = self.budget.free.lock().unwrap_or_else(|e| e.into_inner());
        *free += self.bytes;
        self.budget.freed.notify_all();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
}

/// One published file of a picture.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Published file name, beside the page: `cover-960.jpg`.
    pub file_name: String,
    /// The encoded file in the cache (absent in `check`, which writes nothing).
    pub cached: PathBuf,
}

/// A processed picture: its variants, smallest first, fallback format first.
#[derive(Debug, Clone)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

impl Picture {
    /// The variants in the fallback format (JPEG, or PNG for pictures with transparency).
    pub fn fallback(&self) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(|v| v.format != Format::Webp)
    }
    pub fn webp(&self) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(|v| v.format == Format::Webp)
    }
}

/// All pictures of the site by (section, bundle key, file name).
#[derive(Debug, Default)]
pub struct Pictures {
    pub by_asset: HashMap<(String, String, String), Picture>,
    pub processed: usize,
    pub reused: usize,
}

impl Pictures {
    pub fn get(&self, section: &str, key: &str, name: &str) -> Option<&Picture> {
        self.by_asset
            .get(&(section.to_string(), key.to_string(), name.to_string()))
    }
}

/// The pictures of the last build of this process (`vetrina serve`) by source file, with the
/// size and time the file had: an unchanged file is not even read again.
pub type Memo = rustc_hash::FxHashMap<PathBuf, (u64, std::time::SystemTime, Picture)>;

/// A name as the disks and servers that ignore case and Unicode normalisation see it
/// (macOS, Windows): `Detail.JPG` and `detail.jpg` are one file there.
fn folded(name: &str) -> String {
    name.nfc().flat_map(char::to_lowercase).collect()
}

/// The name without its extension: the published variants are `<stem>-<width>.<format>`.
fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((s, _)) if !s.ends_with('/') && !s.is_empty() => s,
        _ => name,
    }
}

/// Pictures of one bundle whose published names would be the same (their stems are equal but
/// for case or Unicode normalisation): for each, the index of the first of its group.
fn same_stems(assets: &[Asset]) -> HashMap<usize, usize> {
    let mut groups: HashMap<(&str, &str, String), Vec<usize>> = HashMap::new();
    for (i, a) in assets.iter().enumerate() {
        if is_raster(&a.name) {
            groups
                .entry((&a.section, &a.key, folded(stem(&a.name))))
                .or_default()
                .push(i);
        }
    }
    let mut clash = HashMap::new();
    for mut g in groups.into_values().filter(|g| g.len() > 1) {
        g.sort_by(|x, y| assets[*x].name.cmp(&assets[*y].name));
        for i in &g {
            clash.insert(*i, g[0]);
        }
    }
    clash
}

/// Processes every picture asset, reusing the cache; `write_cache` is false for `check`.
/// Every other asset's first bytes are looked at too: a picture under another name is refused.
pub fn process(
    root: &Path,
    cache_dir: &Path,
    assets: &[Asset],
    write_cache: bool,
    diags: &mut Diagnostics,
    memo: Option<&mut Memo>,
) -> Pictures {
    let cache = cache_dir.join("images");
    /// A picture and whether it came from the cache, or why it cannot be published.
    type Outcome = Result<(Picture, bool), Problem>;
    type Stamp = Option<(u64, std::time::SystemTime)>;
    let rel = |a: &Asset| {
        a.abs
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| a.abs.clone())
    };
    let clash = same_stems(assets);
    let mut firsts: Vec<(usize, usize)> = clash
        .iter()
        .filter(|(i, first)| i != first)
        .map(|(i, first)| (*i, *first))
        .collect();
    firsts.sort();
    for (i, first) in firsts {
        let (a, b) = (&assets[first], &assets[i]);
        let s = stem(&b.name);
        diags.file_error(
            &rel(b),
            format!(
                "`{}` and `{}` would be published under the same names (`{s}-480.jpg`, `{s}-960.jpg`, …), and one would replace the other",
                a.name, b.name
            ),
            format!(
                "rename one of them (e.g. `{s}-2.{}`) and change the link to it in the text; names that differ only in capital letters are the same name on many computers and servers",
                extension(&b.name).unwrap_or_default()
            ),
        );
    }
    let old = memo.as_deref();
    let budget = Budget::new(WORK_BUDGET);
    let results: Vec<(&Asset, Outcome, Stamp)> = assets
        .par_iter()
        .enumerate()
        .filter(|(i, _)| !clash.contains_key(i))
        .filter_map(|(_, a)| {
            if !is_raster(&a.name) {
                // Not a picture by name: one by content is refused, the rest is not ours.
                let problem = head(&a.abs)
                    .ok()
                    .and_then(|h| classify(&a.name, &h).err())?;
                return Some((a, Err(problem), None));
            }
            let stamp = fs::metadata(&a.abs)
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)));
            if let (Some((len, time)), Some((l, t, p))) = (stamp, old.and_then(|o| o.get(&a.abs)))
                && (len, time) == (*l, *t)
            {
                return Some((a, Ok((p.clone(), true)), stamp));
            }
            // A decoder bug must not take the build down with it: a panic on a hostile
            // file is that file's error.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                one(a, &cache, write_cache, &budget)
            }))
            .unwrap_or_else(|_| Err(damaged("the decoder stopped on it")));
            Some((a, outcome, stamp))
        })
        .collect();
    if let Some(m) = memo {
        m.clear();
        for (a, r, stamp) in &results {
            if let (Ok((p, _)), Some((len, time))) = (r, stamp) {
                m.insert(a.abs.clone(), (*len, *time, p.clone()));
            }
        }
    }
    let mut out = Pictures::default();
    for (a, r, _) in results {
        match r {
            Ok((p, reused)) => {
                if reused {
                    out.reused += 1;
                } else {
                    out.processed += 1;
                }
                out.by_asset
                    .insert((a.section.clone(), a.key.clone(), a.name.clone()), p);
            }
            Err(p) => diags.file_error(&rel(a), p.message, p.help),
        }
    }
    // A picture named like a published size of another (`a-960.jpg` beside `a.jpg`, which
    // publishes `a-960.jpg`): a link to either would be ambiguous to whoever reads it.
    let mut published: HashMap<(&str, &str, String), &str> = HashMap::new();
    for ((section, key, name), p) in &out.by_asset {
        for v in &p.variants {
            published.insert((section, key, folded(&v.file_name)), name);
        }
    }
    let mut shadowed: Vec<(&Asset, &str)> = assets
        .iter()
        .filter(|a| is_raster(&a.name))
        .filter_map(|a| {
            let owner = published.get(&(a.section.as_str(), a.key.as_str(), folded(&a.name)))?;
            (*owner != a.name).then_some((a, *owner))
        })
        .collect();
    shadowed.sort_by(|x, y| x.0.abs.cmp(&y.0.abs));
    for (a, owner) in shadowed {
        diags.file_error(
            &rel(a),
            format!(
                "`{}` has the name of a published size of `{owner}`, and one would replace the other",
                a.name
            ),
            format!(
                "rename `{}` (e.g. `{}b.{}`) and change the link to it in the text",
                a.name,
                stem(&a.name),
                extension(&a.name).unwrap_or_default()
            ),
        );
    }
    out
}

/// The first bytes of a file, for [`classify`].
fn head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(SNIFF_LEN);
    fs::File::open(path)?
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// Reads a picture file, refusing one larger than [`MAX_FILE_BYTES`] before reading it (and
/// reading no more than that, should it grow meanwhile).
fn read_picture(path: &Path) -> Result<Vec<u8>, Problem> {
    let cannot = |e: std::io::Error| {
        Problem::new(
            format!("this picture cannot be read: {e}"),
            "check that the file is there and can be opened",
        )
    };
    let file = fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    let too_big = |len: u64| {
        Problem::new(
            format!(
                "this picture's file is {} MB; the limit is {} MB",
                megabytes(len),
                megabytes(MAX_FILE_BYTES)
            ),
            EXPORT_SMALLER,
        )
    };
    if len > MAX_FILE_BYTES {
        return Err(too_big(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The cache folder of a picture's processed copies: named by a hash of its bytes and the
/// settings, inside `<cache>/images`.
pub(crate) fn entry_dir(cache: &Path, bytes: &[u8]) -> PathBuf {
    let mut h = blake3::Hasher::new();
    h.update(SETTINGS.as_bytes());
    h.update(bytes);
    cache.join(&h.finalize().to_hex()[..32])
}

/// Processes one picture, or reads it from the cache. The flag says whether it was reused.
fn one(
    a: &Asset,
    cache: &Path,
    write_cache: bool,
    budget: &Budget,
) -> Result<(Picture, bool), Problem> {
    let bytes = read_picture(&a.abs)?;
    let Some(kind) = classify(&a.name, &bytes)? else {
        // `a` is a picture by name, so `classify` says what it is or why not.
        return Err(unsupported("unknown"));
    };
    let dir = entry_dir(cache, &bytes);
    let stem = stem(&a.name).to_string();
    if let Some(p) = read_meta(&dir, &stem) {
        return Ok((p, true));
    }
    let (img, _lease) = decode(&bytes, kind, budget)?;
    drop(bytes);
    let (w0, h0) = (img.width(), img.height());
    let alpha = img.color().has_alpha();
    let fallback = if alpha { Format::Png } else { Format::Jpeg };
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < w0).collect();
    if widths.len() < WIDTHS.len() {
        widths.push(w0); // the largest is the original size, never enlarged
    }
    // A large picture is first averaged down to twice the widest size made from it (a box
    // filter over whole pixels, in one fast pass), then each size is made from that with the
    // sharper Catmull-Rom filter: resizing a 100 MP picture three times with Catmull-Rom
    // takes seconds each and a floating-point copy of it.
    let widest = widths
        .iter()
        .copied()
        .filter(|w| *w < w0)
        .max()
        .unwrap_or(w0);
    let shrunk;
    let base = if w0 > 2 * widest {
        let h = ((h0 as u64 * 2 * widest as u64 + w0 as u64 / 2) / w0 as u64).max(1) as u32;
        shrunk = img.thumbnail_exact(2 * widest, h);
        &shrunk
    } else {
        &img
    };
    let mut variants = Vec::new();
    let cache_error = |e: std::io::Error| {
        Problem::new(
            format!("cannot write the image cache: {e}"),
            "check that there is space on the disk and that the site's folder can be written",
        )
    };
    if write_cache {
        fs::create_dir_all(&dir).map_err(cache_error)?;
    }
    for w in widths {
        let hgt = ((h0 as u64 * w as u64 + w0 as u64 / 2) / w0 as u64).max(1) as u32;
        let resized;
        let variant = if w == w0 {
            &img
        } else {
            resized = base.resize_exact(w, hgt, FilterType::CatmullRom);
            &resized
        };
        // The image crate encodes WebP losslessly only: smaller than JPEG for drawings and
        // flat colours, much larger for photographs. A WebP is kept only where it is smaller
        // (and where it can be made at all: WebP stops at 16,383 px a side).
        let main = encode(variant, fallback)?;
        let mut keep = vec![(fallback, main)];
        if let Ok(webp) = encode(variant, Format::Webp)
            && webp.len() < keep[0].1.len()
        {
            keep.push((Format::Webp, webp));
        }
        for (format, data) in keep {
            let file_name = format!("{stem}-{w}.{}", format.ext());
            let cached = dir.join(&file_name);
            if write_cache {
                crate::write::write_atomic(&cached, &data).map_err(cache_error)?;
            }
            variants.push(Variant {
                width: w,
                height: hgt,
                format,
                file_name,
                cached,
            });
        }
    }
    let p = Picture {
        width: w0,
        height: h0,
        variants,
    };
    if write_cache {
        write_meta(&dir, &stem, &p).map_err(cache_error)?;
    }
    Ok((p, false))
}

/// Decodes a picture of an accepted kind within the limits, turned upright, with the memory it
/// holds taken from `budget` (given back when the lease is dropped).
fn decode<'b>(
    bytes: &[u8],
    kind: Kind,
    budget: &'b Budget,
) -> Result<(DynamicImage, Lease<'b>), Problem> {
    if kind == Kind::Jpeg {
        return decode_jpeg(bytes, budget);
    }
    check_complete(bytes, kind)?;
    let Some(format) = kind.format() else {
        return Err(unsupported(kind.name()));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // The sides are checked below, with the picture's own numbers in the message.
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits.clone());
    let mut decoder = reader.into_decoder().map_err(from_image_error)?;
    let (w, h) = decoder.dimensions();
    check_size(w, h, decoder.total_bytes())?;
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    decoder.set_limits(limits).map_err(from_image_error)?;
    let lease = budget.take(estimate(bytes.len(), w, h, decoder.total_bytes()));
    // A broken orientation tag is metadata, dropped anyway: the picture is kept as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(from_image_error)?;
    img.apply_orientation(orientation);
    Ok((img, lease))
}

fn from_image_error(e: ImageError) -> Problem {
    match e {
        ImageError::Limits(l) => Problem::new(
            format!("this picture is too large to open within the limits of a build ({l})"),
            EXPORT_SMALLER,
        ),
        ImageError::Unsupported(u) => Problem::new(
            format!("this picture is stored in a way that Vetrina cannot read ({u})"),
            format!("{SAVE_AS}, and link that file instead"),
        ),
        other => damaged(other),
    }
}

/// JPEG through zune-jpeg in its strict mode: the image crate runs it leniently, which fills
/// what is missing from a cut-off photo with grey and says nothing.
fn decode_jpeg<'b>(bytes: &[u8], budget: &'b Budget) -> Result<(DynamicImage, Lease<'b>), Problem> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    // No size limit while reading the header (zune-jpeg's own is 16,384 px): the size is
    // checked below, with the picture's numbers in the message, then limited for decoding.
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(damaged)?;
    let (Some((w, h)), Some(colour)) = (decoder.dimensions(), decoder.input_colorspace()) else {
        return Err(damaged("no size in its header"));
    };
    let (w, h) = (w as u32, h as u32);
    let grey = matches!(colour, ColorSpace::Luma | ColorSpace::LumaA);
    let channels: u64 = if grey { 1 } else { 3 };
    let decoded = w as u64 * h as u64 * channels;
    check_size(w, h, decoded)?;
    // Strict decoding still accepts a file that stops just short of its end marker.
    check_complete(bytes, Kind::Jpeg)?;
    decoder.set_options(
        options
            .set_max_width(MAX_SIDE as usize)
            .set_max_height(MAX_SIDE as usize)
            .jpeg_set_out_colorspace(if grey {
                ColorSpace::Luma
            } else {
                ColorSpace::RGB
            }),
    );
    let lease = budget.take(estimate(bytes.len(), w, h, decoded));
    let pixels = decoder.decode().map_err(damaged)?;
    let orientation = decoder
        .exif()
        .and_then(|e| Orientation::from_exif_chunk(e))
        .unwrap_or(Orientation::NoTransforms);
    let img = if grey {
        image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8)
    } else {
        image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8)
    };
    let mut img = img.ok_or_else(|| damaged("fewer pixels than its header says"))?;
    img.apply_orientation(orientation);
    Ok((img, lease))
}

/// Whether a picture ends where its structure says it does, for the formats whose decoders
/// stop reading once they have the picture: a JPEG reaches its end marker, a PNG's last chunk
/// is IEND, a GIF's last byte its trailer, a WebP holds the length its RIFF header says.
fn check_complete(bytes: &[u8], kind: Kind) -> Result<(), Problem> {
    let complete = match kind {
        Kind::Png => {
            let mut at = 8usize;
            loop {
                let Some(len) = bytes.get(at..at + 4) else {
                    break false;
                };
                let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
                let is_end = bytes.get(at + 4..at + 8) == Some(&b"IEND"[..]);
                at = at.saturating_add(12).saturating_add(len);
                if at > bytes.len() {
                    break false;
                }
                if is_end {
                    break true;
                }
            }
        }
        Kind::Jpeg => jpeg_reaches_its_end(bytes),
        Kind::Gif => bytes.last() == Some(&0x3B),
        Kind::Webp => bytes.get(4..8).is_some_and(|l| {
            u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize + 8 <= bytes.len()
        }),
        _ => true,
    };
    if complete {
        Ok(())
    } else {
        Err(damaged(format!("the {} file is cut off", kind.name())))
    }
}

/// Whether a JPEG's segments and scans lead to its end marker (EOI) before the bytes run out.
/// What follows EOI is allowed: phones append a video to a "motion photo" there.
fn jpeg_reaches_its_end(b: &[u8]) -> bool {
    let mut at = 2; // after SOI
    loop {
        // A marker: 0xFF (possibly repeated as fill) and its code.
        while b.get(at) == Some(&0xFF) && b.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(0xFF), Some(&code)) = (b.get(at), b.get(at + 1)) else {
            return false;
        };
        at += 2;
        match code {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(len) = b.get(at..at + 2) else {
            return false;
        };
        at += u16::from_be_bytes([len[0], len[1]]) as usize;
        if code == 0xDA {
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a
            // restart marker.
            loop {
                let Some(next) = b.get(at..).and_then(|r| r.iter().position(|&x| x == 0xFF)) else {
                    return false;
                };
                at += next;
                match b.get(at + 1) {
                    None => return false,
                    Some(0x00 | 0xD0..=0xD7 | 0xFF) => at += 1,
                    Some(_) => break,
                }
            }
        }
    }
}

/// Encodes pixels only: the encoders write no metadata, which is what strips EXIF and GPS.
fn encode(img: &DynamicImage, format: Format) -> Result<Vec<u8>, Problem> {
    let mut buf = Vec::new();
    let r = match (format, img) {
        (Format::Jpeg, DynamicImage::ImageRgb8(rgb)) => {
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY))
        }
        (Format::Jpeg, _) => img
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY)),
        (Format::Png, _) => img.to_rgba8().write_with_encoder(PngEncoder::new(&mut buf)),
        (Format::Webp, _) => {
            if img.color().has_alpha() {
                img.to_rgba8()
                    .write_with_encoder(WebPEncoder::new_lossless(&mut buf))
            } else {
                img.to_rgb8()
                    .write_with_encoder(WebPEncoder::new_lossless(&mut buf))
            }
        }
    };
    r.map_err(|e| {
        Problem::new(
            format!("this picture cannot be re-encoded: {e}"),
            format!("{SAVE_AS}, and link that file instead"),
        )
    })?;
    Ok(buf)
}

/// The cache entry's index: one line per variant, written last so that an interrupted run
/// leaves an entry that is simply redone.
fn write_meta(dir: &Path, stem: &str, p: &Picture) -> std::io::Result<()> {
    let mut s = format!("{} {}\n", p.width, p.height);
    for v in &p.variants {
        s.push_str(&format!("{} {} {}\n", v.width, v.height, v.format.ext()));
    }
    crate::write::write_atomic(&dir.join(format!("{stem}.meta")), s.as_bytes())
}

fn read_meta(dir: &Path, stem: &str) -> Option<Picture> {
    let text = fs::read_to_string(dir.join(format!("{stem}.meta"))).ok()?;
    let mut lines = text.lines();
    let mut first = lines.next()?.split(' ');
    let width = first.next()?.parse().ok()?;
    let height = first.next()?.parse().ok()?;
    let mut variants = Vec::new();
    for l in lines {
        let mut f = l.split(' ');
        let w: u32 = f.next()?.parse().ok()?;
        let h: u32 = f.next()?.parse().ok()?;
        let format = match f.next()? {
            "jpg" => Format::Jpeg,
            "png" => Format::Png,
            "webp" => Format::Webp,
            _ => return None,
        };
        let file_name = format!("{stem}-{w}.{}", format.ext());
        let cached = dir.join(&file_name);
        if !cached.is_file() {
            return None;
        }
        variants.push(Variant {
            width: w,
            height: h,
            format,
            file_name,
            cached,
        });
    }
    Some(Picture {
        width,
        height,
        variants,
    })
}

/// `<picture>` markup for a processed image; `eager` for a picture at the top of the page.
pub fn picture_html(p: &Picture, href: &dyn Fn(&str) -> String, alt: &str, eager: bool) -> String {
    let srcset = |it: &mut dyn Iterator<Item = &Variant>| -> String {
        it.map(|v| format!("{} {}w", href(&v.file_name), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sizes = "(min-width: 75rem) 72rem, 100vw";
    let fallback: Vec<&Variant> = p.fallback().collect();
    // The default source: the variant closest to 960 px, a good size for most screens.
    let default = fallback
        .iter()
        .min_by_key(|v| (v.width as i64 - 960).abs())
        .copied();
    let largest = fallback.last().copied();
    let (Some(default), Some(largest)) = (default, largest) else {
        return String::new();
    };
    let loading = if eager { "" } else { " loading=\"lazy\"" };
    let webp = srcset(&mut p.webp());
    let source = if webp.is_empty() {
        String::new()
    } else {
        format!("<source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\">")
    };
    format!(
        "<picture>{source}<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"{loading} decoding=\"async\"></picture>",
        href(&default.file_name),
        srcset(&mut fallback.iter().copied()),
        largest.width,
        largest.height,
        attr(alt),
    )
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let html = picture_html(b, &|n| format!("/storie/k/{n}"), "A \"kitchen\"", false);
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
}
