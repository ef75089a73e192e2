//! Words as the index and the browser see them: a text split into words (letters, digits
//! and their marks), folded (lower case, accents, Arabic vowel marks and the tatweel left
//! out, Arabic ة written ه and ى written ي) and stemmed with the language's Snowball
//! stemmer; and a page's text gathered with its white space collapsed, for excerpts. The
//! browser's script folds a query by the same rules: a change here is a change there.
//! Nothing here knows of HTML or of the files.

use std::borrow::Cow;

use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;

/// Words longer than this are not indexed (addresses, codes): nobody types them.
const MAX_WORD: usize = 40;

/// The languages whose Snowball stemmer the browser has too (`stemmers/<lang>.js`, published
/// as `search-index/stem/<lang>.js`), so that a query word is stemmed as the site's words
/// were. In any other language the browser finds a word's stem through the words on the site.
/// The English one is Porter2 as first published, a few words apart from the later Snowball
/// English of `pagefind_stem` (see `stemmers/README.md`).
pub(crate) const BROWSER_STEMMERS: [&str; 4] = ["ar", "en", "fr", "it"];

/// The Snowball stemmer of a language, where there is one.
pub(super) fn stemmer(lang: &str) -> Option<Stemmer> {
    let algorithm = match lang.split(['-', '_']).next().unwrap_or(lang) {
        "ar" => Algorithm::Arabic,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pl" => Algorithm::Polish,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "et" => Algorithm::Estonian,
        "hi" => Algorithm::Hindi,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "lt" => Algorithm::Lithuanian,
        "ne" => Algorithm::Nepali,
        "yi" => Algorithm::Yiddish,
        "eo" => Algorithm::Esperanto,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// Whether a character belongs to a word: letters, digits and the marks on them (accents,
/// Arabic vowel signs). The browser's script uses the same rule (`[\p{L}\p{N}\p{M}]`).
fn word_char(c: char) -> bool {
    match c {
        // The common blocks answered at once (every one of their characters is a letter, a
        // digit or a mark): accented Latin letters but × and ÷, and Arabic's letters, vowel
        // marks and digits. The rest asks Unicode's tables.
        '\u{c0}'..='\u{24f}' => c != '×' && c != '÷',
        '\u{621}'..='\u{669}' | '\u{66e}'..='\u{6d3}' => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// A word as the index keeps it: lower case, without accents, vowel marks or the Arabic
/// tatweel, so that `citta` finds `città`. The browser folds a query the same way
/// (`toLowerCase`, NFD, marks and U+0640 removed).
pub(super) fn fold(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Cow::Borrowed(word);
    }
    let (mut lower, mut folded) = (String::new(), String::new());
    for c in word.chars() {
        fold_char(c, &mut lower, &mut folded);
    }
    Cow::Owned(folded)
}

/// A character lower-cased (to `lower`) and folded (to `folded`): lower case, canonical
/// decomposition, marks and the tatweel left out.
fn fold_char(c: char, lower: &mut String, folded: &mut String) {
    for l in c.to_lowercase() {
        lower.push(l);
        // Arabic letters written one for the other: teh marbuta as heh, alef maksura as
        // yeh (the browser's `fold` does the same).
        let l = match l {
            '\u{629}' => '\u{647}',
            '\u{649}' => '\u{64A}',
            l => l,
        };
        if l.is_ascii() {
            folded.push(l);
        } else {
            unicode_normalization::char::decompose_canonical(l, |d| {
                if !is_combining_mark(d) && d != '\u{640}' {
                    folded.push(d);
                }
            });
        }
    }
}

/// What the words of a text need to know of a character of U+0080 to U+07FF (Latin, Greek,
/// Cyrillic, Armenian, Hebrew, Arabic), worked out once: Unicode's tables are looked up per
/// character otherwise.
struct Folding {
    /// [`word_char`].
    word: bool,
    /// Whether it folds to itself.
    same: bool,
    /// [`fold_char`]'s folded form, and how many characters it has.
    folded: Box<str>,
    folded_chars: u8,
    /// The folded form when it is one character (most: the letter itself, or without its
    /// accent), pushed without copying a string.
    single: Option<char>,
}

fn fold_table() -> &'static [Folding] {
    static TABLE: std::sync::OnceLock<Vec<Folding>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80u32..0x800)
            .map(|u| {
                let c = char::from_u32(u).unwrap_or(' ');
                let (mut lower, mut folded) = (String::new(), String::new());
                fold_char(c, &mut lower, &mut folded);
                let mut chars = folded.chars();
                let single = chars.next().filter(|_| chars.next().is_none());
                Folding {
                    word: word_char(c),
                    same: single == Some(c),
                    folded_chars: folded.chars().count() as u8,
                    folded: folded.into(),
                    single,
                }
            })
            .collect()
    })
}

/// Of an ASCII letter or digit: `LOWER` for a lower-case letter or a digit, `UPPER` for an
/// upper-case letter; 0 for anything else. One look-up per byte of the words' hot loop.
const ASCII_CLASS: [u8; 128] = {
    let mut class = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        class[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER
        } else if c.is_ascii_uppercase() {
            UPPER
        } else {
            0
        };
        b += 1;
    }
    class
};
const LOWER: u8 = 1;
const UPPER: u8 = 2;

/// The words of a text: (folded, as written), each at least two characters. The same as
/// [`fold`] on each word, without an allocation per word; the lower case of the word as
/// written, which only a word new to the index needs, is left to [`lower_case`].
pub(super) fn words(text: &str, mut each: impl FnMut(&str, &str)) {
    let table = fold_table();
    let mut folded = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if ASCII_CLASS[b as usize] == 0 {
                i += 1;
                continue;
            }
            // A word of ASCII letters and digits only, most words: no folding but case.
            let start = i;
            let mut classes = 0;
            while let Some(&b) = bytes.get(i) {
                let class = ASCII_CLASS[usize::from(b & 0x7f)];
                if b >= 0x80 || class == 0 {
                    break;
                }
                classes |= class;
                i += 1;
            }
            if i == bytes.len() || bytes[i] < 0x80 || !starts_word_char(text, i, table) {
                let word = &text[start..i];
                if !(2..=MAX_WORD).contains(&word.len()) {
                    continue;
                }
                if classes & UPPER == 0 {
                    each(word, word);
                } else {
                    folded.clear();
                    folded.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
                    each(&folded, word);
                }
                continue;
            }
            // It goes on beyond ASCII: taken again from its start, character by character.
            i = start;
        }
        // A word with characters beyond ASCII (or a character that is not a word's).
        let start = i;
        folded.clear();
        // Whether the word folds to itself so far (most Arabic words do): `folded` is
        // written only from the first character that does not.
        let mut same = true;
        let mut chars = 0usize;
        // Whether it has a character of three bytes or more: only those may be of a script
        // written without spaces (`segmented`).
        let mut wide = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                if same && b.is_ascii_uppercase() {
                    same = false;
                    folded.push_str(&text[start..i]);
                }
                if !same {
                    folded.push(b.to_ascii_lowercase() as char);
                }
                chars += 1;
                i += 1;
            } else if let Some(f) = two_byte(table, bytes, i) {
                if !f.word {
                    break;
                }
                if same && !f.same {
                    same = false;
                    folded.push_str(&text[start..i]);
                }
                if !same {
                    match f.single {
                        Some(c) => folded.push(c),
                        None => folded.push_str(&f.folded),
                    }
                }
                chars += f.folded_chars as usize;
                i += 2;
            } else {
                wide = true;
                let c = text[i..].chars().next().unwrap_or(' ');
                if !word_char(c) {
                    break;
                }
                if same {
                    same = false;
                    folded.push_str(&text[start..i]);
                }
                let before = folded.len();
                fold_char(c, &mut String::new(), &mut folded);
                chars += folded[before..].chars().count();
                i += c.len_utf8();
            }
        }
        if i == start {
            // Not a word's character: the next one.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let run = &text[start..i];
        if wide && chars > 1 && segmented(run) {
            segment(run, &mut each);
        } else if i - start <= MAX_WORD * 4 && (2..=MAX_WORD).contains(&chars) {
            each(if same { run } else { &folded }, run);
        }
    }
}

/// Whether a run of word characters is written without spaces between its words (Chinese,
/// Japanese, Thai, Lao, Khmer, Burmese), so that it must be cut into words by a dictionary.
pub(super) fn segmented(run: &str) -> bool {
    run.chars().any(|c| {
        matches!(c,
            '\u{E00}'..='\u{EFF}'           // Thai, Lao
            | '\u{1000}'..='\u{109F}'       // Burmese
            | '\u{1780}'..='\u{17FF}'       // Khmer
            | '\u{2E80}'..='\u{9FFF}'       // CJK radicals, kana, ideographs
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF66}'..='\u{FF9F}'       // half-width katakana
            | '\u{20000}'..='\u{3FFFF}')
    })
}

/// A run written without spaces cut into words with ICU's dictionaries (the browser cuts a
/// query with `Intl.Segmenter`, ICU's too): each word handed to `each`, folded, whatever
/// its length (one Chinese character is a word).
fn segment(run: &str, each: &mut impl FnMut(&str, &str)) {
    use icu_segmenter::WordSegmenter;
    use icu_segmenter::options::WordBreakInvariantOptions;
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let mut from = 0;
    for to in segmenter.segment_str(run) {
        if to > from {
            let word = &run[from..to];
            let folded = fold(word);
            let n = folded.chars().count();
            if (1..=MAX_WORD).contains(&n) && (n > 1 || segmented(word)) {
                each(&folded, word);
            }
        }
        from = to;
    }
}

/// A word as written, in lower case: the form the stemmer is given.
pub(super) fn lower_case(written: &str) -> Cow<'_, str> {
    if written.bytes().all(|b| !b.is_ascii_uppercase() && b < 0x80) {
        Cow::Borrowed(written)
    } else {
        Cow::Owned(written.chars().flat_map(char::to_lowercase).collect())
    }
}

/// Whether `lower_case(written)` is `lower`, found without making it.
pub(super) fn lower_case_is(written: &str, lower: &str) -> bool {
    if written.is_ascii() {
        written.len() == lower.len()
            && (written.bytes().zip(lower.bytes())).all(|(w, l)| w.to_ascii_lowercase() == l)
    } else {
        (written.chars().flat_map(char::to_lowercase)).eq(lower.chars())
    }
}

/// Whether the character at byte `i` of `text` (not ASCII) belongs to a word.
fn starts_word_char(text: &str, i: usize, table: &[Folding]) -> bool {
    match two_byte(table, text.as_bytes(), i) {
        Some(f) => f.word,
        None => text[i..].chars().next().is_some_and(word_char),
    }
}

/// The table's entry for the character at byte `i`, if it is one of two bytes (U+0080 to
/// U+07FF), decoded from them.
fn two_byte<'t>(table: &'t [Folding], bytes: &[u8], i: usize) -> Option<&'t Folding> {
    match bytes[i] {
        b @ 0xC2..0xE0 if i + 1 < bytes.len() => {
            table.get((((b & 0x1F) as usize) << 6 | (bytes[i + 1] & 0x3F) as usize) - 0x80)
        }
        _ => None,
    }
}

/// The length in bytes of the white space character (`char::is_whitespace`) starting at
/// byte `i` of `s`, or 0. Only three first bytes begin a white space character beyond ASCII:
/// 0xC2 (U+0085, U+00A0) and 0xE1 to 0xE3 (U+1680, U+2000 to U+3000).
fn white_space_at(s: &str, i: usize) -> usize {
    let bytes = s.as_bytes();
    match bytes[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 => match bytes.get(i + 1) {
            Some(0x85 | 0xA0) => 2,
            _ => 0,
        },
        0xE1..=0xE3 => match s.get(i..).and_then(|r| r.chars().next()) {
            Some(c) if c.is_whitespace() => 3,
            _ => 0,
        },
        _ => 0,
    }
}

/// Text gathered with its white space collapsed as it comes: runs of it one space, none at
/// the start; at most `limit` bytes kept.
pub(super) struct Collapsed {
    text: String,
    limit: usize,
    space: bool,
}

impl Collapsed {
    pub(super) fn new(limit: usize) -> Self {
        Collapsed {
            text: String::new(),
            limit,
            space: false,
        }
    }

    pub(super) fn push(&mut self, s: &str) {
        if self.text.len() >= self.limit {
            return;
        }
        // Pieces between white space, found byte by byte (a UTF-8 continuation byte is
        // never white space's first).
        let bytes = s.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            let b = bytes[i];
            // Most bytes cannot begin white space (see `white_space_at`).
            if b > b' ' && b != 0xC2 && !(0xE1..=0xE3).contains(&b) {
                i += 1;
                continue;
            }
            let white = white_space_at(s, i);
            if white == 0 {
                i += 1;
                continue;
            }
            if start < i && !self.piece(&s[start..i]) {
                return;
            }
            self.space = true;
            i += white;
            start = i;
        }
        if start < bytes.len() {
            self.piece(&s[start..]);
        }
    }

    /// Adds a piece of text without white space; false once nothing more fits.
    fn piece(&mut self, piece: &str) -> bool {
        if self.space && !self.text.is_empty() {
            if self.text.len() + 1 > self.limit {
                return false;
            }
            self.text.push(' ');
        }
        self.space = false;
        if self.text.len() + piece.len() <= self.limit {
            self.text.push_str(piece);
            return true;
        }
        // Nothing more fits: the rest is still indexed, not kept.
        for c in piece.chars() {
            if self.text.len() + c.len_utf8() > self.limit {
                break;
            }
            self.text.push(c);
        }
        self.limit = self.text.len();
        false
    }

    pub(super) fn space(&mut self) {
        self.space = true;
    }

    /// Where the next piece will begin (after the space a new block puts before it), or
    /// none once nothing more fits.
    pub(super) fn next_at(&self) -> Option<usize> {
        let at = self.text.len() + usize::from(self.space && !self.text.is_empty());
        (at < self.limit).then_some(at)
    }

    pub(super) fn done(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_words_lower_case_is_told_without_making_it() {
        let cases = [
            ("Lavoro", "lavoro"),
            ("lavoro", "lavoro"),
            ("LAVORO", "lavoro"),
            ("Lavoro", "lavori"),
            ("Lavoro", "lavor"),
            ("Città", "città"),
            ("Città", "citta"),
            ("ÉCOLE", "école"),
            ("İstanbul", "i̇stanbul"),
            ("الموحّدة", "الموحّدة"),
            ("الموحّدة", "الموحده"),
            ("ab", "abc"),
        ];
        for (written, lower) in cases {
            assert_eq!(
                lower_case_is(written, lower),
                *lower_case(written) == *lower,
                "{written} {lower}"
            );
        }
    }

    #[test]
    fn words_of_any_length_end_where_their_letters_do() {
        // Words of 1 to 20 letters, ending at the text's end or before a space, a mark, a
        // letter beyond ASCII or punctuation: as the text split by Unicode's classes.
        for len in 1..=20 {
            for end in ["", " x", "é", "-", "\u{301}", "Ω"] {
                for word in ["a".repeat(len), "B".repeat(len), "9".repeat(len)] {
                    let text = format!("{word}{end}");
                    let mut got = Vec::new();
                    words(&text, |folded, written| {
                        got.push((folded.to_string(), written.to_string()))
                    });
                    let mut naive = Vec::new();
                    for w in text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c))) {
                        let f = fold(w);
                        if (2..=MAX_WORD).contains(&f.chars().count()) {
                            naive.push((f.into_owned(), w.to_string()));
                        }
                    }
                    assert_eq!(got, naive, "{text:?}");
                }
            }
        }
        // Words that fold to themselves and words that do not, in one text.
        let text = "العمل مدرسة مُعَلِّم إلى بالعملـ Città ÉCOLE straße città";
        let mut got = Vec::new();
        words(text, |folded, written| {
            got.push((folded.to_string(), written.to_string()))
        });
        let naive: Vec<(String, String)> = text
            .split(' ')
            .map(|w| (fold(w).into_owned(), w.to_string()))
            .collect();
        assert_eq!(got, naive);
        assert_eq!(got[2].0, "معلم");
        assert_eq!(got[1].0, "مدرسه");
    }

    #[test]
    fn the_quick_answers_for_common_letters_are_unicode_s() {
        for c in ('\u{c0}'..='\u{24f}').chain('\u{600}'..='\u{6ff}') {
            assert_eq!(
                word_char(c),
                c.is_alphanumeric() || is_combining_mark(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn the_table_of_folds_folds_as_unicode_s_tables() {
        for c in ('\u{80}'..='\u{7ff}').filter(|&c| word_char(c)) {
            let word = format!("a{c}b");
            let mut seen = Vec::new();
            words(&word, |f, w| {
                seen.push((f.to_string(), lower_case(w).into_owned()))
            });
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            if seen.is_empty() {
                // Folded to under two characters.
                assert!(fold(&word).chars().count() < 2, "U+{:04X}", c as u32);
                continue;
            }
            assert_eq!(
                seen,
                vec![(fold(&word).into_owned(), lower)],
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn words_are_folded_as_the_browser_folds_them() {
        let mut got = Vec::new();
        words(
            "L'Università di Città – ÉTÉ, العَمَلُ بالعمل x 2024",
            |f, w| got.push((f.to_string(), w.to_string())),
        );
        let folded: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            folded,
            [
                "universita",
                "di",
                "citta",
                "ete",
                "العمل",
                "بالعمل",
                "2024"
            ]
        );
        // Each word as written, and in lower case for the stemmer.
        assert_eq!(got[0].1, "Università");
        assert_eq!(got[3].1, "ÉTÉ");
        assert_eq!(lower_case(&got[0].1), "università");
        assert_eq!(lower_case(&got[3].1), "été");
        assert_eq!(lower_case(&got[4].1), "العَمَلُ");
        assert!(matches!(lower_case("di"), Cow::Borrowed("di")));
        // What `fold` makes of each word, the stems' folding.
        for (f, w) in &got {
            assert_eq!(fold(&lower_case(w)), f.as_str());
        }
    }

    #[test]
    fn text_is_collapsed_at_every_white_space_character_and_cut_whole() {
        // What `push` must do, written the plain way: split at `char::is_whitespace`.
        fn plain(parts: &[&str], limit: usize) -> String {
            let mut text = String::new();
            let mut space = false;
            'all: for s in parts {
                for (n, piece) in s.split(char::is_whitespace).enumerate() {
                    if n > 0 {
                        space = true;
                    }
                    if piece.is_empty() {
                        continue;
                    }
                    if space && !text.is_empty() {
                        if text.len() + 1 > limit {
                            break 'all;
                        }
                        text.push(' ');
                    }
                    space = false;
                    for c in piece.chars() {
                        if text.len() + c.len_utf8() > limit {
                            break 'all;
                        }
                        text.push(c);
                    }
                }
            }
            text
        }
        let white: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(white.len(), 25);
        let mut sample = String::from("  uno\tdue ");
        for (n, c) in white.iter().enumerate() {
            sample.push_str(["città", "العمل", "x", "ṃ", "\u{2009}"][n % 5]);
            sample.push(*c);
            sample.push(*c);
        }
        // First bytes E1 to E3 that begin no white space: U+1A00, U+2010, U+3001.
        sample.push_str("fine\u{1a00}\u{2010}\u{3001}");
        let parts = [sample.as_str(), "", " ", "a", "b ", "\u{a0}c\u{3000}", "ĉ"];
        for limit in [0, 1, 2, 5, 17, 40, 90, 200, 10_000] {
            let mut c = Collapsed::new(limit);
            for p in parts {
                c.push(p);
            }
            assert_eq!(c.done(), plain(&parts, limit), "limit {limit}");
        }
    }

    #[test]
    fn chinese_japanese_and_thai_are_cut_into_words() {
        let cut = |text: &str| {
            let mut got = Vec::new();
            words(text, |f, _| got.push(f.to_string()));
            got
        };
        assert_eq!(cut("こんにちは世界"), ["こんにちは", "世界"]);
        // Thai's vowel marks are folded out, as Arabic's are (the browser does the same).
        assert_eq!(cut("ทุกสองสัปดาห์"), [fold("ทุก"), fold("สอง"), fold("สัปดาห์")]);
        // Words of other scripts around them as before; none dropped for its length.
        assert_eq!(
            cut("Vetrina 中华人民共和国成立 città"),
            ["vetrina", "中华", "人民", "共和国", "成立", "citta"]
        );
        let long = "我们".repeat(40);
        assert_eq!(cut(&long).len(), 40);
    }

    #[test]
    fn french_and_arabic_words_fold_and_stem_as_one() {
        // French: case and accents folded, so that a query typed without them finds the
        // word; a ligature is a letter of its own (the browser's NFD leaves it too).
        assert_eq!(fold("Été"), "ete");
        assert_eq!(fold("Hôpital"), "hopital");
        assert_eq!(fold("Ça"), "ca");
        assert_eq!(fold("œuvre"), "œuvre");
        // Arabic: vowel marks, the tatweel and the hamza on an alef left out, so that
        // `العمل` finds `العَمَلُ` and `امل` finds `أمل`.
        assert_eq!(fold("العَمَلُ"), "العمل");
        assert_eq!(fold("العـــمل"), "العمل");
        assert_eq!(fold("أمل"), "امل");
        assert_eq!(fold("إلى"), "الي");
        // Teh marbuta and heh, alef maksura and yeh, are one: `الموحده` finds `الموحّدة`.
        assert_eq!(fold("الموحّدة"), fold("الموحده"));
        assert_eq!(fold("آمِنة"), "امنه");
        // Stems: the language's stemmer whatever the region; a word and its plural, an
        // Arabic word with its article, a preposition or its vowel marks, are one.
        let stem = |lang: &str, w: &str| {
            let s = stemmer(lang).unwrap_or_else(|| panic!("no stemmer for {lang}"));
            fold(&s.stem(&lower_case(w))).into_owned()
        };
        assert_eq!(stem("fr", "formations"), "format");
        assert_eq!(stem("fr-BE", "Formations"), "format");
        for w in ["بالعمل", "العمل", "العَمَلُ", "عمل"] {
            assert_eq!(stem("ar", w), "عمل", "{w}");
        }
        // The stemmer is given the word with its accents, which it needs: why the index
        // keeps each word's form as first written beside its folded one.
        assert_eq!(stem("fr", "activités"), "activ");
        assert_eq!(stem("fr", "activite"), "activit");
        assert!(stemmer("nb_NO").is_some());
        assert!(stemmer("xx").is_none());
    }

    /// Pieces of text the words are cut from: words and parts of words in several scripts
    /// and cases, marks, white space and punctuation.
    const PIECES: [&str; 30] = [
        "lavoro",
        "Città",
        "ÉCOLE",
        "straße",
        "العمل",
        "مُعَلِّم",
        "بالعملـ",
        "x",
        "9",
        "ab12",
        "A",
        " ",
        "-",
        ".",
        "\u{301}",
        "Ω",
        "ω",
        "İ",
        "\u{a0}",
        "\t",
        "ﬁ",
        "ǅ",
        "Ab",
        "zZ",
        "@",
        "[`",
        "{",
        "0123456789abcdefghij",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "\u{640}",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The words of any text are those of the text split where a character is neither
        /// a letter, a digit nor a mark, each folded, of two to [`MAX_WORD`] characters.
        #[test]
        fn any_text_s_words_are_its_pieces_between_other_characters_folded(
            picks in proptest::collection::vec(0..PIECES.len(), 0..30)
        ) {
            let text: String = picks.iter().map(|&p| PIECES[p]).collect();
            let mut got = Vec::new();
            words(&text, |folded, written| got.push((folded.to_string(), written.to_string())));
            let naive: Vec<(String, String)> = text
                .split(|c: char| !word_char(c))
                .filter_map(|w| {
                    let f = fold(w);
                    ((2..=MAX_WORD).contains(&f.chars().count()) && w.len() <= MAX_WORD * 4)
                        .then(|| (f.into_owned(), w.to_string()))
                })
                .collect();
            proptest::prop_assert_eq!(got, naive, "{:?}", text);
        }
    }
}
