//! Encrypted, crash-safe key-value stores whose data keys are guarded by a platform protector.
//!
//! This crate is the shared core of `react-native-rust-keystore`: the iOS, Android and Node
//! builds all call it. A [`Keystore`] is opened on a directory and a [`Protector`]. It holds
//! named *stores*; a store holds *entries*; an entry has a *key* and a *value*.
//!
//! ```
//! use std::sync::Arc;
//! use keystore_core::{Keystore, HostProtector, SetOptions};
//!
//! # fn main() -> Result<(), keystore_core::Error> {
//! let dir = tempfile::tempdir().unwrap();
//! let protector = Arc::new(HostProtector::new(dir.path().join("keys")));
//! let keystore = Keystore::open(dir.path().join("stores"), protector)?;
//!
//! keystore.set("session", "token", "abc123", &SetOptions::default())?;
//! assert_eq!(keystore.get("session", "token", None)?, "abc123");
//! keystore.remove("session", "token")?;
//! assert_eq!(keystore.get("session", "token", None).unwrap_err().code().as_str(), "NOT_FOUND");
//! # Ok(())
//! # }
//! ```
//!
//! # Guarantees
//!
//! - Values are always encrypted (XChaCha20-Poly1305 under a per-store data key), and so are
//!   key names and metadata; see [`crypto`](crate#cryptography) below.
//! - A set or remove returns only once its record is durable (`fdatasync`). After a crash the
//!   store opens with every acknowledged write; a torn final record is ignored.
//! - Damage is contained: a damaged record makes its entry fail with
//!   [`ErrorCode::Corrupted`] while the rest of the store stays readable and writable. A store
//!   is never wiped silently.
//! - Every failure is an [`Error`] with a stable [`ErrorCode`].
//! - [`Keystore`] is `Send + Sync`. Operations on different stores run in parallel; operations
//!   on one store are serialized, and a read sees the latest acknowledged write, including
//!   writes by other processes sharing the directory.
//!
//! # Cryptography
//!
//! Each store has one data key per [`AccessClass`], created on first use and handed to the
//! protector, which keeps it in the platform key store. Entries are sealed with a fresh random
//! nonce; the associated data binds the format version, the store, the key and the access
//! class. Entries that require authentication are sealed to an X25519 public key whose private
//! half only the protector can release after the user passes the lock screen, so setting such an
//! entry does not prompt (only creating the store's key may, where the platform requires it);
//! reading it prompts once. The module documentation of the source file
//! `crypto.rs` and `docs/format.md` describe the construction in full.

mod crypto;
mod entry;
mod error;
mod format;
pub mod input;
pub mod protector;
mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use error::{Error, ErrorCode};
pub use protector::{
    AccessClass, DataKey, HostProtector, KeyId, KeySlot, KeyState, Prompt, Protector,
    ProtectorError, SecurityLevel,
};

use error::Fault;
use store::{Context, Read, Store};

/// Limits and tuning of a [`Keystore`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The largest value accepted by a set, in bytes. Default: 1 MiB.
    pub max_value_len: usize,
    /// Store files smaller than this are never compacted. Default: 64 KiB.
    pub compact_min_bytes: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_value_len: 1024 * 1024,
            compact_min_bytes: 64 * 1024,
        }
    }
}

/// Options of [`Keystore::set`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetOptions {
    /// Require the user to pass the device's lock screen (biometrics or passcode) to read the
    /// entry. The value is encrypted either way.
    pub authentication: bool,
}

/// What [`Keystore::metadata`] reports about an entry. Reading it never prompts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryMetadata {
    /// Whether reading the entry requires the user to authenticate.
    pub authentication: bool,
    /// The security level of the data key that protects the entry.
    pub security_level: SecurityLevel,
    /// When the key was first set, in milliseconds since the Unix epoch.
    pub created_at_ms: u64,
    /// When the value was last set, in milliseconds since the Unix epoch.
    pub updated_at_ms: u64,
}

/// A directory of encrypted stores whose data keys are guarded by a [`Protector`].
pub struct Keystore {
    dir: PathBuf,
    protector: Arc<dyn Protector>,
    config: Config,
    stores: Mutex<HashMap<String, Arc<Store>>>,
}

impl std::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keystore")
            .field("dir", &self.dir)
            .field("config", &self.config)
            .finish()
    }
}

impl Keystore {
    /// Opens the key store in `dir` with the default [`Config`], creating the directory (mode
    /// `0700`) if needed. Stores are opened lazily, on first use.
    ///
    /// Returns [`ErrorCode::Storage`] when the directory cannot be created.
    pub fn open(dir: impl Into<PathBuf>, protector: Arc<dyn Protector>) -> Result<Self, Error> {
        Self::with_config(dir, protector, Config::default())
    }

    /// Opens the key store in `dir` with `config`.
    ///
    /// Returns [`ErrorCode::Storage`] when the directory cannot be created.
    pub fn with_config(
        dir: impl Into<PathBuf>,
        protector: Arc<dyn Protector>,
        config: Config,
    ) -> Result<Self, Error> {
        let dir = dir.into();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .map_err(|err| Error::from(Fault::io("create the key store directory")(err)))?;
        Ok(Keystore {
            dir,
            protector,
            config,
            stores: Mutex::new(HashMap::new()),
        })
    }

    /// The directory holding the store files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the key store can be used on this device: the directory exists and the
    /// protector's platform key store answers.
    pub fn is_available(&self) -> bool {
        self.availability().is_ok()
    }

    /// Like [`Keystore::is_available`], with the reason when it is not.
    ///
    /// Returns [`ErrorCode::Unavailable`] with a reason.
    pub fn availability(&self) -> Result<(), Error> {
        if !self.dir.is_dir() {
            return Err(Error::Unavailable {
                reason: format!(
                    "the key store directory {} does not exist",
                    self.dir.display()
                ),
            });
        }
        self.protector
            .availability()
            .map_err(|err| Error::from(Fault::Protector(err)))
    }

    /// The security level of data keys created now.
    pub fn security_level(&self) -> SecurityLevel {
        self.protector.security_level()
    }

    /// Whether entries that require authentication can be set now (a secure lock screen is
    /// set and the protector can prompt).
    pub fn can_authenticate(&self) -> bool {
        self.protector.authentication_availability().is_ok()
    }

    /// Sets the value of `key` in `store`, creating the store and its data keys as needed.
    /// Returns once the entry is durable. Never prompts, except when it creates the store's
    /// user-presence key on a platform whose protector needs the user for that (Android).
    ///
    /// Returns [`ErrorCode::InvalidInput`] for a store name, key or value out of range,
    /// [`ErrorCode::Unavailable`] when `authentication` is asked for and cannot be provided
    /// (nothing is stored then), [`ErrorCode::Storage`] when the write fails (the previous value
    /// is kept), [`ErrorCode::Corrupted`] when the store file's header is damaged, and
    /// [`ErrorCode::Platform`] when the platform key store fails.
    pub fn set(
        &self,
        store: &str,
        key: &str,
        value: &str,
        options: &SetOptions,
    ) -> Result<(), Error> {
        self.set_bytes(store, key, value.as_bytes(), options)
    }

    /// [`Keystore::set`] for a value that is not text.
    ///
    /// Returns the errors of [`Keystore::set`].
    pub fn set_bytes(
        &self,
        store: &str,
        key: &str,
        value: &[u8],
        options: &SetOptions,
    ) -> Result<(), Error> {
        input::check_store(store)?;
        input::check_key(key)?;
        input::check_value(value, self.config.max_value_len)?;
        let class = if options.authentication {
            AccessClass::UserPresence
        } else {
            AccessClass::Standard
        };
        Ok(self.store(store).set(&self.context(), key, value, class)?)
    }

    /// Reads the value of `key` in `store`. When the entry requires authentication the
    /// protector shows `prompt` (or its default texts) and this call blocks until the user
    /// answers; no lock is held meanwhile.
    ///
    /// Returns [`ErrorCode::NotFound`] when there is no such entry, [`ErrorCode::Corrupted`]
    /// when the value is not valid UTF-8 (it was set with [`Keystore::set_bytes`]) or its record
    /// is damaged, [`ErrorCode::AuthenticationCancelled`] or
    /// [`ErrorCode::AuthenticationFailed`] when the user does not pass the prompt,
    /// [`ErrorCode::KeyInvalidated`] when the data key that protected it is gone, and the
    /// errors of [`Keystore::set`] for bad input or storage failures.
    pub fn get(&self, store: &str, key: &str, prompt: Option<&Prompt>) -> Result<String, Error> {
        let bytes = self.get_bytes(store, key, prompt)?;
        String::from_utf8(bytes).map_err(|err| {
            let mut bytes = err.into_bytes();
            zeroize::Zeroize::zeroize(&mut bytes);
            Error::from(Fault::Damaged(
                "the value is not UTF-8 text (it was set as bytes)",
            ))
        })
    }

    /// [`Keystore::get`] for a value that is not text.
    ///
    /// Returns the errors of [`Keystore::get`], except the UTF-8 check.
    pub fn get_bytes(
        &self,
        store: &str,
        key: &str,
        prompt: Option<&Prompt>,
    ) -> Result<Vec<u8>, Error> {
        input::check_store(store)?;
        input::check_key(key)?;
        let read = self.store(store).get(&self.context(), key)?;
        let mut value = match read {
            Read::Value(value) => value,
            Read::Locked(locked) => locked.open(self.protector.as_ref(), prompt)?,
        };
        // Move the plaintext out to the caller; what is left behind is wiped.
        Ok(std::mem::take(&mut *value))
    }

    /// Removes `key` from `store`. Removing a missing key succeeds and writes nothing.
    ///
    /// Returns [`ErrorCode::InvalidInput`] for bad names and [`ErrorCode::Storage`] when the
    /// write fails (the entry is kept).
    pub fn remove(&self, store: &str, key: &str) -> Result<(), Error> {
        input::check_store(store)?;
        input::check_key(key)?;
        Ok(self.store(store).remove(&self.context(), key)?)
    }

    /// Whether `store` has an entry for `key`. Never prompts and never decrypts the value.
    ///
    /// Returns [`ErrorCode::InvalidInput`] for bad names and [`ErrorCode::Storage`] when the
    /// store cannot be read.
    pub fn contains(&self, store: &str, key: &str) -> Result<bool, Error> {
        input::check_store(store)?;
        input::check_key(key)?;
        Ok(self.store(store).contains(&self.context(), key)?)
    }

    /// The keys of `store`, in the order they were first set. Never prompts. Entries whose
    /// records are damaged or whose data key is lost cannot be named and are left out (a
    /// warning is logged with their count).
    ///
    /// Returns [`ErrorCode::InvalidInput`] for a bad store name and [`ErrorCode::Storage`] when
    /// the store cannot be read.
    pub fn keys(&self, store: &str) -> Result<Vec<String>, Error> {
        input::check_store(store)?;
        Ok(self.store(store).keys(&self.context())?)
    }

    /// Removes every entry of `store` and destroys its data keys. This also recovers a store
    /// whose file is damaged.
    ///
    /// Returns [`ErrorCode::Storage`] when the file cannot be replaced and
    /// [`ErrorCode::Platform`] when the platform key store cannot delete the keys.
    pub fn clear(&self, store: &str) -> Result<(), Error> {
        input::check_store(store)?;
        Ok(self.store(store).clear(&self.context())?)
    }

    /// The metadata of the entry of `key`. Never prompts.
    ///
    /// Returns the errors of [`Keystore::get`] that do not involve the user.
    pub fn metadata(&self, store: &str, key: &str) -> Result<EntryMetadata, Error> {
        input::check_store(store)?;
        input::check_key(key)?;
        Ok(self.store(store).metadata(&self.context(), key)?)
    }

    /// Rewrites `store`'s file with only its live records now, instead of waiting until garbage
    /// outweighs live data.
    ///
    /// Returns [`ErrorCode::Storage`] when the new file cannot be written (the old one is kept).
    pub fn compact(&self, store: &str) -> Result<(), Error> {
        input::check_store(store)?;
        Ok(self.store(store).compact()?)
    }

    fn context(&self) -> Context<'_> {
        Context {
            protector: self.protector.as_ref(),
            config: &self.config,
        }
    }

    fn store(&self, name: &str) -> Arc<Store> {
        let mut stores = self
            .stores
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(
            stores
                .entry(name.to_owned())
                .or_insert_with(|| Arc::new(Store::new(&self.dir, name))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn the_keystore_can_be_shared_between_threads() {
        assert_send_sync::<Keystore>();
    }
}
