//! The iOS side of [`crate::instance`]: the Keychain protector and the default directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keystore_apple::KeychainProtector;
use keystore_core::Protector;

use crate::NativeError;

/// `<Application Support>/rn-rust-keystore` of the app, from `HOME` (the app's container).
///
/// Returns [`NativeError::Unavailable`] when `HOME` is not set.
pub(crate) fn default_directory() -> Result<PathBuf, NativeError> {
    keystore_apple::default_directory().ok_or_else(|| NativeError::Unavailable {
        message: "HOME is not set, so the app's Application Support directory is unknown; \
                  call configure({ directory }) with a directory of the app"
            .into(),
    })
}

/// Prepares `directory` (excluded from backup, file protection until first unlock) and
/// returns a Keychain protector whose items are namespaced for it.
///
/// Returns [`NativeError::Storage`] when the directory cannot be created.
pub(crate) fn protector_for(directory: &Path) -> Result<Arc<dyn Protector>, NativeError> {
    keystore_apple::prepare_directory(directory).map_err(|err| NativeError::Storage {
        message: format!("could not create the key store directory: {err}"),
    })?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let service = keystore_apple::service_for_directory(
        &keystore_apple::default_service(),
        home.as_deref(),
        directory,
    );
    Ok(Arc::new(KeychainProtector::new(
        keystore_apple::SystemKeychain,
        service,
        keystore_apple::security_level(),
    )))
}
