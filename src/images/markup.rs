//! The `<picture>` element of a processed picture: the WebP sizes for the browsers that take
//! them, the JPEG (or PNG) sizes for the others, the width and height that hold its place
//! before it loads, the author's alt text, and when it loads. One shape for every place a
//! picture is shown (a cover, a text, a card), so that pages and the list script agree.
//! It writes markup only; which picture a page may show is decided before.

use serde::Serialize;

use super::{Picture, Variant};

/// Where a picture stands on a page: the width the browser is told it takes (its `sizes`),
/// and whether it waits until the reader comes near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The picture at the top of a page (a story's or a news item's): loaded at once.
    Cover,
    /// A picture in a text: loaded when the reader comes near it.
    InText,
    /// The picture of a story or news card, in the grid of cards (`.cards` in the theme's
    /// stylesheet: columns of at least 18rem in a page at most 72rem wide).
    Card,
}

impl Placement {
    fn sizes(self) -> &'static str {
        match self {
            Placement::Cover | Placement::InText => "(min-width: 75rem) 72rem, 100vw",
            // Three columns from 60rem (22rem each at most), two from 42rem, one below.
            Placement::Card => {
                "(min-width: 75rem) 22rem, (min-width: 60rem) 33vw, (min-width: 42rem) 50vw, 100vw"
            }
        }
    }
}

/// The attributes of a `<picture>` element, with its addresses made: what a template writes
/// and what the list script rebuilds a card's picture from (`list-filters.js`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PictureParts {
    /// The WebP candidates (`a-480.webp 480w, …`); empty when the picture has none.
    pub webp: String,
    /// The fallback candidates (JPEG, or PNG for a picture with transparency).
    pub srcset: String,
    /// The fallback for browsers without `srcset`: the size closest to 960 px.
    pub src: String,
    pub sizes: &'static str,
    /// The largest size's width and height: the box the picture holds before it loads.
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub lazy: bool,
}

impl PictureParts {
    pub fn new(
        p: &Picture,
        href: &dyn Fn(&str) -> String,
        alt: &str,
        placement: Placement,
    ) -> Option<PictureParts> {
        let srcset = |it: &mut dyn Iterator<Item = &Variant>| -> String {
            it.map(|v| format!("{} {}w", href(&v.file_name), v.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fallback: Vec<&Variant> = p.fallback().collect();
        let default = fallback
            .iter()
            .min_by_key(|v| (v.width as i64 - 960).abs())?;
        let largest = fallback.last()?;
        Some(PictureParts {
            webp: srcset(&mut p.webp()),
            srcset: srcset(&mut fallback.iter().copied()),
            src: href(&default.file_name),
            sizes: placement.sizes(),
            width: largest.width,
            height: largest.height,
            alt: alt.to_string(),
            lazy: placement != Placement::Cover,
        })
    }

    /// The element. The addresses are percent-encoded already (no quote can be in them).
    pub fn html(&self) -> String {
        let sizes = self.sizes;
        let source = if self.webp.is_empty() {
            String::new()
        } else {
            format!(
                "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
                self.webp
            )
        };
        let loading = if self.lazy { " loading=\"lazy\"" } else { "" };
        format!(
            "<picture>{source}<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"{loading} decoding=\"async\"></picture>",
            self.src,
            self.srcset,
            self.width,
            self.height,
            attr(&self.alt),
        )
    }
}

/// `<picture>` markup for a processed picture ("" if it has no size to show).
pub fn picture_html(
    p: &Picture,
    href: &dyn Fn(&str) -> String,
    alt: &str,
    placement: Placement,
) -> String {
    PictureParts::new(p, href, alt, placement)
        .map(|parts| parts.html())
        .unwrap_or_default()
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
