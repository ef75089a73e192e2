//! What tells a Markdown file's text from one build to the next, made once where the file
//! is read (`ContentFile::prints`) and kept with the text in the source snapshot: the
//! render's ledger compares them with the last build's to know which pages to make again.

use std::path::Path;

/// A hash of the file's path and front matter (the text before the body, so where the
/// body starts too), and a hash of its body.
pub type TextPrints = (blake3::Hash, blake3::Hash);

/// The [`TextPrints`] of the text of the file at `path` whose body starts at `body_offset`.
pub fn text_prints(path: &Path, text: &str, body_offset: usize) -> TextPrints {
    let front = text.get(..body_offset).unwrap_or(text);
    let body = text.get(body_offset..).unwrap_or("");
    let mut h = blake3::Hasher::new();
    h.update(path.to_string_lossy().as_bytes())
        .update(&[0])
        .update(front.as_bytes());
    (h.finalize(), blake3::hash(body.as_bytes()))
}
