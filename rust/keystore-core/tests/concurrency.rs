//! Many threads on one key store: every acknowledged write is kept, and a read waiting for the
//! user blocks no other operation.
//!
//! Nothing here measures time. Where a test must know that a thread is blocked or has finished,
//! it asks over a channel; the generous timeouts on those channels only turn a deadlock into a
//! test failure instead of a hung run.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use keystore_core::protector::testing::MemoryProtector;
use keystore_core::{
    AccessClass, Config, DataKey, KeySlot, KeyState, Keystore, Prompt, Protector, ProtectorError,
    SecurityLevel, SetOptions,
};

const STANDARD: SetOptions = SetOptions {
    authentication: false,
};
const AUTH: SetOptions = SetOptions {
    authentication: true,
};

/// How long a test waits on a channel before declaring a deadlock.
const DEADLOCK_GUARD: Duration = Duration::from_secs(60);

#[test]
fn every_acknowledged_write_from_many_threads_is_kept_on_one_store_and_across_stores() {
    let tmp = tempfile::tempdir().unwrap();
    let protector = Arc::new(MemoryProtector::new());
    let config = Config {
        compact_min_bytes: 4096,
        ..Config::default()
    };
    let dir = tmp.path().join("stores");
    let keystore = Arc::new(Keystore::with_config(&dir, protector.clone(), config).unwrap());
    let stores = ["shared", "left", "right"];

    // Each thread owns its keys, rewrites them, removes some, and reads back its own writes.
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let keystore = Arc::clone(&keystore);
            thread::spawn(move || {
                let mut acknowledged: HashMap<(&str, String), Option<String>> = HashMap::new();
                for round in 0..30 {
                    for (index, store) in stores.iter().enumerate() {
                        let key = format!("t{thread}-k{}", (round + index) % 4);
                        let value = format!("t{thread}-r{round}-{store}");
                        let options = if round % 5 == 0 { &AUTH } else { &STANDARD };
                        keystore.set(store, &key, &value, options).unwrap();
                        assert_eq!(keystore.get(store, &key, None).unwrap(), value);
                        acknowledged.insert((store, key.clone()), Some(value));
                        if round % 7 == 3 {
                            keystore.remove(store, &key).unwrap();
                            assert!(!keystore.contains(store, &key).unwrap());
                            acknowledged.insert((store, key), None);
                        }
                    }
                    // Another thread's store listing must never fail midway.
                    keystore.keys(stores[round % 3]).unwrap();
                }
                acknowledged
            })
        })
        .collect();
    let mut expected = HashMap::new();
    for thread in threads {
        expected.extend(thread.join().unwrap());
    }

    let reopened = Keystore::open(&dir, protector).unwrap();
    for keystore in [&*keystore, &reopened] {
        for ((store, key), value) in &expected {
            let got = keystore.get(store, key, None);
            match value {
                Some(value) => assert_eq!(&got.unwrap(), value, "{store}/{key}"),
                None => assert!(got.is_err(), "{store}/{key} should be removed"),
            }
        }
        for store in stores {
            let live = expected
                .iter()
                .filter(|((s, _), value)| *s == store && value.is_some())
                .count();
            assert_eq!(keystore.keys(store).unwrap().len(), live, "{store}");
        }
    }
}

#[test]
fn concurrent_writers_of_one_key_leave_one_of_their_values() {
    let tmp = tempfile::tempdir().unwrap();
    let keystore = Arc::new(Keystore::open(tmp.path(), Arc::new(MemoryProtector::new())).unwrap());
    let threads: Vec<_> = (0..6)
        .map(|thread| {
            let keystore = Arc::clone(&keystore);
            thread::spawn(move || {
                for round in 0..20 {
                    let value = format!("t{thread}-r{round}");
                    keystore.set("s", "contended", &value, &STANDARD).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }

    // The last write of whichever thread finished last.
    let value = keystore.get("s", "contended", None).unwrap();
    assert!(value.ends_with("-r19"), "{value}");
    assert_eq!(keystore.keys("s").unwrap(), ["contended"]);
}

/// A gate that user-presence loads wait at until the test lets them through.
#[derive(Default)]
struct Gate {
    permits: Mutex<usize>,
    opened: Condvar,
}

impl Gate {
    fn release(&self, count: usize) {
        *self.permits.lock().unwrap() += count;
        self.opened.notify_all();
    }

    /// Waits for a permit; gives up only after the deadlock guard, so a broken test ends.
    fn pass(&self) -> Result<(), ProtectorError> {
        let permits = self.permits.lock().unwrap();
        let (mut permits, timeout) = self
            .opened
            .wait_timeout_while(permits, DEADLOCK_GUARD, |permits| *permits == 0)
            .unwrap();
        if timeout.timed_out() {
            return Err(ProtectorError::Failed(
                "the test never opened the gate".into(),
            ));
        }
        *permits -= 1;
        Ok(())
    }
}

/// A memory protector whose user-presence loads announce themselves and then wait at a gate,
/// as a real protector waits for the user to answer the lock screen.
struct GatedProtector {
    inner: MemoryProtector,
    gate: Gate,
    entered: Mutex<Sender<()>>,
    user_presence_loads: AtomicUsize,
}

impl GatedProtector {
    fn new() -> (Arc<Self>, Receiver<()>) {
        let (entered, waiting) = mpsc::channel();
        let protector = GatedProtector {
            inner: MemoryProtector::new(),
            gate: Gate::default(),
            entered: Mutex::new(entered),
            user_presence_loads: AtomicUsize::new(0),
        };
        (Arc::new(protector), waiting)
    }
}

impl Protector for GatedProtector {
    fn availability(&self) -> Result<(), ProtectorError> {
        self.inner.availability()
    }

    fn security_level(&self) -> SecurityLevel {
        self.inner.security_level()
    }

    fn authentication_availability(&self) -> Result<(), ProtectorError> {
        self.inner.authentication_availability()
    }

    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        self.inner.save(slot, key)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        if slot.class == AccessClass::UserPresence {
            self.user_presence_loads.fetch_add(1, Ordering::SeqCst);
            self.entered.lock().unwrap().send(()).unwrap();
            self.gate.pass()?;
        }
        self.inner.load(slot, prompt)
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        self.inner.probe(slot)
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        self.inner.delete(slot)
    }
}

/// Opens the gate wide when dropped, so a failing test does not leave threads waiting.
struct OpenOnDrop(Arc<GatedProtector>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.gate.release(1000);
    }
}

/// Starts a read of `store`/`key` on its own thread; its result arrives on the receiver.
fn read_in_background(
    keystore: &Arc<Keystore>,
    store: &'static str,
    key: &'static str,
) -> Receiver<Result<String, keystore_core::Error>> {
    let (done, result) = mpsc::channel();
    let keystore = Arc::clone(keystore);
    thread::spawn(move || {
        let _ = done.send(keystore.get(store, key, None));
    });
    result
}

#[test]
fn a_read_waiting_for_the_user_blocks_no_other_operation_on_any_store() {
    let tmp = tempfile::tempdir().unwrap();
    let (protector, waiting) = GatedProtector::new();
    let _open = OpenOnDrop(Arc::clone(&protector));
    let dir = tmp.path().join("stores");
    {
        let setup = Keystore::open(&dir, protector.clone()).unwrap();
        setup.set("vault", "pin", "2468", &AUTH).unwrap();
        setup.set("vault", "plain", "p", &STANDARD).unwrap();
        setup.set("other", "plain", "o", &STANDARD).unwrap();
    }

    // A fresh key store, so the other threads must also load standard keys meanwhile.
    let keystore = Arc::new(Keystore::open(&dir, protector.clone()).unwrap());
    let blocked = read_in_background(&keystore, "vault", "pin");
    waiting
        .recv_timeout(DEADLOCK_GUARD)
        .expect("the read never reached the protector");

    let (done, finished) = mpsc::channel();
    let worker = Arc::clone(&keystore);
    thread::spawn(move || {
        for store in ["vault", "other", "new"] {
            worker.set(store, "written", "w", &STANDARD).unwrap();
            worker.set(store, "guarded", "g", &AUTH).unwrap();
            assert_eq!(worker.get(store, "written", None).unwrap(), "w");
            assert!(worker.contains(store, "guarded").unwrap());
            assert!(worker.metadata(store, "guarded").unwrap().authentication);
            assert!(worker.keys(store).unwrap().contains(&"written".to_owned()));
            worker.remove(store, "written").unwrap();
            worker.compact(store).unwrap();
        }
        assert_eq!(worker.get("vault", "plain", None).unwrap(), "p");
        assert_eq!(worker.get("other", "plain", None).unwrap(), "o");
        worker.clear("new").unwrap();
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(DEADLOCK_GUARD)
        .expect("other operations waited for the blocked read (or failed)");

    // The read is still waiting for its user, and completes once let through.
    assert!(
        blocked.try_recv().is_err(),
        "the read finished before it was let through"
    );
    protector.gate.release(1);
    let value = blocked.recv_timeout(DEADLOCK_GUARD).unwrap();
    assert_eq!(value.unwrap(), "2468");
    assert_eq!(protector.user_presence_loads.load(Ordering::SeqCst), 1);
}

#[test]
fn two_reads_that_need_the_user_each_ask_the_protector_without_waiting_for_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let (protector, waiting) = GatedProtector::new();
    let _open = OpenOnDrop(Arc::clone(&protector));
    let keystore = Arc::new(Keystore::open(tmp.path(), protector.clone()).unwrap());
    keystore.set("vault", "pin", "2468", &AUTH).unwrap();
    keystore.set("vault", "otp", "9753", &AUTH).unwrap();

    // Both reads are inside the protector at once before either is let through.
    let first = read_in_background(&keystore, "vault", "pin");
    let second = read_in_background(&keystore, "vault", "pin");
    let third = read_in_background(&keystore, "vault", "otp");
    for _ in 0..3 {
        waiting
            .recv_timeout(DEADLOCK_GUARD)
            .expect("a read waited for another read's prompt");
    }
    protector.gate.release(3);
    for (result, value) in [(first, "2468"), (second, "2468"), (third, "9753")] {
        assert_eq!(result.recv_timeout(DEADLOCK_GUARD).unwrap().unwrap(), value);
    }

    // Every read asked the user; no answer was shared or cached.
    assert_eq!(protector.user_presence_loads.load(Ordering::SeqCst), 3);
    assert_eq!(protector.inner.user().prompts().len(), 3);
}

#[test]
fn a_cancelled_prompt_on_one_thread_does_not_fail_a_read_on_another() {
    use keystore_core::protector::testing::AuthOutcome;

    let tmp = tempfile::tempdir().unwrap();
    let (protector, waiting) = GatedProtector::new();
    let _open = OpenOnDrop(Arc::clone(&protector));
    let keystore = Arc::new(Keystore::open(tmp.path(), protector.clone()).unwrap());
    keystore.set("vault", "pin", "2468", &AUTH).unwrap();

    let first = read_in_background(&keystore, "vault", "pin");
    let second = read_in_background(&keystore, "vault", "pin");
    for _ in 0..2 {
        waiting.recv_timeout(DEADLOCK_GUARD).unwrap();
    }

    // Whichever reaches the user first is cancelled; the other is approved.
    protector.inner.user().push(AuthOutcome::Cancel);
    protector.gate.release(2);
    let mut results = [first, second].map(|result| result.recv_timeout(DEADLOCK_GUARD).unwrap());
    results.sort_by_key(|result| result.is_ok());
    let [cancelled, approved] = results;
    assert_eq!(
        cancelled.unwrap_err().code(),
        keystore_core::ErrorCode::AuthenticationCancelled
    );
    assert_eq!(approved.unwrap(), "2468");
}
