//! A byte budget for work in flight. lopdf loads whole files and the page
//! model grows with them, so N workers on N huge files could exhaust memory
//! even though the file count is bounded; each file first takes a permit for
//! its size, and waits while the budget is spent. A file larger than the whole
//! budget still runs, alone.

use std::sync::{Arc, Condvar, Mutex};

#[derive(Debug)]
struct State {
    /// Bytes currently granted.
    used: u64,
}

/// A counting semaphore over bytes.
#[derive(Debug, Clone)]
pub struct ByteBudget {
    inner: Arc<(Mutex<State>, Condvar)>,
    limit: u64,
}

/// Bytes held until dropped (it may move to another thread, e.g. a file's
/// worker that outlives its deadline keeps its bytes until it really ends).
#[derive(Debug)]
pub struct Permit {
    budget: ByteBudget,
    bytes: u64,
}

impl ByteBudget {
    pub fn new(limit: u64) -> ByteBudget {
        ByteBudget {
            inner: Arc::new((Mutex::new(State { used: 0 }), Condvar::new())),
            limit: limit.max(1),
        }
    }

    /// Wait until `bytes` fit (or nothing else is in flight), then take them.
    pub fn acquire(&self, bytes: u64) -> Permit {
        let want = bytes.min(self.limit);
        let (lock, cvar) = &*self.inner;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        while state.used > 0 && state.used + want > self.limit {
            state = cvar.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.used += want;
        Permit {
            budget: self.clone(),
            bytes: want,
        }
    }

    /// Bytes granted right now.
    #[cfg(test)]
    pub fn used(&self) -> u64 {
        let (lock, _) = &*self.inner;
        lock.lock().unwrap_or_else(|e| e.into_inner()).used
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.budget.inner;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        state.used = state.used.saturating_sub(self.bytes);
        cvar.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    #[test]
    fn oversized_runs_alone_and_budget_is_returned() {
        let b = ByteBudget::new(100);
        let p = b.acquire(1_000);
        assert_eq!(b.used(), 100);
        drop(p);
        assert_eq!(b.used(), 0);
    }

    #[test]
    fn never_more_than_the_limit_in_flight() {
        let b = ByteBudget::new(100);
        let peak = Arc::new(AtomicU64::new(0));
        let now = Arc::new(AtomicU64::new(0));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (b, peak, now) = (b.clone(), peak.clone(), now.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let _p = b.acquire(40);
                        let cur = now.fetch_add(40, Ordering::SeqCst) + 40;
                        peak.fetch_max(cur, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_micros(200));
                        now.fetch_sub(40, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let peak = peak.load(Ordering::SeqCst);
        assert!((40..=80).contains(&peak), "peak {peak}");
        assert_eq!(b.used(), 0);
    }
}
