//! The one key store the bindings talk to, and the worker threads that call it.

use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use keystore_core::{HostProtector, Keystore, Protector};

use crate::NativeError;

/// Set by `configure`; replaced, never taken, so in-flight calls keep their `Arc`.
static KEYSTORE: RwLock<Option<Arc<Keystore>>> = RwLock::new(None);

/// Opens the key store in `directory` with the host protector.
pub(crate) fn configure_host(directory: &Path) -> Result<(), NativeError> {
    let protector = Arc::new(HostProtector::new(directory.join("keys")));
    install(directory, protector)
}

/// Opens the key store in `directory/stores` with `protector` and makes it current.
pub(crate) fn install(directory: &Path, protector: Arc<dyn Protector>) -> Result<(), NativeError> {
    let keystore = Keystore::open(directory.join("stores"), protector)?;
    log::debug!("keystore configured in {}", directory.display());
    *KEYSTORE.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(keystore));
    Ok(())
}

/// The current key store.
///
/// Returns [`NativeError::Unavailable`] before `configure`.
pub(crate) fn current() -> Result<Arc<Keystore>, NativeError> {
    KEYSTORE
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
        .ok_or_else(|| NativeError::Unavailable {
            message:
                "the key store is not configured: call configure({ directory }) once at startup, \
                      before any other function"
                    .into(),
        })
}

/// Runs blocking core work on a worker thread and awaits it, so the JavaScript thread that
/// polls the future is never blocked. The pool grows on demand (up to `BLOCKING_MAX_THREADS`,
/// 500 by default), so a call waiting on a prompt does not hold up the others.
pub(crate) async fn on_worker<T, F>(work: F) -> Result<T, NativeError>
where
    F: FnOnce() -> Result<T, keystore_core::Error> + Send + 'static,
    T: Send + 'static,
{
    #[cfg(feature = "testing")]
    if crate::testing::runs_inline() {
        return Ok(work()?);
    }
    Ok(blocking::unblock(work).await?)
}
