//! The Android side of [`crate::instance`]: the Keystore protector and the default directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keystore_android::AndroidProtector;
use keystore_core::Protector;

use crate::NativeError;

/// The directory the Android module chose at start: `rn-rust-keystore` in the app's no-backup
/// files directory, so Android backups never restore store files without their keys.
///
/// Returns [`NativeError::Unavailable`] with the reason when the module did not start.
pub(crate) fn default_directory() -> Result<PathBuf, NativeError> {
    Ok(started()?.directory().to_owned())
}

/// Returns a Keystore protector whose aliases are namespaced for `directory`.
///
/// Returns [`NativeError::Unavailable`] with the reason when the module did not start.
pub(crate) fn protector_for(directory: &Path) -> Result<Arc<dyn Protector>, NativeError> {
    let bridge = started()?;
    let namespace = keystore_android::namespace_for(&bridge, directory);
    Ok(Arc::new(AndroidProtector::new(bridge, namespace)))
}

fn started() -> Result<Arc<keystore_android::Bridge>, NativeError> {
    // The app links this library as a static archive, and only Java refers to the JNI entry
    // point. Today other code of its archive member pulls it into the link; naming it here
    // keeps it there should it ever move to a member nothing else needs.
    // scripts/check-android-link.sh checks that the linked library exports it.
    std::hint::black_box(keystore_android::start_symbol());
    keystore_android::started().map_err(|message| NativeError::Unavailable { message })
}
