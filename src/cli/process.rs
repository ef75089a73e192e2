//! How the `vetrina` process holds its memory: the allocator (mimalloc) and its settings, made
//! before any work starts. The only `unsafe` of the program is here, in one call to set a
//! mimalloc option; nothing else belongs here.

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
/// rather than one: the search index made after each save frees a hundred megabytes at a
/// large site, and an author saves every few seconds. Given back after a second, that memory
/// was given back between two saves, and the next save's build paid for it twice: in
/// giving it back (done by whichever thread asks the allocator next: the build's) and in
/// faulting it in again.
pub(crate) fn keep_freed_memory_between_saves() {
    set_purge_delay(10_000);
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
