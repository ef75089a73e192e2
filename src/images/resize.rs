//! Resizing a picture with the Catmull-Rom filter, as `image`'s `resize_exact` does with
//! `FilterType::CatmullRom` (the same kernel, the same sample positions and support), in
//! whole numbers instead of floating point: each axis's weights are worked out once, as
//! 14-bit fractions, and applied to rows of bytes, the height first (whole rows at a time),
//! then the width from the rows of the shortened picture. The shortened rows keep four bits
//! beyond a byte and the filter's overshoot past black and white, so that only the result is
//! rounded and clamped, as with `image`'s floats. `image`'s own resize turns the picture
//! into four floats a pixel and reads it a column at a time; that was a fifth of the time
//! of a first build with a picture in every story. The results differ from `image`'s by
//! at most a step of a channel's 256 (rounding).
//!
//! 8-bit RGB and RGBA pictures (every JPEG, most PNGs) take this path; others go through
//! `image`. Alpha is filtered as a channel of its own, as `image` does.

use image::imageops::FilterType;
use image::{DynamicImage, ImageBuffer, Pixel};

/// The weights' fraction bits: a weight of 1 is `1 << BITS`.
const BITS: u32 = 14;
/// The bits the narrowed rows keep below a channel's unit.
const EXTRA: u32 = 4;

/// `img` resized to `width` × `height` with the Catmull-Rom filter.
pub(super) fn catmull_rom(img: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    match img {
        DynamicImage::ImageRgb8(rgb) => {
            DynamicImage::ImageRgb8(resized::<_, 3>(rgb, width, height))
        }
        DynamicImage::ImageRgba8(rgba) => {
            DynamicImage::ImageRgba8(resized::<_, 4>(rgba, width, height))
        }
        _ => img.resize_exact(width, height, FilterType::CatmullRom),
    }
}

/// An 8-bit picture of `N` channels, resized.
fn resized<P: Pixel<Subpixel = u8>, const N: usize>(
    src: &ImageBuffer<P, Vec<u8>>,
    width: u32,
    height: u32,
) -> ImageBuffer<P, Vec<u8>> {
    let (w0, h0) = src.dimensions();
    let (width, height) = (width.max(1), height.max(1));
    if w0 == 0 || h0 == 0 || usize::from(P::CHANNEL_COUNT) != N {
        return ImageBuffer::new(width, height);
    }
    let (w0, h0, w, h) = (w0 as usize, h0 as usize, width as usize, height as usize);
    let short = shortened(src.as_raw(), w0 * N, &weights(h0, h));
    let out = narrowed::<N>(&short, w0, &weights(w0, w));
    ImageBuffer::from_raw(width, height, out).unwrap_or_else(|| ImageBuffer::new(width, height))
}

/// The rows of `src` (`row_len` bytes each) taken to the height the weights `down` give,
/// a whole row at a time (the compiler makes that a few wide instructions a row); each
/// value kept with `EXTRA` bits below the unit and unclamped.
#[inline(never)]
fn shortened(src: &[u8], row_len: usize, down: &[(usize, Vec<i32>)]) -> Vec<i16> {
    let mut short = vec![0i16; row_len * down.len()];
    let mut acc = vec![0i32; row_len];
    for (dest, (top, ws)) in short.chunks_exact_mut(row_len).zip(down) {
        acc.fill(0);
        for (i, &wt) in ws.iter().enumerate() {
            let row = &src[(top + i) * row_len..(top + i + 1) * row_len];
            for (a, &v) in acc.iter_mut().zip(row) {
                *a += i32::from(v) * wt;
            }
        }
        for (d, &a) in dest.iter_mut().zip(&acc) {
            // At most 255 × 1.3 × 16 either way: an `i16` holds it.
            *d = ((a + (1 << (BITS - EXTRA - 1))) >> (BITS - EXTRA)) as i16;
        }
    }
    short
}

/// The shortened rows (`w0` pixels of `N` channels each) taken to the width the weights
/// `across` give: each pixel from the pixels it draws on, its channels side by side.
#[inline(never)]
fn narrowed<const N: usize>(short: &[i16], w0: usize, across: &[(usize, Vec<i32>)]) -> Vec<u8> {
    let w = across.len();
    let mut out = vec![0u8; w * (short.len() / (w0 * N).max(1)) * N];
    for (row, dest) in short.chunks_exact(w0 * N).zip(out.chunks_exact_mut(w * N)) {
        for (px_out, (left, ws)) in dest.chunks_exact_mut(N).zip(across) {
            let mut acc = [0i32; N];
            let taken = &row[left * N..(left + ws.len()) * N];
            for (px, &wt) in taken.chunks_exact(N).zip(ws) {
                for c in 0..N {
                    acc[c] += i32::from(px[c]) * wt;
                }
            }
            for c in 0..N {
                px_out[c] = to_byte(acc[c], BITS + EXTRA);
            }
        }
    }
    out
}

/// A weighted sum back to a byte, `bits` of it below the unit: rounded, and clamped (the
/// filter's negative lobes can take it past either end).
fn to_byte(acc: i32, bits: u32) -> u8 {
    ((acc + (1 << (bits - 1))) >> bits).clamp(0, 255) as u8
}

/// For each of `to` positions along an axis of `from` pixels: the first source pixel it
/// draws on and the weight of each, summing to `1 << BITS`. The positions, support and
/// kernel are `image`'s (`imageops::sample::horizontal_sample`).
fn weights(from: usize, to: usize) -> Vec<(usize, Vec<i32>)> {
    let ratio = from as f32 / to as f32;
    let sratio = ratio.max(1.0);
    let support = 2.0 * sratio;
    let one = (1i32 << BITS) as f32;
    (0..to)
        .map(|out| {
            let centre = (out as f32 + 0.5) * ratio;
            let left = ((centre - support).floor() as i64).clamp(0, from as i64 - 1) as usize;
            let right =
                ((centre + support).ceil() as i64).clamp(left as i64 + 1, from as i64) as usize;
            let centre = centre - 0.5;
            let ws: Vec<f32> = (left..right)
                .map(|i| kernel((i as f32 - centre) / sratio))
                .collect();
            let sum: f32 = ws.iter().sum();
            let mut fixed: Vec<i32> = ws.iter().map(|w| (w / sum * one).round() as i32).collect();
            // Rounding may leave the sum a unit or two off: the largest weight takes it.
            let off = (1 << BITS) - fixed.iter().sum::<i32>();
            if let Some(max) = (0..fixed.len()).max_by_key(|&i| fixed[i]) {
                fixed[max] += off;
            }
            (left, fixed)
        })
        .collect()
}

/// The Catmull-Rom cubic (B = 0, C = 1/2), as `image`'s `catmullrom_kernel`.
fn kernel(x: f32) -> f32 {
    let a = x.abs();
    if a < 1.0 {
        (9.0 * a * a * a - 15.0 * a * a + 6.0) / 6.0
    } else if a < 2.0 {
        (-3.0 * a * a * a + 15.0 * a * a - 24.0 * a + 12.0) / 6.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    /// A picture with smooth gradients, hard edges and noise: what a resize can get wrong.
    fn photo(w: u32, h: u32) -> RgbImage {
        let mut seed = 0x9e37_79b9u32;
        RgbImage::from_fn(w, h, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let edge = if (x / 37 + y / 23) % 2 == 0 { 200 } else { 30 };
            Rgb([
                (x * 255 / w.max(1)) as u8,
                edge,
                ((seed >> 24) as u8).wrapping_add((y * 3) as u8),
            ])
        })
    }

    fn differences(a: &[u8], b: &[u8]) -> (u8, f64) {
        assert_eq!(a.len(), b.len());
        let diffs: Vec<u8> = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).collect();
        let max = diffs.iter().copied().max().unwrap_or(0);
        let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len().max(1) as f64;
        (max, mean)
    }

    #[test]
    fn it_resizes_as_image_does_within_a_step_or_two() {
        for (w0, h0, w, h) in [
            (1200, 800, 960, 640),
            (1200, 800, 480, 320),
            (333, 517, 101, 157),
            (64, 48, 63, 47),
            (7, 5, 3, 2),
            (5, 3, 1, 1),
            (40, 30, 80, 60),
        ] {
            let src = DynamicImage::ImageRgb8(photo(w0, h0));
            let ours = catmull_rom(&src, w, h);
            let theirs = src.resize_exact(w, h, FilterType::CatmullRom);
            assert_eq!((ours.width(), ours.height()), (w, h));
            let (max, mean) = differences(ours.as_bytes(), theirs.as_bytes());
            assert!(
                max <= 1 && mean < 0.1,
                "{w0}x{h0} to {w}x{h}: max {max}, mean {mean}"
            );
        }
    }

    #[test]
    fn alpha_is_a_channel_of_its_own_and_other_kinds_go_through_image() {
        let rgba = RgbaImage::from_fn(90, 60, |x, y| Rgba([x as u8, y as u8, 7, (x * 2) as u8]));
        let src = DynamicImage::ImageRgba8(rgba);
        let ours = catmull_rom(&src, 45, 30);
        let theirs = src.resize_exact(45, 30, FilterType::CatmullRom);
        let (max, _) = differences(ours.as_bytes(), theirs.as_bytes());
        assert!(max <= 1, "max {max}");
        assert!(matches!(ours, DynamicImage::ImageRgba8(_)));
        let grey = DynamicImage::ImageLuma8(image::GrayImage::from_fn(20, 10, |x, _| {
            image::Luma([x as u8 * 10])
        }));
        assert_eq!(
            catmull_rom(&grey, 10, 5).as_bytes(),
            grey.resize_exact(10, 5, FilterType::CatmullRom).as_bytes()
        );
    }

    #[test]
    fn flat_colour_stays_flat_and_the_same_picture_gives_the_same_bytes() {
        let flat = DynamicImage::ImageRgb8(RgbImage::from_pixel(300, 200, Rgb([12, 200, 255])));
        let small = catmull_rom(&flat, 97, 64);
        assert!(small.as_bytes().chunks(3).all(|p| p == [12, 200, 255]));
        let src = DynamicImage::ImageRgb8(photo(640, 480));
        assert_eq!(
            catmull_rom(&src, 321, 240).as_bytes(),
            catmull_rom(&src, 321, 240).as_bytes()
        );
    }

    #[test]
    fn every_axis_weighs_one() {
        for (from, to) in [
            (1200, 960),
            (1200, 480),
            (5, 1),
            (1, 1),
            (3, 7),
            (2880, 480),
        ] {
            for (left, ws) in weights(from, to) {
                assert_eq!(ws.iter().sum::<i32>(), 1 << BITS);
                assert!(left + ws.len() <= from);
            }
        }
    }
}
