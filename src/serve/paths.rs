//! Where a requested address leads inside the output folder: a file, a redirect to a folder's
//! address (with one leading slash), or nothing. Requests never read outside the folder.

use std::fs;
use std::path::{Component, Path, PathBuf};

pub(super) enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
}

/// Maps a URL path to a file inside `root` (already canonical), or refuses it.
pub(super) fn resolve(root: &Path, url_path: &str) -> Resolved {
    let Ok(decoded) = percent_encoding::percent_decode_str(url_path).decode_utf8() else {
        return Resolved::NotFound;
    };
    if decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/') {
        return Resolved::NotFound;
    }
    let mut file = root.to_path_buf();
    // The names of the path, from which a redirect is made again.
    let mut names = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => continue,
            // `..`, and names starting with a dot: the site has none (sources with such names
            // are never published), the output's marker and version-control folders do.
            s if s.starts_with('.') => return Resolved::NotFound,
            s if s.contains(':') => return Resolved::NotFound,
            s => {
                // Each segment must be one plain name (never a root or prefix).
                let mut comps = Path::new(s).components();
                match (comps.next(), comps.next()) {
                    (Some(Component::Normal(_)), None) => {
                        file.push(s);
                        names.push(s);
                    }
                    _ => return Resolved::NotFound,
                }
            }
        }
    }
    // Symbolic links are followed, but what they lead to must still be inside the output.
    let Ok(real) = fs::canonicalize(&file) else {
        return Resolved::NotFound;
    };
    if !real.starts_with(root) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !url_path.ends_with('/') {
            return Resolved::Redirect(folder_address(&names));
        }
        let index = real.join("index.html");
        return match fs::canonicalize(&index) {
            Ok(i) if i.starts_with(root) && i.is_file() => Resolved::File(i),
            _ => Resolved::NotFound,
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// The address of a folder, made from its names: one leading `/` (never `//` or `/\\`, which
/// a browser takes for another host), each name percent-encoded, a `/` at the end.
pub(super) fn folder_address(names: &[&str]) -> String {
    /// What must be encoded in a path segment (RFC 3986), `/` and `\\` included.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'/')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'\\')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    let mut to = String::from("/");
    for n in names {
        to.extend(percent_encoding::utf8_percent_encode(n, SEGMENT));
        to.push('/');
    }
    to
}
