//! Errors about the device: UNAVAILABLE, CORRUPTED, STORAGE and PLATFORM, each reached on
//! purpose, and what they leave intact.

use std::collections::HashSet;
use std::sync::Mutex;

use keystore_core::{AccessClass, DataKey, Error, KeySlot, KeyState, Protector, ProtectorError};

use super::*;

/// Every file under `dir`, read whole, for checks that a value never reached the disk.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                found.push((path, bytes));
            }
        }
    }
    found
}

fn assert_nowhere_on_disk(dir: &Path, needle: &str) {
    for (path, bytes) in files_under(dir) {
        let hit = bytes
            .windows(needle.len())
            .any(|window| window == needle.as_bytes());
        assert!(!hit, "{} contains {needle:?}", path.display());
    }
}

#[test]
fn an_entry_requiring_authentication_on_a_host_is_unavailable_and_nothing_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let protector = Arc::new(HostProtector::new(tmp.path().join("keys")));
    let keystore = Keystore::open(tmp.path().join("stores"), protector).unwrap();
    keystore.set("s", "plain", "p", &STANDARD).unwrap();

    let value = "unstored-secret-5b1e";
    for store in ["s", "new-store"] {
        let err = keystore.set(store, "guarded", value, &AUTH).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Unavailable);
        assert!(err.to_string().contains("lock screen"), "{err}");
        assert_eq!(
            code_of(keystore.get(store, "guarded", None)),
            ErrorCode::NotFound
        );
        assert!(!keystore.contains(store, "guarded").unwrap());
    }
    assert_eq!(keystore.keys("s").unwrap(), ["plain"]);
    assert_nowhere_on_disk(tmp.path(), value);
}

#[test]
fn without_a_lock_screen_guarded_sets_are_unavailable_and_keep_the_previous_value() {
    let fx = Fixture::new();
    fx.keystore.set("s", "pin", "old-pin", &AUTH).unwrap();
    fx.protector
        .set_authentication_unavailable(Some("no passcode is set"));

    let value = "new-pin-4c7d9";
    let err = fx.keystore.set("s", "pin", value, &AUTH).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert!(err.to_string().contains("no passcode is set"), "{err}");
    assert_eq!(
        code_of(fx.keystore.set("s", "fresh", value, &AUTH)),
        ErrorCode::Unavailable
    );

    assert_eq!(fx.keystore.get("s", "pin", None).unwrap(), "old-pin");
    assert_eq!(
        code_of(fx.keystore.get("s", "fresh", None)),
        ErrorCode::NotFound
    );
    assert_nowhere_on_disk(fx.tmp.path(), value);

    // Standard entries do not need the lock screen.
    fx.keystore.set("s", "plain", value, &STANDARD).unwrap();
    assert_eq!(fx.keystore.get("s", "plain", None).unwrap(), value);
}

#[test]
fn an_unavailable_platform_key_store_refuses_to_create_a_store() {
    let fx = Fixture::new();
    fx.protector.set_unavailable(Some("the device is locked"));
    let err = fx.keystore.set("s", "k", "v", &STANDARD).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert_eq!(
        code_of(fx.keystore.get("s", "k", None)),
        ErrorCode::NotFound
    );

    fx.protector.set_unavailable(None);
    fx.keystore.set("s", "k", "v", &STANDARD).unwrap();
    assert_eq!(fx.keystore.get("s", "k", None).unwrap(), "v");
}

#[test]
fn damage_to_any_byte_of_the_file_header_is_corrupted_until_the_store_is_cleared() {
    for position in 0..16 {
        let fx = Fixture::new();
        fx.keystore.set("s", "plain", "p", &STANDARD).unwrap();
        fx.keystore.set("s", "guarded", "g", &AUTH).unwrap();
        let file = only_store_file(&fx.dir());
        fx.keystore.set("intact", "k", "v", &STANDARD).unwrap();
        let mut bytes = std::fs::read(&file).unwrap();
        bytes[position] ^= 0x5a;
        std::fs::write(&file, &bytes).unwrap();

        let keystore = fx.reopen();
        let what = format!("header byte {position}");
        assert_eq!(
            code_of(keystore.get("s", "plain", None)),
            ErrorCode::Corrupted,
            "{what}"
        );
        assert_eq!(
            code_of(keystore.get("s", "guarded", None)),
            ErrorCode::Corrupted,
            "{what}"
        );
        assert_eq!(
            code_of(keystore.metadata("s", "plain")),
            ErrorCode::Corrupted,
            "{what}"
        );
        assert_eq!(
            code_of(keystore.contains("s", "plain")),
            ErrorCode::Corrupted,
            "{what}"
        );
        assert_eq!(code_of(keystore.keys("s")), ErrorCode::Corrupted, "{what}");
        let set = keystore.set("s", "plain", "p2", &STANDARD);
        assert_eq!(code_of(set), ErrorCode::Corrupted, "{what}");
        assert_eq!(
            code_of(keystore.remove("s", "plain")),
            ErrorCode::Corrupted,
            "{what}"
        );
        assert_eq!(keystore.get("intact", "k", None).unwrap(), "v", "{what}");

        // Nothing was wiped silently; clearing is the way out.
        assert_eq!(std::fs::read(&file).unwrap(), bytes, "{what}");
        keystore.clear("s").unwrap();
        assert!(keystore.keys("s").unwrap().is_empty(), "{what}");
        keystore.set("s", "plain", "p3", &STANDARD).unwrap();
        assert_eq!(fx.reopen().get("s", "plain", None).unwrap(), "p3", "{what}");
    }
}

#[test]
fn a_directory_in_place_of_the_store_file_fails_reads_and_writes_with_storage() {
    let fx = Fixture::new();
    fx.keystore.set("s", "k", "v", &STANDARD).unwrap();
    let file = only_store_file(&fx.dir());
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();

    let keystore = fx.reopen();
    assert_eq!(code_of(keystore.get("s", "k", None)), ErrorCode::Storage);
    assert_eq!(
        code_of(keystore.set("s", "k", "v2", &STANDARD)),
        ErrorCode::Storage
    );
    assert_eq!(code_of(keystore.remove("s", "k")), ErrorCode::Storage);
    assert_eq!(code_of(keystore.contains("s", "k")), ErrorCode::Storage);
    assert_eq!(code_of(keystore.keys("s")), ErrorCode::Storage);
    assert_eq!(code_of(keystore.clear("s")), ErrorCode::Storage);

    // Other stores in the directory are unaffected.
    keystore.set("t", "k", "v", &STANDARD).unwrap();
    assert_eq!(keystore.get("t", "k", None).unwrap(), "v");
}

#[test]
fn a_write_that_cannot_take_the_store_lock_fails_with_storage_and_keeps_the_entry() {
    let fx = Fixture::new();
    fx.keystore.set("s", "k", "before", &STANDARD).unwrap();
    let lock = only_store_file(&fx.dir()).with_extension("lock");
    assert!(lock.is_file(), "{}", lock.display());
    std::fs::remove_file(&lock).unwrap();
    std::fs::create_dir(&lock).unwrap();

    let err = fx.keystore.set("s", "k", "after", &STANDARD).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
    assert_eq!(code_of(fx.keystore.remove("s", "k")), ErrorCode::Storage);
    assert_eq!(code_of(fx.keystore.compact("s")), ErrorCode::Storage);
    assert_eq!(fx.keystore.get("s", "k", None).unwrap(), "before");
    assert!(fx.keystore.contains("s", "k").unwrap());

    std::fs::remove_dir(&lock).unwrap();
    fx.keystore.set("s", "k", "after", &STANDARD).unwrap();
    assert_eq!(fx.reopen().get("s", "k", None).unwrap(), "after");
}

#[test]
fn opening_a_keystore_where_a_file_stands_is_a_storage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("not-a-directory");
    std::fs::write(&path, b"x").unwrap();
    let result = Keystore::open(&path, Arc::new(MemoryProtector::new()));
    assert_eq!(code_of(result), ErrorCode::Storage);
}

/// A protector that fails chosen operations with a platform status, as a keychain can.
#[derive(Default)]
struct FailingProtector {
    inner: MemoryProtector,
    failing: Mutex<HashSet<&'static str>>,
}

impl FailingProtector {
    const STATUS: i64 = -25308;

    fn fail(&self, operation: &'static str, on: bool) {
        let mut failing = self.failing.lock().unwrap();
        if on {
            failing.insert(operation);
        } else {
            failing.remove(operation);
        }
    }

    fn check(&self, operation: &'static str) -> Result<(), ProtectorError> {
        if self.failing.lock().unwrap().contains(operation) {
            return Err(ProtectorError::Platform {
                code: Self::STATUS,
                message: format!("the test made {operation} fail"),
            });
        }
        Ok(())
    }
}

impl Protector for FailingProtector {
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
        self.check("save")?;
        self.inner.save(slot, key)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        self.check(match slot.class {
            AccessClass::Standard => "load standard",
            AccessClass::UserPresence => "load user-presence",
        })?;
        self.inner.load(slot, prompt)
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        self.inner.probe(slot)
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        self.check("delete")?;
        self.inner.delete(slot)
    }
}

fn failing_keystore() -> (TempDir, Arc<FailingProtector>, Keystore) {
    let tmp = tempfile::tempdir().unwrap();
    let protector = Arc::new(FailingProtector::default());
    let keystore = Keystore::open(tmp.path().join("stores"), protector.clone()).unwrap();
    (tmp, protector, keystore)
}

fn assert_platform(result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Err(Error::Platform { code, message }) => {
            assert_eq!(code, FailingProtector::STATUS);
            assert!(message.contains("the test made"), "{message}");
        }
        other => panic!("expected a platform error, got {other:?}"),
    }
}

#[test]
fn a_platform_failure_while_saving_a_data_key_is_platform_and_stores_nothing() {
    let (_tmp, protector, keystore) = failing_keystore();
    protector.fail("save", true);
    assert_platform(keystore.set("s", "k", "v", &STANDARD));
    assert_eq!(code_of(keystore.get("s", "k", None)), ErrorCode::NotFound);

    protector.fail("save", false);
    keystore.set("s", "k", "v", &STANDARD).unwrap();
    protector.fail("save", true);
    assert_platform(keystore.set("s", "guarded", "g", &AUTH));
    assert_eq!(
        code_of(keystore.get("s", "guarded", None)),
        ErrorCode::NotFound
    );
    assert_eq!(keystore.get("s", "k", None).unwrap(), "v");
}

#[test]
fn a_platform_failure_while_loading_a_data_key_is_platform_and_loses_nothing() {
    let (tmp, protector, keystore) = failing_keystore();
    keystore.set("s", "plain", "p", &STANDARD).unwrap();
    keystore.set("s", "guarded", "g", &AUTH).unwrap();

    protector.fail("load user-presence", true);
    assert_platform(keystore.get("s", "guarded", None));
    assert_eq!(keystore.get("s", "plain", None).unwrap(), "p");

    // A fresh key store must load the standard key before doing anything with the store.
    protector.fail("load standard", true);
    let reopened = Keystore::open(tmp.path().join("stores"), protector.clone()).unwrap();
    assert_platform(reopened.get("s", "plain", None));
    assert_platform(reopened.set("s", "plain", "p2", &STANDARD));
    assert_platform(reopened.keys("s"));

    protector.fail("load standard", false);
    protector.fail("load user-presence", false);
    assert_eq!(reopened.get("s", "plain", None).unwrap(), "p");
    assert_eq!(reopened.get("s", "guarded", None).unwrap(), "g");
}

#[test]
fn a_platform_failure_while_deleting_keys_makes_clear_fail_until_it_can_finish() {
    let (_tmp, protector, keystore) = failing_keystore();
    keystore.set("s", "plain", "p", &STANDARD).unwrap();
    keystore.set("s", "guarded", "g", &AUTH).unwrap();
    protector.fail("delete", true);
    assert_platform(keystore.clear("s"));

    protector.fail("delete", false);
    keystore.clear("s").unwrap();
    assert_eq!(protector.inner.key_count(), 0);
    assert!(keystore.keys("s").unwrap().is_empty());
    keystore.set("s", "plain", "p2", &STANDARD).unwrap();
    assert_eq!(keystore.get("s", "plain", None).unwrap(), "p2");
}
