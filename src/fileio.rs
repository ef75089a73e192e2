//! Files of the cache folder written whole or not at all, and files that vouch for
//! themselves (a key and a checksum of their body), shared by the stages that keep work for the
//! next build: the picture cache, the page ledger, the no-change record, takedown edits.
//! Below every stage: it knows nothing of sites, pages or pictures.

use std::fs;
use std::io;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// Writes a file of the cache folder whole or not at all: into a temporary file of its own
/// beside it (other builds, or other threads, may be writing the same file), then renamed
/// into place, creating the folder if needed. Readers see the old file or the new one.
pub fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    write_atomic_parts(path, &[data])
}

/// `write_atomic` of the file made of `parts` in a row, without joining them in memory.
fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    use std::io::Write;
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp{}-{n}", std::process::id()));
    let tmp = path.with_file_name(name);
    let written = fs::File::create(&tmp).and_then(|mut f| {
        for part in parts {
            f.write_all(part)?;
        }
        Ok(())
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// A file of the cache folder that vouches for itself: `magic`, the `key` it was made under
/// (32 bytes), a checksum of the body (CRC-32, 4 bytes little-endian), then the body.
/// Written whole or not at all. The checksum finds a file cut short or damaged, at a fifth
/// of a cryptographic hash's cost (a one-story rebuild reads some 280 MB of these at 10,000
/// stories); against a hand that rewrites the file, an unkeyed hash would be no defence
/// either: what is taken from the cache is checked again where it matters (a text as it
/// is read, `load::snapshot`).
pub fn write_sealed(path: &Path, magic: &[u8], key: &blake3::Hash, body: &[u8]) -> io::Result<()> {
    write_sealed_parts(path, magic, key, &[body])
}

/// `write_sealed` of the body made of `parts` in a row (a large body is not copied whole).
pub fn write_sealed_parts(
    path: &Path,
    magic: &[u8],
    key: &blake3::Hash,
    parts: &[&[u8]],
) -> io::Result<()> {
    let mut hasher = crc32fast::Hasher::new();
    for part in parts {
        hasher.update(part);
    }
    let sum = hasher.finalize().to_le_bytes();
    let mut all = vec![magic, key.as_bytes(), &sum[..]];
    all.extend_from_slice(parts);
    write_atomic_parts(path, &all)
}

/// The key and body of a file written by `write_sealed`; `None` if it is missing, of another
/// kind, cut short or altered.
pub fn read_sealed(path: &Path, magic: &[u8]) -> Option<(blake3::Hash, Vec<u8>)> {
    let mut bytes = fs::read(path).ok()?;
    let (key, header) = {
        let (key, body) = sealed_parts(bytes.strip_prefix(magic)?)?;
        (key, bytes.len() - body.len())
    };
    // In place: the body is not copied into a second buffer.
    bytes.drain(..header);
    Some((key, bytes))
}

/// The key and the body of a sealed file after its magic, if the body is whole.
fn sealed_parts(rest: &[u8]) -> Option<(blake3::Hash, &[u8])> {
    let (key, rest) = rest.split_at_checked(32)?;
    let (sum, body) = rest.split_at_checked(4)?;
    if sum != crc32fast::hash(body).to_le_bytes() {
        return None;
    }
    Some((blake3::Hash::from_bytes(key.try_into().ok()?), body))
}

/// What names the folder at `path` however the path is written (`public`, `./public`,
/// `/site/public`, through a link): the records a build keeps for the next one into the same
/// output (the render ledger, the search memo, the no-change record) are found by it, so
/// that a build run from another folder, or with the path written otherwise, takes them.
/// The parent folder is resolved (links, `..`) and the folder's own name kept, so that the
/// key is the same before the folder exists (a first build) and after.
pub fn folder_key(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let real = match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)),
        _ => abs.canonicalize(),
    };
    real.unwrap_or(abs).to_string_lossy().into_owned()
}

/// The hash of [`program`]: the key a file of the cache folder is sealed under.
pub fn program_hash() -> blake3::Hash {
    blake3::hash(program().unwrap_or_default().as_bytes())
}

/// The running program, as its path, size and modification time: what a build keeps for
/// the next one is never trusted by another build of Vetrina.
pub fn program() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let m = fs::metadata(&exe).ok()?;
    let time = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let len = m.len();
    Some(format!("{}|{len}|{time}|", exe.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_folder_is_named_alike_however_its_path_is_written_and_before_it_exists() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        fs::create_dir(root.join("sub")).unwrap();
        std::os::unix::fs::symlink(root, root.join("link")).unwrap();
        let key = folder_key(&root.join("out"));
        for written in [
            "out/",
            "./out",
            "sub/../out",
            "link/out",
            "link/sub/../out/.",
        ] {
            assert_eq!(folder_key(&root.join(written)), key, "{written}");
        }
        fs::create_dir(root.join("out")).unwrap();
        assert_eq!(folder_key(&root.join("link/out")), key, "once it exists");
        assert_ne!(folder_key(&root.join("sub")), key);
        assert_ne!(folder_key(&root.join("sub/out")), key);
    }
}
