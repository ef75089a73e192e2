//! The threads that serve `vetrina serve`'s connections: started as connections come, up
//! to a limit, and kept for the next connection rather than ended after each one.
//!
//! A browser opens a connection per request (the server closes each after its answer), so
//! a thread per connection meant thousands of threads started and ended every second under
//! load; once, in the benchmark's load test (200 connections, 3,500 requests a second), the
//! server died in the C library while a finished thread was let go. Kept threads do away
//! with that churn. An event stream (the page's live reload) keeps its thread as long as
//! the page is open, so the limit is that of the connections served at once.

use std::collections::VecDeque;
use std::net::TcpStream;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// What serves one connection.
pub(super) type Serve = Arc<dyn Fn(TcpStream) + Send + Sync>;

pub(super) struct Workers {
    shared: Arc<Shared>,
    limit: usize,
    serve: Serve,
}

struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
}

#[derive(Default)]
struct Queue {
    /// Connections taken and not yet served.
    waiting: VecDeque<TcpStream>,
    /// Threads waiting for a connection.
    idle: usize,
    /// Threads started.
    threads: usize,
    /// Connections taken and not yet done with (waiting or being served).
    open: usize,
    stopping: bool,
}

impl Workers {
    /// At most `limit` connections served at once, each by `serve`.
    pub(super) fn new(limit: usize, serve: Serve) -> Workers {
        Workers {
            shared: Arc::new(Shared {
                queue: Mutex::new(Queue::default()),
                ready: Condvar::new(),
            }),
            limit,
            serve,
        }
    }

    /// Hands `stream` to a thread (a new one if every thread is busy); gives it back when
    /// `limit` connections are open already.
    pub(super) fn take(&self, stream: TcpStream) -> Result<(), TcpStream> {
        let mut q = self.shared.lock();
        if q.open >= self.limit {
            return Err(stream);
        }
        q.open += 1;
        q.waiting.push_back(stream);
        if q.waiting.len() > q.idle && q.threads < self.limit {
            let (shared, serve) = (self.shared.clone(), self.serve.clone());
            let started = std::thread::Builder::new()
                .name("vetrina-connection".into())
                .spawn(move || work(&shared, &serve));
            if started.is_ok() {
                q.threads += 1;
            }
        }
        drop(q);
        self.shared.ready.notify_one();
        Ok(())
    }

    /// How many threads were started (for tests).
    #[cfg(test)]
    pub(super) fn threads(&self) -> usize {
        self.shared.lock().threads
    }

    /// Waits until every connection is done with and every thread waits for the next.
    #[cfg(test)]
    fn settle(&self) {
        let start = std::time::Instant::now();
        loop {
            let q = self.shared.lock();
            if q.open == 0 && q.idle == q.threads {
                return;
            }
            drop(q);
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "never settled"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}

impl Drop for Workers {
    /// The threads end once the connections they hold are served.
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.ready.notify_all();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A thread's life: the next connection, served, until the workers are dropped.
fn work(shared: &Shared, serve: &Serve) {
    loop {
        let stream = {
            let mut q = shared.lock();
            loop {
                if let Some(s) = q.waiting.pop_front() {
                    break s;
                }
                if q.stopping {
                    return;
                }
                q.idle += 1;
                q = shared.ready.wait(q).unwrap_or_else(|e| e.into_inner());
                q.idle -= 1;
            }
        };
        serve(stream);
        shared.lock().open -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn connections_are_served_by_threads_kept_and_the_limit_holds() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let served = Arc::new(AtomicUsize::new(0));
        let count = served.clone();
        let workers = Workers::new(
            2,
            Arc::new(move |mut s: TcpStream| {
                let mut b = [0u8; 1];
                let _ = s.read(&mut b);
                let _ = s.write_all(b"ok");
                count.fetch_add(1, Ordering::SeqCst);
            }),
        );
        // Fifty connections one after the other: one thread serves them all.
        for _ in 0..50 {
            let mut c = TcpStream::connect(addr).unwrap();
            let (s, _) = listener.accept().unwrap();
            assert!(workers.take(s).is_ok());
            c.write_all(b"x").unwrap();
            let mut answer = String::new();
            c.read_to_string(&mut answer).unwrap();
            assert_eq!(answer, "ok");
            workers.settle();
        }
        assert_eq!(served.load(Ordering::SeqCst), 50);
        assert_eq!(
            workers.threads(),
            1,
            "the thread is kept for the next connection"
        );
        // Two connections held open: a third is given back.
        let held: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(addr).unwrap()).collect();
        for _ in 0..2 {
            let (s, _) = listener.accept().unwrap();
            assert!(workers.take(s).is_ok());
        }
        let _third = TcpStream::connect(addr).unwrap();
        let (s, _) = listener.accept().unwrap();
        assert!(workers.take(s).is_err(), "over the limit");
        assert_eq!(workers.threads(), 2);
        drop(held);
    }
}
