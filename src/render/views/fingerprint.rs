//! The fingerprint of a page's context: a hash of every name and value it holds. With the
//! templates and strings of the site (and its addresses, for a page whose templates look
//! one up with `url()`), the context is all that a page's bytes depend on, so a page whose
//! fingerprint is the last build's need not be rendered again.

use super::PageContext;

impl PageContext {
    /// A hash of every name and value, each told apart from the next by its kind and
    /// length, so that no two different contexts give the same stream; fed to the hash as
    /// the values are walked, without writing them out (as JSON, say) first.
    pub fn fingerprint(&self) -> Option<blake3::Hash> {
        let mut keys = self.keys.clone();
        keys.sort_unstable();
        let mut h = Feed::default();
        for key in keys {
            h.str(b'k', key);
            h.value(self.ctx.get(key)?);
        }
        Some(h.finish())
    }
}

/// A fingerprint's stream, gathered into runs of [`Feed::RUN`] bytes before they are hashed:
/// the hasher is fed a few large pieces, not one small piece per name and value (each call
/// has a cost of its own, whatever its length).
struct Feed {
    h: blake3::Hasher,
    run: Vec<u8>,
}

impl Default for Feed {
    fn default() -> Self {
        Feed {
            h: blake3::Hasher::new(),
            run: Vec::with_capacity(Self::RUN),
        }
    }
}

impl Feed {
    const RUN: usize = 16 * 1024;

    fn put(&mut self, bytes: &[u8]) {
        if self.run.len() + bytes.len() > Self::RUN {
            self.h.update(&self.run);
            self.run.clear();
            if bytes.len() > Self::RUN {
                self.h.update(bytes);
                return;
            }
        }
        self.run.extend_from_slice(bytes);
    }

    fn len(&mut self, n: usize) {
        self.put(&(n as u64).to_le_bytes());
    }

    fn str(&mut self, kind: u8, s: &str) {
        self.put(&[kind]);
        self.len(s.len());
        self.put(s.as_bytes());
    }

    /// One value of a context into its fingerprint.
    fn value(&mut self, v: &tera::Value) {
        if let Some(s) = v.as_str() {
            // A string marked safe is written as it is, another escaped: not the same page.
            self.str(if v.is_safe() { b'S' } else { b's' }, s);
        } else if let Some(items) = v.as_array() {
            self.put(b"a");
            self.len(items.len());
            for item in items {
                self.value(item);
            }
        } else if let Some(map) = v.as_map() {
            self.put(b"m");
            self.len(map.len());
            for (k, item) in map {
                match k.as_str() {
                    Some(k) => self.str(b'k', k),
                    None => self.str(b'K', &k.to_string()),
                }
                self.value(item);
            }
        } else if let Some(b) = v.as_bytes() {
            self.put(b"b");
            self.len(b.len());
            self.put(b);
        } else {
            // Numbers, true and false, none: their kind and how Tera writes them.
            let kind = if v.is_none() {
                b'0'
            } else if v.is_undefined() {
                b'u'
            } else if v.is_bool() {
                b'?'
            } else {
                b'#'
            };
            self.str(kind, &v.to_string());
        }
    }

    fn finish(mut self) -> blake3::Hash {
        self.h.update(&self.run);
        self.h.finalize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(entries: &[(&'static str, tera::Value)]) -> PageContext {
        let mut ctx = PageContext::default();
        for (k, v) in entries {
            ctx.insert(k, v);
        }
        ctx
    }

    #[test]
    fn the_same_names_and_values_give_the_same_fingerprint_whatever_their_order() {
        let a = context(&[("title", "Storia".into()), ("n", 3.into())]);
        let b = context(&[("n", 3.into()), ("title", "Storia".into())]);
        assert_eq!(a.fingerprint(), b.fingerprint());
        // A value inserted again counts once, as its last value.
        let c = context(&[("n", 1.into()), ("title", "Storia".into()), ("n", 3.into())]);
        assert_eq!(a.fingerprint(), c.fingerprint());
    }

    #[test]
    fn contexts_that_make_different_pages_have_different_fingerprints() {
        let text = context(&[("x", "1".into())]);
        let number = context(&[("x", 1.into())]);
        let safe = context(&[("x", tera::Value::safe_string("1"))]);
        let other_name = context(&[("y", "1".into())]);
        // The same letters cut differently between a name and its value.
        let split = context(&[("a", "bc".into())]);
        let split_other = context(&[("ab", "c".into())]);
        let prints = [
            text.fingerprint(),
            number.fingerprint(),
            safe.fingerprint(),
            other_name.fingerprint(),
            split.fingerprint(),
            split_other.fingerprint(),
        ];
        for (i, a) in prints.iter().enumerate() {
            assert!(a.is_some());
            for b in &prints[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
