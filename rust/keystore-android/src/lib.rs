//! The Android protector of `keystore-core`: every data key is wrapped by an AES-256-GCM key
//! that lives in the Android Keystore (StrongBox when the device has one, the TEE otherwise),
//! reached through JNI.
//!
//! The Java half lives in the library's Android module (`com.rustkeystore.android`):
//! `KeystoreBridge.start` runs at module start and calls the exported
//! `Java_com_rustkeystore_android_KeystoreBridge_nativeStart`, which caches the VM, the classes
//! this crate calls and the store directory ([`started`]). From then on [`AndroidProtector`]
//! calls the Keystore's JCA classes from the core's worker threads, and asks
//! `KeystoreBridge.authenticate` to show the system prompt on the UI thread when a key needs the
//! user; the worker waits, the UI thread never does.
//!
//! The crate has no Android-only code: its tests run it in a host JVM whose class path has the
//! real Android framework classes and a stand-in provider registered as `AndroidKeyStore`.

mod bridge;
mod java;
mod keystore;
mod native;
mod protector;
mod wrapped;

pub use bridge::{Bridge, started};
pub use native::{
    Java_com_rustkeystore_android_KeystoreBridge_nativeStart, register_start, start_symbol,
};
pub use protector::AndroidProtector;

/// The namespace of a key store's aliases: empty for the module's default directory, else a
/// stable hash of `directory`, so stores of different directories never share a Keystore key.
pub fn namespace_for(bridge: &Bridge, directory: &std::path::Path) -> String {
    if directory == bridge.directory() {
        "default".into()
    } else {
        format!(
            "{:016x}",
            keystore_core::protector::stable_hash(directory.to_string_lossy().as_bytes())
        )
    }
}

/// Constants the Java side and the framework define, for tests that check them against the
/// real classes.
#[doc(hidden)]
pub mod constants {
    pub use crate::keystore::{TIME_BOUND_SECONDS, properties};
    pub use crate::protector::outcome;
}
