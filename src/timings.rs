//! With `VETRINA_TIMINGS` set, how long each phase of a build took, with the process's CPU
//! time and memory (for profiling; Linux figures from `/proc/self`).

use std::time::{Duration, Instant};

/// With `VETRINA_TIMINGS` set, prints how long each phase of a build took (for profiling).
pub(crate) struct Phases {
    on: bool,
    last: Instant,
    /// The process's CPU time (all threads, user and system) at the last phase's end.
    cpu: Option<Duration>,
}

impl Phases {
    pub(crate) fn new() -> Self {
        Phases {
            on: std::env::var_os("VETRINA_TIMINGS").is_some(),
            last: Instant::now(),
            cpu: process_cpu(),
        }
    }
    pub(crate) fn done(&mut self, phase: &str) {
        if self.on {
            let cpu = process_cpu();
            let used = match (cpu, self.cpu) {
                (Some(now), Some(then)) => {
                    format!(
                        "  {:>7.0} ms CPU",
                        (now.saturating_sub(then)).as_secs_f64() * 1e3
                    )
                }
                _ => String::new(),
            };
            let memory = process_memory()
                .map(|(rss, peak)| format!("  {:>5} MiB, peak {:>5} MiB", rss >> 10, peak >> 10))
                .unwrap_or_default();
            eprintln!(
                "  {phase:<8} {:>7.1} ms{used}{memory}",
                self.last.elapsed().as_secs_f64() * 1e3
            );
            self.cpu = cpu;
        }
        self.last = Instant::now();
    }

    /// A count worth seeing beside the phases (what a phase did or spared).
    pub(crate) fn count(&self, what: &str, n: usize) {
        if self.on {
            eprintln!("  {what}: {n}");
        }
    }
}

/// The process's resident memory now and at its peak so far, in KiB, from
/// `/proc/self/status` (Linux): for `VETRINA_TIMINGS`.
fn process_memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The CPU time of the whole process so far, from `/proc/self/stat` (Linux; in the kernel's
/// clock ticks, taken as the usual 100 a second): a rough figure for `VETRINA_TIMINGS`.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command's name, which is in parentheses and may hold spaces.
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split(' ');
    // utime and stime are fields 14 and 15 of the line; the state is field 3.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}
