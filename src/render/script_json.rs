//! JSON written inside an HTML `<script>` element: the JSON-LD of structured data and the
//! search page's strings.
//!
//! An HTML parser reads a script's text as raw text until `</script`, and after `<!--` followed
//! by `<script` it no longer stops at the next `</script>`, so an event title containing
//! `<!--<script>` would swallow the rest of the page. Here `<`, `>` and `&` are written as the
//! JSON escapes `\u003c`, `\u003e` and `\u0026`, which mean the same to a JSON reader and leave
//! no markup at all inside the element; U+2028 and U+2029 as `\u2028` and `\u2029`, which old
//! JavaScript engines took for line ends. Every JSON put into a page goes through `to_script`.

use serde::Serialize;

/// `value` as JSON that is safe inside `<script>…</script>`.
pub(crate) fn to_script<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising a `serde_json::Value` or a plain struct cannot fail; an empty object keeps
    // the page valid if it ever does.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    escape_for_script(&json)
}

/// Escapes JSON text for a `<script>` element. The characters escaped can only stand inside
/// JSON strings, where a `\uXXXX` escape means the same character.
pub(crate) fn escape_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn no_markup_is_left_and_the_json_means_the_same() {
        let v = json!({
            "name": "<!--<script>a</script> & b > c \u{2028}\u{2029} \\< ok",
            "url": "https://x.org/?a=1&b=2"
        });
        let s = to_script(&v);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!s.contains(bad), "{bad:?} in {s}");
        }
        assert!(s.contains("\\u003c!--\\u003cscript\\u003ea\\u003c/script\\u003e \\u0026 b \\u003e c \\u2028\\u2029 \\\\\\u003c ok"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn plain_json_is_unchanged() {
        assert_eq!(escape_for_script(r#"{"a":[1,"b"]}"#), r#"{"a":[1,"b"]}"#);
    }
}
