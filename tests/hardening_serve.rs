//! `vetrina serve` against hostile clients: it answers only requests addressed to this
//! computer (no DNS rebinding), its redirects never lead to another host, and requests are
//! read within limits (414, 431, 413), answered at once, with the server's memory unchanged.

mod common;
use common::http::{Reply, send, serve};
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use vetrina::serve::{MAX_BODY, MAX_HEADER_BYTES, MAX_REQUEST_LINE, ServeOptions, start};

fn get(addr: SocketAddr, path: &str) -> Reply {
    send(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes(),
    )
}

fn with_host(addr: SocketAddr, path: &str, host: Option<&str>) -> Reply {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    send(
        addr,
        format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").into_bytes(),
    )
}

fn location(r: &Reply) -> String {
    r.head
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn redirects_never_lead_to_another_host() {
    let t = demo_copy();
    let h = serve(t.path());
    // GET //storie answered `Location: //storie/`, which a browser reads as the host `storie`.
    for path in [
        "//storie",
        "///storie",
        "////storie",
        "/%2F%2Fstorie",
        "/%2f/storie",
        "//%2Fstorie",
        "/./storie",
        "//.//storie",
    ] {
        let r = get(h.addr, path);
        assert_eq!(r.status, 301, "{path}");
        assert_eq!(location(&r), "/storie/", "{path}");
    }
    let r = get(h.addr, "//progetti//puoi");
    assert_eq!((r.status, location(&r)), (301, "/progetti/puoi/".into()));
    // Backslashes (plain or encoded), which browsers read as slashes, are never followed.
    for path in ["/\\storie", "/%5Cstorie", "/%5c%5cstorie", "/\\\\storie"] {
        let r = get(h.addr, path);
        assert!(matches!(r.status, 400 | 404), "{path}: {}", r.status);
        assert!(location(&r).is_empty(), "{path}");
    }
    h.stop();
}

#[test]
fn only_requests_for_this_computer_are_answered() {
    let t = demo_copy();
    let h = serve(t.path());
    let port = h.addr.port();
    for host in [
        Some("evil.example".to_string()),
        Some(format!("evil.example:{port}")),
        Some(format!("localhost.evil.example:{port}")),
        Some(format!("127.0.0.1.nip.io:{port}")),
        Some(format!("localhost@evil.example:{port}")),
        Some(format!("localhost:{port}@evil.example")),
        Some("localhost:".to_string()),
        Some("localhost:port".to_string()),
        Some("[::1".to_string()),
        Some("[::2]".to_string()),
        Some("0.0.0.0".to_string()),
        Some(String::new()),
        None,
    ] {
        for path in [
            "/",
            "/progetti/puoi/",
            "/__vetrina/live.js",
            "/__vetrina/events",
        ] {
            let r = with_host(h.addr, path, host.as_deref());
            assert_eq!(r.status, 421, "Host {host:?} {path}");
            assert!(r.head.contains("content-type: text/plain"), "{host:?}");
            assert!(
                r.body
                    .starts_with("vetrina serve answers only requests for this computer"),
                "{host:?}: {}",
                r.body
            );
            assert!(!r.body.contains('<') && r.body.len() < 200, "{}", r.body);
        }
    }
    // Two Host headers, one of them good.
    let r = send(
        h.addr,
        format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\n\r\n")
            .into_bytes(),
    );
    assert_eq!(r.status, 421);
    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("LocalHost:{port}"),
        format!("preview.localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("127.1.2.3:{port}"),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
    ] {
        let r = with_host(h.addr, "/", Some(&host));
        assert_eq!(r.status, 200, "Host {host}");
        assert!(r.body.contains("<html"), "{host}");
    }
    // HTTP/1.0 may leave the Host out.
    let r = send(h.addr, b"GET / HTTP/1.0\r\n\r\n".to_vec());
    assert_eq!(r.status, 200);
    h.stop();
}

#[test]
fn a_build_error_is_shown_only_to_this_computer() {
    let t = demo_copy();
    let h = serve(t.path());
    let builds = h.builds();
    edit(
        t.path(),
        "content/projects/puoi/index.it.md",
        "status: concluded",
        "status: finished",
    );
    // The failed build is announced on the event stream of a good host...
    let mut s = TcpStream::connect(h.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "GET /__vetrina/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut lines = BufReader::new(s);
    let mut seen = String::new();
    let started = Instant::now();
    while !seen.contains("finished") && started.elapsed() < Duration::from_secs(60) {
        let mut line = String::new();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        seen.push_str(&line);
    }
    assert!(seen.contains("event: build-error"), "{seen}");
    assert_eq!(h.builds(), builds, "the build failed");
    // ... and to nobody else, by no address.
    for path in ["/__vetrina/events", "/", "/progetti/puoi/"] {
        let r = with_host(h.addr, path, Some("attacker.example"));
        assert_eq!(r.status, 421);
        assert!(!r.body.contains("finished") && !r.body.contains("error:"));
    }
    h.stop();
}

#[test]
fn the_output_marker_and_hidden_names_are_not_served() {
    let t = demo_copy();
    let h = serve(t.path());
    assert!(t.path().join("public/.vetrina-output").is_file());
    for path in [
        "/.vetrina-output",
        "/%2Evetrina-output",
        "/%2evetrina-output",
        "//.vetrina-output",
        "/./.vetrina-output",
    ] {
        let r = get(h.addr, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("output of Vetrina"), "{path}");
    }
    h.stop();
}

#[test]
fn oversized_requests_are_refused_at_once() {
    let t = demo_copy();
    let h = serve(t.path());
    let addr = h.addr;
    // A 100 KB address.
    let started = Instant::now();
    let url = format!("/{}", "a".repeat(100 * 1024));
    let r = send(
        addr,
        format!("GET {url} HTTP/1.1\r\nHost: localhost\r\n\r\n").into_bytes(),
    );
    assert_eq!(r.status, 414);
    assert_eq!(r.body, "the address is too long\n");
    // Just over the limit, and just under it.
    let r = get(addr, &format!("/{}", "a".repeat(MAX_REQUEST_LINE)));
    assert_eq!(r.status, 414);
    let r = get(addr, &format!("/{}", "a".repeat(MAX_REQUEST_LINE - 100)));
    assert_eq!(r.status, 404);
    // 1 MB of headers, in one header and in many.
    let big = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "b".repeat(1 << 20)
    );
    let r = send(addr, big.into_bytes());
    assert_eq!(r.status, 431);
    let many = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        "X-Many: 0123456789abcdef\r\n".repeat((1 << 20) / 26)
    );
    let r = send(addr, many.into_bytes());
    assert_eq!(r.status, 431);
    let r = send(
        addr,
        format!(
            "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: {}\r\n\r\n",
            "c".repeat(MAX_HEADER_BYTES)
        )
        .into_bytes(),
    );
    assert_eq!(r.status, 431);
    // A body over the cap is refused before it is read; a small one is not wanted either.
    let r = send(
        addr,
        format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        )
        .into_bytes(),
    );
    assert_eq!(r.status, 413);
    let r = send(
        addr,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello".to_vec(),
    );
    assert_eq!(r.status, 405);
    let r = send(
        addr,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n".to_vec(),
    );
    assert_eq!(r.status, 400);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered in {:?}",
        started.elapsed()
    );
    // The server still serves.
    assert_eq!(get(addr, "/").status, 200);
    h.stop();
}

/// The peak resident memory of a process, in KiB (Linux).
#[cfg(target_os = "linux")]
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_huge_request_does_not_grow_the_server() {
    // A 400 MB address grew the server to 725 MB; headers were read the same way. The server runs as its own process here,
    // so that the memory of other tests does not count.
    let t = demo_copy();
    // No search index, which is built in the background after the pages and would grow the
    // server while it is measured.
    let yaml = read(t.path(), "site.yaml");
    write(
        t.path(),
        "site.yaml",
        &format!("{}\nsearch: false\n", yaml.trim_end()),
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vetrina"))
        .args(["serve", "--port", "0", "--now", "2026-11-25", "--root"])
        .arg(t.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut url = None;
    let mut line = String::new();
    while err.read_line(&mut line).unwrap_or(0) > 0 {
        if let Some(rest) = line.split("Serving the site at http://").nth(1) {
            url = rest.split('/').next().map(str::to_string);
            break;
        }
        line.clear();
    }
    // Keep reading the server's messages so that it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    let addr: SocketAddr = url.expect("the server started").parse().unwrap();
    let before = peak_kib(child.id());
    let started = Instant::now();
    // 64 MB of address, sent as fast as the server takes it.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(b"GET /");
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..64 {
        if s.write_all(&chunk).is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    // And 64 MB of headers.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ");
    for _ in 0..64 {
        if s.write_all(&chunk).is_err() {
            break;
        }
    }
    let mut headers_answer = Vec::new();
    let _ = s.read_to_end(&mut headers_answer);
    let grown = peak_kib(child.id()).saturating_sub(before);
    let took = started.elapsed();
    let still = get(addr, "/").status;
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 414 "),
        "{}",
        String::from_utf8_lossy(&answer[..answer.len().min(200)])
    );
    assert!(
        String::from_utf8_lossy(&headers_answer).starts_with("HTTP/1.1 431 "),
        "{}",
        String::from_utf8_lossy(&headers_answer[..headers_answer.len().min(200)])
    );
    assert!(grown < 8 * 1024, "the server grew by {grown} KiB");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(still, 200);
}

#[test]
fn an_ipv6_bind_address_is_listened_on_and_named_in_the_host() {
    let t = demo_copy();
    let opts = ServeOptions {
        build: opts(t.path()),
        bind: "::1".into(),
        port: 0,
        after_index: None,
        give_back_memory: None,
    };
    // A machine without IPv6 cannot listen there: nothing to test.
    let h = match start(opts, Arc::new(|_, _, _| {})) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("not tested: {e}");
            return;
        }
    };
    assert!(h.addr.is_ipv6());
    let r = with_host(h.addr, "/", Some(&format!("[::1]:{}", h.addr.port())));
    assert_eq!(r.status, 200);
    let r = with_host(h.addr, "/", Some("evil.example"));
    assert_eq!(r.status, 421);
    h.stop();
}
