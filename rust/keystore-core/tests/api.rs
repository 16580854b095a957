//! Behaviour of every public operation of [`Keystore`], driven through the public API only.
//!
//! This file covers the operations themselves; `api/errors.rs` and `api/failures.rs` reach each
//! error code on purpose, and `api/names.rs` covers unusual names, prompts and what errors and
//! `Debug` output may reveal.

#[path = "api/errors.rs"]
mod errors;
#[path = "api/failures.rs"]
mod failures;
#[path = "api/names.rs"]
mod names;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use keystore_core::protector::testing::MemoryProtector;
use keystore_core::{
    Config, ErrorCode, HostProtector, Keystore, Prompt, SecurityLevel, SetOptions,
};
use tempfile::TempDir;

/// Options of an entry readable without the user.
const STANDARD: SetOptions = SetOptions {
    authentication: false,
};
/// Options of an entry that requires the user to authenticate.
const AUTH: SetOptions = SetOptions {
    authentication: true,
};

/// A key store in a temporary directory, with its in-memory protector at hand.
struct Fixture {
    tmp: TempDir,
    protector: Arc<MemoryProtector>,
    config: Config,
    keystore: Keystore,
}

impl Fixture {
    fn new() -> Self {
        Self::with_config(Config::default())
    }

    fn with_config(config: Config) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let protector = Arc::new(MemoryProtector::new());
        let keystore =
            Keystore::with_config(tmp.path().join("stores"), protector.clone(), config.clone())
                .unwrap();
        Fixture {
            tmp,
            protector,
            config,
            keystore,
        }
    }

    fn dir(&self) -> PathBuf {
        self.tmp.path().join("stores")
    }

    /// A second key store on the same directory and protector, as after an app restart.
    fn reopen(&self) -> Keystore {
        Keystore::with_config(self.dir(), self.protector.clone(), self.config.clone()).unwrap()
    }
}

/// The error code of a result that must have failed.
fn code_of<T: std::fmt::Debug>(result: Result<T, keystore_core::Error>) -> ErrorCode {
    result.expect_err("the operation should have failed").code()
}

/// The store files (`*.kst`) directly inside `dir`.
fn store_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kst"))
        .collect();
    files.sort();
    files
}

/// The only store file in `dir`, for tests that use one store.
fn only_store_file(dir: &Path) -> PathBuf {
    let files = store_files(dir);
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[test]
fn a_set_value_reads_back_and_a_second_set_replaces_it() {
    let fx = Fixture::new();
    fx.keystore
        .set("session", "token", "first", &STANDARD)
        .unwrap();
    assert_eq!(fx.keystore.get("session", "token", None).unwrap(), "first");

    fx.keystore
        .set("session", "token", "second", &STANDARD)
        .unwrap();
    assert_eq!(fx.keystore.get("session", "token", None).unwrap(), "second");
}

#[test]
fn an_entry_that_requires_authentication_reads_back_after_the_user_approves() {
    let fx = Fixture::new();
    fx.keystore.set("vault", "pin", "2468", &AUTH).unwrap();
    assert_eq!(fx.keystore.get("vault", "pin", None).unwrap(), "2468");

    // Replacing it with a standard entry drops the requirement.
    fx.keystore.set("vault", "pin", "1357", &STANDARD).unwrap();
    let prompts = fx.protector.user().prompts().len();
    assert_eq!(fx.keystore.get("vault", "pin", None).unwrap(), "1357");
    assert_eq!(fx.protector.user().prompts().len(), prompts);
}

#[test]
fn an_empty_value_is_stored_and_read_back_empty() {
    let fx = Fixture::new();
    fx.keystore.set("s", "empty", "", &STANDARD).unwrap();
    fx.keystore.set("s", "empty-auth", "", &AUTH).unwrap();
    assert_eq!(fx.keystore.get("s", "empty", None).unwrap(), "");
    assert_eq!(fx.keystore.get("s", "empty-auth", None).unwrap(), "");
    assert!(fx.keystore.contains("s", "empty").unwrap());
}

#[test]
fn bytes_round_trip_and_text_reads_of_non_utf8_values_report_corrupted() {
    let fx = Fixture::new();
    let binary = [0u8, 0xff, 0xfe, 0x80, 0x00, 0x7f];
    fx.keystore
        .set_bytes("blobs", "raw", &binary, &STANDARD)
        .unwrap();
    fx.keystore
        .set_bytes("blobs", "raw-auth", &binary, &AUTH)
        .unwrap();
    assert_eq!(fx.keystore.get_bytes("blobs", "raw", None).unwrap(), binary);
    assert_eq!(
        fx.keystore.get_bytes("blobs", "raw-auth", None).unwrap(),
        binary
    );
    assert_eq!(
        code_of(fx.keystore.get("blobs", "raw", None)),
        ErrorCode::Corrupted
    );

    // Text set with `set` is the same bytes through `get_bytes`.
    fx.keystore
        .set("blobs", "text", "héllo", &STANDARD)
        .unwrap();
    assert_eq!(
        fx.keystore.get_bytes("blobs", "text", None).unwrap(),
        "héllo".as_bytes()
    );

    // A failed text read changes nothing.
    assert_eq!(fx.keystore.get_bytes("blobs", "raw", None).unwrap(), binary);
}

#[test]
fn contains_follows_sets_and_removes_without_decrypting_or_prompting() {
    let fx = Fixture::new();
    assert!(!fx.keystore.contains("s", "a").unwrap());
    fx.keystore.set("s", "a", "1", &STANDARD).unwrap();
    fx.keystore.set("s", "b", "2", &AUTH).unwrap();
    assert!(fx.keystore.contains("s", "a").unwrap());
    assert!(fx.keystore.contains("s", "b").unwrap());
    assert!(!fx.keystore.contains("s", "c").unwrap());
    assert!(!fx.keystore.contains("other", "a").unwrap());

    fx.keystore.remove("s", "a").unwrap();
    assert!(!fx.keystore.contains("s", "a").unwrap());
    assert!(fx.protector.user().prompts().is_empty());
}

#[test]
fn removing_an_entry_makes_it_not_found_and_removing_a_missing_key_succeeds() {
    let fx = Fixture::new();

    // A store that does not exist yet, and one that exists without the key.
    fx.keystore.remove("never-used", "k").unwrap();
    fx.keystore.set("s", "kept", "v", &STANDARD).unwrap();
    fx.keystore.remove("s", "missing").unwrap();

    fx.keystore.set("s", "gone", "v", &AUTH).unwrap();
    fx.keystore.remove("s", "gone").unwrap();
    fx.keystore.remove("s", "gone").unwrap();
    assert_eq!(
        code_of(fx.keystore.get("s", "gone", None)),
        ErrorCode::NotFound
    );
    assert_eq!(fx.keystore.get("s", "kept", None).unwrap(), "v");
    assert_eq!(fx.keystore.keys("s").unwrap(), ["kept"]);

    // Removing from a store that was never used created no file for it.
    assert_eq!(store_files(&fx.dir()).len(), 1);
}

#[test]
fn keys_lists_entries_in_the_order_they_were_first_set() {
    let fx = Fixture::new();
    assert!(fx.keystore.keys("s").unwrap().is_empty());
    for key in ["charlie", "alpha", "bravo"] {
        fx.keystore.set("s", key, "v", &STANDARD).unwrap();
    }
    fx.keystore.set("s", "delta", "v", &AUTH).unwrap();
    assert_eq!(
        fx.keystore.keys("s").unwrap(),
        ["charlie", "alpha", "bravo", "delta"]
    );

    // A removed key that is set again counts as first set now.
    fx.keystore.remove("s", "charlie").unwrap();
    fx.keystore.set("s", "charlie", "v", &STANDARD).unwrap();
    assert_eq!(
        fx.keystore.keys("s").unwrap(),
        ["alpha", "bravo", "delta", "charlie"]
    );
}

#[test]
fn keys_keeps_the_first_set_order_when_an_entry_is_updated() {
    let fx = Fixture::new();
    for key in ["charlie", "alpha", "bravo"] {
        fx.keystore.set("s", key, "v1", &STANDARD).unwrap();
    }
    fx.keystore.set("s", "alpha", "v2", &STANDARD).unwrap();
    assert_eq!(
        fx.keystore.keys("s").unwrap(),
        ["charlie", "alpha", "bravo"]
    );

    // The order survives a compaction and a reopen.
    fx.keystore.compact("s").unwrap();
    assert_eq!(
        fx.reopen().keys("s").unwrap(),
        ["charlie", "alpha", "bravo"]
    );
}

#[test]
fn metadata_keeps_the_creation_time_across_updates_and_advances_the_update_time() {
    let fx = Fixture::new();
    let before = now_ms();
    fx.keystore.set("s", "k", "v1", &STANDARD).unwrap();
    let first = fx.keystore.metadata("s", "k").unwrap();
    assert!(!first.authentication);
    assert_eq!(first.security_level, SecurityLevel::TrustedEnvironment);
    assert!(first.created_at_ms >= before, "{first:?}");
    assert_eq!(first.created_at_ms, first.updated_at_ms);

    // Let the millisecond clock move on, so the update time can differ.
    while now_ms() <= first.updated_at_ms {
        std::thread::sleep(Duration::from_millis(1));
    }
    fx.keystore.set("s", "k", "v2", &AUTH).unwrap();
    let second = fx.keystore.metadata("s", "k").unwrap();
    assert!(second.authentication);
    assert_eq!(second.created_at_ms, first.created_at_ms);
    assert!(second.updated_at_ms > first.updated_at_ms, "{second:?}");

    // Reading metadata of an entry that requires authentication does not prompt.
    assert!(fx.protector.user().prompts().is_empty());
    assert_eq!(fx.reopen().metadata("s", "k").unwrap(), second);
}

#[test]
fn metadata_of_a_removed_entry_is_not_found_and_a_new_set_starts_a_new_creation_time() {
    let fx = Fixture::new();
    fx.keystore.set("s", "k", "v", &STANDARD).unwrap();
    let first = fx.keystore.metadata("s", "k").unwrap();
    fx.keystore.remove("s", "k").unwrap();
    assert_eq!(code_of(fx.keystore.metadata("s", "k")), ErrorCode::NotFound);

    while now_ms() <= first.created_at_ms {
        std::thread::sleep(Duration::from_millis(1));
    }
    fx.keystore.set("s", "k", "v", &STANDARD).unwrap();
    let again = fx.keystore.metadata("s", "k").unwrap();
    assert!(again.created_at_ms > first.created_at_ms, "{again:?}");
}

#[test]
fn metadata_reports_the_software_level_of_a_host_protector() {
    let tmp = tempfile::tempdir().unwrap();
    let protector = Arc::new(HostProtector::new(tmp.path().join("keys")));
    let keystore = Keystore::open(tmp.path().join("stores"), protector).unwrap();
    assert_eq!(keystore.security_level(), SecurityLevel::Software);
    keystore.set("s", "k", "v", &STANDARD).unwrap();
    let metadata = keystore.metadata("s", "k").unwrap();
    assert_eq!(metadata.security_level, SecurityLevel::Software);
    assert!(!metadata.authentication);
}

#[test]
fn clear_removes_every_entry_destroys_the_data_keys_and_leaves_a_usable_store() {
    let fx = Fixture::new();
    fx.keystore.set("a", "plain", "1", &STANDARD).unwrap();
    fx.keystore.set("a", "guarded", "2", &AUTH).unwrap();
    fx.keystore.set("b", "plain", "3", &STANDARD).unwrap();
    fx.keystore.set("b", "guarded", "4", &AUTH).unwrap();
    assert_eq!(fx.protector.key_count(), 4);

    fx.keystore.clear("a").unwrap();
    assert_eq!(fx.protector.key_count(), 2);
    assert!(fx.keystore.keys("a").unwrap().is_empty());
    assert!(!fx.keystore.contains("a", "plain").unwrap());
    assert_eq!(
        code_of(fx.keystore.get("a", "plain", None)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code_of(fx.keystore.get("a", "guarded", None)),
        ErrorCode::NotFound
    );
    assert_eq!(fx.keystore.get("b", "plain", None).unwrap(), "3");
    assert_eq!(fx.keystore.get("b", "guarded", None).unwrap(), "4");

    // The cleared store works again, with fresh keys, and stays cleared after a reopen.
    fx.keystore.set("a", "plain", "5", &STANDARD).unwrap();
    fx.keystore.set("a", "guarded", "6", &AUTH).unwrap();
    assert_eq!(fx.protector.key_count(), 4);
    let reopened = fx.reopen();
    assert_eq!(reopened.get("a", "plain", None).unwrap(), "5");
    assert_eq!(reopened.get("a", "guarded", None).unwrap(), "6");
    assert_eq!(reopened.keys("a").unwrap(), ["plain", "guarded"]);
}

#[test]
fn clearing_a_store_that_was_never_used_succeeds() {
    let fx = Fixture::new();
    fx.keystore.clear("nothing").unwrap();
    fx.keystore.clear("nothing").unwrap();
    assert!(fx.keystore.keys("nothing").unwrap().is_empty());
    assert_eq!(fx.protector.key_count(), 0);
}

#[test]
fn a_reopened_keystore_sees_every_entry_and_every_removal() {
    let fx = Fixture::new();
    fx.keystore.set("a", "plain", "1", &STANDARD).unwrap();
    fx.keystore.set("a", "guarded", "2", &AUTH).unwrap();
    fx.keystore
        .set_bytes("b", "raw", &[0, 1, 2], &STANDARD)
        .unwrap();
    fx.keystore.set("b", "removed", "x", &STANDARD).unwrap();
    fx.keystore.remove("b", "removed").unwrap();
    let metadata = fx.keystore.metadata("a", "guarded").unwrap();

    let reopened = fx.reopen();
    assert_eq!(reopened.get("a", "plain", None).unwrap(), "1");
    assert_eq!(reopened.get("a", "guarded", None).unwrap(), "2");
    assert_eq!(reopened.get_bytes("b", "raw", None).unwrap(), [0, 1, 2]);
    assert_eq!(
        code_of(reopened.get("b", "removed", None)),
        ErrorCode::NotFound
    );
    assert_eq!(reopened.keys("a").unwrap(), ["plain", "guarded"]);
    assert_eq!(reopened.keys("b").unwrap(), ["raw"]);
    assert_eq!(reopened.metadata("a", "guarded").unwrap(), metadata);
}

#[test]
fn two_open_keystores_on_one_directory_see_each_others_writes() {
    let fx = Fixture::new();
    let other = fx.reopen();
    fx.keystore.set("s", "k", "from-first", &STANDARD).unwrap();
    assert_eq!(other.get("s", "k", None).unwrap(), "from-first");
    other.set("s", "k", "from-second", &STANDARD).unwrap();
    other.set("s", "k2", "new", &AUTH).unwrap();
    assert_eq!(fx.keystore.get("s", "k", None).unwrap(), "from-second");
    assert_eq!(fx.keystore.get("s", "k2", None).unwrap(), "new");
    other.remove("s", "k").unwrap();
    assert!(!fx.keystore.contains("s", "k").unwrap());

    // A compaction by one is followed by the other.
    other.compact("s").unwrap();
    fx.keystore.set("s", "k3", "after", &STANDARD).unwrap();
    assert_eq!(other.keys("s").unwrap(), ["k2", "k3"]);
}

#[test]
fn an_explicit_compaction_shrinks_the_file_and_keeps_every_live_entry() {
    let fx = Fixture::with_config(Config {
        compact_min_bytes: u64::MAX,
        ..Config::default()
    });
    for round in 0..50 {
        fx.keystore
            .set("s", "hot", &format!("v{round}"), &STANDARD)
            .unwrap();
    }
    fx.keystore.set("s", "guarded", "g", &AUTH).unwrap();
    fx.keystore.set("s", "removed", "r", &STANDARD).unwrap();
    fx.keystore.remove("s", "removed").unwrap();
    let file = only_store_file(&fx.dir());
    let before = std::fs::metadata(&file).unwrap().len();

    fx.keystore.compact("s").unwrap();
    let after = std::fs::metadata(&file).unwrap().len();
    assert!(after * 10 < before, "{before} bytes compacted to {after}");
    for keystore in [&fx.keystore, &fx.reopen()] {
        assert_eq!(keystore.get("s", "hot", None).unwrap(), "v49");
        assert_eq!(keystore.get("s", "guarded", None).unwrap(), "g");
        assert_eq!(
            code_of(keystore.get("s", "removed", None)),
            ErrorCode::NotFound
        );
        assert_eq!(keystore.keys("s").unwrap(), ["hot", "guarded"]);
    }

    // Compacting again, or compacting a store that was never used, is harmless.
    fx.keystore.compact("s").unwrap();
    fx.keystore.compact("unused").unwrap();
    assert_eq!(fx.keystore.get("s", "hot", None).unwrap(), "v49");
}

#[test]
fn automatic_compaction_bounds_the_file_of_a_frequently_updated_entry() {
    let fx = Fixture::with_config(Config {
        compact_min_bytes: 2048,
        ..Config::default()
    });
    fx.keystore.set("s", "cold", "c", &STANDARD).unwrap();
    for round in 0..300 {
        fx.keystore
            .set("s", "hot", &format!("v{round}"), &STANDARD)
            .unwrap();
    }

    // Without compaction the file would hold 300 records of over 100 bytes each.
    let len = std::fs::metadata(only_store_file(&fx.dir())).unwrap().len();
    assert!(len < 8 * 1024, "the store file is {len} bytes");
    let reopened = fx.reopen();
    assert_eq!(reopened.get("s", "hot", None).unwrap(), "v299");
    assert_eq!(reopened.get("s", "cold", None).unwrap(), "c");
}

#[test]
fn the_same_key_in_different_stores_holds_different_entries() {
    let fx = Fixture::new();
    fx.keystore.set("one", "k", "1", &STANDARD).unwrap();
    fx.keystore.set("two", "k", "2", &AUTH).unwrap();
    assert_eq!(fx.keystore.get("one", "k", None).unwrap(), "1");
    assert_eq!(fx.keystore.get("two", "k", None).unwrap(), "2");
    fx.keystore.remove("one", "k").unwrap();
    assert_eq!(fx.keystore.get("two", "k", None).unwrap(), "2");
    assert_eq!(store_files(&fx.dir()).len(), 2);
}

#[test]
fn availability_reflects_the_directory_and_the_protector() {
    let fx = Fixture::new();
    assert_eq!(fx.keystore.dir(), fx.dir());
    assert!(fx.keystore.is_available());
    assert!(fx.keystore.can_authenticate());

    fx.protector
        .set_authentication_unavailable(Some("no lock screen"));
    assert!(fx.keystore.is_available());
    assert!(!fx.keystore.can_authenticate());

    fx.protector
        .set_unavailable(Some("the key store is locked"));
    assert!(!fx.keystore.is_available());
    let err = fx.keystore.availability().unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert!(err.to_string().contains("the key store is locked"), "{err}");

    fx.protector.set_unavailable(None);
    fx.protector.set_authentication_unavailable(None);
    std::fs::remove_dir_all(fx.dir()).unwrap();
    assert_eq!(code_of(fx.keystore.availability()), ErrorCode::Unavailable);
}

#[test]
fn a_host_protector_cannot_authenticate() {
    let tmp = tempfile::tempdir().unwrap();
    let protector = Arc::new(HostProtector::new(tmp.path().join("keys")));
    let keystore = Keystore::open(tmp.path().join("stores"), protector).unwrap();
    assert!(keystore.is_available());
    assert!(!keystore.can_authenticate());
}

#[test]
fn a_custom_prompt_is_accepted_for_standard_entries_without_being_shown() {
    let fx = Fixture::new();
    fx.keystore.set("s", "k", "v", &STANDARD).unwrap();
    let prompt = Prompt {
        title: Some("Unlock".into()),
        ..Prompt::default()
    };
    assert_eq!(fx.keystore.get("s", "k", Some(&prompt)).unwrap(), "v");
    assert!(fx.protector.user().prompts().is_empty());
}
