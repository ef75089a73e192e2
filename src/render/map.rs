//! The tile map of Italy's twenty regions, as an inline SVG string for HTML5 pages.
//!
//! One square tile per region on a fixed grid that keeps the peninsula's shape, shaded in up to
//! five sequential blues by equal-count classes, each tile a keyboard-focusable link. Pure and
//! deterministic: the same tiles give the same bytes. Every caller string is escaped here; the
//! geography is never mirrored, only the text direction follows the page language.

use super::chart::{esc, safe_id};
use std::fmt::Write;

/// One region as the map draws it. Text is in the page language and is escaped by the map.
pub struct Tile<'a> {
    /// Region key (`piemonte`, `valle-d-aosta`, …); keys the layout does not know are skipped.
    pub key: &'a str,
    /// The region's name, used for the link's accessible name and tooltip.
    pub name: &'a str,
    /// Short label drawn inside the tile; empty draws nothing.
    pub abbr: &'a str,
    /// Link to the region's page, already relative.
    pub href: &'a str,
    /// The figure used for shading; `None` (or a non-finite number) means no data.
    pub value: Option<f64>,
    /// `value` formatted for the language, or `""` when there is none.
    pub value_text: &'a str,
}

/// The map's words, in the page language.
pub struct MapLabels<'a> {
    /// Accessible name of the whole map.
    pub title: &'a str,
    /// Heading of the legend.
    pub legend_title: &'a str,
    /// Legend entry (and tile description) for regions without a figure.
    pub no_data: &'a str,
    /// Preformatted range labels, one per class as returned by [`class_bounds`]; used only when
    /// the count matches, otherwise the map writes `a–b` with the raw numbers as integers.
    pub legend_ranges: &'a [String],
}

/// Side of a tile, gap between tiles and margin around the grid, in viewBox units. The gap is
/// wide enough for the highlight ring and a focus stroke never to touch a neighbour.
const TILE: u32 = 48;
const GAP: u32 = 6;
const PITCH: u32 = TILE + GAP;
const PAD: u32 = 6;
const COLS: u32 = 5;
const ROWS: u32 = 8;

/// (region key, column, row). Columns run west to east, rows north to south:
///
/// ```text
///        0    1    2    3    4
///   0   VDA  LOM  TAA  VEN  FVG
///   1   PIE  EMR
///   2   LIG  TOS  UMB  MAR
///   3             LAZ  ABR
///   4   SAR       CAM  MOL  PUG
///   5                  BAS       ┐
///   6                  CAL       ├ legend
///   7             SIC            ┘
/// ```
const LAYOUT: [(&str, u32, u32); 20] = [
    ("valle-d-aosta", 0, 0),
    ("lombardia", 1, 0),
    ("trentino-alto-adige", 2, 0),
    ("veneto", 3, 0),
    ("friuli-venezia-giulia", 4, 0),
    ("piemonte", 0, 1),
    ("emilia-romagna", 1, 1),
    ("liguria", 0, 2),
    ("toscana", 1, 2),
    ("umbria", 2, 2),
    ("marche", 3, 2),
    ("lazio", 2, 3),
    ("abruzzo", 3, 3),
    ("sardegna", 0, 4),
    ("campania", 2, 4),
    ("molise", 3, 4),
    ("puglia", 4, 4),
    ("basilicata", 3, 5),
    ("calabria", 3, 6),
    ("sicilia", 2, 7),
];

/// The legend sits in the Ionian Sea, east of Basilicata and Calabria, where the grid is empty.
const LEGEND_COL: u32 = 4;
const LEGEND_ROW: u32 = 5;

/// Sequential blues, lightest to darkest (ColorBrewer "Blues" with the mid-blue that fails
/// both dark and white text replaced by #2171b5, and #08306b at the dark end).
const CLASS_FILLS: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08306b"];
/// Label colour on each fill: dark on the three light blues, white on the two dark ones; every
/// pair is at least 4.5:1 (checked by a test).
const CLASS_TEXT: [&str; 5] = [DARK, DARK, DARK, WHITE, WHITE];
const DARK: &str = "#1b1f24";
const WHITE: &str = "#ffffff";
/// Tile border: 4.7:1 against the white page, so even the lightest tile has a visible edge
/// (WCAG 1.4.11 asks 3:1 for graphics needed to understand the content).
const TILE_STROKE: &str = "#6b7480";
/// No data: hatching, so that it is not mistaken for the lightest blue. Dark text is ≥ 4.5:1
/// against both the background and the hatch lines.
const NO_DATA_BG: &str = "#f6f8fa";
const NO_DATA_HATCH: &str = "#8c959f";
/// Small map: every region light grey but the highlighted one, which takes the darkest blue.
const SMALL_OTHER: &str = "#d0d7de";
const SMALL_CURRENT: &str = "#08306b";

const LABEL_SIZE: u32 = 13;
const SMALL_LABEL_SIZE: u32 = 18;
const LEGEND_SIZE: u32 = 11;
const LEGEND_LINE: u32 = 16;
const SWATCH: u32 = 12;
/// Characters per legend-title line before wrapping.
const LEGEND_WRAP: usize = 20;

/// Grid cell of a region key, if the layout knows it.
fn cell(key: &str) -> Option<(u32, u32)> {
    LAYOUT
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, c, r)| (c, r))
}

/// Top-left corner of a cell in viewBox units.
fn origin((col, row): (u32, u32)) -> (u32, u32) {
    (PAD + col * PITCH, PAD + row * PITCH)
}

/// The tiles that will be drawn, in reading order (north to south, west to east) so that the
/// keyboard walks the map the way the eye does, whatever order the caller used. A key seen
/// twice keeps its first tile: two links on one square would hide one of them.
fn placed<'t, 'a>(tiles: &'t [Tile<'a>]) -> Vec<(&'t Tile<'a>, (u32, u32))> {
    let mut out: Vec<(&Tile, (u32, u32))> = Vec::new();
    for t in tiles {
        if let Some(pos) = cell(t.key)
            && !out.iter().any(|(_, p)| *p == pos)
        {
            out.push((t, pos));
        }
    }
    out.sort_by_key(|&(_, (c, r))| (r, c));
    out
}

fn figure(t: &Tile) -> Option<f64> {
    t.value.filter(|v| v.is_finite())
}

/// Equal-count classes over the drawn tiles that have a figure.
struct Shading {
    /// (lowest, highest) figure of each non-empty class, ascending.
    bounds: Vec<(f64, f64)>,
    /// Index into [`CLASS_FILLS`] of each class: spread over the palette so that the highest
    /// class is always the darkest blue and the lowest the lightest.
    fill: Vec<usize>,
}

impl Shading {
    fn new(figures: &[f64]) -> Self {
        let mut sorted = figures.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let mut distinct = sorted.clone();
        distinct.dedup();
        let k = distinct.len().min(CLASS_FILLS.len());
        // Each distinct figure is classed by the middle of its run of ranks, so equal figures
        // share a class, the smallest and largest always land in different classes when they
        // differ, and the outcome does not depend on input order.
        let mut bounds: Vec<(f64, f64)> = Vec::new();
        let mut raw_of_last: Option<usize> = None;
        for &v in &distinct {
            let first = sorted.partition_point(|x| *x < v);
            let last = sorted.partition_point(|x| *x <= v) - 1;
            let raw = (first + last) * k / (2 * n);
            match (raw_of_last, bounds.last_mut()) {
                (Some(r), Some(b)) if r == raw => b.1 = v,
                _ => bounds.push((v, v)),
            }
            raw_of_last = Some(raw);
        }
        let m = bounds.len();
        let top = CLASS_FILLS.len() - 1;
        let fill = (0..m)
            .map(|c| {
                if m <= 1 {
                    top
                } else {
                    (c * top + (m - 1) / 2) / (m - 1)
                }
            })
            .collect();
        Shading { bounds, fill }
    }

    /// Class of a figure: the first class whose upper bound reaches it.
    fn class_of(&self, v: f64) -> Option<usize> {
        self.bounds.iter().position(|&(_, hi)| v <= hi)
    }
}

/// The (lowest, highest) figure of each shading class, in legend order, so that a caller can
/// format [`MapLabels::legend_ranges`] with the language's number format.
pub fn class_bounds(tiles: &[Tile]) -> Vec<(f64, f64)> {
    let figures: Vec<f64> = placed(tiles)
        .iter()
        .filter_map(|(t, _)| figure(t))
        .collect();
    Shading::new(&figures).bounds
}

/// Renders the map. `highlight` names a region key to outline; `small` draws the locator map of
/// a region page (grey tiles, the highlighted one dark, no legend, only its label); `rtl` sets
/// the text direction of labels without mirroring the geography; `id` must be unique on the
/// page (characters other than ASCII letters, digits, `-` and `_` are replaced by `-`).
pub fn tile_map(
    tiles: &[Tile],
    highlight: Option<&str>,
    small: bool,
    rtl: bool,
    labels: &MapLabels,
    id: &str,
) -> String {
    let id = safe_id(id, "tile-map");
    let placed = placed(tiles);
    let figures: Vec<f64> = placed.iter().filter_map(|(t, _)| figure(t)).collect();
    let shading = Shading::new(&figures);
    let any_missing = placed.iter().any(|(t, _)| figure(t).is_none());
    let dir = if rtl { "rtl" } else { "ltr" };

    let grid_w = 2 * PAD + COLS * PITCH - GAP;
    let grid_h = 2 * PAD + ROWS * PITCH - GAP;
    let legend = (!small).then(|| Legend::new(&shading, any_missing, labels));
    let (width, height) = match &legend {
        Some(l) => {
            let (x0, y0) = origin((LEGEND_COL, LEGEND_ROW));
            (
                grid_w.max(x0 + l.width + PAD),
                grid_h.max(y0 + l.height + PAD),
            )
        }
        None => (grid_w, grid_h),
    };

    let mut s = String::with_capacity(8192);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="tile-map{small_class}" id="{id}" viewBox="0 0 {width} {height}" width="100%" style="max-width:{max}" role="group" aria-labelledby="{id}-title" direction="ltr">"#,
        small_class = if small { " tile-map-small" } else { "" },
        max = if small { "180px" } else { "28rem" },
    );
    let _ = write!(s, r#"<title id="{id}-title">{}</title>"#, esc(labels.title));
    // In inline SVG the style element is parsed as markup, not raw text: nothing here may
    // contain `<` or `&`. Scoped by id because a style element applies to the whole page.
    let _ = write!(
        s,
        r#"<style>svg[id="{id}"] .map-tile:focus .map-cell,svg[id="{id}"] .map-tile:hover .map-cell{{stroke:{DARK};stroke-width:3px}}</style>"#
    );
    if !small && any_missing {
        let _ = write!(
            s,
            r#"<defs><pattern id="{id}-nodata" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_DATA_BG}"/><line x1="0" y1="0" x2="0" y2="6" stroke="{NO_DATA_HATCH}" stroke-width="2"/></pattern></defs>"#
        );
    }

    for (t, pos) in &placed {
        let current = highlight == Some(t.key);
        let value = figure(t);
        let (fill, text_fill) = if small {
            if current {
                (SMALL_CURRENT.to_string(), WHITE)
            } else {
                (SMALL_OTHER.to_string(), DARK)
            }
        } else {
            match value.and_then(|v| shading.class_of(v)) {
                Some(c) => (
                    CLASS_FILLS[shading.fill[c]].to_string(),
                    CLASS_TEXT[shading.fill[c]],
                ),
                None => (format!("url(#{id}-nodata)"), DARK),
            }
        };
        // The accessible name says what a sighted reader sees: the figure on the full map
        // (or that there is none), only the name on the locator map, which shows no figures.
        let name = if small {
            t.name.to_string()
        } else if value.is_some() && !t.value_text.is_empty() {
            format!("{}: {}", t.name, t.value_text)
        } else if value.is_none() && !labels.no_data.is_empty() {
            format!("{}: {}", t.name, labels.no_data)
        } else {
            t.name.to_string()
        };
        let name = esc(&name);
        let (x, y) = origin(*pos);
        let _ = write!(
            s,
            r#"<a class="map-tile{cur}" href="{href}" aria-label="{name}"><title>{name}</title>"#,
            cur = if current { " map-tile-current" } else { "" },
            href = esc(t.href),
        );
        if current {
            // A ring one unit outside the tile, so the highlight shows on the darkest fill too.
            let _ = write!(
                s,
                r#"<rect class="map-ring" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{DARK}" stroke-width="3"/>"#,
                x - 3,
                y - 3,
                TILE + 6,
                TILE + 6
            );
        }
        let _ = write!(
            s,
            r#"<rect class="map-cell" x="{x}" y="{y}" width="{TILE}" height="{TILE}" fill="{fill}" stroke="{TILE_STROKE}" stroke-width="1"/>"#
        );
        s.push_str("</a>");
        let show_label = !t.abbr.is_empty() && (!small || current);
        if show_label {
            let size = if small { SMALL_LABEL_SIZE } else { LABEL_SIZE };
            // The abbreviation is drawn after the link, not inside it: a link whose visible
            // text ("LOM") does not begin its name ("Lombardia: 4.776") fails axe's label-in-
            // name rule, and screen readers hear the full name from aria-label anyway.
            // pointer-events="none" lets clicks and hover reach the tile underneath. 0.35 em
            // below the centre puts the x-height in the middle without dominant-baseline,
            // which renderers treat differently.
            let _ = write!(
                s,
                r#"<text x="{}" y="{:.1}" text-anchor="middle" font-size="{size}" font-weight="bold" fill="{text_fill}" direction="{dir}" aria-hidden="true" pointer-events="none">{}</text>"#,
                x + TILE / 2,
                f64::from(y + TILE / 2) + 0.35 * f64::from(size),
                esc(t.abbr)
            );
        }
    }

    if let Some(l) = legend {
        l.write(&mut s, &id, rtl);
    }
    s.push_str("</svg>");
    s
}

/// The legend's content and its estimated size, computed before drawing so that the viewBox
/// can grow to hold it instead of clipping long labels.
struct Legend {
    title: Vec<String>,
    /// (fill, label) per entry, lightest class first; no fill is the no-data hatching.
    entries: Vec<(Option<&'static str>, String)>,
    width: u32,
    height: u32,
}

impl Legend {
    fn new(shading: &Shading, any_missing: bool, labels: &MapLabels) -> Self {
        let title = wrap(labels.legend_title, LEGEND_WRAP);
        let own_ranges = labels.legend_ranges.len() != shading.bounds.len();
        let mut entries: Vec<(Option<&'static str>, String)> = shading
            .bounds
            .iter()
            .enumerate()
            .map(|(c, &(lo, hi))| {
                let label = if own_ranges {
                    let (lo, hi) = (integer(lo), integer(hi));
                    if lo == hi { lo } else { format!("{lo}–{hi}") }
                } else {
                    labels.legend_ranges[c].clone()
                };
                (Some(CLASS_FILLS[shading.fill[c]]), label)
            })
            .collect();
        if any_missing {
            entries.push((None, labels.no_data.to_string()));
        }
        // Text width estimated at 0.6 em per character: generous for Latin and Arabic letters
        // in a sans-serif face, which is what matters for not clipping.
        let em = |chars: usize| (chars as f64 * 0.6 * f64::from(LEGEND_SIZE)).ceil() as u32;
        let title_w = title
            .iter()
            .map(|l| em(l.chars().count()))
            .max()
            .unwrap_or(0);
        let entry_w = entries
            .iter()
            .map(|(_, l)| SWATCH + 6 + em(l.chars().count()))
            .max()
            .unwrap_or(0);
        let lines = title.len() + entries.len();
        Legend {
            width: title_w.max(entry_w),
            height: lines as u32 * LEGEND_LINE + 4,
            title,
            entries,
        }
    }

    fn write(&self, s: &mut String, id: &str, rtl: bool) {
        let (x0, y0) = origin((LEGEND_COL, LEGEND_ROW));
        let dir = if rtl { "rtl" } else { "ltr" };
        // Right to left, swatches sit at the right edge with the text to their left; the text
        // keeps text-anchor="start", which an RTL direction places at its right end.
        let (text_edge, swatch_x, label_x) = if rtl {
            let right = x0 + self.width;
            (right, right - SWATCH, right - SWATCH - 6)
        } else {
            (x0, x0, x0 + SWATCH + 6)
        };
        s.push_str(r#"<g class="map-legend">"#);
        let mut y = y0;
        for line in &self.title {
            y += LEGEND_LINE;
            let _ = write!(
                s,
                r#"<text x="{text_edge}" y="{}" font-size="{LEGEND_SIZE}" font-weight="bold" fill="{DARK}" direction="{dir}">{}</text>"#,
                y - 4,
                esc(line)
            );
        }
        for (fill, label) in &self.entries {
            y += LEGEND_LINE;
            let fill = match fill {
                Some(f) => f.to_string(),
                None => format!("url(#{id}-nodata)"),
            };
            let _ = write!(
                s,
                r#"<rect x="{swatch_x}" y="{}" width="{SWATCH}" height="{SWATCH}" fill="{fill}" stroke="{TILE_STROKE}" stroke-width="1"/><text x="{label_x}" y="{}" font-size="{LEGEND_SIZE}" fill="{DARK}" direction="{dir}">{}</text>"#,
                y - SWATCH - 2,
                y - 4,
                esc(label)
            );
        }
        s.push_str("</g>");
    }
}

/// A raw figure as a plain integer, without a sign on zero.
fn integer(v: f64) -> String {
    let r = v.round();
    if r == 0.0 {
        "0".to_string()
    } else {
        format!("{r:.0}")
    }
}

/// Naive word wrap by character count; a word longer than a line gets a line of its own rather
/// than being cut, because legend text must never be lost.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [(&str, &str); 20] = [
        ("piemonte", "PIE"),
        ("valle-d-aosta", "VDA"),
        ("lombardia", "LOM"),
        ("trentino-alto-adige", "TAA"),
        ("veneto", "VEN"),
        ("friuli-venezia-giulia", "FVG"),
        ("liguria", "LIG"),
        ("emilia-romagna", "EMR"),
        ("toscana", "TOS"),
        ("umbria", "UMB"),
        ("marche", "MAR"),
        ("lazio", "LAZ"),
        ("abruzzo", "ABR"),
        ("molise", "MOL"),
        ("campania", "CAM"),
        ("puglia", "PUG"),
        ("basilicata", "BAS"),
        ("calabria", "CAL"),
        ("sicilia", "SIC"),
        ("sardegna", "SAR"),
    ];

    fn tiles(values: &[Option<f64>]) -> Vec<Tile<'static>> {
        NAMES
            .iter()
            .zip(values.iter().chain(std::iter::repeat(&None)))
            .map(|(&(key, abbr), &value)| Tile {
                key,
                name: key,
                abbr,
                href: "../regioni/x/",
                value,
                value_text: if value.is_some() { "1.234" } else { "" },
            })
            .collect()
    }

    fn labels() -> MapLabels<'static> {
        MapLabels {
            title: "Mappa delle regioni italiane",
            legend_title: "Percorsi avviati",
            no_data: "nessun dato",
            legend_ranges: &[],
        }
    }

    fn all_values() -> Vec<Option<f64>> {
        (0..20).map(|i| Some(f64::from(i * 100))).collect()
    }

    /// Values of attribute `name` in each element starting with `tag`, in document order.
    fn attrs(svg: &str, tag: &str, name: &str) -> Vec<String> {
        svg.split(tag)
            .skip(1)
            .filter_map(|el| {
                let el = &el[..el.find('>').unwrap_or(el.len())];
                let start = el.find(&format!(" {name}=\""))? + name.len() + 3;
                let end = el[start..].find('"')? + start;
                Some(el[start..end].to_string())
            })
            .collect()
    }

    fn view_box(svg: &str) -> (f64, f64) {
        let vb = attrs(svg, "<svg", "viewBox").remove(0);
        let n: Vec<f64> = vb.split(' ').map(|x| x.parse().unwrap()).collect();
        (n[2], n[3])
    }

    fn contrast(a: &str, b: &str) -> f64 {
        fn lum(hex: &str) -> f64 {
            let ch = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.04045 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5)
        }
        let (la, lb) = (lum(a), lum(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn twenty_tiles_are_twenty_links_on_distinct_non_overlapping_squares() {
        let svg = tile_map(&tiles(&all_values()), None, false, false, &labels(), "m");
        assert_eq!(svg.matches("<a class=\"map-tile\" href=").count(), 20);
        let (w, h) = view_box(&svg);
        let xs = attrs(&svg, "<rect class=\"map-cell\"", "x");
        let ys = attrs(&svg, "<rect class=\"map-cell\"", "y");
        assert_eq!(xs.len(), 20);
        let pos: Vec<(f64, f64)> = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap()))
            .collect();
        let t = f64::from(TILE);
        for (i, &(x, y)) in pos.iter().enumerate() {
            assert!(
                x >= 0.0 && y >= 0.0 && x + t <= w && y + t <= h,
                "{x},{y} outside"
            );
            for &(x2, y2) in &pos[i + 1..] {
                let apart = x + t <= x2 || x2 + t <= x || y + t <= y2 || y2 + t <= y;
                assert!(apart, "tiles at {x},{y} and {x2},{y2} overlap");
            }
        }
    }

    #[test]
    fn the_layout_keeps_italy_shape() {
        let at = |k| cell(k).unwrap();
        assert!(at("sicilia").1 > at("calabria").1);
        assert!(at("sicilia").0 < at("calabria").0);
        assert!(at("sardegna").0 < at("lazio").0 && at("sardegna").0 < at("toscana").0);
        assert!(at("valle-d-aosta").1 == 0 && at("piemonte").0 == 0);
        assert_eq!(at("liguria").0, at("piemonte").0);
        assert!(at("liguria").1 > at("piemonte").1);
        assert!(at("puglia").0 > at("campania").0);
        let mut cells: Vec<_> = LAYOUT.iter().map(|&(_, c, r)| (c, r)).collect();
        cells.sort();
        cells.dedup();
        assert_eq!(cells.len(), 20);
        assert!(LAYOUT.iter().all(|&(_, c, r)| c < COLS && r < ROWS));
        // The legend corner is sea.
        assert!(
            LAYOUT
                .iter()
                .all(|&(_, c, r)| c < LEGEND_COL || r < LEGEND_ROW)
        );
    }

    #[test]
    fn unknown_and_repeated_keys_are_skipped() {
        let mut ts = tiles(&all_values());
        ts.push(Tile {
            key: "corsica",
            name: "Corsica",
            abbr: "COR",
            href: "x",
            value: Some(1.0),
            value_text: "1",
        });
        ts.push(Tile {
            key: "lazio",
            name: "Lazio again",
            abbr: "LAZ",
            href: "y",
            value: Some(1.0),
            value_text: "1",
        });
        let svg = tile_map(&ts, None, false, false, &labels(), "m");
        assert_eq!(svg.matches("<a ").count(), 20);
        assert!(!svg.contains("Corsica") && !svg.contains("again"));
    }

    #[test]
    fn the_highlighted_tile_has_a_ring() {
        let svg = tile_map(
            &tiles(&all_values()),
            Some("lazio"),
            false,
            false,
            &labels(),
            "m",
        );
        assert_eq!(svg.matches("class=\"map-ring\"").count(), 1);
        let a = svg
            .split("<a ")
            .find(|a| a.contains("map-tile-current"))
            .unwrap();
        assert!(a.contains("aria-label=\"lazio: 1.234\""));
        assert!(a.contains("stroke-width=\"3\""));
        let none = tile_map(
            &tiles(&all_values()),
            Some("nowhere"),
            false,
            false,
            &labels(),
            "m",
        );
        assert!(!none.contains("map-ring"));
    }

    #[test]
    fn text_is_escaped() {
        let mut ts = tiles(&all_values());
        ts[0].name = "A<b>&\"c'";
        ts[0].abbr = "<&>";
        ts[0].href = "x?a=1&b=\"2\"";
        let l = MapLabels {
            title: "T<&\">",
            legend_title: "L&",
            no_data: "n<",
            legend_ranges: &[],
        };
        let svg = tile_map(&ts, None, false, true, &l, "m\"><script>");
        assert!(svg.contains("A&lt;b&gt;&amp;&quot;c&#39;: 1.234"));
        assert!(svg.contains(">&lt;&amp;&gt;</text>"));
        assert!(svg.contains("href=\"x?a=1&amp;b=&quot;2&quot;\""));
        assert!(svg.contains("T&lt;&amp;&quot;&gt;</title>"));
        assert!(!svg.contains("<script") && !svg.contains("<b>"));
        assert!(svg.contains("id=\"m---script-\""));
    }

    #[test]
    fn the_largest_figure_is_darkest_and_missing_figures_are_hatched() {
        let mut values = all_values();
        values[3] = None;
        values[7] = Some(f64::NAN);
        let svg = tile_map(&tiles(&values), None, false, false, &labels(), "m");
        let fills = attrs(&svg, "<rect class=\"map-cell\"", "fill");
        let labels_ = attrs(&svg, "<a ", "aria-label");
        // Value 1900 is the largest (sardegna); value 0 the smallest (piemonte).
        let fill_of = |name: &str| {
            let i = labels_.iter().position(|l| l.starts_with(name)).unwrap();
            fills[i].clone()
        };
        assert_eq!(fill_of("sardegna"), CLASS_FILLS[4]);
        assert_eq!(fill_of("piemonte"), CLASS_FILLS[0]);
        assert_eq!(fill_of("trentino-alto-adige"), "url(#m-nodata)");
        assert_eq!(fill_of("emilia-romagna"), "url(#m-nodata)");
        assert!(labels_.contains(&"emilia-romagna: nessun dato".to_string()));
        assert!(svg.contains("<pattern id=\"m-nodata\""));
        assert!(svg.contains(">nessun dato</text>"));
        // Five classes of (almost) equal count, drawn in the legend.
        let counts: Vec<usize> = CLASS_FILLS
            .iter()
            .map(|f| fills.iter().filter(|x| x == f).count())
            .collect();
        assert_eq!(counts.iter().sum::<usize>(), 18);
        assert!(counts.iter().all(|&c| (3..=4).contains(&c)), "{counts:?}");
        assert_eq!(svg.matches("<rect x=").count(), 6);
    }

    #[test]
    fn classes_are_stable_under_ties_and_order() {
        let s = Shading::new(&[1.0, 2.0, 2.0, 2.0, 2.0]);
        assert_eq!(s.bounds, vec![(1.0, 1.0), (2.0, 2.0)]);
        assert_eq!(s.fill, vec![0, 4]);
        let s = Shading::new(&[5.0; 7]);
        assert_eq!(s.bounds.len(), 1);
        assert_eq!(s.fill, vec![4]);
        assert!(Shading::new(&[]).bounds.is_empty());
        let a = Shading::new(&[9.0, 1.0, 4.0, 4.0, 7.0, 3.0, 8.0, 2.0]);
        let b = Shading::new(&[1.0, 2.0, 3.0, 4.0, 4.0, 7.0, 8.0, 9.0]);
        assert_eq!(a.bounds, b.bounds);
        assert_eq!(a.class_of(9.0), Some(a.bounds.len() - 1));
    }

    #[test]
    fn legend_uses_given_ranges_when_they_match_the_classes() {
        let ts = tiles(&[Some(10.0), Some(20.0), Some(30.4)]);
        let bounds = class_bounds(&ts);
        assert_eq!(bounds.len(), 3);
        let ranges: Vec<String> = bounds
            .iter()
            .map(|(a, b)| format!("da {a} a {b}"))
            .collect();
        let l = MapLabels {
            legend_ranges: &ranges,
            ..labels()
        };
        let svg = tile_map(&ts, None, false, false, &l, "m");
        assert!(svg.contains(">da 30.4 a 30.4</text>"));
        let own = tile_map(&ts, None, false, false, &labels(), "m");
        assert!(own.contains(">30</text>") && own.contains(">nessun dato</text>"));
        let wide = tiles(&[Some(1.0), Some(2.0), Some(30.0), Some(4000.6)]);
        let b = class_bounds(&wide);
        assert_eq!(b.len(), 4);
        let many: Vec<Option<f64>> = (0..20).map(|i| Some(f64::from(i))).collect();
        let svg = tile_map(&tiles(&many), None, false, false, &labels(), "m");
        assert!(svg.contains(">0–3</text>") && svg.contains(">16–19</text>"));
    }

    #[test]
    fn small_map_has_no_legend_and_labels_only_the_highlight() {
        let svg = tile_map(
            &tiles(&all_values()),
            Some("umbria"),
            true,
            false,
            &labels(),
            "mini",
        );
        assert!(svg.contains("class=\"tile-map tile-map-small\""));
        assert!(svg.contains("max-width:180px"));
        assert!(!svg.contains("map-legend") && !svg.contains("<pattern"));
        assert_eq!(svg.matches("<text").count(), 1);
        assert!(svg.contains(">UMB</text>"));
        let fills = attrs(&svg, "<rect class=\"map-cell\"", "fill");
        assert_eq!(fills.iter().filter(|f| *f == SMALL_CURRENT).count(), 1);
        assert_eq!(fills.iter().filter(|f| *f == SMALL_OTHER).count(), 19);
        assert!(svg.contains("aria-label=\"umbria\""));
    }

    #[test]
    fn right_to_left_keeps_the_geography_and_sets_text_direction() {
        let ltr = tile_map(&tiles(&all_values()), None, false, false, &labels(), "m");
        let rtl = tile_map(&tiles(&all_values()), None, false, true, &labels(), "m");
        assert!(rtl.contains(" direction=\"ltr\">"));
        let cells = |s: &str| attrs(s, "<rect class=\"map-cell\"", "x");
        assert_eq!(cells(&ltr), cells(&rtl));
        assert!(attrs(&rtl, "<text", "direction").iter().all(|d| d == "rtl"));
        assert!(attrs(&ltr, "<text", "direction").iter().all(|d| d == "ltr"));
    }

    #[test]
    fn empty_label_draws_no_text() {
        let mut ts = tiles(&all_values());
        for t in &mut ts {
            t.abbr = "";
        }
        let svg = tile_map(&ts, None, false, false, &labels(), "m");
        assert_eq!(svg.matches("<text").count(), 1 + 5);
    }

    #[test]
    fn output_is_deterministic_and_well_formed() {
        let mut values = all_values();
        values[5] = None;
        let a = tile_map(
            &tiles(&values),
            Some("sicilia"),
            false,
            false,
            &labels(),
            "m",
        );
        let mut reversed = tiles(&values);
        reversed.reverse();
        let b = tile_map(&reversed, Some("sicilia"), false, false, &labels(), "m");
        assert_eq!(a, b);
        assert!(a.starts_with("<svg ") && a.ends_with("</svg>"));
        assert!(!a.contains("<?xml") && !a.contains("xlink"));
        for tag in ["svg", "a", "text", "title", "g", "style", "defs", "pattern"] {
            assert_eq!(
                a.matches(&format!("<{tag} ")).count() + a.matches(&format!("<{tag}>")).count(),
                a.matches(&format!("</{tag}>")).count(),
                "<{tag}> unbalanced"
            );
        }
    }

    #[test]
    fn legend_fits_inside_the_view_box() {
        let l = MapLabels {
            legend_title: "Persone che hanno avviato un percorso di inserimento lavorativo",
            ..labels()
        };
        let mut values = all_values();
        values[0] = Some(123_456_789.0);
        values[1] = None;
        let svg = tile_map(&tiles(&values), None, false, false, &l, "m");
        let (w, h) = view_box(&svg);
        let em = 0.6 * f64::from(LEGEND_SIZE);
        let legend = &svg[svg.find("<g class=\"map-legend\">").unwrap()..];
        let xs = attrs(legend, "<text", "x");
        let ys = attrs(legend, "<text", "y");
        let texts: Vec<&str> = legend
            .split("<text")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()])
            .collect();
        assert_eq!(texts.len(), 4 + 6);
        for ((x, y), t) in xs.iter().zip(&ys).zip(&texts) {
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!(y <= h, "{t} below the view box");
            assert!(x + em * t.chars().count() as f64 <= w, "{t} too wide");
        }
        assert!(
            texts
                .iter()
                .all(|t| t.chars().count() <= LEGEND_WRAP || !t.contains(' '))
        );
    }

    #[test]
    fn every_label_colour_is_readable_on_its_fill() {
        for (fill, text) in CLASS_FILLS.iter().zip(CLASS_TEXT) {
            let c = contrast(fill, text);
            assert!(c >= 4.5, "{text} on {fill}: {c:.2}");
        }
        for bg in [NO_DATA_BG, NO_DATA_HATCH, SMALL_OTHER] {
            assert!(contrast(DARK, bg) >= 4.5, "{DARK} on {bg}");
        }
        assert!(contrast(WHITE, SMALL_CURRENT) >= 4.5);
        assert!(contrast(TILE_STROKE, WHITE) >= 3.0);
        // The ring and the focus stroke against the page.
        assert!(contrast(DARK, WHITE) >= 3.0);
    }
}
