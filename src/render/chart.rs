//! Horizontal bar charts as inline SVG strings for HTML5 pages.
//!
//! One bar per figure, its length proportional to the largest figure, with the label wrapped
//! in a column on the reading side and the formatted figure after the bar's end. The chart is
//! an image to assistive technology: its `<desc>` lists every label and figure, so nothing is
//! known only from the drawing. Pure and deterministic; every caller string is escaped here.

use std::fmt::Write;

/// One bar: its label and figure in the page language, and the raw figure for its length.
pub struct Bar<'a> {
    pub label: &'a str,
    /// Raw figure; zero, negative and non-finite figures draw no bar.
    pub value: f64,
    /// `value` formatted for the language, drawn after the bar and listed in the description.
    pub value_text: &'a str,
}

/// Drawing width in viewBox units; the chart scales to its container.
const WIDTH: f64 = 640.0;
/// The label column takes 40 % of the width, the bars and figures the rest.
const LABEL_COL: f64 = 256.0;
const LABEL_GAP: f64 = 8.0;
const BAR_START: f64 = LABEL_COL + LABEL_GAP;
/// Space between a bar's end and its figure.
const VALUE_GAP: f64 = 6.0;
const FONT: f64 = 13.0;
const LINE: f64 = 16.0;
const BAR_HEIGHT: f64 = 20.0;
const ROW_PAD: f64 = 12.0;
/// Characters per label line: about what fits the label column at this font size.
const WRAP: usize = 28;

/// Link blue: 7.9:1 on white, well over the 3:1 asked of graphics.
const BAR_FILL: &str = "#0b4fa0";
/// Text: 16.6:1 on white.
const TEXT_FILL: &str = "#1b1f24";

/// Renders the chart. `title` is its accessible name; `rtl` mirrors the drawing so that bars
/// grow from the right edge and text runs right to left; `id` must be unique on the page
/// (characters other than ASCII letters, digits, `-` and `_` are replaced by `-`).
pub fn bar_chart(title: &str, bars: &[Bar], rtl: bool, id: &str) -> String {
    let id = safe_id(id, "bar-chart");
    let figure = |b: &Bar| {
        if b.value.is_finite() && b.value > 0.0 {
            b.value
        } else {
            0.0
        }
    };
    let max = bars.iter().map(figure).fold(0.0, f64::max);
    // The figure column is sized for the longest figure at 0.6 em a character, so that the
    // longest bar never pushes its figure out of the drawing.
    let longest_value = bars
        .iter()
        .map(|b| b.value_text.chars().count())
        .max()
        .unwrap_or(0);
    let value_col = (longest_value as f64 * 0.6 * FONT).max(24.0);
    let bar_max = WIDTH - BAR_START - VALUE_GAP - value_col;

    let rows: Vec<Vec<String>> = bars.iter().map(|b| wrap(b.label, WRAP)).collect();
    let row_height = |lines: usize| (lines as f64 * LINE).max(BAR_HEIGHT) + ROW_PAD;
    let height: f64 = rows
        .iter()
        .map(|l| row_height(l.len()))
        .sum::<f64>()
        .max(1.0);

    // Mirrors an x coordinate for right-to-left pages. Text keeps text-anchor="start": with
    // direction="rtl" the start of a line is its right end, so mirroring x is enough.
    let x_at = |x: f64| if rtl { WIDTH - x } else { x };
    let dir = if rtl { "rtl" } else { "ltr" };

    let mut s = String::with_capacity(1024 + bars.len() * 400);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH:.0} {height:.0}" width="100%" direction="ltr">"#
    );
    let _ = write!(s, r#"<title id="{id}-title">{}</title>"#, esc(title));
    let desc: Vec<String> = bars
        .iter()
        .map(|b| {
            if b.value_text.is_empty() {
                b.label.to_string()
            } else {
                format!("{}: {}", b.label, b.value_text)
            }
        })
        .collect();
    let _ = write!(
        s,
        r#"<desc id="{id}-desc">{}</desc>"#,
        esc(&desc.join("; "))
    );

    let mut top = 0.0;
    for (bar, lines) in bars.iter().zip(&rows) {
        let h = row_height(lines.len());
        let mid = top + h / 2.0;
        let baseline = 0.35 * FONT;
        let length = if max > 0.0 {
            figure(bar) / max * bar_max
        } else {
            0.0
        };
        s.push_str(r#"<g class="bar">"#);

        let first = mid - (lines.len().saturating_sub(1)) as f64 * LINE / 2.0 + baseline;
        let _ = write!(
            s,
            r#"<text class="bar-label" x="{:.2}" y="{first:.2}" font-size="{FONT:.0}" fill="{TEXT_FILL}" direction="{dir}">"#,
            x_at(0.0)
        );
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                s,
                r#"<tspan x="{:.2}" y="{:.2}">{}</tspan>"#,
                x_at(0.0),
                first + i as f64 * LINE,
                esc(line)
            );
        }
        s.push_str("</text>");

        let rect_x = if rtl {
            WIDTH - BAR_START - length
        } else {
            BAR_START
        };
        let _ = write!(
            s,
            r#"<rect x="{rect_x:.2}" y="{:.2}" width="{length:.2}" height="{BAR_HEIGHT:.0}" fill="{BAR_FILL}"/>"#,
            mid - BAR_HEIGHT / 2.0
        );
        let _ = write!(
            s,
            r#"<text class="bar-value" x="{:.2}" y="{:.2}" font-size="{FONT:.0}" fill="{TEXT_FILL}" direction="{dir}">{}</text>"#,
            x_at(BAR_START + length + VALUE_GAP),
            mid + baseline,
            esc(bar.value_text)
        );
        s.push_str("</g>");
        top += h;
    }
    s.push_str("</svg>");
    s
}

/// Naive word wrap by character count. Three lines hold the labels we publish; a longer label
/// gets a fourth line rather than being cut or running into the bars, and a word longer than
/// a line is split by characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        if used > 0 && used + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        while word.len() > width {
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            lines.push(word.drain(..width).collect());
        }
        if word.is_empty() {
            continue;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.extend(word.iter());
        used += word.len();
    }
    if used > 0 {
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Keeps an id usable as an attribute value, a token of `aria-labelledby` and inside a CSS
/// attribute selector. Shared with the map.
pub(super) fn safe_id(id: &str, fallback: &str) -> String {
    if id.is_empty() {
        return fallback.to_string();
    }
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Escapes text for an attribute or element content of inline SVG, and drops the control
/// characters that HTML forbids. Shared with the map.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values of attribute `name` in each element starting with `tag`, in document order.
    fn attrs(svg: &str, tag: &str, name: &str) -> Vec<f64> {
        svg.split(tag)
            .skip(1)
            .filter_map(|el| {
                let el = &el[..el.find('>').unwrap_or(el.len())];
                let start = el.find(&format!(" {name}=\""))? + name.len() + 3;
                let end = el[start..].find('"')? + start;
                el[start..end].parse().ok()
            })
            .collect()
    }

    fn bars() -> Vec<Bar<'static>> {
        vec![
            Bar {
                label: "Lombardia",
                value: 4776.0,
                value_text: "4.776",
            },
            Bar {
                label: "Lazio",
                value: 2046.0,
                value_text: "2.046",
            },
        ]
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
    fn bar_lengths_are_proportional_and_the_largest_is_full_length() {
        let svg = bar_chart("Percorsi", &bars(), false, "c");
        let w = attrs(&svg, "<rect", "width");
        assert_eq!(w.len(), 2);
        assert!((w[1] / w[0] - 2046.0 / 4776.0).abs() < 1e-3, "{w:?}");
        let x = attrs(&svg, "<rect", "x");
        assert!(x.iter().all(|&x| x == BAR_START));
        // The figure after the longest bar still fits the drawing.
        let vx = attrs(&svg, "<text class=\"bar-value\"", "x");
        assert!(vx[0] + 5.0 * 0.6 * FONT <= WIDTH);
        assert!((vx[0] - (BAR_START + w[0] + VALUE_GAP)).abs() < 0.01);
    }

    #[test]
    fn all_zero_negative_or_nan_draw_empty_bars() {
        let zero = [
            Bar {
                label: "a",
                value: 0.0,
                value_text: "0",
            },
            Bar {
                label: "b",
                value: 0.0,
                value_text: "0",
            },
        ];
        let svg = bar_chart("t", &zero, false, "c");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert_eq!(attrs(&svg, "<rect", "width"), vec![0.0, 0.0]);
        let odd = [
            Bar {
                label: "a",
                value: -5.0,
                value_text: "-5",
            },
            Bar {
                label: "b",
                value: f64::NAN,
                value_text: "?",
            },
            Bar {
                label: "c",
                value: 10.0,
                value_text: "10",
            },
        ];
        let svg = bar_chart("t", &odd, false, "c");
        let w = attrs(&svg, "<rect", "width");
        assert_eq!(&w[..2], &[0.0, 0.0]);
        assert!(w[2] > 0.0);
        let empty = bar_chart("t", &[], false, "c");
        assert!(empty.contains("viewBox=\"0 0 640 1\"") && !empty.contains("<rect"));
    }

    #[test]
    fn text_is_escaped() {
        let b = [Bar {
            label: "<b>A & B</b> \"q\" 'x'",
            value: 1.0,
            value_text: "1 <",
        }];
        let svg = bar_chart("T & <U>", &b, false, "c d");
        assert!(svg.contains("<title id=\"c-d-title\">T &amp; &lt;U&gt;</title>"));
        assert!(svg.contains(
            "<desc id=\"c-d-desc\">&lt;b&gt;A &amp; B&lt;/b&gt; &quot;q&quot; &#39;x&#39;: 1 &lt;</desc>"
        ));
        assert!(svg.contains("aria-labelledby=\"c-d-title c-d-desc\""));
        assert!(!svg.contains("<b>") && !svg.contains("1 <"));
    }

    #[test]
    fn right_to_left_mirrors_x() {
        let ltr = bar_chart("t", &bars(), false, "c");
        let rtl = bar_chart("t", &bars(), true, "c");
        let (lx, lw) = (attrs(&ltr, "<rect", "x"), attrs(&ltr, "<rect", "width"));
        let (rx, rw) = (attrs(&rtl, "<rect", "x"), attrs(&rtl, "<rect", "width"));
        assert_eq!(lw, rw);
        for i in 0..2 {
            // The bar covers the mirror image of the same interval.
            assert!((rx[i] - (WIDTH - lx[i] - lw[i])).abs() < 0.01);
        }
        assert!(rx[0] + rw[0] <= WIDTH - BAR_START + 0.01);
        let lv = attrs(&ltr, "<text class=\"bar-value\"", "x");
        let rv = attrs(&rtl, "<text class=\"bar-value\"", "x");
        assert!((rv[0] - (WIDTH - lv[0])).abs() < 0.01);
        assert_eq!(attrs(&rtl, "<tspan", "x")[0], WIDTH);
        assert_eq!(rtl.matches("direction=\"rtl\"").count(), 4);
        assert_eq!(ltr.matches("direction=\"rtl\"").count(), 0);
    }

    #[test]
    fn long_labels_wrap_and_grow_the_row() {
        let long = "Persone che hanno concluso un percorso di inserimento lavorativo";
        let b = [
            Bar {
                label: long,
                value: 3.0,
                value_text: "3",
            },
            Bar {
                label: "Breve",
                value: 1.0,
                value_text: "1",
            },
        ];
        let svg = bar_chart("t", &b, false, "c");
        assert_eq!(svg.matches("<tspan").count(), 3 + 1);
        let lines = wrap(long, WRAP);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.chars().count() <= WRAP));
        assert_eq!(lines.join(" "), long);
        let ys = attrs(&svg, "<rect", "y");
        let short = [
            Bar {
                label: "Breve",
                value: 3.0,
                value_text: "3",
            },
            Bar {
                label: "Breve",
                value: 1.0,
                value_text: "1",
            },
        ];
        let ys_short = attrs(&bar_chart("t", &short, false, "c"), "<rect", "y");
        assert!(ys[1] - ys[0] > ys_short[1] - ys_short[0]);
        assert!(svg.contains("viewBox=\"0 0 640 92\""));
        // Nothing is ever cut, not even a word longer than a line or a fourth line.
        let word = "x".repeat(70);
        assert_eq!(wrap(&word, WRAP).concat(), word);
        let huge = "parola ".repeat(20);
        assert_eq!(wrap(&huge, WRAP).join(" "), huge.trim_end());
        assert_eq!(wrap("", WRAP), vec![String::new()]);
        assert_eq!(wrap("قابلية التوظيف", WRAP), vec!["قابلية التوظيف"]);
    }

    #[test]
    fn output_is_deterministic_and_well_formed() {
        let a = bar_chart("t", &bars(), true, "c");
        assert_eq!(a, bar_chart("t", &bars(), true, "c"));
        assert!(a.starts_with("<svg ") && a.ends_with("</svg>"));
        assert!(a.contains("role=\"img\"") && a.contains("class=\"bar-chart\""));
        assert!(!a.contains("<?xml") && !a.contains("xlink"));
        for tag in ["svg", "g", "text", "tspan", "title", "desc"] {
            assert_eq!(
                a.matches(&format!("<{tag} ")).count() + a.matches(&format!("<{tag}>")).count(),
                a.matches(&format!("</{tag}>")).count(),
                "<{tag}> unbalanced"
            );
        }
    }

    #[test]
    fn colours_are_readable_on_white() {
        assert!(contrast(TEXT_FILL, "#ffffff") >= 4.5);
        assert!(contrast(BAR_FILL, "#ffffff") >= 3.0);
    }
}
