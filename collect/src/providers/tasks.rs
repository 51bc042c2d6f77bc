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
}
