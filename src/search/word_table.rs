//! The indexer's table of words (`index::Gathered`'s): each folded word once, with its
//! number and its count on the page being read. Every word of every page is looked up here,
//! the index's hottest loop: most words are keyed by the number their bytes make.

use rustc_hash::FxHashMap;

/// A word's number, and its count on the last page it was met on (not in its postings yet).
#[derive(Clone, Copy)]
pub(super) struct Hot {
    pub(super) id: u32,
    /// The page, or `NO_PAGE` once its count is in `met`.
    pub(super) page: u32,
    pub(super) weight: u32,
    /// The first page the word is on (in page order), as in its `Word`.
    pub(super) first: u32,
}

pub(super) const NO_PAGE: u32 = u32::MAX;

/// Folded words and their `Hot` state: the words of up to 16 bytes (most) keyed by the
/// number their bytes make (compared as one integer), the longer ones by their text.
#[derive(Default)]
pub(super) struct WordTable {
    short: FxHashMap<u128, Hot>,
    long: FxHashMap<Box<str>, Hot>,
}

impl WordTable {
    #[inline]
    pub(super) fn get_mut(&mut self, folded: &str) -> Option<&mut Hot> {
        match short_key(folded) {
            Some(key) => self.short.get_mut(&key),
            None => self.long.get_mut(folded),
        }
    }

    pub(super) fn insert(&mut self, folded: &str, hot: Hot) {
        match short_key(folded) {
            Some(key) => self.short.insert(key, hot),
            None => self.long.insert(folded.into(), hot),
        };
    }

    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut Hot> {
        self.short.values_mut().chain(self.long.values_mut())
    }
}

/// The key of a folded word of up to 16 bytes in `WordTable::short`: its bytes as a
/// little-endian number, zero-padded (a folded word holds no zero byte, so no two words
/// share a key). Read with overlapping loads rather than copied into
/// a buffer, which would stall the read that follows (this runs once per word of the site).
fn short_key(folded: &str) -> Option<u128> {
    let b = folded.as_bytes();
    let n = b.len();
    let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default());
    let u32_at = |at: usize| {
        u64::from(u32::from_le_bytes(
            b[at..at + 4].try_into().unwrap_or_default(),
        ))
    };
    // Bytes beyond the first 4 (or 8) come from a load ending at the last byte, shifted
    // to drop the bytes both loads hold.
    let (low, high) = match n {
        0..=3 => (
            b.iter().rev().fold(0u64, |k, &x| (k << 8) | u64::from(x)),
            0,
        ),
        4..=8 => (u32_at(0) | ((u32_at(n - 4) >> (8 * (8 - n))) << 32), 0),
        9..=16 => (u64_at(0), u64_at(n - 8) >> (8 * (16 - n))),
        _ => return None,
    };
    Some(u128::from(low) | (u128::from(high) << 64))
}

#[cfg(test)]
mod key_tests {
    #[test]
    fn a_short_key_is_the_words_bytes_zero_padded() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "lavoro",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "tirocinio",
            "mediatrice",
            "abcdefghijklmno",
            "abcdefghijklmnop",
            "الموحدة",
            "città",
        ];
        for w in words {
            let mut padded = [0u8; 16];
            padded[..w.len()].copy_from_slice(w.as_bytes());
            assert_eq!(
                super::short_key(w),
                Some(u128::from_le_bytes(padded)),
                "{w}"
            );
        }
        assert_eq!(super::short_key("abcdefghijklmnopq"), None);
    }
}
