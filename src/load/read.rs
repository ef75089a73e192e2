//! Reading one text file of the site: opened without following a link, checked to be an
//! ordinary file within the size limit, UTF-8 without control characters, and not empty;
//! every refusal a diagnostic at the file (and line, where there is one).

use std::path::Path;

use super::rel_path;
use super::walk::SiteRoot;
use crate::diag::{Diagnostics, Pos, SourceText};

/// Text sources larger than this are refused: no real front matter, story or calendar comes
/// close, and a hostile file must not exhaust memory.
const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a text file, refusing oversized, empty and non-UTF-8 ones with a diagnostic.
pub fn read_text(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<SourceText> {
    use std::io::Read;
    let rel = rel_path(root, path);
    // Opened once: its size from the open file, then read into a buffer of that size.
    let opened = open_regular(path).and_then(|f| Ok((f.metadata()?, f)));
    let (meta, file) = match opened {
        Ok(m) => m,
        Err(e) => {
            diags.file_error(
                &rel,
                format!("cannot read this file: {e}"),
                "check that the file exists and that you have permission to read it",
            );
            return None;
        }
    };
    if !meta.is_file() {
        diags.file_error(
            &rel,
            "this is not an ordinary file (it is a folder, a device, a pipe or a socket)",
            "remove it from the site folder: only ordinary files are read",
        );
        return None;
    }
    let too_large = |size: u64, diags: &mut Diagnostics| {
        diags.file_error(
            &rel,
            format!(
                "this file is too large ({} MB; the limit is {} MB)",
                size / (1024 * 1024),
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
            "split it into smaller files; pictures belong beside the text, not inside it",
        );
    };
    if meta.len() > MAX_TEXT_BYTES {
        too_large(meta.len(), diags);
        return None;
    }
    // One byte more than the size, so that the read that finds the end needs no other room;
    // through `take`, which also keeps a file that grows while read within the limit, and
    // makes std skip its own look at the size and position (two calls per file).
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    let bytes = match file.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes) {
        Ok(_) => bytes,
        Err(e) => {
            diags.file_error(
                &rel,
                format!("cannot read this file: {e}"),
                "check that you have permission to read it",
            );
            return None;
        }
    };
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        // It grew while it was read.
        too_large(bytes.len() as u64, diags);
        return None;
    }
    // Checked with SIMD, then copied once without the byte order mark: std's check goes a
    // character at a time through accented and Arabic text, which is most of every site.
    let text = match simdutf8::compat::from_utf8(&bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t).to_string(),
        Err(e) => {
            let valid = e.valid_up_to();
            let good = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let line = good.matches('\n').count() + 1;
            let line_start = good.rfind('\n').map(|i| i + 1).unwrap_or(0);
            let col = good[line_start..].chars().count() + 1;
            let line_end = bytes[valid..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| valid + p);
            let shown = String::from_utf8_lossy(&bytes[line_start..line_end]).into_owned();
            let src = SourceText::new(rel.clone(), "\n".repeat(line - 1) + &shown);
            diags
                .error(&src, Pos::new(line, col, 1), "this file is not UTF-8 text")
                .help("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)");
            return None;
        }
    };
    if let Some((line, col, c)) = control_character(&text) {
        let shown = text
            .lines()
            .nth(line - 1)
            .unwrap_or_default()
            .replace(|c: char| c.is_control() && c != '\t', "\u{fffd}");
        let src = SourceText::new(rel.clone(), "\n".repeat(line - 1) + &shown);
        diags
            .error(
                &src,
                Pos::new(line, col, 1),
                format!("this file contains an invisible control character (U+{:04X})", c as u32),
            )
            .help("delete the character (shown as �): it usually comes from copying text out of another program, and it would break calendars, feeds and pages");
        return None;
    }
    if text.trim().is_empty() {
        diags.file_error(
            &rel,
            "this file is empty",
            "write the content into it, or delete the file",
        );
        return None;
    }
    Some(SourceText::new(rel, text))
}

/// Reads one file of the site outside a build (`vetrina new`), with the checks of a build: it
/// lies inside the site folder, is reached without a link, and is an ordinary UTF-8 text
/// within the size limit. The first problem comes back as a message.
pub fn read_site_file(root: &Path, path: &Path) -> Result<String, String> {
    let mut diags = Diagnostics::new();
    let text = root.canonicalize().ok().and_then(|canonical| {
        let site = SiteRoot {
            given: root,
            canonical,
        };
        site.check(path, &mut diags)
            .then(|| read_text(root, path, &mut diags))
            .flatten()
    });
    match (text, diags.sorted().first()) {
        (Some(t), None) => Ok(t.text.to_string()),
        (_, Some(d)) => Err(format!(
            "{}: {}{}",
            d.file.display(),
            d.message,
            d.help
                .as_ref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default()
        )),
        (None, None) => Err(format!("cannot read {}", rel_path(root, path).display())),
    }
}

/// Whether `dir`, where `vetrina new` is about to write, lies inside the site folder once
/// links are resolved (it may not exist yet: the nearest folder of it that exists is looked at).
pub fn inside_site_folder(root: &Path, dir: &Path) -> Result<(), String> {
    let canonical_root = root
        .canonicalize()
        .map_err(|e| format!("cannot open the site folder: {e}"))?;
    let existing = dir.ancestors().find(|a| a.exists()).unwrap_or(root);
    match existing.canonicalize() {
        Ok(c) if c.starts_with(&canonical_root) => Ok(()),
        _ => Err(format!(
            "{} is a link to a folder outside the site: Vetrina writes only inside the site folder; replace the link by a real folder",
            rel_path(root, existing).display()
        )),
    }
}

/// Opens a file for reading, never through a link at its last step (the walk has refused
/// links on the way) and without waiting on a pipe; `read_text` then checks that what it
/// opened is an ordinary file.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    options.open(path)
}

/// The first control character of a text (other than tab and line ends), with its line and
/// column (1-based, in characters): NUL, ESC, vertical tab, DEL and the C1 controls reach no
/// reader, and in calendars and XML feeds they break the file.
fn control_character(text: &str) -> Option<(usize, usize, char)> {
    let bad_byte = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f;
    // The C1 controls are U+0080..U+009F: 0xC2 then 0x80..0x9F in UTF-8. A quick pass over
    // the bytes first; most texts have neither.
    let suspect = text
        .as_bytes()
        .iter()
        .fold(false, |acc, &b| acc | bad_byte(b) | (b == 0xc2));
    if !suspect {
        return None;
    }
    let (mut line, mut col) = (1, 1);
    for c in text.chars() {
        match c {
            '\n' => {
                line += 1;
                col = 1;
                continue;
            }
            '\t' | '\r' => {}
            c if c.is_control() => return Some((line, col, c)),
            _ => {}
        }
        col += 1;
    }
    None
}
