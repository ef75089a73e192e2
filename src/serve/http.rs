//! The HTTP/1.1 of `vetrina serve`: one request per connection, and a limit on everything a
//! client sends, so that no request can grow the server's memory or hold it for long.
//!
//! Why not tiny_http (which served until now): it reads the request line and every header
//! line into a buffer that grows until the line ends, with no limit and no hook to impose
//! one (`Server::from_listener` takes only its own listener types), so a 400 MB address was
//! held in memory whole. The preview needs GET and HEAD of files and one event stream: a
//! small server whose every limit is in plain sight is simpler than a proxy in front of
//! tiny_http, which would have to parse each request anyway.

use std::io::{self, BufRead, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The longest request line (method, address, version) answered; longer gets 414.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The most bytes of header lines, all together; more gets 431.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The most header lines; more gets 431.
pub const MAX_HEADERS: usize = 100;
/// The largest request body accepted; larger gets 413. Nothing is uploaded today; a local
/// back end for the web editor (SPEC §9) would receive texts and pictures of a few MB.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;
/// How long a client may take to send its request line and headers, all together (a client
/// that sends a byte now and then cannot hold a connection longer).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// After a refusal, how much of what the client still sends is read and thrown away, and for
/// how long, so that it receives the answer rather than a reset connection.
const DRAIN_BYTES: u64 = 4 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// A request line and its headers (the body, if any, is never read).
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The address as sent: always starting with `/` (origin form).
    pub target: String,
    /// HTTP/1.1 (else 1.0).
    pub http11: bool,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// Every value of the header `name`.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What reading a request gave.
#[derive(Debug)]
pub enum Parsed {
    Request(Request),
    /// A request refused before it was understood: the status and a short reason.
    Refused(u16, &'static str),
    /// The client went away (or sent nothing in time).
    Gone,
}

enum Line {
    Text(Vec<u8>),
    TooLong,
    Eof,
}

/// Reads one line of at most `limit` bytes (without its CR LF); never holds more than
/// `limit` + 1 bytes, whatever the client sends.
fn read_line(r: &mut impl BufRead, limit: usize) -> io::Result<Line> {
    let mut buf = Vec::new();
    let n = r.take(limit as u64 + 2).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(Line::Eof);
    }
    if buf.last() != Some(&b'\n') {
        return Ok(if n > limit { Line::TooLong } else { Line::Eof });
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    if buf.len() > limit {
        return Ok(Line::TooLong);
    }
    Ok(Line::Text(buf))
}

/// A connection read with one deadline for the whole head of the request, not one per read.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

/// Reads the head of a request from a connection within the limits above, all of it within
/// `time`.
pub fn read_request_within(stream: &TcpStream, time: Duration) -> Parsed {
    let until = Instant::now() + time;
    read_request(&mut io::BufReader::new(Deadline { stream, until }))
}

/// Reads the request line and headers, within the limits above.
pub fn read_request(r: &mut impl BufRead) -> Parsed {
    match read_request_inner(r) {
        Ok(p) => p,
        Err(_) => Parsed::Gone,
    }
}

fn read_request_inner(r: &mut impl BufRead) -> io::Result<Parsed> {
    // Empty lines before the request line are allowed (RFC 9112, 2.2), a few of them.
    let mut line = Vec::new();
    for _ in 0..4 {
        match read_line(r, MAX_REQUEST_LINE)? {
            Line::Text(t) if t.is_empty() => continue,
            Line::Text(t) => {
                line = t;
                break;
            }
            Line::TooLong => return Ok(Parsed::Refused(414, "the address is too long\n")),
            Line::Eof => return Ok(Parsed::Gone),
        }
    }
    let Some(mut req) = parse_request_line(&line) else {
        return Ok(Parsed::Refused(400, "not an HTTP request\n"));
    };
    let mut used = 0;
    loop {
        let budget = MAX_HEADER_BYTES.saturating_sub(used);
        let text = match read_line(r, budget)? {
            Line::Text(t) => t,
            Line::TooLong => {
                return Ok(Parsed::Refused(431, "the request headers are too large\n"));
            }
            Line::Eof => return Ok(Parsed::Gone),
        };
        if text.is_empty() {
            return Ok(Parsed::Request(req));
        }
        used += text.len() + 2;
        if req.headers.len() >= MAX_HEADERS {
            return Ok(Parsed::Refused(431, "the request has too many headers\n"));
        }
        // A folded line (obsolete) or a line without a name is not accepted.
        let Some((name, value)) = std::str::from_utf8(&text)
            .ok()
            .and_then(|t| t.split_once(':'))
            .filter(|(n, _)| is_token(n))
        else {
            return Ok(Parsed::Refused(400, "a request header is not valid\n"));
        };
        req.headers.push((
            name.to_string(),
            value.trim_matches([' ', '\t']).to_string(),
        ));
    }
}

/// `METHOD /target HTTP/1.x`, with an address in origin form only: an absolute address
/// (`http://host/…`) would name another host than the Host header checked.
fn parse_request_line(line: &[u8]) -> Option<Request> {
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_token(method) {
        return None;
    }
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return None,
    };
    Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        http11,
        headers: Vec::new(),
    })
}

/// An HTTP token (method, header name): RFC 9110, 5.6.2.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a whole response and says the connection closes after it; `head_only` (HEAD)
/// leaves the body out but keeps its length.
pub fn respond(
    w: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (n, v) in headers {
        head.push_str(n);
        head.push_str(": ");
        head.push_str(v);
        head.push_str("\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    w.write_all(head.as_bytes())?;
    if !head_only {
        w.write_all(body)?;
    }
    w.flush()
}

/// A short plain-text answer.
pub fn respond_text(w: &mut impl Write, status: u16, text: &str) -> io::Result<()> {
    respond(
        w,
        status,
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Cache-Control", "no-store"),
        ],
        text.as_bytes(),
        false,
    )
}

/// Ends a connection after its answer: no more is sent, and what the client is still sending
/// is read and thrown away (a bounded amount, for a bounded time), so that closing does not
/// reset the connection before the client has read the answer.
pub fn close(stream: &TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let started = Instant::now();
    let _ = stream.set_read_timeout(Some(DRAIN_TIME));
    let mut buf = [0u8; 8192];
    let mut left = DRAIN_BYTES;
    let mut r = stream;
    while left > 0 && started.elapsed() < DRAIN_TIME {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n as u64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> Parsed {
        read_request(&mut io::BufReader::new(raw))
    }

    #[test]
    fn a_request_is_read_with_its_headers() {
        let Parsed::Request(r) =
            parse(b"\r\nGET /storie/?a=1 HTTP/1.1\r\nHost: localhost:1111\r\nX-A:  b \r\n\r\n")
        else {
            panic!("not read");
        };
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("GET", "/storie/?a=1")
        );
        assert!(r.http11);
        assert_eq!(r.headers_named("host").next(), Some("localhost:1111"));
        assert_eq!(r.headers_named("X-A").next(), Some("b"));
    }

    #[test]
    fn limits_are_kept() {
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert!(matches!(parse(long.as_bytes()), Parsed::Refused(414, _)));
        let ok = format!(
            "GET /{} HTTP/1.1\r\n\r\n",
            "a".repeat(MAX_REQUEST_LINE - 20)
        );
        assert!(matches!(parse(ok.as_bytes()), Parsed::Request(_)));
        let big = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEADER_BYTES)
        );
        assert!(matches!(parse(big.as_bytes()), Parsed::Refused(431, _)));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert!(matches!(parse(many.as_bytes()), Parsed::Refused(431, _)));
    }

    #[test]
    fn what_is_not_a_plain_request_is_refused() {
        for bad in [
            &b"GET http://evil.example/ HTTP/1.1\r\n\r\n"[..],
            b"GET * HTTP/1.1\r\n\r\n",
            b"GET / HTTP/2\r\n\r\n",
            b"GET  / HTTP/1.1\r\n\r\n",
            b"GET /a b HTTP/1.1\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET /\xc3\xa0 HTTP/1.1\r\n\r\n",
        ] {
            assert!(
                matches!(parse(bad), Parsed::Refused(400, _)),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(matches!(parse(b""), Parsed::Gone));
        assert!(matches!(parse(b"GET / HTTP/1.1\r\nHost: x"), Parsed::Gone));
    }

    #[test]
    fn a_client_sending_a_byte_now_and_then_is_given_up_in_time() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            for b in b"GET / HTTP/1.1\r\nHost: localhost\r\n"
                .iter()
                .cycle()
                .take(40)
            {
                if s.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let (conn, _) = listener.accept().unwrap();
        let started = Instant::now();
        let parsed = read_request_within(&conn, Duration::from_millis(300));
        assert!(matches!(parsed, Parsed::Gone), "{parsed:?}");
        assert!(started.elapsed() < Duration::from_millis(1500));
        drop(conn);
        client.join().unwrap();
    }

    #[test]
    fn a_response_says_its_length_and_that_the_connection_closes() {
        let mut out = Vec::new();
        respond(
            &mut out,
            404,
            &[("Content-Type", "text/plain")],
            b"nope",
            true,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\n"
        );
    }
}
