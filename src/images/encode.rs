//! Encoding one resized picture into a published file: JPEG (PNG for a picture with
//! transparency) that every browser shows, and WebP beside it for the browsers that take it.
//!
//! Only pixels are handed to the encoders, and they write nothing else: that is what strips
//! EXIF, XMP, IPTC, ICC and GPS data from every published file. The same pixels and settings
//! must always give the same bytes (the image cache and the output digest rely on it), so
//! libwebp runs on one thread, with its settings written out here rather than left to its
//! defaults.

use image::DynamicImage;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;

use super::Format;
use crate::picture_kind::{Problem, SAVE_AS};

pub(super) const JPEG_QUALITY: u8 = 80;
/// Lossy WebP on libwebp's scale of 0 to 100. At the JPEG's quality the WebP of a photo or an
/// illustration is a fraction of the JPEG's bytes, at the same look to the eye.
pub(super) const WEBP_QUALITY: f32 = 80.0;
/// libwebp's trade between time and size (0 fastest, 6 smallest); 4 is its own default.
const WEBP_METHOD: i32 = 4;

/// Encodes a picture in `format`. WebP is lossy for an opaque picture (libwebp) and lossless
/// for one with transparency (whose fallback is the lossless PNG).
pub(super) fn encode(img: &DynamicImage, format: Format) -> Result<Vec<u8>, Problem> {
    let mut buf = Vec::new();
    let r = match (format, img) {
        (Format::Jpeg, DynamicImage::ImageRgb8(rgb)) => {
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY))
        }
        (Format::Jpeg, _) => img
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY)),
        (Format::Png, _) => img.to_rgba8().write_with_encoder(PngEncoder::new(&mut buf)),
        (Format::Webp, _) if img.color().has_alpha() => img
            .to_rgba8()
            .write_with_encoder(WebPEncoder::new_lossless(&mut buf)),
        (Format::Webp, _) => return lossy_webp(img),
    };
    r.map_err(|e| cannot(&e))?;
    Ok(buf)
}

/// A lossy WebP through libwebp, on one thread.
fn lossy_webp(img: &DynamicImage) -> Result<Vec<u8>, Problem> {
    let owned;
    let rgb = match img {
        DynamicImage::ImageRgb8(rgb) => rgb,
        _ => {
            owned = img.to_rgb8();
            &owned
        }
    };
    let mut config =
        webp::WebPConfig::new().map_err(|()| cannot(&"libwebp refused its settings"))?;
    config.lossless = 0;
    config.quality = WEBP_QUALITY;
    config.method = WEBP_METHOD;
    config.thread_level = 0;
    config.exact = 0;
    let out = webp::Encoder::from_rgb(rgb.as_raw(), rgb.width(), rgb.height())
        .encode_advanced(&config)
        .map_err(|e| cannot(&format!("{e:?}")))?;
    Ok(out.to_vec())
}

fn cannot(e: &dyn std::fmt::Display) -> Problem {
    Problem::new(
        format!("this picture cannot be re-encoded: {e}"),
        format!("{SAVE_AS}, and link that file instead"),
    )
}
