//! Images: every raster picture of a bundle is decoded once, turned upright (EXIF
//! orientation), resized to a few widths and re-encoded, so that no EXIF, XMP, IPTC or GPS
//! data is ever published; the original file never is.
//!
//! Results are cached by a hash of the source bytes and the settings in
//! `<site>/.vetrina-cache/images/`, so an unchanged picture is processed once across builds.
//! Pictures are processed in parallel. A corrupt or unsupported file is a diagnostic naming
//! it, never a panic.

use std::collections::HashMap;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::load::Asset;

/// Target widths in CSS pixels; an image is never enlarged.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];
const JPEG_QUALITY: u8 = 80;
/// Changing how images are made must change this, so that old cache entries are not reused.
const SETTINGS: &str = "v2;jpeg80;webp-lossless-if-smaller;480,960,1440;catmull-rom";

/// Extensions of the raster formats Vetrina re-encodes.
pub fn is_raster(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp", ".gif"]
        .iter()
        .any(|e| lower.ends_with(e))
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

/// Processes every raster asset, reusing the cache; `write_cache` is false for `check`.
/// The pictures of the last build of this process (`vetrina serve`) by source file, with the
/// size and time the file had: an unchanged file is not even read again.
pub type Memo = rustc_hash::FxHashMap<PathBuf, (u64, std::time::SystemTime, Picture)>;

pub fn process(
    root: &Path,
    cache_dir: &Path,
    assets: &[Asset],
    write_cache: bool,
    diags: &mut Diagnostics,
    memo: Option<&mut Memo>,
) -> Pictures {
    let cache = cache_dir.join("images");
    /// A picture and whether it came from the cache, or why it could not be read.
    type Outcome = Result<(Picture, bool), String>;
    let old = memo.as_deref();
    type Stamp = Option<(u64, std::time::SystemTime)>;
    let results: Vec<(&Asset, Outcome, Stamp)> = assets
        .par_iter()
        .filter(|a| is_raster(&a.name))
        .map(|a| {
            let stamp = fs::metadata(&a.abs)
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)));
            if let (Some((len, time)), Some((l, t, p))) = (stamp, old.and_then(|o| o.get(&a.abs)))
                && (len, time) == (*l, *t)
            {
                return (a, Ok((p.clone(), true)), stamp);
            }
            (a, one(a, &cache, write_cache), stamp)
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
            Err(msg) => {
                let rel = a
                    .abs
                    .strip_prefix(root)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| a.abs.clone());
                diags.file_error(
                    &rel,
                    format!("this picture cannot be read: {msg}"),
                    "open it in an image editor and save it again as JPEG or PNG; if it is not needed, delete it",
                );
            }
        }
    }
    out
}

/// Processes one picture, or reads it from the cache. The flag says whether it was reused.
fn one(a: &Asset, cache: &Path, write_cache: bool) -> Result<(Picture, bool), String> {
    let bytes = fs::read(&a.abs).map_err(|e| e.to_string())?;
    let mut h = blake3::Hasher::new();
    h.update(SETTINGS.as_bytes());
    h.update(&bytes);
    let hash = h.finalize().to_hex();
    let dir = cache.join(&hash[..32]);
    let stem = a
        .name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(&a.name)
        .to_string();
    if let Some(p) = read_meta(&dir, &stem) {
        return Ok((p, true));
    }
    let img = decode(&bytes)?;
    let (w0, h0) = (img.width(), img.height());
    if w0 == 0 || h0 == 0 {
        return Err("the picture is empty (0 pixels)".into());
    }
    let alpha = img.color().has_alpha();
    let fallback = if alpha { Format::Png } else { Format::Jpeg };
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < w0).collect();
    if widths.len() < WIDTHS.len() {
        widths.push(w0); // the largest is the original size, never enlarged
    }
    let mut variants = Vec::new();
    if write_cache {
        fs::create_dir_all(&dir).map_err(|e| format!("cannot write the image cache: {e}"))?;
    }
    for w in widths {
        let hgt = ((h0 as u64 * w as u64 + w0 as u64 / 2) / w0 as u64).max(1) as u32;
        let resized = if w == w0 {
            img.clone()
        } else {
            img.resize_exact(w, hgt, FilterType::CatmullRom)
        };
        // The image crate encodes WebP losslessly only: smaller than JPEG for drawings and
        // flat colours, much larger for photographs. A WebP is kept only where it is smaller.
        let main = encode(&resized, fallback)?;
        let webp = encode(&resized, Format::Webp)?;
        let mut keep = vec![(fallback, main)];
        if webp.len() < keep[0].1.len() {
            keep.push((Format::Webp, webp));
        }
        for (format, data) in keep {
            let file_name = format!("{stem}-{w}.{}", format.ext());
            let cached = dir.join(&file_name);
            if write_cache {
                crate::write::write_atomic(&cached, &data)
                    .map_err(|e| format!("cannot write the image cache: {e}"))?;
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
        write_meta(&dir, &stem, &p).map_err(|e| format!("cannot write the image cache: {e}"))?;
    }
    Ok((p, false))
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err("it is not a JPEG, PNG, WebP or GIF picture".into());
    }
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Encodes pixels only: the encoders write no metadata, which is what strips EXIF and GPS.
fn encode(img: &DynamicImage, format: Format) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    let r = match format {
        Format::Jpeg => img
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY)),
        Format::Png => img.to_rgba8().write_with_encoder(PngEncoder::new(&mut buf)),
        Format::Webp => {
            if img.color().has_alpha() {
                img.to_rgba8()
                    .write_with_encoder(WebPEncoder::new_lossless(&mut buf))
            } else {
                img.to_rgb8()
                    .write_with_encoder(WebPEncoder::new_lossless(&mut buf))
            }
        }
    };
    r.map_err(|e| e.to_string())?;
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
            e.contains("this picture cannot be read") && e.contains("broken.jpg"),
            "{e}"
        );
    }
}
