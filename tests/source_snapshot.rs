//! The source snapshot of `vetrina build` (`load::snapshot`): a Markdown file whose stamp
//! (size, times, inode, device) is what it was is known from the last build's snapshot
//! instead of being read (its text is read only if something asks for it), and the output is
//! what a build that read every file gives.

mod common;

use common::*;
use std::fs;
use std::time::Duration;

const STORY: &str = "content/stories/dalla-comunita-alla-serra/index.it.md";

/// The Markdown files under `dir`.
fn markdown_under(dir: &std::path::Path) -> usize {
    (fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()))
        .map(|p| match p.is_dir() {
            true => markdown_under(&p),
            false => usize::from(p.extension().is_some_and(|e| e == "md")),
        })
        .sum()
}

#[test]
fn a_rebuild_reads_only_the_files_whose_stamp_changed_and_equals_a_build_that_read_all() {
    let t = demo_copy();
    let out = t.path().join("public");
    let md = markdown_under(&t.path().join("content"));
    // A file changed less than two seconds before a build is not kept by it: the copy is
    // let settle.
    std::thread::sleep(Duration::from_millis(2_100));
    let first = build_own_cache(t.path());
    assert!(first.ok(), "{}", rendered(&first));
    assert_eq!(first.sources_reused, 0, "nothing to take on a first build");

    // Another story's page, changed by hand to bytes of the same length with its time put
    // back: only a page taken without building its context keeps them.
    let other_page = out.join("storie/il-mediatore-allo-sportello/index.html");
    let marked = mark_by_hand(&other_page);

    // A body edited: every other file is taken from the snapshot.
    let story = t.path().join(STORY);
    let text = fs::read_to_string(&story).unwrap();
    fs::write(&story, format!("{text}\nUna frase in più.\n")).unwrap();
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.sources_reused, md - 1);
    // Their texts are not read unless something asks for one: here the stories whose
    // bundles hold files (their links to those files are checked every build).
    assert!(
        r.sources_read_late < md / 2,
        "{} of {} texts read late",
        r.sources_read_late,
        r.sources_reused
    );
    // The texts taken from the snapshot bring the prints the last build made of them: only
    // the edited story's pages are made again, one per language at most, and the others
    // are taken without their contexts (with prints that differ, every context is built).
    let total: usize = r.pages.iter().map(|(_, n)| n).sum();
    assert!(total > 100);
    let made = total - r.pages_kept;
    assert!((1..=4).contains(&made), "{made} pages made again");
    assert!(
        fs::read(&other_page).unwrap() == marked,
        "taken without its context"
    );
    // Put back as a build writes it, for the comparison with a build that read all.
    fs::remove_file(&other_page).unwrap();
    assert!(build_own_cache(t.path()).ok());
    assert_same_as_uncached(t.path(), &out, "a body edited");

    // Once the edit has settled, a build that has another file to read keeps it.
    std::thread::sleep(Duration::from_millis(2_100));
    let other = "content/stories/il-mediatore-allo-sportello/index.it.md";
    let other_text = read(t.path(), other);
    write(t.path(), other, &format!("{other_text}\nUn'altra frase.\n"));
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(r.sources_reused, md - 2, "the two edited files are read");

    // Another text of the same size, the modification time put back: the change time
    // (which no one can put back) still tells, and the file is read.
    let before = fs::metadata(&story).unwrap().modified().unwrap();
    let text = fs::read_to_string(&story).unwrap();
    let same_size = text.replacen("Una frase in più.", "Una frase in PIÙ.", 1);
    assert_eq!(same_size.len(), text.len());
    fs::write(&story, &same_size).unwrap();
    let file = fs::File::options().write(true).open(&story).unwrap();
    file.set_modified(before).unwrap();
    drop(file);
    assert_eq!(fs::metadata(&story).unwrap().modified().unwrap(), before);
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(!r.nothing_changed, "the no-change check missed the edit");
    assert_eq!(r.sources_reused, md - 2);
    let page = read(&out, "storie/dalla-comunita-alla-serra/index.html");
    assert!(
        page.contains("Una frase in PIÙ."),
        "the edit is not on the page"
    );
    assert_same_as_uncached(t.path(), &out, "a text of the same size");

    // A story added and one removed: the new one is read, and the story edited just
    // before the last build, which that build did not keep.
    copy(
        &t.path().join("content/stories/dalla-comunita-alla-serra"),
        &t.path().join("content/stories/una-copia-della-serra"),
    );
    fs::remove_dir_all(t.path().join("content/stories/il-mediatore-allo-sportello")).unwrap();
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    let added = markdown_under(&t.path().join("content/stories/una-copia-della-serra"));
    assert_eq!(
        r.sources_reused,
        markdown_under(&t.path().join("content")) - added - 1
    );
    assert_same_as_uncached(t.path(), &out, "a story added and one removed");
}

#[cfg(unix)]
#[test]
fn a_link_put_into_content_is_refused_as_before_the_snapshot() {
    let t = demo_copy();
    std::thread::sleep(Duration::from_millis(2_100));
    assert!(build_own_cache(t.path()).ok());
    // The walk of the no-change check saw a link: load walks content/ again and reports it.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("index.it.md"), "---\ntitle: x\n---\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        t.path().join("content/stories/un-collegamento"),
    )
    .unwrap();
    let r = build_own_cache(t.path());
    assert!(!r.ok());
    assert!(
        one_error(&r).contains("outside the site folder"),
        "{}",
        rendered(&r)
    );
}

/// What a shard of the snapshot holds after its magic line: the key, a CRC-32 of the body,
/// the body (see `fileio::write_sealed`).
const SHARD_MAGIC: &[u8] = b"vetrina sources 3\n";

#[test]
fn a_text_read_late_that_is_not_the_one_known_stops_the_build_and_publishes_nothing() {
    let t = demo_copy();
    let out = t.path().join("public");
    std::thread::sleep(Duration::from_millis(2_100));
    assert!(build_own_cache(t.path()).ok());

    // The snapshot made to say that the story (whose text a build reads late: its bundle's
    // links are checked every build) held another body: as if the file had changed after
    // the build looked at its stamp, which no test can time.
    let rel = STORY.as_bytes();
    let shards = t.path().join(".vetrina-cache/sources");
    let mut tampered = false;
    for entry in fs::read_dir(&shards).unwrap() {
        let path = entry.unwrap().path();
        let mut bytes = fs::read(&path).unwrap();
        let body_at = SHARD_MAGIC.len() + 32 + 4;
        let Some(at) = bytes[body_at..].windows(rel.len()).position(|w| w == rel) else {
            continue;
        };
        // After the path: the stamp (40 bytes), the front print (32), then the body print.
        let print = body_at + at + rel.len() + 40 + 32;
        bytes[print] ^= 0xff;
        let sum = crc32fast::hash(&bytes[body_at..]).to_le_bytes();
        bytes[body_at - 4..body_at].copy_from_slice(&sum);
        fs::write(&path, bytes).unwrap();
        tampered = true;
    }
    assert!(tampered, "the story is in the snapshot");

    // Another file edited, so that the build is not skipped as one with nothing to do.
    let other = "content/stories/il-mediatore-allo-sportello/index.it.md";
    let other_text = read(t.path(), other);
    write(
        t.path(),
        other,
        &format!("{other_text}\nUna frase in più.\n"),
    );
    let before = read(&out, "storie/il-mediatore-allo-sportello/index.html");
    let r = build_own_cache(t.path());
    assert!(!r.ok(), "the build went on with a text it did not know");
    let error = one_error(&r);
    assert!(
        error.contains("dalla-comunita-alla-serra/index.it.md")
            && error.contains("changed (or could no longer be read) while Vetrina was building"),
        "{error}"
    );
    assert_eq!(
        read(&out, "storie/il-mediatore-allo-sportello/index.html"),
        before,
        "nothing is published"
    );
    // The next build reads the file again (what the failed build knew is not kept) and
    // publishes the edit.
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        read(&out, "storie/il-mediatore-allo-sportello/index.html").contains("Una frase in più.")
    );
    assert_same_as_uncached(t.path(), &out, "after a text not the one known");
}
