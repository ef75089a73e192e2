//! The preview server's own tests: addresses, hosts, the live-reload script, what is a source.

use super::hosts::host_allowed;
use super::paths::folder_address;
use super::*;

fn site() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir_all(t.path().join("out/en")).unwrap();
    fs::write(t.path().join("out/index.html"), "<p>home</p></body>").unwrap();
    fs::write(t.path().join("out/en/index.html"), "en").unwrap();
    fs::write(t.path().join("secret.txt"), "secret").unwrap();
    t
}

#[test]
fn paths_stay_inside_the_output() {
    let t = site();
    let root = fs::canonicalize(t.path().join("out")).unwrap();
    assert!(matches!(resolve(&root, "/"), Resolved::File(_)));
    assert!(matches!(resolve(&root, "/en"), Resolved::Redirect(r) if r == "/en/"));
    // A picture's address is percent-encoded (plan::url_name); the file keeps its name.
    fs::write(root.join("foto città, 1.jpg"), "jpg").unwrap();
    assert!(matches!(
        resolve(&root, "/foto%20citt%C3%A0%2C%201.jpg"),
        Resolved::File(f) if f.ends_with("foto città, 1.jpg")
    ));
    for bad in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/en/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/%00",
        "/%zz",
        "/nothing-here",
    ] {
        assert!(
            matches!(resolve(&root, bad), Resolved::NotFound),
            "{bad} was not refused"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_output_are_refused() {
    let t = site();
    std::os::unix::fs::symlink(t.path().join("secret.txt"), t.path().join("out/link.txt")).unwrap();
    std::os::unix::fs::symlink(t.path(), t.path().join("out/up")).unwrap();
    let root = fs::canonicalize(t.path().join("out")).unwrap();
    assert!(matches!(resolve(&root, "/link.txt"), Resolved::NotFound));
    assert!(matches!(
        resolve(&root, "/up/secret.txt"),
        Resolved::NotFound
    ));
}

#[test]
fn redirects_have_one_leading_slash() {
    let t = site();
    let root = fs::canonicalize(t.path().join("out")).unwrap();
    fs::create_dir_all(root.join("a b/c")).unwrap();
    for (path, to) in [
        ("//en", "/en/"),
        ("///en", "/en/"),
        ("/%2F%2Fen", "/en/"),
        ("/./en", "/en/"),
        ("//a%20b//c", "/a%20b/c/"),
    ] {
        assert!(
            matches!(resolve(&root, path), Resolved::Redirect(ref r) if r == to),
            "{path}"
        );
    }
    assert_eq!(folder_address(&[]), "/");
    assert_eq!(folder_address(&["x?y#z", "%"]), "/x%3Fy%23z/%25/");
    for bad in ["/\\en", "/%5Cen", "/.vetrina-output", "/%2evetrina-output"] {
        assert!(matches!(resolve(&root, bad), Resolved::NotFound), "{bad}");
    }
}

#[test]
fn only_names_of_this_computer_are_hosts() {
    for good in [
        "localhost",
        "localhost:1111",
        "LOCALHOST",
        "preview.localhost:8080",
        "127.0.0.1",
        "127.0.0.1:1111",
        "127.9.8.7",
        "[::1]",
        "[::1]:1111",
    ] {
        assert!(host_allowed(good, "127.0.0.1"), "{good}");
    }
    for bad in [
        "",
        "evil.example",
        "evil.example:1111",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "localhost:",
        "localhost:x",
        "localhost:123456",
        "localhost:1:2",
        "local host",
        ".localhost",
        "a..localhost",
        "[::1",
        "[::1]x",
        "[::2]",
        "0.0.0.0",
        "192.168.1.5",
        "[fe80::1]",
    ] {
        assert!(!host_allowed(bad, "127.0.0.1"), "{bad}");
    }
    // The --bind address is this computer too, never the unspecified one.
    assert!(host_allowed("192.168.1.5:1111", "192.168.1.5"));
    assert!(host_allowed("[fe80::1]:1111", "fe80::1"));
    assert!(host_allowed("studio.lan:1111", "studio.lan"));
    assert!(!host_allowed("0.0.0.0:1111", "0.0.0.0"));
    assert!(!host_allowed("[::]:1111", "::"));
}

#[test]
fn the_script_goes_before_the_end_of_the_body() {
    let s = with_live_script(b"<html><body><p>x</p></body></html>").concat();
    let s = String::from_utf8(s).unwrap();
    assert!(s.contains("<p>x</p><script src=\"/__vetrina/live.js\" defer></script></body>"));
}

#[test]
fn editor_scratch_files_and_the_output_are_not_sources() {
    let root = Path::new("/site");
    assert!(is_source(
        root,
        Path::new("/site/content/stories/a/index.it.md")
    ));
    assert!(is_source(root, Path::new("/site/site.yaml")));
    assert!(!is_source(root, Path::new("/site/public/index.html")));
    assert!(!is_source(
        root,
        Path::new("/site/content/a/.index.it.md.swp")
    ));
    assert!(!is_source(root, Path::new("/site/content/a/index.it.md~")));
    assert!(!is_source(root, Path::new("/site/.vetrina-cache/x")));
}
