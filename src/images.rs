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

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::diag::Diagnostics;
use crate::load::Asset;

use crate::picture_kind::{EXPORT_SMALLER, SAVE_AS, damaged, extension, unsupported};
pub use crate::picture_kind::{Kind, Problem, SNIFF_LEN, classify, is_raster};

mod encode;
mod markup;
mod resize;
use encode::encode;
pub use markup::{PictureParts, Placement, picture_html};

/// Target widths in CSS pixels; an image is never enlarged.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];
/// Changing how images are made or which pictures are accepted must change this, so that old
/// cache entries are not reused. v3: entries made before pictures were checked for being
/// complete may hold a cut-off photo filled with grey; they must be made (and refused) again.
/// v4: WebP is lossy (libwebp) for opaque pictures. v5: the Catmull-Rom resize in whole
/// numbers (`resize`), whose bytes differ from `image`'s by a step or two.
const SETTINGS: &str = "v5;jpeg80;webp-lossy80-m4-libwebp-sys-0.9,lossless-with-alpha,if-smaller;480,960,1440;box-to-2x;catmull-rom-fixed14";

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
            resized = resize::catmull_rom(base, w, hgt);
            &resized
        };
        // WebP beside the fallback, for the browsers that take it (nearly all): kept only
        // where it is smaller, which a lossy WebP nearly always is, and where it can be made
        // at all (WebP stops at 16,383 px a side). Made here once; later builds take the
        // files from the cache.
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
                crate::fileio::write_atomic(&cached, &data).map_err(cache_error)?;
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

/// The cache entry's index: one line per variant, written last so that an interrupted run
/// leaves an entry that is simply redone.
fn write_meta(dir: &Path, stem: &str, p: &Picture) -> std::io::Result<()> {
    let mut s = format!("{} {}\n", p.width, p.height);
    for v in &p.variants {
        s.push_str(&format!("{} {} {}\n", v.width, v.height, v.format.ext()));
    }
    crate::fileio::write_atomic(&dir.join(format!("{stem}.meta")), s.as_bytes())
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

/// Deletes the processed copies (in the image cache) of the pictures of stories taken down.
/// Returns how many cache entries were deleted. A picture that cannot be read is skipped: its
/// copies, if any, are left to the next build.
pub(crate) fn purge(cache_dir: &Path, pictures: &[Asset]) -> usize {
    let images = cache_dir.join("images");
    let mut n = 0;
    for a in pictures.iter().filter(|a| is_raster(&a.name)) {
        let Ok(bytes) = std::fs::read(&a.abs) else {
            continue;
        };
        let dir = entry_dir(&images, &bytes);
        if dir.is_dir() && std::fs::remove_dir_all(&dir).is_ok() {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests;
