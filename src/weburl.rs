//! Web addresses written by authors: checked as a browser reads them, before they are published.
//!
//! Every address in front matter, data files, site.yaml and `--base-url` goes through here.
//! It is parsed with the `url` crate (the WHATWG URL Standard, what browsers implement), only
//! `http`, `https` and, where an email makes sense, `mailto` are let through, and the address
//! is published as the parser writes it back, so that what was checked is exactly what the
//! reader's browser follows. This module never reads files and never panics on any input; it
//! says what is wrong and how to write the address instead, for people who are not developers.

use url::Url;

/// Longer addresses are refused: browsers, search engines and calendar apps cut them, and no
/// address an author means to publish needs more.
pub(crate) const MAX_LEN: usize = 2000;

/// The schemes a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schemes {
    /// `https:` and `http:`: a web page (a website, a meeting link).
    Web,
    /// `https:`, `http:` and `mailto:`: where writing an email is a way in (registration,
    /// feedback).
    WebOrMail,
}

/// Why an address is refused. `message` says what is wrong, `help` how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlProblem {
    Empty,
    TooLong {
        chars: usize,
    },
    /// An invisible control character (the code point is kept to name it).
    Control {
        code: u32,
    },
    /// A space, tab, line break or other blank inside the address.
    Blank {
        what: &'static str,
    },
    /// No scheme: `www.example.org`, `/path`, `page.html`.
    NoScheme {
        raw: String,
    },
    /// `//host/path`: taken by browsers with the scheme of the page that links it.
    SchemeRelative {
        raw: String,
    },
    /// A scheme other than the allowed ones (`javascript:`, `data:`, `ftp:`, …).
    Scheme {
        raw: String,
        scheme: String,
        allowed: Schemes,
    },
    /// `user:password@` before the host.
    Credentials,
    /// `http://` with nothing after it.
    NoHost,
    /// `mailto:` without an email address.
    NoMailAddress {
        raw: String,
    },
    /// The site's own address with a `?…` or `#…` part.
    QueryOrFragment,
    /// What the parser refuses for another reason (a bad port, a bad host name, …).
    Invalid {
        raw: String,
        reason: String,
    },
    /// An email address (not a URL) that is not one.
    NotEmail {
        raw: String,
    },
}

const EXAMPLE_HELP: &str =
    "write the full address starting with https://, like https://www.example.org/";

impl UrlProblem {
    /// What is wrong, in one sentence.
    pub(crate) fn message(&self) -> String {
        match self {
            UrlProblem::Empty => "the address is empty".into(),
            UrlProblem::TooLong { chars } => {
                format!("the address is {chars} characters long; the limit is {MAX_LEN}")
            }
            UrlProblem::Control { code } => {
                format!("the address contains an invisible control character (U+{code:04X})")
            }
            UrlProblem::Blank { what } => format!("the address contains {what}"),
            UrlProblem::NoScheme { raw } => format!(
                "`{}` is not a full web address: it does not start with https:// or http://",
                shown(raw)
            ),
            UrlProblem::SchemeRelative { raw } => format!(
                "`{}` does not say https: or http: (it starts with //)",
                shown(raw)
            ),
            UrlProblem::Scheme {
                raw,
                scheme,
                allowed,
            } => {
                if scheme == "mailto" {
                    format!(
                        "`{}` is an email address, but the address of a web page is needed here",
                        shown(raw)
                    )
                } else {
                    let kinds = match allowed {
                        Schemes::Web => "web addresses (https:// or http://)",
                        Schemes::WebOrMail => {
                            "web addresses (https:// or http://) and email addresses (mailto:)"
                        }
                    };
                    format!(
                        "`{}` is not allowed: it starts with `{scheme}:`, and only {kinds} are published",
                        shown(raw)
                    )
                }
            }
            UrlProblem::Credentials => {
                "the address contains a user name or password (the part before `@`)".into()
            }
            UrlProblem::NoHost => "the address has no site name after `//`".into(),
            UrlProblem::NoMailAddress { raw } => {
                format!("`{}` has no email address after `mailto:`", shown(raw))
            }
            UrlProblem::QueryOrFragment => {
                "the site's address must not have a `?…` or `#…` part".into()
            }
            UrlProblem::Invalid { raw, reason } => {
                format!("`{}` is not a valid web address ({reason})", shown(raw))
            }
            UrlProblem::NotEmail { raw } => {
                format!("`{}` is not an email address", shown(raw))
            }
        }
    }

    /// How to write it instead.
    pub(crate) fn help(&self) -> String {
        match self {
            UrlProblem::Empty => format!("{EXAMPLE_HELP}, or remove the line"),
            UrlProblem::TooLong { .. } => {
                "link to a shorter address, for example the page that leads to the document".into()
            }
            UrlProblem::Control { .. } => {
                "type the address again, or copy it again from the browser's address bar".into()
            }
            UrlProblem::Blank { .. } => "remove it: an address has no spaces or line breaks (a space inside a web address is written %20); copy the address again from the browser's address bar".into(),
            UrlProblem::NoScheme { raw } => match host_like(raw) {
                Some(fixed) => format!(
                    "write the full address starting with https://, like {fixed}"
                ),
                None => format!(
                    "{EXAMPLE_HELP}; a page of this site is linked from the text, not from this field"
                ),
            },
            UrlProblem::SchemeRelative { raw } => format!(
                "write the full address starting with https://, like https:{}",
                shown(raw)
            ),
            UrlProblem::Scheme { allowed, .. } => match allowed {
                Schemes::Web => format!(
                    "other kinds of address can run code or open files in the reader's browser; {EXAMPLE_HELP}"
                ),
                Schemes::WebOrMail => format!(
                    "other kinds of address can run code or open files in the reader's browser; {EXAMPLE_HELP}, or an email address as mailto:name@example.org"
                ),
            },
            UrlProblem::Credentials => "remove the user name and password and the `@`: a password in a public page can be read by everyone".into(),
            UrlProblem::NoHost => EXAMPLE_HELP.into(),
            UrlProblem::NoMailAddress { .. } => {
                "write the email address after it, like mailto:name@example.org".into()
            }
            UrlProblem::QueryOrFragment => "write only the address the site is published at, like https://www.example.org/ or https://www.example.org/folder/".into(),
            UrlProblem::Invalid { .. } => format!(
                "{EXAMPLE_HELP}; copy it from the browser's address bar to be sure"
            ),
            UrlProblem::NotEmail { raw } => {
                if raw.trim_start().to_ascii_lowercase().starts_with("mailto:") {
                    "write only the email address, without `mailto:`, like name@example.org".into()
                } else {
                    "write it as name@example.org".into()
                }
            }
        }
    }
}

/// An address with one of `schemes`, parsed as a browser parses it. Publish `url.as_str()`.
pub(crate) fn check_url(raw: &str, schemes: Schemes) -> Result<Url, UrlProblem> {
    plain_text(raw)?;
    let url = match Url::parse(raw) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Err(if raw.starts_with("//") {
                UrlProblem::SchemeRelative { raw: raw.into() }
            } else {
                UrlProblem::NoScheme { raw: raw.into() }
            });
        }
        Err(url::ParseError::EmptyHost) => return Err(UrlProblem::NoHost),
        Err(e) => {
            return Err(UrlProblem::Invalid {
                raw: raw.into(),
                reason: e.to_string(),
            });
        }
    };
    let scheme = url.scheme();
    let allowed = match scheme {
        "http" | "https" => true,
        "mailto" => schemes == Schemes::WebOrMail,
        _ => false,
    };
    if !allowed {
        return Err(UrlProblem::Scheme {
            raw: raw.into(),
            scheme: scheme.into(),
            allowed: schemes,
        });
    }
    if scheme == "mailto" {
        let to = url.path();
        let address = to.split_once('@');
        if !address.is_some_and(|(user, host)| !user.is_empty() && !host.is_empty()) {
            return Err(UrlProblem::NoMailAddress { raw: raw.into() });
        }
        return Ok(url);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlProblem::Credentials);
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlProblem::NoHost);
    }
    Ok(url)
}

/// The site's own address (`base_url`): absolute `http(s)` with a host, no query, fragment or
/// credentials. Returned as published, without the final `/`, so that paths (which start with
/// `/`) are appended to it.
pub(crate) fn check_base_url(raw: &str) -> Result<String, UrlProblem> {
    let url = check_url(raw, Schemes::Web)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(UrlProblem::QueryOrFragment);
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// An email address as written after `mailto:` (site.yaml's `feedback.email`): `name@host`,
/// with nothing a `mailto:` link would read as more than the address.
pub(crate) fn check_email(raw: &str) -> Result<String, UrlProblem> {
    plain_text(raw)?;
    let not_email = || UrlProblem::NotEmail { raw: raw.into() };
    let (user, host) = raw.rsplit_once('@').ok_or_else(not_email)?;
    let bad_user = user.is_empty()
        || user.chars().any(|c| {
            matches!(
                c,
                '@' | '<'
                    | '>'
                    | '"'
                    | '\''
                    | '('
                    | ')'
                    | ','
                    | ';'
                    | ':'
                    | '\\'
                    | '['
                    | ']'
                    | '?'
                    | '#'
                    | '/'
                    | '&'
                    | '%'
            )
        });
    if bad_user {
        return Err(not_email());
    }
    match url::Host::parse(host) {
        Ok(url::Host::Domain(d)) if d.contains('.') && !d.ends_with('.') => {
            Ok(format!("{user}@{d}"))
        }
        _ => Err(not_email()),
    }
}

/// Refuses what cannot be part of an address as written by hand: emptiness, excess length,
/// control characters and blanks (the parser would silently drop tabs and line breaks and trim
/// spaces, so `java\tscript:` would become `javascript:`).
fn plain_text(raw: &str) -> Result<(), UrlProblem> {
    if raw.is_empty() {
        return Err(UrlProblem::Empty);
    }
    let chars = raw.chars().count();
    if chars > MAX_LEN {
        return Err(UrlProblem::TooLong { chars });
    }
    for c in raw.chars() {
        let what = match c {
            ' ' => "a space",
            '\t' => "a tab",
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => "a line break",
            c if c.is_control() => return Err(UrlProblem::Control { code: c as u32 }),
            c if c.is_whitespace() => "an invisible space",
            // Zero-width and direction marks: invisible, and they make an address look like
            // another one.
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}' => "an invisible character",
            _ => continue,
        };
        return Err(UrlProblem::Blank { what });
    }
    Ok(())
}

/// The address as shown inside a message: control characters written as `\u{…}` (they would
/// break the message's lines), and cut after 80 characters.
fn shown(raw: &str) -> String {
    let mut out = String::new();
    for (i, c) in raw.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `https://` + `raw`, when `raw` looks like a host name with perhaps a path
/// (`www.example.org/x`) and that makes a valid address: the "did you mean" of a missing scheme.
fn host_like(raw: &str) -> Option<String> {
    let host = raw.split('/').next().unwrap_or("");
    if !host.contains('.') || host.starts_with('.') || raw.contains(':') {
        return None;
    }
    let fixed = Url::parse(&format!("https://{raw}")).ok()?;
    Some(fixed.as_str().to_string())
}

/// Where an address written in a Markdown text leads (a link or a picture), read as a browser
/// reads it (WHATWG URL: tabs
/// and line breaks inside it dropped, `\` as `/`, `http:host` as `http://host`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// An address with its own scheme (`https:`, `mailto:`, `javascript:`), lower-cased.
    Scheme(String),
    /// No scheme, but another host: `//cdn.example/x.jpg`, `\\cdn.example\x.jpg`.
    OtherHost,
    /// An address on the page's own site: a path, a query or a fragment.
    SameSite,
    /// Not an address a browser can follow.
    Invalid,
}

pub(crate) fn target(dest: &str) -> Target {
    use url::{ParseError, Url};
    match Url::parse(dest) {
        Ok(u) => Target::Scheme(u.scheme().to_string()),
        Err(ParseError::RelativeUrlWithoutBase) => {
            // Resolved against a made-up page: only the host it ends on matters.
            let Ok(base) = Url::parse("https://page.invalid/section/key/") else {
                return Target::Invalid;
            };
            match base.join(dest) {
                Ok(u) if u.host_str() == Some("page.invalid") => Target::SameSite,
                Ok(_) => Target::OtherHost,
                Err(_) => Target::Invalid,
            }
        }
        Err(_) => Target::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web(raw: &str) -> Result<String, UrlProblem> {
        check_url(raw, Schemes::Web).map(|u| u.as_str().to_string())
    }

    fn refused(raw: &str, schemes: Schemes) -> UrlProblem {
        match check_url(raw, schemes) {
            Ok(u) => panic!("{raw:?} was accepted as {u}"),
            Err(p) => p,
        }
    }

    #[test]
    fn web_addresses_are_published_as_the_parser_writes_them() {
        assert_eq!(
            web("https://www.example.org/").unwrap(),
            "https://www.example.org/"
        );
        assert_eq!(
            web("https://www.example.org").unwrap(),
            "https://www.example.org/"
        );
        assert_eq!(
            web("HTTPS://WWW.Example.ORG/a?b=c#d").unwrap(),
            "https://www.example.org/a?b=c#d"
        );
        assert_eq!(
            web("https://città.it/").unwrap(),
            "https://xn--citt-3na.it/"
        );
        assert_eq!(
            web("https://x.org/a\"<b>").unwrap(),
            "https://x.org/a%22%3Cb%3E"
        );
        // No slashes: browsers and the parser read it as http://evil.example/, and that is
        // what is published.
        assert_eq!(web("http:evil.example").unwrap(), "http://evil.example/");
        assert_eq!(
            check_url("mailto:iscrizioni@example.org", Schemes::WebOrMail)
                .unwrap()
                .as_str(),
            "mailto:iscrizioni@example.org"
        );
    }

    #[test]
    fn scripts_and_other_schemes_are_refused() {
        for raw in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://ftp.example.org/x",
        ] {
            assert!(
                matches!(refused(raw, Schemes::WebOrMail), UrlProblem::Scheme { .. }),
                "{raw}"
            );
        }
        let p = refused("javascript:alert(1)", Schemes::Web);
        assert_eq!(
            p.message(),
            "`javascript:alert(1)` is not allowed: it starts with `javascript:`, and only web addresses (https:// or http://) are published"
        );
        assert!(
            p.help().ends_with("like https://www.example.org/"),
            "{}",
            p.help()
        );
        let p = refused("mailto:a@b.org", Schemes::Web);
        assert!(
            p.message().contains("is an email address"),
            "{}",
            p.message()
        );
    }

    #[test]
    fn blanks_and_control_characters_are_refused_before_parsing() {
        assert_eq!(
            refused("java\tscript:alert(1)", Schemes::Web),
            UrlProblem::Blank { what: "a tab" }
        );
        assert_eq!(
            refused(" javascript:alert(1)", Schemes::Web),
            UrlProblem::Blank { what: "a space" }
        );
        assert_eq!(
            refused("https://x.org/\r\nX: y", Schemes::Web),
            UrlProblem::Blank {
                what: "a line break"
            }
        );
        assert_eq!(
            refused("https://x.org/\u{0}", Schemes::Web),
            UrlProblem::Control { code: 0 }
        );
        assert_eq!(
            refused("https://x.org/\u{1b}[31m", Schemes::Web),
            UrlProblem::Control { code: 0x1b }
        );
        assert_eq!(
            refused("https://x.org/\u{9b}", Schemes::Web),
            UrlProblem::Control { code: 0x9b }
        );
        assert_eq!(
            refused("https://x.org/\u{7f}", Schemes::Web),
            UrlProblem::Control { code: 0x7f }
        );
        assert_eq!(
            refused("https://x.org/\u{a0}", Schemes::Web),
            UrlProblem::Blank {
                what: "an invisible space"
            }
        );
        assert_eq!(
            refused("https://x.org/\u{202e}", Schemes::Web),
            UrlProblem::Blank {
                what: "an invisible character"
            }
        );
        assert_eq!(refused("", Schemes::Web), UrlProblem::Empty);
        let long = format!("https://x.org/{}", "a".repeat(MAX_LEN));
        assert!(matches!(
            refused(&long, Schemes::Web),
            UrlProblem::TooLong { .. }
        ));
        assert!(web(&format!("https://x.org/{}", "a".repeat(MAX_LEN - 14))).is_ok());
        // A message never carries a raw control character.
        let p = UrlProblem::Invalid {
            raw: "a\u{1}b".into(),
            reason: "x".into(),
        };
        assert!(p.message().contains("a\\u{1}b"));
    }

    #[test]
    fn relative_addresses_say_how_to_write_them() {
        let p = refused("vetrina.example.org", Schemes::Web);
        assert!(matches!(p, UrlProblem::NoScheme { .. }));
        assert_eq!(
            p.help(),
            "write the full address starting with https://, like https://vetrina.example.org/"
        );
        let p = refused("/progetti/puoi/", Schemes::Web);
        assert!(p.help().starts_with(EXAMPLE_HELP), "{}", p.help());
        let p = refused("//evil.example/x", Schemes::Web);
        assert!(matches!(p, UrlProblem::SchemeRelative { .. }));
        assert!(
            p.help().ends_with("like https://evil.example/x"),
            "{}",
            p.help()
        );
        assert_eq!(
            refused("https://user:pw@host.example/", Schemes::Web),
            UrlProblem::Credentials
        );
        assert_eq!(
            refused("https://user@host.example/", Schemes::Web),
            UrlProblem::Credentials
        );
        assert_eq!(refused("http://", Schemes::Web), UrlProblem::NoHost);
        // Extra slashes are dropped by browsers and by the parser alike.
        assert_eq!(web("https:///x.org/a").unwrap(), "https://x.org/a");
        assert!(matches!(
            refused("https://x.org:99999/", Schemes::Web),
            UrlProblem::Invalid { .. }
        ));
        assert!(matches!(
            refused("mailto:", Schemes::WebOrMail),
            UrlProblem::NoMailAddress { .. }
        ));
        assert!(matches!(
            refused("mailto:nobody", Schemes::WebOrMail),
            UrlProblem::NoMailAddress { .. }
        ));
    }

    #[test]
    fn base_url_is_absolute_http_with_a_host_and_nothing_after_the_path() {
        assert_eq!(
            check_base_url("https://vetrina.example.org").unwrap(),
            "https://vetrina.example.org"
        );
        assert_eq!(
            check_base_url("https://vetrina.example.org/sito/").unwrap(),
            "https://vetrina.example.org/sito"
        );
        assert_eq!(
            check_base_url("http://localhost:1111/").unwrap(),
            "http://localhost:1111"
        );
        assert_eq!(
            check_base_url("https://x.org/?a"),
            Err(UrlProblem::QueryOrFragment)
        );
        assert_eq!(
            check_base_url("https://x.org/#"),
            Err(UrlProblem::QueryOrFragment)
        );
        assert!(matches!(
            check_base_url("mailto:a@b.org"),
            Err(UrlProblem::Scheme { .. })
        ));
        assert!(matches!(
            check_base_url("javascript:alert(1)//"),
            Err(UrlProblem::Scheme { .. })
        ));
        assert!(matches!(
            check_base_url("vetrina.example.org"),
            Err(UrlProblem::NoScheme { .. })
        ));
        assert_eq!(
            check_base_url("https://x.org\r\nX"),
            Err(UrlProblem::Blank {
                what: "a line break"
            })
        );
        assert_eq!(check_base_url("http://"), Err(UrlProblem::NoHost));
    }

    #[test]
    fn emails() {
        assert_eq!(
            check_email("accessibilita@vetrina.example.org").unwrap(),
            "accessibilita@vetrina.example.org"
        );
        for bad in [
            "mailto:a@b.org",
            "a@b",
            "a.b.org",
            "@b.org",
            "a@b.org?body=x",
            "a b@c.org",
            "a@b.org\n",
            "<a@b.org>",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(
            check_email("mailto:a@b.org")
                .unwrap_err()
                .help()
                .contains("without `mailto:`")
        );
    }

    #[test]
    fn no_input_panics() {
        for raw in [
            "\u{0}",
            "%",
            ":",
            "a:",
            "http:",
            "https:",
            "http:/",
            "//",
            "mailto:@",
            "http://[::1",
            "https://\u{fffd}/",
            "https://xn--/",
            "http://1.2.3.4.5/",
        ] {
            let _ = check_url(raw, Schemes::WebOrMail).map_err(|p| (p.message(), p.help()));
            let _ = check_base_url(raw);
            let _ = check_email(raw);
        }
    }

    #[test]
    fn addresses_are_read_as_browsers_read_them() {
        assert_eq!(
            target("https://example.org/"),
            Target::Scheme("https".into())
        );
        assert_eq!(
            target("java\tscript:alert(1)"),
            Target::Scheme("javascript".into())
        );
        assert_eq!(
            target("http:evil.example/pixel"),
            Target::Scheme("http".into())
        );
        assert_eq!(target("//evil.example/x.jpg"), Target::OtherHost);
        assert_eq!(target("\\\\evil.example\\x.jpg"), Target::OtherHost);
        assert_eq!(target("foto.jpg"), Target::SameSite);
        assert_eq!(target("../altra/"), Target::SameSite);
        assert_eq!(target("http://[::1"), Target::Invalid);
    }
}
