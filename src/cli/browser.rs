//! Opening an address in the desktop's browser, for `vetrina serve --open`. It starts the
//! system's opener and does not wait for it; a missing browser is said, never an error.

/// Opens `url` in the desktop's browser, if there is one; says so if not.
pub(crate) fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("Could not open a browser ({cmd}); open {url} yourself.");
    }
}
