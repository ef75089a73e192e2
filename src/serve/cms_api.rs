//! The web editor's local back end: `vetrina serve` answers Decap CMS's "proxy" protocol
//! (`POST /api/v1`, a JSON body `{action, params}`), so that the admin at `/admin/` reads and
//! saves the site folder on this computer; a save is a change of the sources like any other,
//! which the watcher rebuilds and the preview reloads.
//!
//! This is the one place where a web page writes to the disk. It must never: answer a request
//! from another computer (the connection comes from a loopback address), from another site
//! (the `Origin` is this server's own, `Sec-Fetch-Site` is `same-origin`, the body is sent as
//! `application/json`, which no form can send), or through a host name a stranger points at
//! this computer (the `Host` check of `hosts`); send a CORS header; read or write outside the
//! editor's folders, or a file of another kind, or through a symbolic link (`rules`); write
//! a new entry over an existing one. Every answer is JSON; a refusal is `{"error": "..."}`,
//! in Italian (the admin's language), saying what to do, which the editor shows as it is.

mod rules;

use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use super::hosts::host_allowed;
use super::http::{self, BodyRefusal, Request};
use rules::{Found, Kind, SitePath};

/// The address of the back end, as the generated admin configuration names it.
const ADDRESS: &str = "/api/v1";
/// The largest request taken: a picture travels base64-encoded (4 bytes for 3), and the
/// build refuses pictures over 50 MB anyway.
pub const MAX_API_BODY: u64 = 64 * 1024 * 1024;
/// How long a client may take to send the body.
const BODY_TIME: Duration = Duration::from_secs(60);
/// How deep a folder is listed at most (Decap asks for 2 for the bundles).
const MAX_DEPTH: u64 = 8;
/// The largest file read back.
const MAX_READ: u64 = 64 * 1024 * 1024;

/// A request refused: the HTTP status and the message the editor shows.
#[derive(Debug)]
pub(super) struct Refusal {
    pub(super) status: u16,
    pub(super) message: String,
}

impl Refusal {
    pub(super) fn new(status: u16, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
        }
    }
}

type Answer = Result<Value, Refusal>;

/// Whether a request is for the back end (then `serve` answers it, whatever it is).
pub(super) fn is_api(req: &Request) -> bool {
    let path = req.target.split(['?', '#']).next().unwrap_or_default();
    path == ADDRESS || path.strip_suffix('/') == Some(ADDRESS)
}

/// Whether a file served is part of the web editor (`admin/` at the top of the output
/// folder, which carries Vetrina's marker): its pages get no live-reload script, which would
/// reload the editor at every save and lose what is being typed.
pub(super) fn is_admin(file: &Path) -> bool {
    file.ancestors().any(|a| {
        a.file_name().is_some_and(|n| n == "admin")
            && a.parent()
                .is_some_and(|p| p.join(crate::write::MARKER).is_file())
    })
}

/// The back end of one server: the site folder it edits, and one request at a time (a body
/// may hold 64 MB, and writes of one save are not interleaved with another's).
pub(super) struct Backend {
    site: PathBuf,
    busy: Mutex<()>,
}

impl Backend {
    pub(super) fn new(site: PathBuf) -> Backend {
        Backend {
            site,
            busy: Mutex::new(()),
        }
    }

    /// Answers one request to the back end (`bind`: the server's `--bind` address, which
    /// the Host header may name).
    pub(super) fn serve(&self, req: &Request, stream: &TcpStream, bind: &str) {
        let (status, body) = match self.answer(req, stream, bind) {
            Ok(v) => (200, v),
            Err(r) => (r.status, json!({ "error": r.message })),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"null".to_vec());
        let mut w = stream;
        let _ = http::respond(
            &mut w,
            status,
            &[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
            &bytes,
            false,
        );
    }

    fn answer(&self, req: &Request, stream: &TcpStream, bind: &str) -> Answer {
        allowed(req, stream, bind)?;
        let _one_at_a_time = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let body = http::read_body(stream, req, MAX_API_BODY, BODY_TIME).map_err(body_refused)?;
        let root = fs::canonicalize(&self.site).map_err(|e| rules::io_failed(".", &e))?;
        action(&root, &body)
    }
}

/// Does what a request's body asks, in the (canonical) site folder `root`.
fn action(root: &Path, body: &[u8]) -> Answer {
    let request: Value = serde_json::from_slice(body).map_err(|e| {
        Refusal::new(
            400,
            format!("La richiesta non è JSON valido ({e}): ricarica la pagina dell'editor."),
        )
    })?;
    let action = request
        .get("action")
        .and_then(Value::as_str)
        .ok_or_else(|| Refusal::new(422, "La richiesta non dice quale azione compiere."))?;
    let params = request.get("params").unwrap_or(&Value::Null);
    match action {
        "info" => Ok(json!({
            "repo": root.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })),
        "entriesByFolder" => entries_by_folder(root, params),
        "entriesByFiles" => entries_by_files(root, params),
        "getEntry" => {
            let (path, _) = text_file(str_param(params, "path")?)?;
            Ok(entry(root, &path, None)?)
        }
        "persistEntry" => persist_entry(root, params),
        "getMedia" => get_media(root, params),
        "getMediaFile" => {
            let (path, _) = media_file(str_param(params, "path")?)?;
            match read(root, &path)? {
                Some(bytes) => Ok(media_json(&path, &bytes)),
                None => Err(Refusal::new(
                    404,
                    format!("Il file «{}» non esiste.", path.rel()),
                )),
            }
        }
        "persistMedia" => {
            let asset = params.get("asset").ok_or_else(|| missing("asset"))?;
            let (path, bytes) = decoded_asset(asset)?;
            write(root, &path, &bytes)?;
            Ok(media_json(&path, &bytes))
        }
        "deleteFile" => delete(root, &[str_param(params, "path")?]),
        "deleteFiles" => {
            let paths = params
                .get("paths")
                .and_then(Value::as_array)
                .ok_or_else(|| missing("paths"))?;
            let paths = paths
                .iter()
                .map(|p| p.as_str().ok_or_else(|| missing("paths")))
                .collect::<Result<Vec<_>, _>>()?;
            delete(root, &paths)
        }
        "getDeployPreview" => Ok(Value::Null),
        other => Err(Refusal::new(
            422,
            format!(
                "L'azione «{}» non è disponibile con vetrina serve (si salva direttamente, senza flusso di revisione).",
                other.chars().take(60).collect::<String>()
            ),
        )),
    }
}

/// The checks made before the body is read: who is asking, from which page, how.
fn allowed(req: &Request, stream: &TcpStream, bind: &str) -> Result<(), Refusal> {
    let here = stream
        .peer_addr()
        .is_ok_and(|a| a.ip().to_canonical().is_loopback());
    if !here {
        return Err(Refusal::new(
            403,
            "L'editor può salvare solo da questo computer: apri l'indirizzo http://localhost mostrato nel terminale di vetrina serve.",
        ));
    }
    match req.method.as_str() {
        "POST" => {}
        // A preflight: another site asking for permission, which it never gets.
        "OPTIONS" => {
            return Err(Refusal::new(
                403,
                "Le richieste da altri siti non sono permesse.",
            ));
        }
        _ => {
            return Err(Refusal::new(
                405,
                "Qui si accettano solo le richieste dell'editor (POST).",
            ));
        }
    }
    let Some(host) = single(req, "host").filter(|h| host_allowed(h, bind)) else {
        return Err(Refusal::new(
            403,
            "Questa richiesta non è indirizzata a questo computer: apri l'editor dall'indirizzo http://localhost mostrato nel terminale.",
        ));
    };
    let own = format!("http://{host}");
    if !single(req, "origin").is_some_and(|o| o.eq_ignore_ascii_case(&own)) {
        return Err(Refusal::new(
            403,
            format!("Le richieste da altri siti non sono permesse: apri l'editor da {own}/admin/."),
        ));
    }
    if !req
        .headers_named("sec-fetch-site")
        .all(|v| v.eq_ignore_ascii_case("same-origin"))
    {
        return Err(Refusal::new(
            403,
            format!("Le richieste da altri siti non sono permesse: apri l'editor da {own}/admin/."),
        ));
    }
    if !single(req, "content-type").is_some_and(is_json) {
        return Err(Refusal::new(
            415,
            "La richiesta deve essere inviata come JSON (Content-Type: application/json).",
        ));
    }
    Ok(())
}

/// The value of a header sent exactly once.
fn single<'a>(req: &'a Request, name: &'a str) -> Option<&'a str> {
    let mut values = req.headers_named(name);
    match (values.next(), values.next()) {
        (Some(v), None) => Some(v),
        _ => None,
    }
}

/// `application/json`, with at most a `charset=utf-8`.
fn is_json(content_type: &str) -> bool {
    let mut parts = content_type.split(';').map(str::trim);
    let media = parts.next().unwrap_or_default();
    media.eq_ignore_ascii_case("application/json")
        && parts.all(|p| {
            p.split_once('=').is_some_and(|(k, v)| {
                k.trim().eq_ignore_ascii_case("charset")
                    && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            })
        })
}

fn body_refused(why: BodyRefusal) -> Refusal {
    match why {
        BodyRefusal::LengthRequired => Refusal::new(
            411,
            "La richiesta deve dire quanto è lunga (Content-Length): l'invio a pezzi non è accettato.",
        ),
        BodyRefusal::BadLength => Refusal::new(
            400,
            "La lunghezza indicata per la richiesta (Content-Length) non è valida.",
        ),
        BodyRefusal::TooLarge => Refusal::new(
            413,
            format!(
                "Quello che stai salvando è troppo grande (più di {} MB in tutto): usa immagini più piccole, per esempio JPEG larghe 4000 px.",
                MAX_API_BODY / (1024 * 1024)
            ),
        ),
        BodyRefusal::Incomplete => Refusal::new(
            400,
            "La richiesta è arrivata incompleta: controlla che vetrina serve sia ancora avviato e riprova.",
        ),
    }
}

fn missing(name: &str) -> Refusal {
    Refusal::new(
        422,
        format!("Nella richiesta manca «{name}», o non è del tipo atteso."),
    )
}

fn str_param<'a>(params: &'a Value, name: &str) -> Result<&'a str, Refusal> {
    params
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| missing(name))
}

/// A Markdown or YAML file the editor may touch.
fn text_file(rel: &str) -> Result<(SitePath, Kind), Refusal> {
    match rules::file(rel)? {
        (p, Kind::Text) => Ok((p, Kind::Text)),
        (p, Kind::Media) => Err(Refusal::new(
            422,
            format!("«{}» è un'immagine o un documento, non un testo.", p.rel()),
        )),
    }
}

/// A picture or document the editor may touch.
fn media_file(rel: &str) -> Result<(SitePath, Kind), Refusal> {
    match rules::file(rel)? {
        (p, Kind::Media) => Ok((p, Kind::Media)),
        (p, Kind::Text) => Err(Refusal::new(
            422,
            format!(
                "«{}» è un testo: qui si salvano solo immagini e documenti.",
                p.rel()
            ),
        )),
    }
}

/// The bytes of a file, or `None` when it does not exist.
fn read(root: &Path, path: &SitePath) -> Result<Option<Vec<u8>>, Refusal> {
    match rules::locate(root, path)? {
        Found::Missing => Ok(None),
        Found::Folder(_) => Err(Refusal::new(
            422,
            format!("«{}» è una cartella, non un file.", path.rel()),
        )),
        Found::File(p) => {
            let len = fs::metadata(&p)
                .map_err(|e| rules::io_failed(&path.rel(), &e))?
                .len();
            if len > MAX_READ {
                return Err(Refusal::new(
                    413,
                    format!("«{}» è troppo grande per l'editor.", path.rel()),
                ));
            }
            fs::read(&p)
                .map(Some)
                .map_err(|e| rules::io_failed(&path.rel(), &e))
        }
    }
}

/// A content's identity: Decap only compares them.
fn id(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// `{data, file: {path, id}}` for a text file; `data` and `id` are null when it does not
/// exist (Decap asks for every language's file of an entry, translated or not).
fn entry(root: &Path, path: &SitePath, label: Option<&Value>) -> Answer {
    let (data, id) = match read(root, path)? {
        None => (Value::Null, Value::Null),
        Some(bytes) => {
            let id = id(&bytes);
            let text = String::from_utf8(bytes).map_err(|_| {
                Refusal::new(
                    422,
                    format!(
                        "«{}» non è testo UTF-8: aprilo con un editor di testo e salvalo in UTF-8.",
                        path.rel()
                    ),
                )
            })?;
            (Value::String(text), Value::String(id))
        }
    };
    let mut file = json!({ "path": path.rel(), "id": id });
    if let (Some(label), Some(map)) = (label, file.as_object_mut()) {
        map.insert("label".into(), label.clone());
    }
    Ok(json!({ "data": data, "file": file }))
}

/// The files of a folder and its subfolders down to `depth` levels (1: the folder's own
/// files), in name order; hidden names, links and anything but files and folders are left
/// out, and so are names that are not UTF-8.
fn list(root: &Path, dir: &SitePath, depth: u64, out: &mut Vec<SitePath>) -> Result<(), Refusal> {
    if depth == 0 {
        return Ok(());
    }
    let Found::Folder(place) = rules::locate(root, dir)? else {
        return Ok(());
    };
    let mut entries: Vec<_> = fs::read_dir(&place)
        .map_err(|e| rules::io_failed(&dir.rel(), &e))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for e in entries {
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        // The type of the entry itself: a link is a link, never what it leads to.
        let Ok(ty) = e.file_type() else { continue };
        if name.starts_with('.') || ty.is_symlink() {
            continue;
        }
        let child = dir.child(&name);
        if ty.is_dir() {
            list(root, &child, depth - 1, out)?;
        } else if ty.is_file() {
            out.push(child);
        }
    }
    Ok(())
}

fn entries_by_folder(root: &Path, params: &Value) -> Answer {
    let folder = rules::folder(str_param(params, "folder")?)?;
    let extension = params
        .get("extension")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let depth = params
        .get("depth")
        .and_then(Value::as_u64)
        .unwrap_or(1)
        .min(MAX_DEPTH);
    let mut files = Vec::new();
    list(root, &folder, depth, &mut files)?;
    let mut out = Vec::new();
    for f in files {
        let rel = f.rel();
        // Only the texts the editor may edit; a file it could not save is not offered.
        if !rel.ends_with(extension) || !matches!(rules::file(&rel), Ok((_, Kind::Text))) {
            continue;
        }
        if let Ok(e) = entry(root, &f, None) {
            out.push(e);
        }
    }
    Ok(Value::Array(out))
}

fn entries_by_files(root: &Path, params: &Value) -> Answer {
    let files = params
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("files"))?;
    let mut out = Vec::new();
    for f in files {
        let rel = f
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("files"))?;
        let (path, _) = text_file(rel)?;
        out.push(entry(root, &path, f.get("label"))?);
    }
    Ok(Value::Array(out))
}

/// A picture or document as Decap's media library takes it.
fn media_json(path: &SitePath, bytes: &[u8]) -> Value {
    json!({
        "id": id(bytes),
        "content": base64::engine::general_purpose::STANDARD.encode(bytes),
        "encoding": "base64",
        "path": path.rel(),
        "name": path.name(),
    })
}

/// The pictures and documents directly in a folder (not its texts), with their bytes.
fn get_media(root: &Path, params: &Value) -> Answer {
    let folder = rules::folder(str_param(params, "mediaFolder")?)?;
    let mut files = Vec::new();
    list(root, &folder, 1, &mut files)?;
    let mut out = Vec::new();
    for f in files {
        if !matches!(rules::file(&f.rel()), Ok((_, Kind::Media))) {
            continue;
        }
        if let Some(bytes) = read(root, &f)? {
            out.push(media_json(&f, &bytes));
        }
    }
    Ok(Value::Array(out))
}

/// An asset `{path, content, encoding: "base64"}`: its path and bytes.
fn decoded_asset(asset: &Value) -> Result<(SitePath, Vec<u8>), Refusal> {
    let rel = asset
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(|| missing("path"))?;
    let (path, _) = media_file(rel)?;
    let encoding = asset.get("encoding").and_then(Value::as_str);
    if encoding.is_some_and(|e| e != "base64") {
        return Err(Refusal::new(
            422,
            format!("«{}» non è codificato in base64.", path.rel()),
        ));
    }
    let content = asset
        .get("content")
        .and_then(Value::as_str)
        .ok_or_else(|| missing("content"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content)
        .map_err(|_| {
            Refusal::new(
                400,
                format!(
                    "Il contenuto di «{}» è arrivato danneggiato: riprova a caricarlo.",
                    path.rel()
                ),
            )
        })?;
    Ok((path, bytes))
}

/// Writes a file whole or not at all, making its missing folders (inside the editor's
/// folders only).
fn write(root: &Path, path: &SitePath, bytes: &[u8]) -> Result<(), Refusal> {
    let place = rules::place_for_writing(root, path)?;
    crate::fileio::write_atomic(&place, bytes).map_err(|e| rules::io_failed(&path.rel(), &e))
}

/// The first language of site.yaml, which every entry has; `None` when site.yaml cannot be
/// read (then every language's file is written, and the build says what is wrong).
fn default_language(root: &Path) -> Option<String> {
    let text = crate::load::read_site_file(root, &root.join("site.yaml")).ok()?;
    let config = crate::model::config_from_text(&text).ok()?;
    config.languages.first().map(|l| l.code.value.clone())
}

/// Whether a text is the file of an untranslated language, which Decap writes for every
/// language of a new entry: `<name>.<lang>.md` for a language other than the default one,
/// whose front matter has no title.
fn untranslated(path: &SitePath, raw: &str, default: Option<&str>) -> bool {
    let Some(default) = default else {
        return false;
    };
    let Some((_, lang)) = path
        .name()
        .strip_suffix(".md")
        .and_then(|stem| stem.rsplit_once('.'))
    else {
        return false;
    };
    lang != default && !has_title(raw)
}

/// Whether a Markdown text's front matter has a `title` that is not empty. Front matter that
/// cannot be read counts as having one: the file is written, and the build says what is wrong.
fn has_title(raw: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Title {
        #[serde(default)]
        title: Option<serde_json::Value>,
    }
    let text = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return false;
    };
    // Up to the line that is `---` alone.
    let mut end = None;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            end = Some(offset);
            break;
        }
        offset += line.len();
    }
    let Some(end) = end else {
        return true;
    };
    let front = &rest[..end];
    if front.trim().is_empty() {
        return false;
    }
    match serde_saphyr::from_str::<Title>(front) {
        Ok(t) => match t.title {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(_) => true,
        },
        Err(_) => true,
    }
}

/// Saves an entry: its pictures first, then its texts (one per language), all checked
/// before anything is written. A new entry never replaces an existing one.
fn persist_entry(root: &Path, params: &Value) -> Answer {
    let data_files: Vec<&Value> = match (params.get("dataFiles"), params.get("entry")) {
        (Some(Value::Array(files)), _) => files.iter().collect(),
        (None, Some(one)) => vec![one],
        _ => return Err(missing("dataFiles")),
    };
    let default = default_language(root);
    let mut writes: Vec<(SitePath, Vec<u8>)> = Vec::new();
    for a in params
        .get("assets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        writes.push(decoded_asset(a)?);
    }
    let mut texts = Vec::new();
    for d in &data_files {
        let rel = d
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("path"))?;
        let raw = d
            .get("raw")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("raw"))?;
        let (path, _) = text_file(rel)?;
        if d.get("newPath")
            .and_then(Value::as_str)
            .is_some_and(|n| n != rel)
        {
            return Err(Refusal::new(
                422,
                format!(
                    "Spostare «{}» in un'altra cartella non è possibile dall'editor.",
                    path.rel()
                ),
            ));
        }
        texts.push(path.clone());
        if !untranslated(&path, raw, default.as_deref()) {
            writes.push((path, raw.as_bytes().to_vec()));
        }
    }
    let new_entry = params
        .get("options")
        .and_then(|o| o.get("newEntry"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if new_entry {
        for path in &texts {
            if rules::locate(root, path)? != Found::Missing {
                // A bundle's address is its folder.
                let shown = if path.name().starts_with("index.") {
                    path.parent().rel()
                } else {
                    path.rel()
                };
                return Err(Refusal::new(
                    409,
                    format!(
                        "Esiste già un contenuto con questo indirizzo ({shown}): scegli un altro titolo."
                    ),
                ));
            }
        }
    }
    for (path, bytes) in &writes {
        write(root, path, bytes)?;
    }
    Ok(json!({ "message": "entry persisted" }))
}

/// Deletes files (never folders), all checked before any is deleted; a file that does not
/// exist is no error (Decap deletes every language's file of an entry).
fn delete(root: &Path, rels: &[&str]) -> Answer {
    if rels.is_empty() {
        return Err(missing("paths"));
    }
    let mut places = Vec::new();
    for rel in rels {
        let (path, _) = rules::file(rel)?;
        match rules::locate(root, &path)? {
            Found::Missing => {}
            Found::File(p) => places.push((path, p)),
            Found::Folder(_) => {
                return Err(Refusal::new(
                    422,
                    format!(
                        "«{}» è una cartella: l'editor cancella solo file.",
                        path.rel()
                    ),
                ));
            }
        }
    }
    for (path, place) in &places {
        match fs::remove_file(place) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(rules::io_failed(&path.rel(), &e)),
        }
    }
    Ok(json!({ "message": format!("deleted files {}", rels.join(", ")) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_the_only_content_type() {
        for good in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=\"UTF-8\"",
        ] {
            assert!(is_json(good), "{good}");
        }
        for bad in [
            "",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin1",
            "application/json; x=y",
            "application/jsonp",
            "text/plain; application/json",
        ] {
            assert!(!is_json(bad), "{bad}");
        }
    }

    #[test]
    fn untranslated_languages_are_files_without_a_title() {
        let p = |rel: &str| rules::file(rel).unwrap().0;
        let it = p("content/stories/x/index.it.md");
        let en = p("content/stories/x/index.en.md");
        let d = Some("it");
        assert!(!untranslated(&it, "\n", d));
        assert!(!untranslated(&it, "---\ndate: 2026-01-01\n---\n", d));
        for raw in [
            "\n",
            "",
            "---\ndate: 2026-01-01\n---\n",
            "---\ntitle: ''\ndate: 2026-01-01\n---\nbody\n",
            "---\ntitle:\n---\n",
            "---\ntitle: \"  \"\n---\n",
            "---\n---\n",
        ] {
            assert!(untranslated(&en, raw, d), "{raw:?}");
        }
        for raw in [
            "---\ntitle: Hello\n---\nbody\n",
            "---\r\ntitle: Hello\r\n---\r\n",
            "---\ndate: 2026-01-01\ntitle: >-\n  A long\n  title\n---\n",
            // Unreadable front matter is written, for the build to report.
            "---\ntitle: [unclosed\n---\n",
            "---\ntitle: x\n",
        ] {
            assert!(!untranslated(&en, raw, d), "{raw:?}");
        }
        // Without the default language, everything is written.
        assert!(!untranslated(&en, "\n", None));
        // Not a language's file.
        assert!(!untranslated(&p("content/stories/x/notes.md"), "\n", d));
    }

    #[test]
    fn the_admin_folder_is_the_one_at_the_top_of_the_output() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path();
        fs::write(out.join(crate::write::MARKER), "").unwrap();
        assert!(is_admin(&out.join("admin/index.html")));
        assert!(!is_admin(&out.join("storie/admin/index.html")));
        assert!(!is_admin(&out.join("index.html")));
    }

    #[test]
    fn the_address_is_the_back_end_s() {
        let req = |target: &str| Request {
            method: "POST".into(),
            target: target.into(),
            http11: true,
            headers: Vec::new(),
            rest: Vec::new(),
        };
        assert!(is_api(&req("/api/v1")));
        assert!(is_api(&req("/api/v1/")));
        assert!(is_api(&req("/api/v1?x=1")));
        assert!(!is_api(&req("/api/v1/x")));
        assert!(!is_api(&req("/api/v10")));
        assert!(!is_api(&req("/")));
    }
}
