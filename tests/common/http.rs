//! Talking to a running `vetrina serve` as a client would, byte for byte (the serve tests).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use vetrina::serve::{Handle, ServeOptions, start};

use super::opts;

/// `vetrina serve` on the site at `root`, on a free port of 127.0.0.1.
pub fn serve(root: &Path) -> Handle {
    let opts = ServeOptions {
        build: opts(root),
        bind: "127.0.0.1".into(),
        port: 0,
        after_index: None,
        give_back_memory: None,
    };
    start(opts, Arc::new(|_, _, _| {})).expect("the server starts")
}

/// An answer: its status, its head in lower case, its body (and the body read as JSON, or
/// `Null`).
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub json: Value,
    pub body: String,
}

/// Sends `raw` as it is (from another thread, so that a large request cannot block the
/// answer) and reads the whole answer.
pub fn send(addr: SocketAddr, raw: Vec<u8>) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut w = s.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        // The server may stop reading (and close) before all is sent: that is the point.
        let _ = w.write_all(&raw);
    });
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let _ = writer.join();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Reply {
        status: head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        head: head.to_ascii_lowercase(),
        json: serde_json::from_str(body).unwrap_or(Value::Null),
        body: body.to_string(),
    }
}

/// An open event stream: the events (name, data) as they come.
pub struct Events {
    lines: BufReader<TcpStream>,
}

impl Events {
    pub fn open(addr: SocketAddr) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            s,
            "GET /__vetrina/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut lines = BufReader::new(s);
        let mut line = String::new();
        // Status line and headers.
        loop {
            line.clear();
            lines.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Events { lines }
    }

    /// The next named event, skipping comments.
    pub fn next(&mut self) -> (String, String) {
        let mut event = String::new();
        let mut data = Vec::new();
        loop {
            let mut line = String::new();
            let n = self.lines.read_line(&mut line).expect("an event in time");
            assert!(n > 0, "the event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !event.is_empty() {
                    return (event, data.join("\n"));
                }
                continue;
            }
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            }
        }
    }

    pub fn expect(&mut self, name: &str) -> String {
        let (e, d) = self.next();
        assert_eq!(e, name, "expected a `{name}` event, got `{e}`: {d}");
        d
    }
}
