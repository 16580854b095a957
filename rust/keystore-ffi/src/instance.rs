//! The one key store the bindings talk to, and the worker threads that call it.

use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use keystore_core::{Keystore, Protector};

use crate::NativeError;

#[cfg(target_os = "android")]
use crate::android as platform;
#[cfg(target_os = "ios")]
use crate::apple as platform;

/// The host's protector: owner-readable key files beside the stores.
#[cfg(not(any(target_os = "ios", target_os = "android")))]
mod platform {
    use std::path::Path;
    use std::sync::Arc;

    use keystore_core::Protector;

    use crate::NativeError;

    /// Key files in `directory/keys`.
    pub(crate) fn protector_for(directory: &Path) -> Result<Arc<dyn Protector>, NativeError> {
        Ok(Arc::new(keystore_core::HostProtector::new(
            directory.join("keys"),
        )))
    }
}

/// Set by `configure` (or, on iOS and Android, by the first call); replaced, never taken, so
/// in-flight calls keep their `Arc`.
static KEYSTORE: RwLock<Option<Arc<Keystore>>> = RwLock::new(None);

/// Opens the key store in `directory` with this platform's protector: the Keychain on iOS, the
/// Android Keystore on Android, owner-readable key files in `directory/keys` elsewhere.
pub(crate) fn configure(directory: &Path) -> Result<(), NativeError> {
    install(directory, platform::protector_for(directory)?)
}

/// Opens the key store in `directory/stores` with `protector` and makes it current.
pub(crate) fn install(directory: &Path, protector: Arc<dyn Protector>) -> Result<(), NativeError> {
    let keystore = Keystore::open(directory.join("stores"), protector)?;
    log::debug!("keystore configured in {}", directory.display());
    *KEYSTORE.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(keystore));
    Ok(())
}

/// The current key store. On iOS and Android the first call without `configure` opens the
/// default one (`<Application Support>/rn-rust-keystore` with the Keychain protector;
/// `<no-backup files>/rn-rust-keystore` with the Keystore protector).
///
/// Returns [`NativeError::Unavailable`] before `configure` on other platforms.
pub(crate) fn current() -> Result<Arc<Keystore>, NativeError> {
    if let Some(keystore) = KEYSTORE
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
    {
        return Ok(keystore);
    }
    #[cfg(any(target_os = "ios", target_os = "android"))]
    return open_default();
    #[cfg(not(any(target_os = "ios", target_os = "android")))]
    Err(NativeError::Unavailable {
        message: "the key store is not configured: call configure({ directory }) once at \
                  startup, before any other function"
            .into(),
    })
}

/// Opens the platform's default key store unless a concurrent call (or `configure`) got there
/// first.
#[cfg(any(target_os = "ios", target_os = "android"))]
fn open_default() -> Result<Arc<Keystore>, NativeError> {
    let mut slot = KEYSTORE.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(keystore) = slot.clone() {
        return Ok(keystore);
    }
    let directory = platform::default_directory()?;
    let protector = platform::protector_for(&directory)?;
    let keystore = Arc::new(Keystore::open(directory.join("stores"), protector)?);
    log::debug!("keystore opened in the default directory");
    *slot = Some(Arc::clone(&keystore));
    Ok(keystore)
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
