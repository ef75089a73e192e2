//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, heading ids.
//!
//! Also where body images are checked (alt text required, the file must exist in the bundle)
//! and relative links to bundle files are pointed at the bundle's published folder. Body
//! headings start at `<h2>`: the page template owns the one `<h1>`.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::diag::{Diagnostics, SourceText, unknown_help};
use crate::model::regions::slugify;

/// What the renderer needs to know about the document it renders.
pub struct MdInput<'a> {
    pub body: &'a str,
    pub body_offset: usize,
    pub src: &'a SourceText,
    /// Files of the bundle the document belongs to, by name.
    pub assets: &'a [&'a str],
    /// Maps a bundle file name to the link the page should use for it.
    pub asset_href: &'a dyn Fn(&str) -> String,
    /// The `<picture>` markup of a processed raster image of the bundle (name, alt).
    pub picture: &'a dyn Fn(&str, &str) -> Option<String>,
    /// What a link's address is to the site: a page of it or not (`site_link`).
    pub site_link: &'a dyn Fn(&str) -> SiteLink,
}

/// A link's address, seen from the site.
#[derive(Debug, PartialEq, Eq)]
pub enum SiteLink {
    /// Elsewhere, or a file: left as written.
    Other,
    /// A page of the site, and the link to it from the page being built.
    Page(String),
    /// The address of a story taken down for consent: the link is left out, its text kept,
    /// and the build goes on (a takedown must never be held up by a link to the story).
    Withdrawn(String),
    /// An address of the site (`/…`, or the site's own `base_url`) that no page has, and the
    /// closest one that a page has.
    Missing { path: String, near: Option<String> },
}

pub fn render(input: &MdInput, diags: &mut Diagnostics) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(input.body, opts)
        .into_offset_iter()
        .collect();

    let shift = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let mut used_ids: HashSet<String> = HashSet::new();
    // The end of a link left out (links do not nest: the next link end is its own).
    let mut drop_link_end = false;
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let text = heading_text(&events[i + 1..]);
                let base = match id {
                    Some(id) => id.to_string(),
                    None => {
                        let s = slugify(&text);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    }
                };
                let mut unique = base.clone();
                let mut n = 1;
                while !used_ids.insert(unique.clone()) {
                    n += 1;
                    unique = format!("{base}-{n}");
                }
                let level = if shift {
                    deeper(*level)
                } else {
                    (*level).max(HeadingLevel::H2)
                };
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                let level = if shift {
                    deeper(*level)
                } else {
                    (*level).max(HeadingLevel::H2)
                };
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let alt = heading_text(&events[i + 1..]);
                // Worked out only for a message: it reads the file up to the link.
                let pos = || {
                    input
                        .src
                        .pos_of(input.body_offset + range.start, range.len())
                };
                if alt.trim().is_empty() {
                    diags
                        .error(input.src, pos(), "this image has no alt text")
                        .help("write what the picture shows between the brackets: ![Two people at a workbench](workshop.jpg)");
                }
                if let Some(what) = picture_elsewhere(dest_url) {
                    diags
                        .error(input.src, pos(), format!("this picture is {what}"))
                        .help("save the picture beside the text (in the same folder) and write ![what it shows](name.jpg): it is then checked, stripped of its metadata and resized, and every reader gets it from this site alone");
                }
                let dest = rewrite(dest_url, input, pos, diags);
                let name = bundle_name(dest_url, input.assets);
                if is_bundle_file(dest_url)
                    && let Some(html) = (input.picture)(&name, &alt)
                {
                    // Replace the whole image (its alt text events and end) by the picture.
                    out.push(Event::InlineHtml(CowStr::from(html)));
                    let mut depth = 0usize;
                    i += 1;
                    while i < events.len() {
                        match &events[i].0 {
                            Event::Start(_) => depth += 1,
                            Event::End(TagEnd::Image) if depth == 0 => break,
                            Event::End(_) => depth = depth.saturating_sub(1),
                            _ => {}
                        }
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // Worked out only for a message: it reads the file up to the link.
                let pos = || {
                    input
                        .src
                        .pos_of(input.body_offset + range.start, range.len())
                };
                if runs_code(dest_url) {
                    diags
                        .error(
                            input.src,
                            pos(),
                            "this link would run a program in the reader's browser",
                        )
                        .help("link to a page or a file instead: [the project's site](https://example.org/), or a file beside the text, [the leaflet](leaflet.pdf)");
                }
                let dest = if is_bundle_file(dest_url) {
                    rewrite(dest_url, input, pos, diags)
                } else {
                    match (input.site_link)(dest_url) {
                        SiteLink::Other => dest_url.clone(),
                        SiteLink::Page(href) => CowStr::from(href),
                        SiteLink::Withdrawn(path) => {
                            diags
                                .warning(
                                    input.src,
                                    pos(),
                                    format!("this link goes to a story taken down for consent (`{path}`): the link is left out, its words stay"),
                                )
                                .help("remove the link, or rewrite the sentence if it is about that story");
                            drop_link_end = true;
                            i += 1;
                            continue;
                        }
                        SiteLink::Missing { path, near } => {
                            let help = match near {
                                Some(p) => format!("did you mean `{p}`?"),
                                None => "copy the page's address from your browser's address bar (with the site's name, or from the first `/` after it)".to_string(),
                            };
                            diags
                                .error(
                                    input.src,
                                    pos(),
                                    format!("no page of the site has the address `{path}`"),
                                )
                                .help(help);
                            dest_url.clone()
                        }
                    }
                };
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::HtmlBlock) => {
                // A block of HTML: one error for the block, at its first line.
                let mut text = String::new();
                let mut j = i + 1;
                while let Some((Event::Html(h), _)) = events.get(j) {
                    text.push_str(h);
                    j += 1;
                }
                if harmless_html(&text) {
                    out.push(Event::Html(CowStr::from(text)));
                } else {
                    raw_html_error(input, range, &text, diags);
                }
                i = j + 1;
                continue;
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                if harmless_html(h) {
                    out.push(Event::InlineHtml(h.clone()));
                } else if !h.trim_start().starts_with("</") {
                    // The element's start tag is reported; its end tag alone is only dropped.
                    raw_html_error(input, range, h, diags);
                }
            }
            Event::End(TagEnd::Link) if drop_link_end => drop_link_end = false,
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut html_out = String::with_capacity(input.body.len() * 3 / 2);
    html::push_html(&mut html_out, out.into_iter());
    html_out
}

/// Inline elements an author may write as HTML, without attributes: they only mark text up.
const HARMLESS_TAGS: &[&str] = &[
    "abbr", "b", "bdi", "br", "cite", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s",
    "small", "strong", "sub", "sup", "u", "wbr",
];

/// Whether a piece of HTML written in the text may be published: comments, and the tags of
/// `HARMLESS_TAGS` with no attributes (`<sup>`, `</sup>`, `<br>`, `<br />`). Anything else
/// could run a script, load something from another site (SPEC §4: no third-party requests),
/// or slip past the checks of pictures and links.
fn harmless_html(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(start) = rest.find("<!--") {
        let Some(end) = rest[start..].find("-->") else {
            return false;
        };
        if !harmless_tags(&rest[..start]) {
            return false;
        }
        rest = &rest[start + end + 3..];
    }
    harmless_tags(rest)
}

/// Whether `html` is only whitespace and `HARMLESS_TAGS` tags without attributes.
fn harmless_tags(html: &str) -> bool {
    let mut rest = html.trim();
    while !rest.is_empty() {
        let Some(tag) = rest.strip_prefix('<') else {
            return false;
        };
        let Some(end) = tag.find('>') else {
            return false;
        };
        let name = tag[..end]
            .trim_start_matches('/')
            .trim_end_matches('/')
            .trim_end();
        if !HARMLESS_TAGS.contains(&name.to_ascii_lowercase().as_str()) {
            return false;
        }
        rest = tag[end + 1..].trim_start();
    }
    true
}

fn raw_html_error(
    input: &MdInput,
    range: &std::ops::Range<usize>,
    html: &str,
    diags: &mut Diagnostics,
) {
    let first = html.trim().lines().next().unwrap_or_default();
    let shown: String = first.chars().take(80).collect();
    let more = if shown.len() < first.len() { "…" } else { "" };
    let pos = input.src.pos_of(
        input.body_offset + range.start,
        range.len().min(first.len()),
    );
    diags
        .error(
            input.src,
            pos,
            format!("HTML in the text is not published: `{shown}{more}`"),
        )
        .help("write it in Markdown: **bold**, [a link](https://example.org/), ![a picture](name.jpg); embedded players, scripts and forms could load other sites or run programs in readers' browsers (only <sup>, <sub>, <br>, <abbr> and similar tags, without attributes, are kept)");
}

/// What is wrong with a picture that is not a file of the site, if it is not.
fn picture_elsewhere(url: &str) -> Option<&'static str> {
    let u = url.trim().to_ascii_lowercase();
    if u.starts_with("data:") {
        Some("written into the text (a data: address), not a file beside it")
    } else if u.contains("://") || u.starts_with("//") {
        Some("on another site: every reader's browser would fetch it from there")
    } else {
        None
    }
}

/// Whether a link's address runs code when followed (`javascript:`, `vbscript:`, `data:`),
/// read as browsers do: blanks and control characters inside it do not count.
fn runs_code(url: &str) -> bool {
    let u: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| u.starts_with(s))
}

fn deeper(l: HeadingLevel) -> HeadingLevel {
    match l {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The plain text inside the element that starts just before `rest`.
fn heading_text(rest: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut s = String::new();
    let mut depth = 0usize;
    for (e, _) in rest {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            _ => {}
        }
    }
    s
}

/// A link to a file of the bundle: relative, no scheme, not a page anchor.
fn is_bundle_file(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('#')
        || url.starts_with('/')
        || url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("../")
        || url.ends_with('/'))
        && url.rsplit('/').next().is_some_and(|f| f.contains('.'))
}

/// The name of the bundle file a link points to: as written, or with its `%` escapes decoded
/// where the folder has a file of that name (`foto%20citt%C3%A0.jpg` is `foto città.jpg`:
/// Markdown takes a space in a link only between `<` and `>`).
fn bundle_name<'u>(url: &'u str, assets: &[&str]) -> std::borrow::Cow<'u, str> {
    let raw = url.trim_start_matches("./");
    if !assets.contains(&raw)
        && let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8()
        && assets.contains(&decoded.as_ref())
    {
        return decoded;
    }
    raw.into()
}

fn rewrite<'a>(
    url: &CowStr<'a>,
    input: &MdInput,
    pos: impl Fn() -> crate::diag::Pos,
    diags: &mut Diagnostics,
) -> CowStr<'a> {
    if !is_bundle_file(url) {
        return url.clone();
    }
    let name = bundle_name(url, input.assets);
    let name = name.as_ref();
    if !input.assets.contains(&name) {
        diags
            .error(
                input.src,
                pos(),
                format!("the file `{name}` is not in this folder"),
            )
            .help(format!(
                "put the file beside the text (in the same folder) or correct the name; {}",
                unknown_help("files here", name, input.assets.iter().copied())
            ));
        return url.clone();
    }
    CowStr::from((input.asset_href)(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str, assets: &[&str]) -> (String, Diagnostics) {
        let src = SourceText::new("s.md", format!("---\nt: 1\n---\n{body}"));
        let mut d = Diagnostics::new();
        let href = |n: &str| format!("/storie/x/{n}");
        let picture = |n: &str, alt: &str| {
            (n == "p.jpg").then(|| format!("<picture alt=\"{alt}\"></picture>"))
        };
        let out = render(
            &MdInput {
                picture: &picture,
                body,
                body_offset: 13,
                src: &src,
                assets,
                asset_href: &href,
                site_link: &|u: &str| match u {
                    "/progetti/puoi/" => SiteLink::Page("../../progetti/puoi/index.html".into()),
                    "/progetti/puio/" => SiteLink::Missing {
                        path: u.into(),
                        near: Some("/progetti/puoi/".into()),
                    },
                    _ => SiteLink::Other,
                },
            },
            &mut d,
        );
        (out, d)
    }

    #[test]
    fn features() {
        let (h, d) = md(
            "## Il contesto\n\n|a|b|\n|-|-|\n|1|2|\n\nNota[^1] ~~no~~\n\n[^1]: Fonte.\n\n## Il contesto\n",
            &[],
        );
        assert!(d.is_empty());
        assert!(h.contains(r#"<h2 id="il-contesto">"#), "{h}");
        assert!(h.contains(r#"<h2 id="il-contesto-2">"#), "{h}");
        assert!(h.contains("<table>"));
        assert!(h.contains("<del>no</del>"));
        assert!(h.contains("footnote-definition"));
    }

    #[test]
    fn h1_in_body_is_demoted() {
        let (h, _) = md("# Titolo\n\n## Sotto\n", &[]);
        assert!(
            h.contains("<h2") && h.contains("<h3") && !h.contains("<h1"),
            "{h}"
        );
    }

    #[test]
    fn escaped_names_find_the_file_beside_the_text() {
        let (h, d) = md(
            "[La scheda](scheda%20progetto.pdf) e ![Un banco](<p.jpg>) e [altro](<a b.pdf>)\n",
            &["scheda progetto.pdf", "p.jpg", "a b.pdf"],
        );
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert!(
            h.contains(r#"href="/storie/x/scheda%20progetto.pdf""#),
            "{h}"
        );
        assert!(h.contains(r#"<picture alt="Un banco"></picture>"#), "{h}");
        assert!(h.contains(r#"href="/storie/x/a%20b.pdf""#), "{h}");
        // A name the folder does not have is an error, escaped or not.
        let (_, d) = md("[x](manca%20qui.pdf)\n", &["scheda progetto.pdf"]);
        assert_eq!(d.sorted().len(), 1);
    }

    #[test]
    fn image_checks() {
        let (h, d) = md("Testo\n\n![](a.jpg)\n\n![Un banco](b.jpg)\n", &["a.jpg"]);
        let errs: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs.iter()
                .any(|e| e.contains("no alt text") && e.contains("s.md:6:1")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("`b.jpg` is not in this folder") && e.contains("s.md:8:1")),
            "{errs:?}"
        );
        assert!(h.contains(r#"src="/storie/x/a.jpg""#), "{h}");
    }

    #[test]
    fn markup_tags_and_comments_are_kept() {
        let (h, d) = md(
            "CO<sub>2</sub> e 10<sup>3</sup>,<br> <ABBR>FSE</ABBR> <!-- nota -->\n\n<!--\nnota\n-->\n\n<br>\n",
            &[],
        );
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert!(
            h.contains("CO<sub>2</sub> e 10<sup>3</sup>,<br> <ABBR>FSE</ABBR>"),
            "{h}"
        );
        // A line of its own is an HTML block: kept as well.
        assert!(h.contains("<!--\nnota\n-->\n<br>"), "{h}");
    }

    #[test]
    fn html_that_could_run_or_fetch_is_refused() {
        let body = "Testo.\n\n<script>alert(1)</script>\n\n<iframe src=\"https://video.example/x\"\n  width=\"560\"></iframe>\n\nUn <span style=\"color:red\">rosso</span> e <img src=x onerror=alert(2)>.\n\n<b onclick=\"x()\">b</b> <!-- aperto\n";
        let (h, d) = md(body, &[]);
        let errs: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        let at = |needle: &str, place: &str| {
            assert!(
                errs.iter().any(|e| e.contains(needle) && e.contains(place)),
                "{needle} at {place}: {errs:#?}"
            )
        };
        at(
            "HTML in the text is not published: `<script>alert(1)</script>`",
            "s.md:6:1",
        );
        // One error for a block, at its first line.
        at("`<iframe src=\"https://video.example/x\"`", "s.md:8:1");
        at("`<span style=\"color:red\">`", "s.md:11:4");
        at("`<img src=x onerror=alert(2)>`", "s.md:11:43");
        at("`<b onclick=\"x()\">`", "s.md:13:1");
        // An end tag alone is not reported again; an unclosed comment is only text.
        assert_eq!(errs.len(), 5, "{errs:#?}");
        assert!(h.contains("&lt;!-- aperto"), "{h}");
        assert!(!h.contains("<script") && !h.contains("onerror") && !h.contains("<iframe"));
        assert!(
            errs[0].contains("help: write it in Markdown"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn pictures_from_elsewhere_and_links_that_run_code_are_refused() {
        let (_, d) = md(
            "![a](https://cdn.example/a.jpg) ![b](//cdn.example/b.jpg) ![c](data:image/png;base64,AA)\n\n[x](javascript:alert(1)) [y](<JaVa\tScript:alert(2)>) [z](data:text/html,hi) [ok](https://example.org/) [mail](mailto:a@example.org)\n",
            &[],
        );
        let errs: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert_eq!(errs.len(), 6, "{errs:#?}");
        assert_eq!(
            errs.iter()
                .filter(|e| e.contains("is on another site"))
                .count(),
            2
        );
        assert_eq!(
            errs.iter()
                .filter(|e| e.contains("a data: address"))
                .count(),
            1
        );
        assert_eq!(
            errs.iter()
                .filter(|e| e.contains("would run a program"))
                .count(),
            3
        );
        assert!(errs.iter().any(|e| e.contains("s.md:4:33")), "{errs:#?}");
    }

    #[test]
    fn links_to_pages_of_the_site_are_checked_and_made_relative() {
        let (h, d) = md(
            "[Il progetto](/progetti/puoi/) e [altro](/progetti/puio/) e [fuori](https://example.org/)\n",
            &[],
        );
        let errs: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert!(
            errs[0].starts_with("error: no page of the site has the address `/progetti/puio/`")
                && errs[0].contains("s.md:4:34")
                && errs[0].contains("help: did you mean `/progetti/puoi/`?"),
            "{}",
            errs[0]
        );
        assert!(
            h.contains(r#"href="../../progetti/puoi/index.html""#),
            "{h}"
        );
        assert!(h.contains(r#"href="https://example.org/""#), "{h}");
    }

    #[test]
    fn processed_pictures_replace_the_image() {
        let (h, d) = md("Prima ![Un *banco* di lavoro](p.jpg) dopo\n", &["p.jpg"]);
        assert!(d.is_empty());
        assert!(
            h.contains(r#"Prima <picture alt="Un banco di lavoro"></picture> dopo"#),
            "{h}"
        );
    }
}
