//! `vetrina serve`: build, serve the output folder over HTTP on the loopback address, watch
//! the sources, rebuild what a change affects, and reload open pages.
//!
//! - The files served are the ones `vetrina build` writes (the same bytes on disk); in
//!   responses, HTML pages but the editor's (`/admin/`) get a `<script>` that listens for
//!   rebuilds (Server-Sent Events on `/__vetrina/events`) and shows build errors over them.
//! - A rebuild takes unchanged pages from the previous build (`Builder`) and writes only
//!   files that changed; the search index follows in the background and is written when
//!   ready, unless a newer build has started. It takes apart only the pages whose bytes
//!   changed since the last index written, and takes the others from that index's memo.
//! - A build with errors writes nothing: the last good site keeps being served, and the
//!   errors (in the same words as on the terminal) cover the page until they are fixed.
//! - A request can only read regular files inside the output folder: `..` (plain or
//!   percent-encoded), backslashes, NUL, drive letters, names starting with a dot (the
//!   output's marker) and symbolic links leading out are refused with the site's 404 page;
//!   folders are never listed. A redirect always stays on this server (one leading `/`).
//! - Only requests addressed to this computer are answered (the Host header names a loopback
//!   address, `localhost`, or the `--bind` address): a web page elsewhere cannot read the
//!   preview through a host name that it points at 127.0.0.1 (DNS rebinding).
//! - Requests are read within limits (`http`): a hostile client cannot grow the server.
//! - `POST /api/v1` is the web editor's back end (`cms_api`), which saves the site's sources.

use std::fs;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::net::{TcpListener, TcpStream};

use notify::{RecursiveMode, Watcher};

mod cms_api;
mod hosts;
mod http;
mod mime;
mod paths;
mod workers;
pub use cms_api::MAX_API_BODY;
use hosts::refusal;
pub use http::{MAX_BODY, MAX_HEADER_BYTES, MAX_REQUEST_LINE};
use http::{Parsed, Request};
pub use mime::mime;
use paths::{Resolved, resolve};

use crate::builder::Builder;
use crate::options::BuildOptions;
use crate::report::Report;

/// Where the live-reload script and its event stream are served (the script's address a
/// macro, so that the tag added to pages is made of it too).
macro_rules! live_js {
    () => {
        "/__vetrina/live.js"
    };
}
const LIVE_JS: &str = live_js!();
const EVENTS: &str = "/__vetrina/events";
/// Changes closer together than this are one rebuild (an editor saving several files, a
/// save-by-rename, a `git checkout`).
const QUIET: Duration = Duration::from_millis(15);
const MAX_WAIT: Duration = Duration::from_millis(800);
/// Connections served at once (each open page holds one for its event stream); more are
/// answered 503 at once.
const MAX_CONNECTIONS: usize = 256;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
    /// Called on the index's thread after each search index is written: the program gives
    /// freed memory back to the system there if it holds too much (see `cli::process`).
    pub after_index: Option<fn()>,
    /// Called on the index's thread before and after the index of a large build (one that
    /// wrote a file for every page, as the first does, or at least [`LARGE_WRITE`] files):
    /// the program gives the memory the build freed back to the system before the index
    /// asks for its own, and the index's after it (see `cli::process`).
    pub give_back_memory: Option<fn()>,
}

/// A build that writes this many files (a story added moves the cards of some 4,000 list
/// pages at 10,000 stories; the first build writes every page) frees enough memory, and
/// its index asks for enough, that both are given back at once rather than kept for the
/// next save. The index runs on a thread of its own, which does not take the pages the
/// build's threads freed and still hold: at 10,000 stories, the index after a story was
/// added brought the process from some 810 MB to 920 MB, and three stories added in a row
/// kept it there.
const LARGE_WRITE: usize = 1_000;

/// What every request handler and the rebuild loop share.
struct State {
    output: PathBuf,
    /// The web editor's back end, which reads and writes the site folder.
    cms: cms_api::Backend,
    /// The `--bind` address, which the Host header may name besides loopback names.
    bind: String,
    /// The output folder, resolved, for the containment check.
    output_real: Mutex<Option<PathBuf>>,
    /// The errors of the last build, rendered as on the terminal (empty when it succeeded).
    error: Mutex<String>,
    /// Open event streams.
    clients: Mutex<Vec<mpsc::Sender<String>>>,
    /// Successful builds so far (the number reported with each reload event).
    generation: AtomicU64,
    /// The last search job started, and the last one finished or given up.
    search_started: Arc<AtomicU64>,
    search_done: AtomicU64,
    stop: AtomicBool,
    after_index: Option<fn()>,
    give_back_memory: Option<fn()>,
}

impl State {
    fn broadcast(&self, event: &str, data: &str) {
        let mut msg = format!("event: {event}\n");
        for line in data.lines() {
            msg.push_str("data: ");
            msg.push_str(line);
            msg.push('\n');
        }
        if data.is_empty() {
            msg.push_str("data:\n");
        }
        msg.push('\n');
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(msg.clone()).is_ok());
    }
}

/// A running server; dropping it does not stop it, `stop()` does.
pub struct Handle {
    pub addr: SocketAddr,
    state: Arc<State>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Handle {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Successful builds so far.
    pub fn builds(&self) -> u64 {
        self.state.generation.load(Ordering::SeqCst)
    }

    /// Whether the search index of the last build is written (no indexing under way).
    pub fn search_settled(&self) -> bool {
        self.state.search_started.load(Ordering::SeqCst)
            == self.state.search_done.load(Ordering::SeqCst)
    }

    /// Stops watching and serving, and waits for the threads to end.
    pub fn stop(self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // The accepting thread waits for a connection: one more lets it see that it must stop.
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        self.state
            .clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        for t in self.threads {
            let _ = t.join();
        }
    }

    /// Blocks until the server stops (Ctrl-C ends the process).
    pub fn wait(self) {
        for t in self.threads {
            let _ = t.join();
        }
    }
}

/// What the terminal is told about each build.
pub type Logger = Arc<dyn Fn(&Report, Option<usize>, Duration) + Send + Sync>;

/// Builds the site, starts serving and watching. Returns once the server listens.
pub fn start(mut opts: ServeOptions, log: Logger) -> Result<Handle, String> {
    opts.build.cms_local_backend = true; // the admin saves through `cms_api`
    let output = opts.build.output_dir();
    // Serving a folder that is not Vetrina's would publish its files on the network: the
    // same rules as for a build, before anything listens.
    if let Err(r) = crate::write::check_output(&opts.build.root, &output, &opts.build.cache_path())
    {
        return Err(format!("{}\nhelp: {}", r.message, r.help));
    }
    // An IPv6 address is written in brackets before a port.
    let addr = if opts.bind.contains(':') && !opts.bind.starts_with('[') {
        format!("[{}]:{}", opts.bind, opts.port)
    } else {
        format!("{}:{}", opts.bind, opts.port)
    };
    let listener = TcpListener::bind(&addr).map_err(|e| {
        format!("cannot listen on {addr}: {e}; choose another port with --port, or stop the program using it")
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let state = Arc::new(State {
        output: output.clone(),
        cms: cms_api::Backend::new(opts.build.root.clone()),
        bind: opts.bind.clone(),
        output_real: Mutex::new(None),
        error: Mutex::new(String::new()),
        clients: Mutex::new(Vec::new()),
        generation: AtomicU64::new(0),
        search_started: Arc::new(AtomicU64::new(0)),
        search_done: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        after_index: opts.after_index,
        give_back_memory: opts.give_back_memory,
    });

    // The first build, before anything is served.
    let builder = Arc::new(Mutex::new(Builder::new(opts.build.clone())));
    let search_gen = state.search_started.clone();
    rebuild(&builder, &state, &search_gen, &log);

    let mut threads = Vec::new();
    {
        let state = state.clone();
        threads.push(std::thread::spawn(move || accept_loop(&listener, &state)));
    }

    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| format!("cannot watch the site's files: {e}"))?;
    // Events name absolute paths.
    let root = fs::canonicalize(&opts.build.root).unwrap_or_else(|_| opts.build.root.clone());
    let mut watched = Vec::new();
    for part in crate::load::SOURCE_FOLDERS {
        let p = root.join(part);
        if p.is_dir() {
            watcher
                .watch(&p, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
            watched.push(part);
        }
    }
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    {
        let state = state.clone();
        threads.push(std::thread::spawn(move || {
            let mut folders = Folders { watcher, watched };
            watch_loop(
                &root,
                &rx,
                &mut folders,
                &builder,
                &state,
                &search_gen,
                &log,
            );
        }));
    }
    Ok(Handle {
        addr,
        state,
        threads,
    })
}

/// Whether a changed path is a source of the site (and not the output, the cache, or an
/// editor's scratch file).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
    {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::load::SOURCE_FOLDERS.contains(&first.as_str()) || rel == Path::new("site.yaml")
}

/// The watcher of the site's source folders, and which of them it watches.
struct Folders {
    watcher: notify::RecommendedWatcher,
    watched: Vec<&'static str>,
}

impl Folders {
    /// Watches the source folders made since `vetrina serve` started (a first override in
    /// `templates/`, say); returns whether there was one.
    fn watch_new(&mut self, root: &Path) -> bool {
        let mut added = false;
        for part in crate::load::SOURCE_FOLDERS {
            let dir = root.join(part);
            if !self.watched.contains(&part)
                && dir.is_dir()
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(part);
                added = true;
            }
        }
        added
    }
}

fn watch_loop(
    root: &Path,
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    folders: &mut Folders,
    builder: &Arc<Mutex<Builder>>,
    state: &Arc<State>,
    search_gen: &Arc<AtomicU64>,
    log: &Logger,
) {
    let relevant = |ev: &notify::Result<notify::Event>| match ev {
        Ok(e) => !e.kind.is_access() && e.paths.iter().any(|p| is_source(root, p)),
        // A lost event (an overflowing queue): rebuild to be safe.
        Err(_) => true,
    };
    // The files named by the events of one burst (relative to the site), or None when an
    // event was lost.
    let mut changed: Option<Vec<PathBuf>> = Some(Vec::new());
    let note = |ev: notify::Result<notify::Event>, changed: &mut Option<Vec<PathBuf>>| match ev {
        Ok(e) => {
            if let Some(list) = changed {
                list.extend(
                    e.paths
                        .iter()
                        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf)),
                );
            }
        }
        Err(_) => *changed = None,
    };
    while !state.stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(ev) if relevant(&ev) => note(ev, &mut changed),
            Ok(_) => continue,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        // Let a burst of changes settle into one rebuild.
        let first = Instant::now();
        while first.elapsed() < MAX_WAIT {
            match rx.recv_timeout(QUIET) {
                Ok(ev) => note(ev, &mut changed),
                Err(_) => break,
            }
        }
        if state.stop.load(Ordering::SeqCst) {
            return;
        }
        // Files written into a new folder before it was watched sent no event: all is read
        // again.
        if folders.watch_new(root) {
            changed = None;
        }
        builder
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .forget(changed.as_deref());
        changed = Some(Vec::new());
        rebuild(builder, state, search_gen, log);
    }
}

/// One rebuild: pages first (then the browsers reload), the search index after.
fn rebuild(
    builder: &Arc<Mutex<Builder>>,
    state: &Arc<State>,
    search_gen: &Arc<AtomicU64>,
    log: &Logger,
) {
    let started = Instant::now();
    // From now on, the index of any earlier build is out of date.
    let mine = search_gen.fetch_add(1, Ordering::SeqCst) + 1;
    let (report, job, reused) = {
        let mut b = builder.lock().unwrap_or_else(|e| e.into_inner());
        let (report, job) = b.build_pages();
        (report, job, b.pages_reused())
    };
    let took = started.elapsed();
    // The last good site, if there is one, is served even while the build fails; but only
    // from a folder that is still Vetrina's (someone may have emptied it and put other files
    // there meanwhile).
    *state.output_real.lock().unwrap_or_else(|e| e.into_inner()) = fs::canonicalize(&state.output)
        .ok()
        .filter(|p| fs::symlink_metadata(p.join(crate::write::MARKER)).is_ok_and(|m| m.is_file()));
    if report.ok() {
        state
            .error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let g = state.generation.fetch_add(1, Ordering::SeqCst) + 1;
        state.broadcast("reload", &g.to_string());
    } else {
        let text = report
            .diagnostics
            .sorted()
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n\n");
        *state.error.lock().unwrap_or_else(|e| e.into_inner()) = text.clone();
        state.broadcast("build-error", &text);
    }
    log(&report, Some(reused), took);
    if let Some(mut job) = job {
        let pages: usize = report.pages.iter().map(|(_, n)| n).sum();
        let large = report.files_written >= LARGE_WRITE.min(pages.max(1));
        let search_gen = search_gen.clone();
        let builder = builder.clone();
        let state = state.clone();
        std::thread::spawn(move || {
            // A newer build supersedes this index before it is written; the builder's lock
            // keeps index writes and page writes apart.
            let run = || {
                // Wait for the edits to pause, so that a burst of saves indexes once.
                std::thread::sleep(Duration::from_millis(300));
                // What the pages' bytes are, read while no build can change them.
                {
                    let b = builder.lock().unwrap_or_else(|e| e.into_inner());
                    if search_gen.load(Ordering::SeqCst) != mine {
                        return;
                    }
                    b.ready(&mut job);
                }
                let give_back = state.give_back_memory.filter(|_| large);
                if let Some(give_back) = give_back {
                    give_back();
                }
                let files = match job.index(&|| search_gen.load(Ordering::SeqCst) != mine) {
                    Ok(f) => f,
                    Err(crate::search::IndexError::Cancelled) => return,
                    // The pages are read back from the output folder: a newer build may have
                    // replaced or removed one meanwhile.
                    Err(_) if search_gen.load(Ordering::SeqCst) != mine => return,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return;
                    }
                };
                // Written under the builder's lock, so never during a page write, and only
                // if no newer build has started meanwhile.
                let _guard = builder.lock().unwrap_or_else(|e| e.into_inner());
                if search_gen.load(Ordering::SeqCst) != mine {
                    return;
                }
                if let Err(e) = files.write() {
                    eprintln!("error: {e}");
                }
                if let Some(give_back) = give_back {
                    give_back();
                }
                if let Some(after) = state.after_index {
                    after();
                }
            };
            run();
            state.search_done.fetch_max(mine, Ordering::SeqCst);
        });
    } else {
        // A failed build has no index to write: nothing is under way for it.
        state.search_done.fetch_max(mine, Ordering::SeqCst);
    }
}

// ------------------------------------------------------------------------- requests

/// Takes connections until stopped; each is served by a thread of `workers::Workers` (an
/// event stream holds its thread as long as the page is open), up to `MAX_CONNECTIONS` at
/// once.
fn accept_loop(listener: &TcpListener, state: &Arc<State>) {
    let serving = state.clone();
    let workers = workers::Workers::new(
        MAX_CONNECTIONS,
        Arc::new(move |stream: TcpStream| connection(stream, &serving)),
    );
    for conn in listener.incoming() {
        if state.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = conn else {
            // Out of file handles, or a connection reset before it was taken: wait a moment.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
        if let Err(stream) = workers.take(stream) {
            let mut s = &stream;
            let _ = http::respond_text(&mut s, 503, "too many connections, try again\n");
        }
    }
}

/// One connection: one request read within the limits of `http`, one answer, then closed.
fn connection(stream: TcpStream, state: &Arc<State>) {
    let parsed = http::read_request_within(&stream, http::HEAD_TIMEOUT);
    let mut w = &stream;
    match parsed {
        Parsed::Gone => return,
        Parsed::Refused(status, text) => {
            let _ = http::respond_text(&mut w, status, text);
        }
        Parsed::Request(req) => {
            if cms_api::is_api(&req) {
                state.cms.serve(&req, &stream, &state.bind);
            } else if let Some((status, text)) = refusal(&req, &state.bind) {
                let _ = http::respond_text(&mut w, status, text);
            } else if handle(&req, &stream, state) == Served::Streamed {
                return;
            }
        }
    }
    http::close(&stream);
}

#[derive(PartialEq, Eq)]
enum Served {
    Answered,
    /// An event stream, which ended when the page closed: nothing is left to read.
    Streamed,
}

fn handle(req: &Request, stream: &TcpStream, state: &Arc<State>) -> Served {
    let head_only = req.method == "HEAD";
    let path = req
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let mut w = stream;
    if path == EVENTS {
        events(stream, state);
        return Served::Streamed;
    }
    if path == LIVE_JS {
        let _ = http::respond(
            &mut w,
            200,
            &[
                ("Content-Type", "text/javascript; charset=utf-8"),
                ("Cache-Control", "no-store"),
            ],
            LIVE_SCRIPT.as_bytes(),
            head_only,
        );
        return Served::Answered;
    }
    let root = state
        .output_real
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let Some(root) = root else {
        // No site was ever built: a page that shows the errors and reloads once fixed.
        let page = b"<!doctype html><html lang=en><meta charset=utf-8><title>Not built yet</title><body><p>The site has not been built yet.</p></body></html>";
        let _ = http::respond_in_parts(
            &mut w,
            503,
            &[("Content-Type", "text/html; charset=utf-8")],
            &with_live_script(page),
            head_only,
        );
        return Served::Answered;
    };
    match resolve(&root, &path) {
        Resolved::File(file) => send_file(&mut w, &file, 200, head_only),
        Resolved::Redirect(to) => {
            let _ = http::respond(
                &mut w,
                301,
                &[("Location", &to), ("Cache-Control", "no-store")],
                b"",
                head_only,
            );
        }
        Resolved::NotFound => not_found(&mut w, &root, &path, head_only),
    }
    Served::Answered
}

/// The site's 404 page: the one of the language the path is in, else the default one.
fn not_found(w: &mut impl Write, root: &Path, path: &str, head_only: bool) {
    let lang = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .filter(|s| s.len() == 2 && s.bytes().all(|c| c.is_ascii_lowercase()));
    let candidates = lang
        .map(|l| root.join(l).join("404.html"))
        .into_iter()
        .chain([root.join("404.html")]);
    for c in candidates {
        if c.is_file() {
            send_file(w, &c, 404, head_only);
            return;
        }
    }
    let _ = http::respond(
        w,
        404,
        &[("Content-Type", "text/plain; charset=utf-8")],
        b"not found\n",
        head_only,
    );
}

fn send_file(w: &mut impl Write, file: &Path, status: u16, head_only: bool) {
    let bytes = match fs::read(file) {
        Ok(b) => b,
        Err(_) => {
            let _ = http::respond(w, 404, &[], b"", head_only);
            return;
        }
    };
    let ty = mime(file);
    let body = if ty.starts_with("text/html") && !cms_api::is_admin(file) {
        with_live_script(&bytes)
    } else {
        [&bytes[..], &[], &[]]
    };
    let _ = http::respond_in_parts(
        w,
        status,
        &[
            ("Content-Type", ty),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
        &body,
        head_only,
    );
}

/// The live-reload script's tag, added to every page served but the editor's.
const LIVE_TAG: &str = concat!("<script src=\"", live_js!(), "\" defer></script>");

/// A page with the live-reload script before its `</body>` (or at its end), in three parts
/// sent one after the other: a large page is not copied into a longer one for each request.
fn with_live_script(html: &[u8]) -> [&[u8]; 3] {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    [&html[..at], LIVE_TAG.as_bytes(), &html[at..]]
}

/// An event stream: the current state at once, then one event per build, and a comment
/// every few seconds so that a closed browser tab is noticed.
fn events(stream: &TcpStream, state: &Arc<State>) {
    let (tx, rx) = mpsc::channel::<String>();
    let error = state
        .error
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    state
        .clients
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(tx);
    let mut w = stream;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut first = String::from(": vetrina live reload\n\n");
    if !error.is_empty() {
        first.push_str("event: build-error\n");
        for line in error.lines() {
            first.push_str("data: ");
            first.push_str(line);
            first.push('\n');
        }
        first.push('\n');
    }
    let mut send = |s: &str| -> io::Result<()> {
        w.write_all(s.as_bytes())?;
        w.flush()
    };
    if send(head).and_then(|_| send(&first)).is_err() {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if send(&msg).is_err() {
            return;
        }
    }
}

/// The script added to every page in serve mode.
const LIVE_SCRIPT: &str = r#"(function () {
  "use strict";
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "vetrina-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "false");
    overlay.setAttribute("aria-labelledby", "vetrina-error-title");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.97);color:#fff;padding:2rem;font:16px/1.5 system-ui,sans-serif";
    var h = document.createElement("h2");
    h.id = "vetrina-error-title";
    h.textContent = "The site could not be rebuilt — the last good version is shown underneath";
    h.style.cssText = "margin:0 0 1rem;font-size:1.3rem;color:#ffd5d5";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;font:15px/1.45 ui-monospace,Menlo,Consolas,monospace;background:#000;color:#fff;padding:1rem;border-inline-start:4px solid #ff6b6b";
    var p = document.createElement("p");
    p.textContent = "Fix the file and save it: this page reloads by itself.";
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = "Hide";
    b.style.cssText = "font:inherit;padding:.4rem 1rem;margin-top:.5rem";
    b.addEventListener("click", hide);
    overlay.append(h, pre, p, b);
    document.body.appendChild(overlay);
    b.focus();
  }
  if (!window.EventSource) return;
  var es = new EventSource("/__vetrina/events");
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("build-error", function (e) { show(e.data); });
})();
"#;

#[cfg(test)]
mod tests;
