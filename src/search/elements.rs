//! What the scanner of rendered pages ([`super::html`]) knows of HTML's elements: how each
//! bears on the text (inline, void, skipped, ending an open `<p>`), and their names as
//! numbers, so that a tag's name is compared and looked up without comparing text (a page
//! has a hundred tags or more, and every indexed page is read).

use std::borrow::Cow;

/// Part of a line of text: no space is put where the element begins or ends.
pub(super) const INLINE: u8 = 1;
/// No end tag.
pub(super) const VOID: u8 = 2;
/// Content that is never text of the page.
pub(super) const SKIPPED: u8 = 4;
/// A start tag that ends an open `<p>` (HTML's rule, for pages whose `</p>` the minifier
/// left out).
pub(super) const ENDS_P: u8 = 8;

/// An element's name as the scanner compares it, in lower case: every name of HTML (16
/// bytes or fewer) as the number its bytes make, so that it is compared in one instruction
/// (a page has a hundred tags or more); a longer one (a custom element) as text.
#[derive(Clone, PartialEq, Eq)]
pub(super) enum Name<'a> {
    Short(u128),
    Long(Cow<'a, str>),
}

impl<'a> Name<'a> {
    /// The name as written in a tag (ASCII letters, digits and `-`).
    pub(super) fn of(raw: &'a str) -> Self {
        if raw.len() <= 16 {
            Name::Short(name_key(raw.as_bytes()))
        } else if raw.bytes().any(|b| b.is_ascii_uppercase()) {
            Name::Long(Cow::Owned(raw.to_ascii_lowercase()))
        } else {
            Name::Long(Cow::Borrowed(raw))
        }
    }

    pub(super) fn key(&self) -> u128 {
        match self {
            Name::Short(key) => *key,
            Name::Long(_) => 0,
        }
    }
}

/// The number of a name of at most 16 bytes: its bytes in lower case, little-endian,
/// zero-padded (a name holds no zero byte, so no two names share one).
const fn name_key(name: &[u8]) -> u128 {
    let mut key = 0u128;
    let mut i = name.len();
    while i > 0 {
        i -= 1;
        key = (key << 8) | name[i].to_ascii_lowercase() as u128;
    }
    key
}

pub(super) const P: u128 = name_key(b"p");
pub(super) const LI: u128 = name_key(b"li");
pub(super) const DT: u128 = name_key(b"dt");
pub(super) const DD: u128 = name_key(b"dd");
pub(super) const TR: u128 = name_key(b"tr");
pub(super) const TD: u128 = name_key(b"td");
pub(super) const TH: u128 = name_key(b"th");
pub(super) const THEAD: u128 = name_key(b"thead");
pub(super) const TBODY: u128 = name_key(b"tbody");
pub(super) const TFOOT: u128 = name_key(b"tfoot");
pub(super) const OPTION: u128 = name_key(b"option");
pub(super) const TIME: u128 = name_key(b"time");
pub(super) const IMG: u128 = name_key(b"img");
pub(super) const H1: u128 = name_key(b"h1");
/// `<h1>` to `<h6>`, by level.
pub(super) const HEADINGS: [u128; 6] = [
    H1,
    name_key(b"h2"),
    name_key(b"h3"),
    name_key(b"h4"),
    name_key(b"h5"),
    name_key(b"h6"),
];

/// What the extractor needs to know of an element, by its (lower-case) name; 0 for any
/// other.
pub(super) const ELEMENTS: [(&str, u8); 77] = [
    ("a", INLINE),
    ("abbr", INLINE),
    ("b", INLINE),
    ("bdi", INLINE),
    ("bdo", INLINE),
    ("cite", INLINE),
    ("code", INLINE),
    ("data", INLINE),
    ("dfn", INLINE),
    ("em", INLINE),
    ("i", INLINE),
    ("kbd", INLINE),
    ("mark", INLINE),
    ("q", INLINE),
    ("s", INLINE),
    ("samp", INLINE),
    ("small", INLINE),
    ("span", INLINE),
    ("strong", INLINE),
    ("sub", INLINE),
    ("sup", INLINE),
    ("time", INLINE),
    ("u", INLINE),
    ("var", INLINE),
    ("area", VOID),
    ("base", VOID),
    ("br", VOID),
    ("col", VOID),
    ("embed", VOID),
    ("img", VOID),
    ("input", VOID),
    ("link", VOID),
    ("meta", VOID),
    ("source", VOID),
    ("track", VOID),
    ("wbr", VOID),
    ("hr", VOID | ENDS_P),
    ("script", SKIPPED),
    ("style", SKIPPED),
    ("svg", SKIPPED),
    ("template", SKIPPED),
    ("noscript", SKIPPED),
    ("textarea", SKIPPED),
    ("math", SKIPPED),
    ("iframe", SKIPPED),
    ("object", SKIPPED),
    ("select", SKIPPED),
    ("button", SKIPPED),
    ("address", ENDS_P),
    ("article", ENDS_P),
    ("aside", ENDS_P),
    ("blockquote", ENDS_P),
    ("details", ENDS_P),
    ("div", ENDS_P),
    ("dl", ENDS_P),
    ("fieldset", ENDS_P),
    ("figcaption", ENDS_P),
    ("figure", ENDS_P),
    ("footer", ENDS_P),
    ("form", ENDS_P),
    ("h1", ENDS_P),
    ("h2", ENDS_P),
    ("h3", ENDS_P),
    ("h4", ENDS_P),
    ("h5", ENDS_P),
    ("h6", ENDS_P),
    ("header", ENDS_P),
    ("hgroup", ENDS_P),
    ("main", ENDS_P),
    ("menu", ENDS_P),
    ("nav", ENDS_P),
    ("ol", ENDS_P),
    ("p", ENDS_P),
    ("pre", ENDS_P),
    ("section", ENDS_P),
    ("table", ENDS_P),
    ("ul", ENDS_P),
];

/// The names' numbers of [`ELEMENTS`], in the same order.
const ELEMENT_KEYS: [u128; ELEMENTS.len()] = {
    let mut keys = [0u128; ELEMENTS.len()];
    let mut i = 0;
    while i < ELEMENTS.len() {
        keys[i] = name_key(ELEMENTS[i].0.as_bytes());
        i += 1;
    }
    keys
};

/// [`ELEMENTS`] looked up by a perfect hash of their names' numbers (one multiplication,
/// one load): [`CLASS_SEED`] is the first seed that puts no two names in the same slot,
/// found while compiling. A slot holds the element's place in `ELEMENTS` plus one, or 0.
const CLASS_SLOTS: usize = 1024;

const fn class_slot(key: u128, seed: u64) -> usize {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (folded.wrapping_mul(seed) >> (64 - CLASS_SLOTS.trailing_zeros())) as usize
}

const fn class_table(seed: u64) -> Option<[u8; CLASS_SLOTS]> {
    let mut table = [0u8; CLASS_SLOTS];
    let mut i = 0;
    while i < ELEMENT_KEYS.len() {
        let slot = class_slot(ELEMENT_KEYS[i], seed);
        if table[slot] != 0 {
            return None;
        }
        table[slot] = i as u8 + 1;
        i += 1;
    }
    Some(table)
}

const CLASS_SEED: u64 = {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    while class_table(seed).is_none() {
        seed = seed.wrapping_add(0x2545_F491_4F6C_DD1D) | 1;
    }
    seed
};

const CLASS_TABLE: [u8; CLASS_SLOTS] = match class_table(CLASS_SEED) {
    Some(table) => table,
    None => [0; CLASS_SLOTS],
};

/// What the extractor needs to know of an element (see [`ELEMENTS`]).
pub(super) fn class(name: &Name) -> u8 {
    let key = name.key();
    match CLASS_TABLE[class_slot(key, CLASS_SEED)] {
        0 => 0,
        at if ELEMENT_KEYS[at as usize - 1] == key => ELEMENTS[at as usize - 1].1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_is_found_by_its_name_in_any_case() {
        for (name, kind) in ELEMENTS {
            assert_eq!(class(&Name::of(name)), kind, "{name}");
            assert_eq!(class(&Name::of(&name.to_ascii_uppercase())), kind, "{name}");
        }
        for other in [
            "li",
            "html",
            "body",
            "dd",
            "x",
            "mainx",
            "ma",
            "h7",
            "custom-element-long-name",
        ] {
            assert_eq!(class(&Name::of(other)), 0, "{other}");
        }
    }
}
