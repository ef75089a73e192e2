//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, heading ids.
//!
//! Also where body images are checked (alt text required, the file must exist in the bundle)
//! and relative links to bundle files are pointed at the bundle's published folder. Body
//! headings start at `<h2>`: the page template owns the one `<h1>`.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::inline_html;
use crate::diag::{Diagnostics, SourceText, unknown_help};
use crate::model::bundle::{bundle_name, is_bundle_file};
use crate::model::regions::slugify;
use crate::weburl::{Target, target};

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
                if !classes.is_empty()
                    || !attrs.is_empty()
                    || id.as_deref().is_some_and(|i| !plain_id(i))
                {
                    heading_attributes_error(input, range, diags);
                }
                let id = id.as_ref().filter(|i| plain_id(i));
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
                // Classes and attributes never: `{onfocus=…}` or `{style=…}` would be
                // published as written.
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(unique)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
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
            Event::Start(Tag::Image { dest_url, .. }) => {
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
                let picture = match picture_elsewhere(dest_url) {
                    Some(what) => {
                        diags
                            .error(input.src, pos(), format!("this picture is {what}"))
                            .help("save the picture beside the text (in the same folder) and write ![what it shows](name.jpg): it is then checked, stripped of its metadata and resized, and every reader gets it from this site alone");
                        None
                    }
                    None => {
                        let name = bundle_name(dest_url, input.assets);
                        rewrite(dest_url, input, pos, diags);
                        // A file that is not a picture is reported by `model::bundle`.
                        if input.assets.contains(&name.as_ref()) {
                            (input.picture)(&name, &alt)
                        } else {
                            None
                        }
                    }
                };
                // The whole image (its alt text events and end) becomes the processed picture;
                // an image that is not one is left out with its errors, never published as an
                // `<img>` of the address as written.
                out.extend(picture.map(|html| Event::InlineHtml(CowStr::from(html))));
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
                if let Some(problem) = link_problem(dest_url) {
                    diags
                        .error(input.src, pos(), problem)
                        .help("link to a page or a file instead: [the project's site](https://example.org/), or a file beside the text, [the leaflet](leaflet.pdf)");
                    // Left out, its words kept: nothing of the address is published.
                    drop_link_end = true;
                    i += 1;
                    continue;
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
                match inline_html::clean(&text) {
                    Ok(clean) => out.push(Event::Html(CowStr::from(clean))),
                    Err(why) => raw_html_error(input, range, &text, &why, diags),
                }
                i = j + 1;
                continue;
            }
            Event::InlineHtml(h) | Event::Html(h) => match inline_html::clean(h) {
                Ok(clean) => out.push(Event::InlineHtml(CowStr::from(clean))),
                // The element's start tag is reported; its end tag alone is only dropped.
                Err(_) if h.trim_start().starts_with("</") => {}
                Err(why) => raw_html_error(input, range, h, &why, diags),
            },
            Event::End(TagEnd::Link) if drop_link_end => drop_link_end = false,
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut html_out = String::with_capacity(input.body.len() * 3 / 2);
    html::push_html(&mut html_out, out.into_iter());
    html_out
}

fn raw_html_error(
    input: &MdInput,
    range: &std::ops::Range<usize>,
    html: &str,
    why: &inline_html::Refused,
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
            format!(
                "HTML in the text is not published: `{shown}{more}` ({})",
                why.0
            ),
        )
        .help("write it in Markdown: **bold**, [a link](https://example.org/), ![a picture](name.jpg); embedded players, scripts and forms could load other sites or run programs in readers' browsers (only <sup>, <sub>, <br>, <abbr> and similar tags, without attributes, are kept; comments are left out)");
}

/// Whether a heading's `{#id}` is a plain name: letters, digits, `-` and `_`.
fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// A heading written with `{…}` attributes other than a plain `{#id}`.
fn heading_attributes_error(
    input: &MdInput,
    range: &std::ops::Range<usize>,
    diags: &mut Diagnostics,
) {
    let heading = &input.body[range.clone()];
    let line = heading.lines().next().unwrap_or_default();
    let (start, len) = match line.rfind('{') {
        Some(b) => (b, line.len() - b),
        None => (0, line.len()),
    };
    let pos = input
        .src
        .pos_of(input.body_offset + range.start + start, len.max(1));
    diags
        .error(input.src, pos, "a heading may carry only an id: these attributes are not published")
        .help("remove the braces, or keep only an id made of letters, digits and dashes, like `## Orari {#orari}`; classes, styles and event handlers could change the page or run programs in readers' browsers");
}

/// What is wrong with a picture's address, if it is not a file beside the text.
fn picture_elsewhere(url: &str) -> Option<&'static str> {
    match target(url) {
        Target::Scheme(s) if s == "data" => {
            Some("written into the text (a data: address), not a file beside it")
        }
        Target::Scheme(_) | Target::OtherHost => {
            Some("on another site: every reader's browser would fetch it from there")
        }
        Target::Invalid => Some("not an address a browser can follow"),
        Target::SameSite if !is_bundle_file(url) => Some("not a file beside the text"),
        Target::SameSite => None,
    }
}

/// Schemes a link in a text may use: web pages, e-mail and telephone numbers.
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// What is wrong with a link's address, if anything: a scheme that runs code when followed
/// (`javascript:`, `vbscript:`, `data:`) or any other scheme than [`LINK_SCHEMES`].
fn link_problem(url: &str) -> Option<String> {
    match target(url) {
        Target::Scheme(s) if LINK_SCHEMES.contains(&s.as_str()) => None,
        Target::Scheme(s) if ["javascript", "vbscript", "data"].contains(&s.as_str()) => {
            Some("this link would run a program in the reader's browser".into())
        }
        Target::Scheme(s) => Some(format!(
            "links may go to web pages (https://…), e-mail addresses (mailto:) and telephone numbers (tel:), not to `{s}:` addresses"
        )),
        Target::Invalid => Some("this link's address is not one a browser can follow".into()),
        Target::OtherHost | Target::SameSite => None,
    }
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
        // A picture is published only as the processed `<picture>`, never as written.
        assert!(!h.contains("<img"), "{h}");
    }

    #[test]
    fn markup_tags_are_kept_and_comments_left_out() {
        let (h, d) = md(
            "CO<sub>2</sub> e 10<sup>3</sup>,<br> <ABBR>FSE</ABBR> <!-- nota -->\n\n<!--\nnota\n-->\n\n<br>\n",
            &[],
        );
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert!(
            h.contains("CO<sub>2</sub> e 10<sup>3</sup>,<br> <abbr>FSE</abbr>"),
            "{h}"
        );
        // A line of its own is an HTML block: its tags kept, the comment left out.
        assert!(!h.contains("<!--") && !h.contains("nota"), "{h}");
        assert!(h.contains("<br>"), "{h}");
    }

    #[test]
    fn a_comment_closed_as_browsers_close_it_is_refused() {
        let (h, d) = md("x <!-- y --!> <script>alert(1)</script> -->\n", &[]);
        let errs: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert!(!errs.is_empty(), "{h}");
        assert!(
            errs[0].contains("HTML in the text is not published") && errs[0].contains("s.md:4:3"),
            "{errs:#?}"
        );
        assert!(!h.contains("<script") && !h.contains("<!--"), "{h}");
    }

    #[test]
    fn headings_carry_only_a_plain_id() {
        let (h, d) = md(
            "## Orari {#orari}\n\n## Sede {tabindex=0 autofocus= onfocus=alert(1)}\n\n## Colore {style=position:fixed .big}\n\n## Strano {#a\"b}\n",
            &[],
        );
        let errs: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert_eq!(errs.len(), 3, "{errs:#?}\n{h}");
        assert!(
            errs[0].contains("a heading may carry only an id") && errs[0].contains("s.md:6:9"),
            "{}",
            errs[0]
        );
        assert!(errs[1].contains("s.md:8:11"), "{}", errs[1]);
        assert!(h.contains(r#"<h2 id="orari">"#), "{h}");
        for bad in ["onfocus", "tabindex", "autofocus", "style", "class"] {
            assert!(!h.contains(bad), "{bad} in {h}");
        }
    }

    #[test]
    fn addresses_are_read_as_browsers_read_them() {
        let (h, d) = md(
            "![x](http:evil.example/pixel) ![y](https:host/p.jpg) ![z](\\\\evil.example\\p.jpg) ![w](/foto.jpg) ![v](../altra/p.jpg)\n\n[a](java&#09;script:alert(1)) [b](javascript&colon;alert(2)) [c](file:///etc/passwd) [d](tel:+39061234) [e](//example.org/)\n",
            &["p.jpg"],
        );
        let errs: Vec<String> = d.sorted().iter().map(|x| x.render(false)).collect();
        assert_eq!(errs.len(), 8, "{errs:#?}");
        assert!(!h.contains("<img"), "{h}");
        assert!(!h.contains("javascript") && !h.contains("file:"), "{h}");
        assert!(
            h.contains(r#"href="tel:+39061234""#) && h.contains(r#"href="//example.org/""#),
            "{h}"
        );
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
