//! The HTTP/1.1 of `vetrina serve`: one request per connection, and a limit on everything a
//! client sends, so that no request can grow the server's memory or hold it for long.
//!
//! Why not tiny_http: it reads the request line and every header line into a buffer that
//! grows until the line ends, with no limit and no hook to impose one
//! (`Server::from_listener` takes only its own listener types), so a huge address would be
//! held in memory whole. The preview needs GET and HEAD of files and one event stream: a
//! small server whose every limit is in plain sight is simpler than a proxy in front of
//! tiny_http, which would have to parse each request anyway.
//!
//! The request line and headers are parsed by httparse (hyper's parser), once read here into
//! a buffer of bounded size: the limits are the reader's, the HTTP syntax is httparse's.

use std::io::{self, BufRead, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The longest request line (method, address, version) answered; longer gets 414.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The most bytes of header lines, all together (the line ends between them counted); more
/// gets 431.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The most header lines; more gets 431.
pub const MAX_HEADERS: usize = 100;
/// The largest request body announced to any address but the web editor's back end
/// (`cms_api`, which has its own limit and reads its body); larger gets 413. Nothing else is
/// uploaded.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;
/// How long a client may take to send its request line and headers, all together (a client
/// that sends a byte now and then cannot hold a connection longer).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// After a refusal, how much of what the client still sends is read and thrown away, and for
/// how long, so that it receives the answer rather than a reset connection.
const DRAIN_BYTES: u64 = 4 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// A request line and its headers. The body is read only by the route that wants one
/// (`read_body`): `rest` holds what of it came with the head.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The address as sent: always starting with `/` (origin form).
    pub target: String,
    /// HTTP/1.1 (else 1.0).
    pub http11: bool,
    pub headers: Vec<(String, String)>,
    /// The bytes read after the end of the head (the start of a body).
    pub rest: Vec<u8>,
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
    let mut r = io::BufReader::new(Deadline { stream, until });
    let mut parsed = read_request(&mut r);
    // What the reader took from the connection beyond the head belongs to the body.
    if let Parsed::Request(req) = &mut parsed {
        req.rest.extend_from_slice(r.buffer());
    }
    parsed
}

/// Why a request body is not read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyRefusal {
    /// No Content-Length, or a Transfer-Encoding (chunked bodies are not read): 411.
    LengthRequired,
    /// A Content-Length that is not one plain number: 400.
    BadLength,
    /// Larger than allowed: 413, refused before any of it is read.
    TooLarge,
    /// The client stopped sending, or did not send it all in time.
    Incomplete,
}

/// Reads the body of `req` (announced with Content-Length, at most `max` bytes) from the
/// connection, all of it within `time`. Memory grows with what arrives, not with what the
/// client announces.
pub fn read_body(
    stream: &TcpStream,
    req: &Request,
    max: u64,
    time: Duration,
) -> Result<Vec<u8>, BodyRefusal> {
    if req.headers_named("transfer-encoding").next().is_some() {
        return Err(BodyRefusal::LengthRequired);
    }
    let mut lengths = req.headers_named("content-length");
    let length = match (lengths.next(), lengths.next()) {
        (None, _) => return Err(BodyRefusal::LengthRequired),
        // Digits only: Rust's parser would take a leading `+`.
        (Some(l), None) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => {
            l.parse::<u64>().map_err(|_| BodyRefusal::TooLarge)?
        }
        _ => return Err(BodyRefusal::BadLength),
    };
    if length > max {
        return Err(BodyRefusal::TooLarge);
    }
    let mut body = req.rest.clone();
    body.truncate(usize::try_from(length).map_err(|_| BodyRefusal::TooLarge)?);
    let left = length - body.len() as u64;
    let until = Instant::now() + time;
    Deadline { stream, until }
        .take(left)
        .read_to_end(&mut body)
        .map_err(|_| BodyRefusal::Incomplete)?;
    if body.len() as u64 == length {
        Ok(body)
    } else {
        Err(BodyRefusal::Incomplete)
    }
}

/// Reads the request line and headers, within the limits above.
pub fn read_request(r: &mut impl BufRead) -> Parsed {
    match read_request_inner(r) {
        Ok(p) => p,
        Err(_) => Parsed::Gone,
    }
}

/// Empty lines read before the request line and ignored (RFC 9112, 2.2), at most.
const MAX_EMPTY_LINES: usize = 3;
/// The most bytes of a request head ever held: the empty lines allowed before it, the longest
/// request line and header lines, each with its CR LF, and the empty line that ends the head.
const MAX_HEAD: usize = MAX_EMPTY_LINES * 2 + MAX_REQUEST_LINE + 2 + MAX_HEADER_BYTES + 2 + 2;

const NOT_HTTP: &str = "not an HTTP request\n";
const TOO_LONG: &str = "the address is too long\n";
const TOO_LARGE: &str = "the request headers are too large\n";
const TOO_MANY: &str = "the request has too many headers\n";
const BAD_HEADER: &str = "a request header is not valid\n";

/// Reads more of the head into `head`, never beyond `MAX_HEAD` bytes whatever the client
/// sends; false when the client has sent all it will.
fn read_more(r: &mut impl BufRead, head: &mut Vec<u8>) -> io::Result<bool> {
    let got = r.fill_buf()?;
    let n = got.len().min(MAX_HEAD - head.len());
    head.extend_from_slice(&got[..n]);
    r.consume(n);
    Ok(n > 0)
}

/// A line without its line end (CR LF, or LF alone).
fn without_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The head is read into one buffer of `MAX_HEAD` bytes and parsed by httparse; the limits
/// are kept here, on the lines as they arrive: the request line is looked for (414) before
/// httparse reads it, and the header lines are parsed whenever one has ended, so that a
/// refusal comes as soon as it is known.
fn read_request_inner(r: &mut impl BufRead) -> io::Result<Parsed> {
    let mut head = Vec::with_capacity(MAX_HEAD);
    // The request line: its LF within MAX_REQUEST_LINE bytes (a CR before it not counted),
    // after at most a few empty lines.
    let (mut start, mut scanned, mut empty_lines) = (0, 0, 0);
    let line_end = loop {
        if let Some(i) = head[scanned..].iter().position(|&b| b == b'\n') {
            scanned += i + 1;
            let line = without_line_end(&head[start..scanned]);
            if line.is_empty() {
                empty_lines += 1;
                if empty_lines > MAX_EMPTY_LINES {
                    return Ok(Parsed::Refused(400, NOT_HTTP));
                }
                start = scanned;
                continue;
            }
            if line.len() > MAX_REQUEST_LINE {
                return Ok(Parsed::Refused(414, TOO_LONG));
            }
            break scanned;
        }
        scanned = head.len();
        if head.len() - start > MAX_REQUEST_LINE + 1 {
            return Ok(Parsed::Refused(414, TOO_LONG));
        }
        if !read_more(r, &mut head)? {
            return Ok(Parsed::Gone);
        }
    };
    let Some(mut req) = parse_request_line(&head[start..line_end]) else {
        return Ok(Parsed::Refused(400, NOT_HTTP));
    };
    // The header lines, parsed again whenever a line has ended (at most MAX_HEADERS + 1
    // times before httparse says that there are too many).
    let mut scanned = line_end;
    loop {
        let new_line = head[scanned..].contains(&b'\n');
        scanned = head.len();
        let full = head.len() == MAX_HEAD;
        if new_line || full {
            // Whole lines only: what comes after the last LF is still arriving.
            let lines_end = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let lines = &head[line_end..lines_end];
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            match httparse::parse_headers(lines, &mut headers) {
                Ok(httparse::Status::Complete((n, fields))) => {
                    // From the first name to the last value's end: the line end of the last
                    // line and the empty line after it are not counted.
                    if without_line_end(without_line_end(&lines[..n])).len() > MAX_HEADER_BYTES {
                        return Ok(Parsed::Refused(431, TOO_LARGE));
                    }
                    for h in fields {
                        let Ok(value) = std::str::from_utf8(h.value) else {
                            return Ok(Parsed::Refused(400, BAD_HEADER));
                        };
                        req.headers.push((h.name.to_string(), value.to_string()));
                    }
                    req.rest = head[line_end + n..].to_vec();
                    return Ok(Parsed::Request(req));
                }
                // A head that does not end within MAX_HEAD bytes has header lines beyond
                // MAX_HEADER_BYTES (the request line is within its own limit).
                Ok(httparse::Status::Partial) if full => {
                    return Ok(Parsed::Refused(431, TOO_LARGE));
                }
                Ok(httparse::Status::Partial) => {}
                Err(httparse::Error::TooManyHeaders) => {
                    return Ok(Parsed::Refused(431, TOO_MANY));
                }
                // A folded line (obsolete), a line without a name or colon, a control
                // character in a value.
                Err(_) => return Ok(Parsed::Refused(400, BAD_HEADER)),
            }
        }
        if !read_more(r, &mut head)? {
            return Ok(Parsed::Gone);
        }
    }
}

/// `METHOD /target HTTP/1.x` with its line end, as httparse reads it, with an address in
/// origin form only: an absolute address (`http://host/…`) would name another host than the
/// Host header checked. httparse takes any byte above 0x7F in an address: not taken here.
fn parse_request_line(line: &[u8]) -> Option<Request> {
    let mut req = httparse::Request::new(&mut []);
    // Partial: the line alone, without the headers that follow it.
    req.parse(line).ok()?;
    let (method, target, version) = (req.method?, req.path?, req.version?);
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        http11: version == 1,
        headers: Vec::new(),
        rest: Vec::new(),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
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
    respond_in_parts(w, status, headers, &[body], head_only)
}

/// `respond`, the body given in parts that are sent one after the other (a page and the
/// script added to it, without copying the page into a longer one).
pub fn respond_in_parts(
    w: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    body: &[&[u8]],
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
        body.iter().map(|part| part.len()).sum::<usize>()
    ));
    w.write_all(head.as_bytes())?;
    if !head_only {
        for part in body {
            w.write_all(part)?;
        }
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
    fn limits_are_kept_to_the_byte() {
        // The request line without its CR LF; a few empty lines before it are not counted.
        let line = |n: usize| format!("GET /{} HTTP/1.1", "a".repeat(n - 14));
        let ok = format!("\r\n\n\r\n{}\r\n\r\n", line(MAX_REQUEST_LINE));
        assert!(matches!(parse(ok.as_bytes()), Parsed::Request(_)));
        let long = format!("{}\r\n\r\n", line(MAX_REQUEST_LINE + 1));
        assert!(matches!(parse(long.as_bytes()), Parsed::Refused(414, _)));
        // Header lines from the first name to the last value's end (their line ends between).
        let two = |n: usize| format!("A: b\r\nX: {}", "a".repeat(n - 9));
        let ok = format!("GET / HTTP/1.1\r\n{}\r\n\r\n", two(MAX_HEADER_BYTES));
        assert!(matches!(parse(ok.as_bytes()), Parsed::Request(_)));
        let big = format!("GET / HTTP/1.1\r\n{}\r\n\r\n", two(MAX_HEADER_BYTES + 1));
        assert!(matches!(parse(big.as_bytes()), Parsed::Refused(431, _)));
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(MAX_HEADERS));
        assert!(
            matches!(parse(many.as_bytes()), Parsed::Request(r) if r.headers.len() == MAX_HEADERS)
        );
        // Three empty lines before the request line, not four.
        assert!(matches!(
            parse(b"\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n"),
            Parsed::Refused(400, _)
        ));
    }

    /// A reader that counts what is taken from it.
    struct Counted<R>(R, std::rc::Rc<std::cell::Cell<usize>>);

    impl<R: Read> Read for Counted<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1.set(self.1.get() + n);
            Ok(n)
        }
    }

    #[test]
    fn no_more_than_a_head_is_read_whatever_the_client_sends() {
        for (start, status) in [
            (&b"GET /"[..], 414),
            (b"GET / HTTP/1.1\r\nX: ", 431),
            (b"GET / HTTP/1.1\r\n", 431),
        ] {
            let taken = std::rc::Rc::new(std::cell::Cell::new(0));
            let endless = Counted(start.chain(io::repeat(b'a')), taken.clone());
            let parsed = read_request(&mut io::BufReader::with_capacity(512, endless));
            assert!(
                matches!(parsed, Parsed::Refused(s, _) if s == status),
                "{parsed:?}"
            );
            assert!(taken.get() <= MAX_HEAD + 512, "{}", taken.get());
        }
        // Short header lines: too many long before they are too large.
        let lines = format!("GET / HTTP/1.1\r\n{}", "X: y\r\n".repeat(10_000));
        let taken = std::rc::Rc::new(std::cell::Cell::new(0));
        let many = Counted(lines.as_bytes(), taken.clone());
        let parsed = read_request(&mut io::BufReader::with_capacity(512, many));
        assert!(
            matches!(parsed, Parsed::Refused(431, TOO_MANY)),
            "{parsed:?}"
        );
        assert!(taken.get() <= MAX_HEAD + 512, "{}", taken.get());
    }

    #[test]
    fn what_httparse_refuses_in_a_header_is_refused() {
        for bad in [
            // Obsolete line folding, with a tab; a name without a colon; a space before the
            // colon; a space before the first name.
            &b"GET / HTTP/1.1\r\nA: b\r\n\tfolded\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nnocolon\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            b"GET / HTTP/1.1\r\n Host: x\r\n\r\n",
            // Control characters in a value (accepted before httparse), and a value that is
            // not UTF-8.
            b"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: a\x7fb\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: \xe0\r\n\r\n",
        ] {
            assert!(
                matches!(parse(bad), Parsed::Refused(400, _)),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        // Line ends of LF alone are read as CR LF; a value keeps its inner spaces and tabs.
        let Parsed::Request(r) = parse(b"GET / HTTP/1.0\nX:\t a \tb \n\n") else {
            panic!("not read");
        };
        assert!(!r.http11);
        assert_eq!(r.headers_named("x").next(), Some("a \tb"));
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

    /// The body `raw` sends after its head, as `read_body` reads it (with `max`).
    fn body_of(raw: &'static [u8], max: u64) -> Result<Vec<u8>, BodyRefusal> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(raw).unwrap();
            // Sends nothing more, and waits for the server to be done.
            let _ = s.read(&mut [0u8; 1]);
        });
        let (conn, _) = listener.accept().unwrap();
        let Parsed::Request(req) = read_request_within(&conn, Duration::from_secs(5)) else {
            panic!("not read");
        };
        let body = read_body(&conn, &req, max, Duration::from_millis(500));
        drop(conn);
        client.join().unwrap();
        body
    }

    #[test]
    fn a_body_is_read_whole_with_its_length_and_within_its_limit() {
        let ok = body_of(
            b"POST /api/v1 HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world",
            11,
        );
        assert_eq!(ok.as_deref(), Ok(&b"hello world"[..]));
        // Pipelined bytes after the body are not part of it.
        let ok = body_of(
            b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGET / HTTP/1.1",
            9,
        );
        assert_eq!(ok.as_deref(), Ok(&b"ok"[..]));
        for (raw, why) in [
            (
                &b"POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\nhello world!"[..],
                BodyRefusal::TooLarge,
            ),
            (b"POST / HTTP/1.1\r\n\r\nhello", BodyRefusal::LengthRequired),
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                BodyRefusal::LengthRequired,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello",
                BodyRefusal::LengthRequired,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello",
                BodyRefusal::BadLength,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
                BodyRefusal::BadLength,
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                BodyRefusal::TooLarge,
            ),
            // Announced, not sent: given up when the time is over.
            (
                b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello",
                BodyRefusal::Incomplete,
            ),
        ] {
            assert_eq!(
                body_of(raw, 11),
                Err(why),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
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
