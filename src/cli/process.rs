//! How the `vetrina` process holds its memory: the allocator (mimalloc) and its settings, made
//! before any work starts, and when `vetrina serve` gives memory back. The only `unsafe` of
//! the program is here, in calls to mimalloc's own functions; nothing else belongs here.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A build is one pass that ends with the process: the memory it frees is kept for its own
/// next allocations rather than given back to the system and faulted in again (mimalloc gives
/// freed memory back after a second by default, and a large build then spends much of its
/// time faulting the same pages in again). `vetrina serve` gives it back later (see
/// `keep_freed_memory_between_saves`), so that a server left idle gives its memory back.
pub(crate) fn keep_freed_memory() {
    set_purge_delay(-1);
}

/// `vetrina serve` gives back the memory it frees once it has been free for ten seconds,
/// rather than one: the build and the search index made after each save free tens of
/// megabytes at a large site, and an author saves every few seconds. Given back after a
/// second, that memory was given back between two saves, and the next save's build paid for
/// it twice: in giving it back (done by whichever thread asks the allocator next: the
/// build's) and in faulting it in again. Past a limit it is given back at once (below).
pub(crate) fn keep_freed_memory_between_saves() {
    set_purge_delay(10_000);
}

/// Above this much resident memory, `vetrina serve` gives its freed memory back to the
/// system after each search index rather than ten seconds later. At 10,000 stories the
/// usual edit stays below it (peaks of 770–820 MiB), while the index after a story is added
/// brings the process to some 870–900 MiB; three stories added six seconds apart, each save
/// keeping what the last one freed, peaked at 906–927 MiB, and at 873 MiB with this limit.
/// Given back after every index, an edit took longer to show (medians of 87–93 ms against
/// 76–93 ms over 21 edits, the fastest edit 76–80 ms against 65–74 ms, three runs each):
/// the next build faults the memory in again.
const KEEP_AT_MOST_KIB: u64 = 850 * 1024;

/// After each search index `vetrina serve` writes: gives the memory freed so far back to the
/// system at once if the process holds more than [`KEEP_AT_MOST_KIB`].
pub(crate) fn give_back_freed_memory_if_over_limit() {
    if resident_kib().is_some_and(|kib| kib > KEEP_AT_MOST_KIB) {
        give_back_freed_memory();
    }
}

/// Gives the memory freed so far back to the system at once (`vetrina serve`, before and
/// after the search index of a build that wrote many files: see `serve::LARGE_WRITE`).
pub(crate) fn give_back_freed_memory() {
    // SAFETY: mimalloc's collection of the calling thread's pages and of every freed page
    // waiting to be given back; callable from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// The process's resident memory in KiB (Linux: `VmRSS` in `/proc/self/status`); `None`
/// elsewhere.
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line["VmRSS:".len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// How long memory stays free before mimalloc gives it back to the system, in milliseconds;
/// -1: never.
fn set_purge_delay(ms: std::ffi::c_long) {
    // `mi_option_purge_delay` in mimalloc.h.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: a plain store into mimalloc's table of options (not thread safe: called first
    // thing, before the program starts any thread).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, ms) }
}

/// No transparent huge pages for this process. mimalloc asks for them on its arenas, and the
/// kernel then clears 2 MiB at the first touch of any byte in one: a build's peak memory grows
/// and clearing pages takes much of its time, on machines where memory touched for the first
/// time is slow.
pub(crate) fn no_huge_pages() {
    // The setting is the process's, for the regions mimalloc reserved before `main` too. A
    // kernel without it leaves things as they were: nothing to report.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn the_resident_memory_is_read() {
        let kib = super::resident_kib().expect("VmRSS in /proc/self/status");
        // A running test program holds more than a megabyte and less than the machine.
        assert!((1024..64 * 1024 * 1024).contains(&kib), "{kib} KiB");
    }
}
