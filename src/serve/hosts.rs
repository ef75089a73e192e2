//! Which requests `vetrina serve` answers at all: only those addressed to this computer, so
//! that a page elsewhere (DNS rebinding) can never read the preview or its errors.

use super::http::{MAX_BODY, Request};

/// Why a well-formed request is not answered, before anything of the site is looked at.
pub(super) fn refusal(req: &Request, bind: &str) -> Option<(u16, &'static str)> {
    let mut hosts = req.headers_named("host");
    let host_ok = match (hosts.next(), hosts.next()) {
        (Some(h), None) => host_allowed(h, bind),
        // HTTP/1.0 may leave the Host out; browsers never do.
        (None, _) => !req.http11,
        _ => false,
    };
    if !host_ok {
        return Some((
            421,
            "vetrina serve answers only requests for this computer: open http://localhost with the port shown in the terminal\n",
        ));
    }
    let mut lengths = req.headers_named("content-length");
    let length = match (lengths.next(), lengths.next()) {
        (None, _) => 0,
        (Some(l), None) => match l.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return Some((400, "the Content-Length header is not a number\n")),
        },
        _ => return Some((400, "the Content-Length header is repeated\n")),
    };
    if length > MAX_BODY {
        return Some((413, "the request body is too large\n"));
    }
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        return Some((405, "only GET and HEAD are served\n"));
    }
    None
}

/// Whether a Host header names this computer: `localhost` or a name under `.localhost`, a
/// loopback address (127.x.x.x, `[::1]`) or the address the server was bound to, with or
/// without a port. Anything else may be a name that a stranger's DNS points at 127.0.0.1.
pub(super) fn host_allowed(host: &str, bind: &str) -> bool {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        let port = match after {
            "" => None,
            p => match p.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            },
        };
        let Ok(ip) = ip.parse::<std::net::Ipv6Addr>() else {
            return false;
        };
        if port
            .is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return false;
        }
        let bound = bind
            .trim_matches(['[', ']'])
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|b| b == ip && !b.is_unspecified());
        return ip.is_loopback() || bound;
    } else {
        match host.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let name = name.to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") && name.len() > ".localhost".len() {
        return is_host_name(&name);
    }
    if let Ok(ip) = name.parse::<std::net::Ipv4Addr>() {
        let bound = bind
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|b| b == ip && !b.is_unspecified());
        return ip.is_loopback() || bound;
    }
    // A host name given with --bind (say, the computer's name on the office network).
    !name.is_empty() && is_host_name(&name) && name.eq_ignore_ascii_case(bind)
}

/// Letters, digits, hyphens and dots, no empty label.
fn is_host_name(name: &str) -> bool {
    name.split('.')
        .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}
