//! What the index takes from the last build's memo (see [`memo`]) rather than from the
//! pages: the languages none of whose pages changed, kept whole, and the pages of the
//! others whose published bytes are those the memo was made from.

use super::super::memo;
use super::{Gathered, Indexer};

impl Indexer {
    /// Takes out of the last build's memo the record of each language none of whose pages
    /// changed: no page of it added (rendered again), the same pages in the same order,
    /// each still with the bytes the record was made from (the same digest), and every file
    /// made for it
    /// still in the output as that build wrote it (`untouched`). Its pages are marked
    /// added; by language number.
    pub(super) fn take_unchanged_languages(&mut self) -> Vec<Option<memo::PastLang>> {
        use std::sync::atomic::Ordering;
        let mut unchanged: Vec<Option<memo::PastLang>> = self.langs.iter().map(|_| None).collect();
        let Some(mut past) = self.past.take() else {
            return unchanged;
        };
        let mut paths: Vec<Vec<&str>> = (self.counts.iter())
            .map(|&n| vec![""; n as usize])
            .collect();
        let mut added = vec![false; self.langs.len()];
        for (n, (route, l, page)) in self.pages.iter().enumerate() {
            paths[*l as usize][*page as usize] = &route.path;
            added[*l as usize] |= self.added[n].load(Ordering::Relaxed);
        }
        let digest = |l: usize| {
            memo::pages_digest((paths[l].iter()).map(|p| (*p, self.published.get(*p).copied())))
        };
        let mut rest = Vec::new();
        for lang in past.langs {
            let l = self.langs.iter().position(|x| *x == lang.lang);
            match l {
                Some(l)
                    if !added[l]
                        && unchanged[l].is_none()
                        && !lang.files.is_empty()
                        && lang.files.iter().all(|f| self.untouched.contains(f))
                        && lang.same_pages(digest(l)) =>
                {
                    unchanged[l] = Some(lang);
                }
                _ => rest.push(lang),
            }
        }
        for (n, (_, l, _)) in self.pages.iter().enumerate() {
            if unchanged[*l as usize].is_some() {
                self.added[n].store(true, Ordering::Relaxed);
            }
        }
        past.langs = rest;
        self.past = Some(past);
        unchanged
    }

    /// The last build's record of each language (by language number) not taken whole by
    /// [`Self::take_unchanged_languages`]: the pages of each are recalled with the language
    /// ([`Self::recall_language`]).
    pub(super) fn past_by_language(&mut self) -> Vec<Option<memo::PastLang>> {
        let mut by_lang: Vec<Option<memo::PastLang>> = self.langs.iter().map(|_| None).collect();
        for lang in self.past.take().map(|p| p.langs).unwrap_or_default() {
            if let Some(l) = self.langs.iter().position(|x| *x == lang.lang)
                && by_lang[l].is_none()
            {
                by_lang[l] = Some(lang);
            }
        }
        by_lang
    }

    /// The table of language `l`'s pages taken from its record in the last build's memo
    /// (`recall`); those pages are marked added.
    pub(super) fn recall_language(&self, l: usize, past: &memo::PastLang) -> Gathered {
        use std::sync::atomic::Ordering;
        // A page is taken (and marked added) only if it is this language's, and not added
        // yet: asked last, once its bytes are known to be the same.
        let number = |path: &str| -> Option<u32> {
            let &n = self.slot.get(path)?;
            let (_, page_lang, page) = &self.pages[n];
            (*page_lang as usize == l && !self.added[n].swap(true, Ordering::Relaxed))
                .then_some(*page)
        };
        let still = |path: &str, h: &blake3::Hash| self.published.get(path) == Some(h);
        memo::recall(past, &number, &still)
    }
}
