//! The media type `vetrina serve` sends a file with, by its extension: the types of the
//! files a build writes (pages, styles, scripts, feeds, calendars, pictures, the search
//! index, the open data), and `application/octet-stream` for anything else.

use std::path::Path;

/// The `Content-Type` of a file, by its extension.
pub fn mime(path: &Path) -> &'static str {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("jsonld") => "application/ld+json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("yml" | "yaml") => "text/yaml; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::mime;
    use std::path::Path;

    #[test]
    fn the_files_a_build_writes_go_out_with_their_own_type() {
        for (name, ty) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("opendata/projects.csv", "text/csv; charset=utf-8"),
            ("opendata/catalog.jsonld", "application/ld+json"),
            ("search-index/it/index.json", "application/json"),
            ("calendario.ics", "text/calendar; charset=utf-8"),
            ("x.WEBP", "image/webp"),
            ("senza-estensione", "application/octet-stream"),
        ] {
            assert_eq!(mime(Path::new(name)), ty, "{name}");
        }
    }
}
