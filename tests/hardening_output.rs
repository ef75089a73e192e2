//! The output folder is Vetrina's alone: a build (or `serve`) writes a marker into the folder
//! it makes, deletes only inside a folder that carries it, and refuses — before writing or
//! deleting anything — a folder that holds other files, the site or its sources, its cache,
//! or a repository. Links are never followed out of the output.

mod common;
use common::*;

use std::fs;
use std::path::{Path, PathBuf};

use vetrina::BuildOptions;

const MARKER: &str = ".vetrina-output";

fn build_into(site: &Path, output: &Path) -> vetrina::Report {
    let mut o = opts(site);
    o.output = Some(output.to_path_buf());
    vetrina::build(&o)
}

/// Builds into `output`, expects one error about it, and returns the error's text.
fn refused(site: &Path, output: &Path) -> String {
    let r = build_into(site, output);
    assert!(
        !r.ok(),
        "the build into {} was not refused",
        output.display()
    );
    let e = one_error(&r);
    assert!(
        e.contains(&format!("--> {}", output.display())),
        "the error names the folder: {e}"
    );
    e
}

/// A temporary folder with a copy of the demo site in `site/` (so that the folder holding
/// the site can be tried as an output too).
fn site_in_folder() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    fs::create_dir(&site).unwrap();
    for part in ["site.yaml", "content", "data", "themes"] {
        copy(&demo_root().join(part), &site.join(part));
    }
    (t, site)
}

fn staging_folders(dir: &Path) -> Vec<std::ffi::OsString> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("staging"))
        .collect()
}

#[test]
fn a_folder_of_other_files_is_refused_and_left_as_it_was() {
    // mkdir o; echo x > o/important.txt; vetrina build --output o
    let (t, site) = site_in_folder();
    let o = t.path().join("o");
    fs::create_dir(&o).unwrap();
    fs::write(o.join("important.txt"), "x\n").unwrap();
    let e = refused(&site, &o);
    assert!(
        e.contains(&format!(
            "error: the output folder `{}` already holds files that Vetrina did not make (it has no `.vetrina-output` file): Vetrina removes from its output every file that is not part of the built site, so it would delete them",
            o.display()
        )),
        "{e}"
    );
    assert!(
        e.contains("help: give a new or empty folder with --output; if this folder was built by an older version of Vetrina (older versions did not leave the marker), delete or move it once and build again"),
        "{e}"
    );
    assert_eq!(
        tree(&o),
        vec![(PathBuf::from("important.txt"), b"x\n".to_vec())],
        "nothing written or deleted"
    );
    assert!(staging_folders(t.path()).is_empty());
}

#[test]
fn a_folder_with_only_hidden_files_is_not_empty() {
    let (t, site) = site_in_folder();
    let o = t.path().join("o");
    fs::create_dir(&o).unwrap();
    fs::write(o.join(".htaccess"), "Deny from all\n").unwrap();
    let e = refused(&site, &o);
    assert!(
        e.contains("already holds files that Vetrina did not make"),
        "{e}"
    );
    assert_eq!(tree(&o).len(), 1);
    // A marker that is a link (to anything) does not make a folder Vetrina's.
    #[cfg(unix)]
    {
        let p = t.path().join("p");
        fs::create_dir(&p).unwrap();
        fs::write(t.path().join("elsewhere"), "x").unwrap();
        std::os::unix::fs::symlink(t.path().join("elsewhere"), p.join(MARKER)).unwrap();
        refused(&site, &p);
    }
}

#[test]
fn an_output_of_an_older_vetrina_is_refused_once_with_what_to_do() {
    let t = demo_copy();
    let out = t.path().join("public");
    assert!(build(t.path()).ok());
    // As an earlier version left it: the same site, no marker.
    fs::remove_file(out.join(MARKER)).unwrap();
    let before = tree(&out);
    let r = build(t.path());
    let e = one_error(&r);
    assert!(e.contains("older versions did not leave the marker"), "{e}");
    assert!(e.contains("delete or move it once"), "{e}");
    assert_eq!(
        tree(&out),
        before,
        "the previous output is byte for byte as it was"
    );
    // Deleted once, it is made again, with the marker.
    fs::remove_dir_all(&out).unwrap();
    assert!(build(t.path()).ok());
    assert!(out.join(MARKER).is_file());
}

#[test]
fn a_missing_folder_is_made_with_the_marker_which_is_never_removed() {
    let (t, site) = site_in_folder();
    let out = t.path().join("new/public");
    let r = build_into(&site, &out);
    assert!(r.ok(), "{}", rendered(&r));
    let text = fs::read_to_string(out.join(MARKER)).unwrap();
    assert!(
        text.starts_with("This folder is the output of Vetrina"),
        "{text}"
    );
    // Files put there by hand are removed at the next build, never the marker.
    fs::write(out.join("stale.html"), "old").unwrap();
    let r = build_into(&site, &out);
    assert!(r.ok(), "{}", rendered(&r));
    assert!(!out.join("stale.html").exists());
    assert_eq!(fs::read_to_string(out.join(MARKER)).unwrap(), text);
    assert!(staging_folders(&t.path().join("new")).is_empty());
}

#[test]
fn an_empty_folder_is_taken_and_marked() {
    let (t, site) = site_in_folder();
    let out = t.path().join("empty");
    fs::create_dir(&out).unwrap();
    let r = build_into(&site, &out);
    assert!(r.ok(), "{}", rendered(&r));
    assert!(out.join(MARKER).is_file() && out.join("index.html").is_file());
    // The same site as a build into a new folder.
    let fresh = t.path().join("fresh");
    assert!(build_into(&site, &fresh).ok());
    assert_eq!(tree(&out), tree(&fresh));
}

#[test]
fn a_repository_is_never_the_output_nor_inside_it() {
    // --output site/.git destroyed the site's repository.
    let (t, site) = site_in_folder();
    let git = site.join(".git");
    write(&git, "HEAD", "ref: refs/heads/main\n");
    write(&git, "objects/ab/cdef", "blob");
    let before = tree(&git);
    for (output, what) in [
        (git.clone(), "`.git`"),
        (git.join("objects"), "`.git`"),
        (git.join("objects/new"), "`.git`"),
        (t.path().join("other/.hg/x"), "`.hg`"),
        (t.path().join("other/.svn"), "`.svn`"),
    ] {
        let e = refused(&site, &output);
        assert!(
            e.contains(&format!("is inside a version-control folder ({what})")),
            "{e}"
        );
    }
    // A folder that holds a repository, even one marked as Vetrina's.
    let out = t.path().join("public");
    assert!(build_into(&site, &out).ok());
    write(&out, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    let published = tree(&out);
    let e = refused(&site, &out);
    assert!(e.contains("holds a version-control folder (`.git`)"), "{e}");
    assert_eq!(tree(&out), published);
    assert_eq!(tree(&git), before, "the repository is untouched");
    assert!(!t.path().join("other").exists(), "nothing was made");
}

#[test]
fn the_site_its_sources_its_cache_and_what_holds_them_are_never_the_output() {
    let (t, site) = site_in_folder();
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("static/robots.txt"), "User-agent: *\n").unwrap();
    let before = tree(t.path());
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            site.clone(),
            "is the site's own folder: it contains the site itself",
        ),
        (site.join("."), "contains the site itself"),
        (t.path().to_path_buf(), "contains the site's folder"),
        (site.join("content"), "inside the site's `content` folder"),
        (
            site.join("content/news"),
            "inside the site's `content` folder",
        ),
        (site.join("data"), "inside the site's `data` folder"),
        (
            site.join("themes/default/static"),
            "inside the site's `themes` folder",
        ),
        (
            site.join("templates"),
            "inside the site's `templates` folder",
        ),
        (site.join("static"), "inside the site's `static` folder"),
        (site.join("i18n/out"), "inside the site's `i18n` folder"),
        (site.join(".vetrina-cache"), "which holds Vetrina's cache"),
        (
            site.join("public/../content"),
            "inside the site's `content` folder",
        ),
    ];
    for (output, what) in cases {
        let e = refused(&site, &output);
        assert!(e.contains(what), "{}: {e}", output.display());
    }
    assert_eq!(tree(t.path()), before, "nothing written or deleted");
    // A picture cache inside the output, or the output inside it.
    let mut o = opts(&site);
    o.output = Some(t.path().join("public"));
    o.cache_dir = Some(t.path().join("public/cache"));
    let e = one_error(&vetrina::build(&o));
    assert!(e.contains("are inside one another"), "{e}");
    assert!(!t.path().join("public").exists());
}

#[cfg(unix)]
#[test]
fn a_link_as_output_is_judged_by_the_folder_it_leads_to() {
    let (t, site) = site_in_folder();
    let other = t.path().join("documents");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("notes.txt"), "mine").unwrap();
    let link = t.path().join("public");
    std::os::unix::fs::symlink(&other, &link).unwrap();
    let e = refused(&site, &link);
    assert!(
        e.contains("already holds files that Vetrina did not make"),
        "{e}"
    );
    assert_eq!(
        tree(&other),
        vec![(PathBuf::from("notes.txt"), b"mine".to_vec())]
    );
    // A link to the site's content folder is the content folder.
    let to_content = t.path().join("to-content");
    std::os::unix::fs::symlink(site.join("content"), &to_content).unwrap();
    let e = refused(&site, &to_content);
    assert!(e.contains("inside the site's `content` folder"), "{e}");
    // A link to nowhere.
    let dangling = t.path().join("dangling");
    std::os::unix::fs::symlink(t.path().join("nowhere"), &dangling).unwrap();
    let e = refused(&site, &dangling);
    assert!(
        e.contains("is a link to a folder that does not exist"),
        "{e}"
    );
    // A link to a folder of Vetrina's own is built into, and the link stays a link.
    let real = t.path().join("real");
    assert!(build_into(&site, &real).ok());
    let to_real = t.path().join("to-real");
    std::os::unix::fs::symlink(&real, &to_real).unwrap();
    fs::write(real.join("stale.html"), "old").unwrap();
    let r = build_into(&site, &to_real);
    assert!(r.ok(), "{}", rendered(&r));
    assert!(
        fs::symlink_metadata(&to_real)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!real.join("stale.html").exists());
    assert!(staging_folders(t.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn removing_stale_files_never_follows_a_link_out_of_the_output() {
    let (t, site) = site_in_folder();
    let out = t.path().join("public");
    assert!(build_into(&site, &out).ok());
    let outside = t.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("keep.txt"), "keep").unwrap();
    // A link to a folder, a link to a file, and a published folder swapped for a link.
    std::os::unix::fs::symlink(&outside, out.join("linked-folder")).unwrap();
    std::os::unix::fs::symlink(outside.join("keep.txt"), out.join("linked-file.txt")).unwrap();
    fs::remove_dir_all(out.join("progetti")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("progetti")).unwrap();
    let r = build_into(&site, &out);
    assert!(r.ok(), "{}", rendered(&r));
    assert_eq!(
        tree(&outside),
        vec![(PathBuf::from("keep.txt"), b"keep".to_vec())],
        "nothing outside the output was written or deleted"
    );
    for link in ["linked-folder", "linked-file.txt"] {
        assert!(
            fs::symlink_metadata(out.join(link)).is_err(),
            "{link} stays"
        );
    }
    let progetti = fs::symlink_metadata(out.join("progetti")).unwrap();
    assert!(progetti.is_dir(), "the link is replaced by a real folder");
    assert!(out.join("progetti/puoi/index.html").is_file());
    assert!(out.join(MARKER).is_file());
}

#[test]
fn folders_beside_the_output_named_like_staging_folders_are_left_alone() {
    let (t, site) = site_in_folder();
    let pid = std::process::id();
    let mut planted = Vec::new();
    for n in 0..64 {
        for tag in ["", "-pages", "-part"] {
            let dir = t
                .path()
                .join(format!(".vetrina-staging-{pid}-{n}{tag}-public"));
            fs::create_dir(&dir).unwrap();
            fs::write(dir.join("mine.txt"), "mine").unwrap();
            planted.push(dir);
        }
    }
    // The old name, without a counter.
    let old = t.path().join(format!(".vetrina-staging-{pid}-public"));
    fs::create_dir(&old).unwrap();
    fs::write(old.join("mine.txt"), "mine").unwrap();
    planted.push(old);
    let r = build_into(&site, &t.path().join("public"));
    assert!(r.ok(), "{}", rendered(&r));
    for dir in &planted {
        assert_eq!(fs::read_to_string(dir.join("mine.txt")).unwrap(), "mine");
    }
    assert_eq!(
        staging_folders(t.path()).len(),
        planted.len(),
        "no staging folder of the build is left, none of the others removed"
    );
}

#[test]
fn a_file_as_output_is_refused() {
    let (t, site) = site_in_folder();
    let f = t.path().join("public");
    fs::write(&f, "a file").unwrap();
    let e = refused(&site, &f);
    assert!(e.contains("is a file, not a folder"), "{e}");
    assert_eq!(fs::read_to_string(&f).unwrap(), "a file");
}

#[test]
fn serve_refuses_a_folder_that_is_not_its_own_before_listening() {
    let (t, site) = site_in_folder();
    let o = t.path().join("o");
    fs::create_dir(&o).unwrap();
    fs::write(o.join("important.txt"), "x\n").unwrap();
    let mut build = BuildOptions::new(&site);
    build.output = Some(o.clone());
    build.today = Some(test_date());
    build.cache_dir = Some(shared_cache());
    let opts = vetrina::serve::ServeOptions {
        build,
        bind: "127.0.0.1".into(),
        port: 0,
        after_index: None,
        give_back_memory: None,
    };
    let Err(e) = vetrina::serve::start(opts, std::sync::Arc::new(|_, _, _| {})) else {
        panic!("serve started on a folder that is not its own");
    };
    assert!(
        e.contains("already holds files that Vetrina did not make"),
        "{e}"
    );
    assert!(e.contains("help: "), "{e}");
    assert_eq!(
        tree(&o),
        vec![(PathBuf::from("important.txt"), b"x\n".to_vec())]
    );
}

#[test]
fn serve_stops_serving_a_folder_that_is_no_longer_its_own() {
    let t = demo_copy();
    let build = opts(t.path());
    let h = vetrina::serve::start(
        vetrina::serve::ServeOptions {
            build,
            bind: "127.0.0.1".into(),
            port: 0,
            after_index: None,
            give_back_memory: None,
        },
        std::sync::Arc::new(|_, _, _| {}),
    )
    .expect("the server starts");
    let get = |path: &str| -> (u16, String) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(h.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut text = String::new();
        let _ = s.read_to_string(&mut text);
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    };
    assert_eq!(get("/").0, 200);
    // Someone empties the folder and keeps other files there; a rebuild is refused.
    let out = t.path().join("public");
    fs::remove_dir_all(&out).unwrap();
    fs::create_dir(&out).unwrap();
    fs::write(out.join("important.txt"), "private").unwrap();
    fs::write(out.join("index.html"), "<p>private</p>").unwrap();
    edit(
        t.path(),
        "content/projects/puoi/index.it.md",
        "status: concluded",
        "status: finished",
    );
    let started = std::time::Instant::now();
    while get("/").0 != 503 && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for path in ["/", "/important.txt"] {
        let (status, text) = get(path);
        assert_ne!(status, 200, "{path}");
        assert!(!text.contains("private"), "{path}: {text}");
    }
    assert_eq!(
        fs::read_to_string(out.join("important.txt")).unwrap(),
        "private"
    );
    h.stop();
}
