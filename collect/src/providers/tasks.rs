//! Collection tasks that know what they collect: a task that panics is a bug, and it becomes
//! a collection error of its own (scope, region, kind), with the panic message, so the ERROR
//! lands on the checks that read what the task was collecting and nowhere else.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;

use tokio::task::{Id, JoinSet};

/// Spawned collection tasks, each with the `T` it collects (e.g. region and kind).
pub(crate) struct Tasks<T> {
    set: JoinSet<()>,
    of: HashMap<Id, T>,
}

impl<T> Default for Tasks<T> {
    fn default() -> Self {
        Tasks {
            set: JoinSet::new(),
            of: HashMap::new(),
        }
    }
}

impl<T> Tasks<T> {
    pub(crate) fn spawn(&mut self, what: T, task: impl Future<Output = ()> + Send + 'static) {
        let handle = self.set.spawn(task);
        self.of.insert(handle.id(), what);
    }

    /// Wait for every task; `failed(what, message)` for each that panicked.
    pub(crate) async fn join(mut self, mut failed: impl FnMut(T, String)) {
        while let Some(done) = self.set.join_next_with_id().await {
            let (id, message) = match done {
                Ok((id, ())) => {
                    self.of.remove(&id);
                    continue;
                }
                Err(e) if e.is_panic() => (e.id(), panic_message(e.into_panic())),
                Err(e) => (e.id(), e.to_string()),
            };
            if let Some(what) = self.of.remove(&id) {
                failed(what, message);
            }
        }
    }
}

/// Run the futures `tasks` yields as tasks, at most `window` of them alive at once; results
/// in the order of `tasks`. A task that panicked panics here (with its message).
///
/// Why a window: a task waiting for its permit already holds its whole future (every state
/// it will pass through), so spawning one task per item up front held as many futures as
/// items: at N = 50 that was the largest part of the scan's peak heap (BENCHMARKS.md, "Memory
/// at N = 50"). A window as wide as the calls that may run loses no concurrency.
pub(crate) async fn windowed<R, Fut>(window: usize, tasks: impl IntoIterator<Item = Fut>) -> Vec<R>
where
    Fut: std::future::Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    let mut set = JoinSet::new();
    let mut tasks = tasks.into_iter().enumerate();
    let mut out = Vec::new();
    loop {
        while set.len() < window.max(1) {
            let Some((i, fut)) = tasks.next() else { break };
            set.spawn(async move { (i, fut.await) });
        }
        match set.join_next().await {
            None => break,
            Some(Ok(r)) => out.push(r),
            Some(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Some(Err(e)) => panic!("collector task cancelled: {e}"),
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// The message a panic was raised with (`panic!("...")`, `expect("...")`).
pub(crate) fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(s) => s.to_string(),
            Err(_) => "a collector task panicked".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_task_is_reported_with_what_it_collected_and_its_message() {
        let mut tasks = Tasks::default();
        tasks.spawn(("us-east-1", 1), async {});
        // A formatted message (a String payload) and a literal one (&str).
        let region = "eu-west-1";
        tasks.spawn((region, 2), async move { panic!("boom in {region}") });
        tasks.spawn((region, 3), async { panic!("no answer") });
        let mut failed = Vec::new();
        tasks.join(|what, msg| failed.push((what, msg))).await;
        failed.sort();
        assert_eq!(
            failed,
            vec![
                (("eu-west-1", 2), "boom in eu-west-1".to_string()),
                (("eu-west-1", 3), "no answer".to_string()),
            ]
        );
    }

    /// At most `window` tasks are alive at once, and results keep the order of the items
    /// whatever order the tasks finish in.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn windowed_keeps_at_most_window_tasks_alive_and_the_items_order() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use std::sync::Arc;
        let (alive, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks = (0..40u64).map(|i| {
            let (alive, most) = (alive.clone(), most.clone());
            async move {
                most.fetch_max(alive.fetch_add(1, SeqCst) + 1, SeqCst);
                // Later items finish first.
                tokio::time::sleep(std::time::Duration::from_millis(40 - i)).await;
                alive.fetch_sub(1, SeqCst);
                i
            }
        });
        let out = windowed(3, tasks).await;
        assert_eq!(out, (0..40).collect::<Vec<_>>());
        assert_eq!(
            most.load(SeqCst),
            3,
            "the window was filled, never exceeded"
        );
    }
}
