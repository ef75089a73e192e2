//! Talking to a running `vetrina serve` as a client would, byte for byte (the serve tests).

use std::io::{Read, Write};
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
