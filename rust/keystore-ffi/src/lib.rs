//! UniFFI bindings of [`keystore_core`] for JavaScript.
//!
//! `uniffi-bindgen-react-native` reads the definitions exported here from the compiled library
//! and generates two flavours of the same TypeScript API: JSI (C++ installed into a React Native
//! app as a TurboModule) and N-API (loaded by Node, used by the JavaScript tests).
//!
//! # Threading
//!
//! UniFFI async functions are polled by the JavaScript side, on the JavaScript thread. The core
//! blocks (fsync, the platform key store, a lock-screen prompt), so every async function here
//! hands its work to a worker thread ([`blocking::unblock`]) and awaits it; the JavaScript
//! thread only polls a future that is pending until the worker is done, then resumes the
//! promise. The synchronous functions ([`is_available`], [`can_authenticate`],
//! [`security_level`], [`configure`]) do no more than create a directory or ask the protector
//! a yes/no question; on Android the first [`security_level`] before any key exists makes one
//! throwaway Keystore key to learn the level.
//!
//! # Protectors
//!
//! iOS builds keep data keys in the Keychain (the `keystore-apple` crate) and work without
//! [`configure`]: the first call opens `<Application Support>/rn-rust-keystore`. Android builds
//! wrap data keys with Android Keystore keys (the `keystore-android` crate, started by the
//! module's Java side) and work without [`configure`] too: the first call opens
//! `rn-rust-keystore` in the app's no-backup files directory. Every other build uses
//! [`keystore_core::HostProtector`], which keeps data keys in owner-readable files, reports
//! `SOFTWARE` and cannot create entries that require authentication.

#[cfg(target_os = "android")]
mod android;
#[cfg(target_os = "ios")]
mod apple;
mod error;
mod instance;
#[cfg(feature = "testing")]
pub mod testing;
mod types;

use keystore_core::SetOptions;

pub use error::NativeError;
pub use types::{EntryMetadata, Prompt, SecurityLevel};

uniffi::setup_scaffolding!();

/// Opens the key store in `directory` (stores in `directory/stores`; the host protector's
/// files in `directory/keys`, on iOS Keychain items of a service derived from the directory,
/// on Android Keystore keys whose aliases are derived from it), replacing any key store
/// configured before. Calls already running finish on the previous one. Call once at startup,
/// before any other function; on iOS and Android it is optional.
///
/// Returns [`NativeError::Storage`] when the directory cannot be created.
#[uniffi::export]
pub fn configure(directory: String) -> Result<(), NativeError> {
    instance::configure(directory.as_ref())
}

/// Whether the key store can be used now. `false` before [`configure`], except on iOS and
/// Android, which open their default directory.
#[uniffi::export]
pub fn is_available() -> bool {
    instance::current().is_ok_and(|keystore| keystore.is_available())
}

/// Whether entries that require authentication can be set now. `false` before [`configure`].
#[uniffi::export]
pub fn can_authenticate() -> bool {
    instance::current().is_ok_and(|keystore| keystore.can_authenticate())
}

/// The security level of data keys created now.
///
/// Returns [`NativeError::Unavailable`] before [`configure`].
#[uniffi::export]
pub fn security_level() -> Result<SecurityLevel, NativeError> {
    Ok(instance::current()?.security_level().into())
}

/// Sets the value of `key` in `store`, durably. With `authentication`, reading the entry
/// requires the user to pass the lock screen. Never prompts, except on Android when it creates
/// the store's authentication key.
///
/// Returns the errors of [`keystore_core::Keystore::set`].
#[uniffi::export]
pub async fn set_value(
    store: String,
    key: String,
    value: String,
    authentication: bool,
) -> Result<(), NativeError> {
    let keystore = instance::current()?;
    let options = SetOptions { authentication };
    instance::on_worker(move || keystore.set(&store, &key, &value, &options)).await
}

/// Reads the value of `key` in `store`, showing `prompt` when the entry requires
/// authentication.
///
/// Returns [`NativeError::NotFound`] when there is no such entry, and the other errors of
/// [`keystore_core::Keystore::get`].
#[uniffi::export]
pub async fn get_value(
    store: String,
    key: String,
    prompt: Option<Prompt>,
) -> Result<String, NativeError> {
    let keystore = instance::current()?;
    let prompt = prompt.map(keystore_core::Prompt::from);
    instance::on_worker(move || keystore.get(&store, &key, prompt.as_ref())).await
}

/// Removes `key` from `store`; removing a missing key succeeds.
///
/// Returns the errors of [`keystore_core::Keystore::remove`].
#[uniffi::export]
pub async fn remove_key(store: String, key: String) -> Result<(), NativeError> {
    let keystore = instance::current()?;
    instance::on_worker(move || keystore.remove(&store, &key)).await
}

/// Whether `store` has an entry for `key`. Never prompts.
///
/// Returns the errors of [`keystore_core::Keystore::contains`].
#[uniffi::export]
pub async fn has_key(store: String, key: String) -> Result<bool, NativeError> {
    let keystore = instance::current()?;
    instance::on_worker(move || keystore.contains(&store, &key)).await
}

/// The keys of `store`, in the order they were first set. Never prompts.
///
/// Returns the errors of [`keystore_core::Keystore::keys`].
#[uniffi::export]
pub async fn list_keys(store: String) -> Result<Vec<String>, NativeError> {
    let keystore = instance::current()?;
    instance::on_worker(move || keystore.keys(&store)).await
}

/// Removes every entry of `store` and destroys its data keys.
///
/// Returns the errors of [`keystore_core::Keystore::clear`].
#[uniffi::export]
pub async fn clear_store(store: String) -> Result<(), NativeError> {
    let keystore = instance::current()?;
    instance::on_worker(move || keystore.clear(&store)).await
}

/// The metadata of the entry of `key` in `store`. Never prompts.
///
/// Returns the errors of [`keystore_core::Keystore::metadata`].
#[uniffi::export]
pub async fn get_metadata(store: String, key: String) -> Result<EntryMetadata, NativeError> {
    let keystore = instance::current()?;
    let metadata = instance::on_worker(move || keystore.metadata(&store, &key)).await?;
    Ok(metadata.into())
}
