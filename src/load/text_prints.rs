//! What tells a Markdown file's text from one build to the next, made once where the file
//! is read (`ContentFile::prints`) and kept in the source snapshot: the render's ledger
//! compares them with the last build's to know which pages to make again.

use std::path::Path;

/// What tells a file's text from another: hashes of its path and front matter (the text
/// before the body, so where the body starts too), of its body, and of its front matter's
/// placement ([`placement_text`]: for a story, all but what its card shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPrints {
    pub front: blake3::Hash,
    pub body: blake3::Hash,
    pub placement: blake3::Hash,
}

/// The [`TextPrints`] of the text of the file at `path` whose body starts at `body_offset`.
pub fn text_prints(path: &Path, text: &str, body_offset: usize) -> TextPrints {
    let front = text.get(..body_offset).unwrap_or(text);
    let body = text.get(body_offset..).unwrap_or("");
    let mut h = blake3::Hasher::new();
    h.update(path.to_string_lossy().as_bytes())
        .update(&[0])
        .update(front.as_bytes());
    // The pieces written out first and hashed in one call: a hasher fed many small pieces
    // is much slower.
    let placement = placement_text(front).concat();
    TextPrints {
        front: h.finalize(),
        body: blake3::hash(body.as_bytes()),
        placement: blake3::hash(placement.as_bytes()),
    }
}

/// The keys whose values a story's card shows and nothing else of the site but the story's
/// own pages: an edit of them moves no story on any list.
const CARD_ONLY_KEYS: [&str; 2] = ["title", "summary"];

/// A story's front matter text without its `title` and `summary` (each a key at the start
/// of a line, with the lines that continue its value: indented or blank), as pieces. Two
/// texts with the same pieces hold the same values for every other key. A value with `&` or
/// `*` (a YAML anchor or alias, which another key could repeat) is left in; so is anything
/// not written as a key at the start of a line.
pub fn placement_text(front_matter: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut lines = front_matter.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let card_only = CARD_ONLY_KEYS.iter().any(|k| {
            line.strip_prefix(k)
                .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
        });
        if !card_only {
            pieces.push(line);
            continue;
        }
        let mut block = vec![line];
        while let Some(next) = lines.peek() {
            if next.starts_with([' ', '\t']) || next.trim().is_empty() {
                block.push(next);
                lines.next();
            } else {
                break;
            }
        }
        if block.iter().any(|l| l.contains(['&', '*'])) {
            pieces.extend(block);
        } else {
            // Which key was left out stays in the text: a title moved into the summary's
            // place is not the same front matter.
            pieces.push(&line[..line.find(':').unwrap_or(0)]);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::placement_text;

    fn print(text: &str) -> String {
        placement_text(text).concat()
    }

    #[test]
    fn a_placement_is_the_front_matter_without_title_and_summary() {
        let a = "title: Una storia\ndate: 2024-05-01\nsummary: >-\n  Su due\n  righe.\nregion: puglia\n";
        let b = "title: \"Un'altra\"\ndate: 2024-05-01\nsummary: Breve.\nregion: puglia\n";
        assert_eq!(print(a), print(b));
        // Any other key's value matters, and so does a line after the summary that is a key.
        for other in [
            "title: Una storia\ndate: 2024-05-02\nsummary: x\nregion: puglia\n",
            "title: Una storia\ndate: 2024-05-01\nsummary: x\nregion: lazio\n",
            "title: Una storia\ndate: 2024-05-01\nsummary: x\nregion: puglia\nexample: true\n",
            "title: Una storia\ndate: 2024-05-01\nsummary: x\n  region: puglia\n",
        ] {
            assert_ne!(print(a), print(other), "{other}");
        }
        // Anchors and aliases are kept: another key could repeat the title.
        let anchored = "title: &t Una storia\nsummary: *t\nregion: puglia\n";
        let renamed = "title: &t Altra\nsummary: *t\nregion: puglia\n";
        assert_ne!(print(anchored), print(renamed));
        // A flow mapping is not a key at the start of a line: kept whole.
        assert_ne!(
            print("{title: A, region: puglia}\n"),
            print("{title: B, region: puglia}\n")
        );
        // `titles:` is another key.
        assert_ne!(print("titles: a\n"), print("titles: b\n"));
    }
}
