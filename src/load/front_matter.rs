//! Where a Markdown file's front matter is: between a first line `---` and the next line
//! `---`, the body after it.

use super::ContentFile;
use crate::diag::{Diagnostics, Pos, SourceText};

/// The line a file's front matter starts on (after the line `---`).
pub(super) const FRONT_MATTER_LINE: usize = 2;

/// The file `src` of `section`/`key` in `lang` with its front matter found, or a message at
/// its first line when it has none or it is never closed.
pub(crate) fn split_front_matter(
    src: SourceText,
    section: &str,
    key: &str,
    lang: &str,
    diags: &mut Diagnostics,
) -> Option<ContentFile> {
    let text = &src.text;
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        diags
            .error(&src, Pos::new(1, 1, 1), "the file does not start with front matter")
            .help("begin the file with a line `---`, then the fields (title: …, date: …), then another line `---`, then the text");
        return None;
    }
    let fm_start = (first_line_end + 1).min(text.len());
    let mut offset = fm_start;
    let mut fm_end = None;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            fm_end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((fm_end, body_start)) = fm_end else {
        diags
            .error(&src, Pos::new(1, 1, 3), "the front matter is never closed")
            .help("add a line with only `---` after the last field, before the text");
        return None;
    };
    Some(ContentFile {
        section: section.to_string(),
        key: key.to_string(),
        lang: lang.to_string(),
        fm_range: fm_start..fm_end,
        fm_line: FRONT_MATTER_LINE,
        body_offset: body_start,
        src,
        prints: Default::default(),
    })
}
