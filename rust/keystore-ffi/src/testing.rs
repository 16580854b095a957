//! Hooks for the JavaScript tests (cargo feature `testing`, enabled only for the Node build).
//!
//! [`testing_configure`] replaces the host protector with a
//! [`MemoryProtector`] whose prompts are answered by a [`ScriptedAuthenticator`], optionally
//! behind a [`SlowProtector`], so tests can approve, cancel, fail or invalidate a read and
//! hold calls in the protector for a while, and [`testing_set_platform_failure`] makes that
//! protector fail as a platform key store can. No app build exports these functions.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use keystore_core::protector::testing::{
    AuthOutcome, MemoryProtector, ScriptedAuthenticator, SlowProtector,
};
use keystore_core::{DataKey, KeySlot, KeyState, Prompt, Protector, ProtectorError, SecurityLevel};

use crate::{NativeError, instance};

/// The protector installed by [`testing_configure`], kept to script it afterwards.
static PROTECTOR: Mutex<Option<Arc<TestProtector>>> = Mutex::new(None);

/// Set by [`testing_run_inline`]: async calls run on the thread that polls them.
static RUN_INLINE: AtomicBool = AtomicBool::new(false);

/// What the scripted user does at the next prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum TestAuthOutcome {
    /// The user passes the lock screen.
    Approve,
    /// The user dismisses the prompt (`AUTHENTICATION_CANCELLED`).
    Cancel,
    /// The user fails (`AUTHENTICATION_FAILED`).
    Fail,
    /// The platform reports the key invalidated (`KEY_INVALIDATED`).
    Invalidate,
}

impl From<TestAuthOutcome> for AuthOutcome {
    fn from(outcome: TestAuthOutcome) -> Self {
        match outcome {
            TestAuthOutcome::Approve => AuthOutcome::Approve,
            TestAuthOutcome::Cancel => AuthOutcome::Cancel,
            TestAuthOutcome::Fail => AuthOutcome::Fail,
            TestAuthOutcome::Invalidate => AuthOutcome::Invalidate,
        }
    }
}

/// Opens a key store in `directory` whose data keys live in memory, whose user approves
/// every prompt until scripted otherwise, and whose every key load first sleeps `load_delay_ms`
/// on the worker thread. Replaces the configured key store and turns [`testing_run_inline`]
/// off.
///
/// Returns [`NativeError::Storage`] when the directory cannot be created.
#[uniffi::export]
pub fn testing_configure(directory: String, load_delay_ms: u32) -> Result<(), NativeError> {
    let protector = Arc::new(TestProtector {
        inner: SlowProtector::new(
            MemoryProtector::with_user(ScriptedAuthenticator::approving()),
            Duration::from_millis(load_delay_ms.into()),
        ),
        platform_status: Mutex::new(None),
    });
    instance::install(Path::new(&directory), protector.clone())?;
    *lock() = Some(protector);
    RUN_INLINE.store(false, Ordering::SeqCst);
    Ok(())
}

/// Queues the scripted user's answer to the next prompt.
///
/// Returns [`NativeError::Unavailable`] before [`testing_configure`].
#[uniffi::export]
pub fn testing_push_outcome(outcome: TestAuthOutcome) -> Result<(), NativeError> {
    with_protector(|protector| protector.inner().user().push(outcome.into()))
}

/// Sets the scripted user's answer once the queue is empty.
///
/// Returns [`NativeError::Unavailable`] before [`testing_configure`].
#[uniffi::export]
pub fn testing_set_default_outcome(outcome: TestAuthOutcome) -> Result<(), NativeError> {
    with_protector(|protector| protector.inner().user().set_default(outcome.into()))
}

/// How many prompts the scripted user has been shown.
///
/// Returns [`NativeError::Unavailable`] before [`testing_configure`].
#[uniffi::export]
pub fn testing_prompt_count() -> Result<u32, NativeError> {
    with_protector(|protector| {
        u32::try_from(protector.inner().user().prompts().len()).unwrap_or(u32::MAX)
    })
}

/// Simulates a device without a secure lock screen (`Some(reason)`) or with one (`None`).
///
/// Returns [`NativeError::Unavailable`] before [`testing_configure`].
#[uniffi::export]
pub fn testing_set_authentication_unavailable(reason: Option<String>) -> Result<(), NativeError> {
    with_protector(|protector| {
        protector
            .inner()
            .set_authentication_unavailable(reason.as_deref())
    })
}

/// With `Some(status)`, every data key the protector saves or loads fails with that platform
/// status (`PLATFORM`), as a platform key store reporting an unmapped status would; `None`
/// ends the failure.
///
/// Returns [`NativeError::Unavailable`] before [`testing_configure`].
#[uniffi::export]
pub fn testing_set_platform_failure(status: Option<i64>) -> Result<(), NativeError> {
    let protector = lock().clone().ok_or_else(not_configured)?;
    *protector
        .platform_status
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = status;
    Ok(())
}

/// With `true`, async functions run their blocking work on the thread that polls them (the
/// JavaScript thread) instead of a worker, as a binding without worker threads would. Only
/// for the test that proves the responsiveness test detects a blocked JavaScript thread.
#[uniffi::export]
pub fn testing_run_inline(inline: bool) {
    RUN_INLINE.store(inline, Ordering::SeqCst);
}

pub(crate) fn runs_inline() -> bool {
    RUN_INLINE.load(Ordering::SeqCst)
}

fn with_protector<T>(
    f: impl FnOnce(&SlowProtector<MemoryProtector>) -> T,
) -> Result<T, NativeError> {
    match lock().as_deref() {
        Some(protector) => Ok(f(&protector.inner)),
        None => Err(not_configured()),
    }
}

fn not_configured() -> NativeError {
    NativeError::Unavailable {
        message: "call testing_configure(directory, loadDelayMs) first".into(),
    }
}

fn lock() -> std::sync::MutexGuard<'static, Option<Arc<TestProtector>>> {
    PROTECTOR.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The scripted protector, plus a platform status that makes saves and loads fail.
#[derive(Debug)]
struct TestProtector {
    inner: SlowProtector<MemoryProtector>,
    platform_status: Mutex<Option<i64>>,
}

impl TestProtector {
    /// The failure set by [`testing_set_platform_failure`], if any.
    fn platform_failure(&self) -> Result<(), ProtectorError> {
        let status = *self
            .platform_status
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match status {
            Some(code) => Err(ProtectorError::Platform {
                code,
                message: "the test protector was told to fail".into(),
            }),
            None => Ok(()),
        }
    }
}

impl Protector for TestProtector {
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
        self.platform_failure()?;
        self.inner.save(slot, key)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        self.platform_failure()?;
        self.inner.load(slot, prompt)
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        self.inner.probe(slot)
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        self.inner.delete(slot)
    }
}
