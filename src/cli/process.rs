//! How the `vetrina` process holds its memory: the allocator (mimalloc) and its settings, made
//! before any work starts. The only `unsafe` of the program is here, in one call to set a
//! mimalloc option; nothing else belongs here.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A build is one pass that ends with the process: the memory it frees is kept for its own
/// next allocations rather than given back to the system and faulted in again (mimalloc gives
/// freed memory back after a second by default, and a large build then spends much of its
/// time faulting the same pages in again). `vetrina serve` keeps the default, so that a server
/// left idle after a large build gives its memory back.
pub(crate) fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h; -1: never purge.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: a plain store into mimalloc's table of options (not thread safe: called first
    // thing, before the build starts any thread).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
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
