//! The exported functions, called from Rust the way the generated bindings call them.
#![cfg(feature = "testing")]

use std::sync::{Mutex, MutexGuard};

use futures_lite::future::block_on;
use keystore_ffi::testing::{
    TestAuthOutcome, testing_configure, testing_push_outcome, testing_set_platform_failure,
};
use keystore_ffi::{
    NativeError, Prompt, SecurityLevel, clear_store, configure, get_metadata, get_value, has_key,
    list_keys, remove_key, security_level, set_value,
};

/// The bindings have one key store per process; tests take turns with it.
static TURN: Mutex<()> = Mutex::new(());

struct Fresh {
    _turn: MutexGuard<'static, ()>,
    _dir: tempfile::TempDir,
}

fn fresh_memory_keystore() -> Fresh {
    let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = tempfile::tempdir().unwrap();
    testing_configure(dir.path().to_str().unwrap().into(), 0).unwrap();
    Fresh {
        _turn: turn,
        _dir: dir,
    }
}

fn s(text: &str) -> String {
    text.to_owned()
}

#[test]
fn a_value_that_was_set_reads_back_and_is_gone_after_remove() {
    let _keystore = fresh_memory_keystore();

    block_on(set_value(s("session"), s("token"), s("abc123"), false)).unwrap();
    assert_eq!(
        block_on(get_value(s("session"), s("token"), None)).unwrap(),
        "abc123"
    );
    assert!(block_on(has_key(s("session"), s("token"))).unwrap());
    assert_eq!(block_on(list_keys(s("session"))).unwrap(), vec![s("token")]);

    block_on(remove_key(s("session"), s("token"))).unwrap();
    assert!(matches!(
        block_on(get_value(s("session"), s("token"), None)),
        Err(NativeError::NotFound { .. })
    ));
}

#[test]
fn metadata_reports_authentication_without_prompting() {
    let _keystore = fresh_memory_keystore();
    block_on(set_value(s("session"), s("token"), s("abc123"), true)).unwrap();

    let metadata = block_on(get_metadata(s("session"), s("token"))).unwrap();

    assert!(metadata.authentication);
    assert_eq!(metadata.security_level, SecurityLevel::TrustedEnvironment);
    assert!(metadata.created_at_ms > 0.0);
}

#[test]
fn each_answer_of_the_user_becomes_its_error() {
    let _keystore = fresh_memory_keystore();
    block_on(set_value(s("session"), s("token"), s("abc123"), true)).unwrap();
    let prompt = || {
        Some(Prompt {
            title: Some(s("Unlock")),
            ..Prompt::default()
        })
    };

    testing_push_outcome(TestAuthOutcome::Cancel).unwrap();
    let cancelled = block_on(get_value(s("session"), s("token"), prompt()));
    testing_push_outcome(TestAuthOutcome::Fail).unwrap();
    let failed = block_on(get_value(s("session"), s("token"), prompt()));
    let approved = block_on(get_value(s("session"), s("token"), prompt()));
    testing_push_outcome(TestAuthOutcome::Invalidate).unwrap();
    let invalidated = block_on(get_value(s("session"), s("token"), prompt()));

    assert!(matches!(
        cancelled,
        Err(NativeError::AuthenticationCancelled { .. })
    ));
    assert!(matches!(
        failed,
        Err(NativeError::AuthenticationFailed { .. })
    ));
    assert_eq!(approved.unwrap(), "abc123");
    assert!(matches!(
        invalidated,
        Err(NativeError::KeyInvalidated { .. })
    ));
}

#[test]
fn bad_input_is_rejected_before_anything_is_written() {
    let _keystore = fresh_memory_keystore();

    let result = block_on(set_value(s(""), s("token"), s("abc123"), false));

    assert!(matches!(result, Err(NativeError::InvalidInput { .. })));
    block_on(clear_store(s("session"))).unwrap();
}

#[test]
fn the_host_protector_reports_software_and_refuses_authentication_entries() {
    let _turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path().to_str().unwrap().into()).unwrap();

    assert_eq!(security_level().unwrap(), SecurityLevel::Software);
    let result = block_on(set_value(s("session"), s("token"), s("abc123"), true));

    assert!(matches!(result, Err(NativeError::Unavailable { .. })));
}

#[test]
fn a_platform_failure_keeps_its_numeric_status() {
    let _keystore = fresh_memory_keystore();
    testing_set_platform_failure(Some(-25293)).unwrap();

    let result = block_on(set_value(s("session"), s("token"), s("abc123"), false));

    assert!(matches!(
        result,
        Err(NativeError::Platform { status: -25293, .. })
    ));
    testing_set_platform_failure(None).unwrap();
    block_on(set_value(s("session"), s("token"), s("abc123"), false)).unwrap();
}
