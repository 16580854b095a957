//! Protectors guard the data keys of each store with the platform's key store.
//!
//! The core never writes a data key to disk in the clear. For every store it keeps one data
//! key per [`AccessClass`] and asks a [`Protector`] to persist, load, probe and destroy it.
//! What "persist" means is the platform's business:
//!
//! - on iOS a data key is a Keychain item whose access control matches its class;
//! - on Android it is wrapped by an Android Keystore key, and the wrapped blob is kept beside
//!   the store file (the slot's [`KeySlot::dir`]);
//! - on desktops and Node the [`HostProtector`] keeps it in a file only the owner can read.
//!
//! Loading a [`AccessClass::UserPresence`] key may block for seconds while the user answers a
//! lock-screen prompt, so the core never holds a store's lock while it waits. Creating one may
//! prompt too on Android; that happens once per store, with the store's lock held.

mod data_key;
mod host;
pub mod testing;

pub use data_key::{DataKey, KeyId};
pub use host::HostProtector;
pub(crate) use host::sync_dir;

use std::fmt;
use std::path::Path;

/// Which protection a data key, and so every entry sealed under it, gets from the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessClass {
    /// Readable whenever the app runs (after the first unlock on iOS); no prompt.
    Standard,
    /// Readable only after the user passes the device's lock screen, once per read.
    UserPresence,
}

impl AccessClass {
    /// Both classes, in their on-disk order.
    pub const ALL: [AccessClass; 2] = [AccessClass::Standard, AccessClass::UserPresence];

    /// A short stable name, usable in file names and platform item names.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessClass::Standard => "standard",
            AccessClass::UserPresence => "user-presence",
        }
    }

    pub(crate) fn to_byte(self) -> u8 {
        match self {
            AccessClass::Standard => 0,
            AccessClass::UserPresence => 1,
        }
    }

    pub(crate) fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            0 => Some(AccessClass::Standard),
            1 => Some(AccessClass::UserPresence),
            _ => None,
        }
    }
}

/// Where the key that guards a data key lives, as honestly as the platform reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecurityLevel {
    /// Guarded by software only (a file readable by the owner, a browser's key store).
    Software,
    /// Guarded by a trusted execution environment (Android TEE, Apple's Secure Enclave-backed
    /// Keychain).
    TrustedEnvironment,
    /// Guarded by a discrete secure element (Android StrongBox).
    StrongBox,
}

impl SecurityLevel {
    /// The stable code used in every binding: `SOFTWARE`, `TRUSTED_ENVIRONMENT`, `STRONGBOX`.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityLevel::Software => "SOFTWARE",
            SecurityLevel::TrustedEnvironment => "TRUSTED_ENVIRONMENT",
            SecurityLevel::StrongBox => "STRONGBOX",
        }
    }

    pub(crate) fn to_byte(self) -> u8 {
        match self {
            SecurityLevel::Software => 0,
            SecurityLevel::TrustedEnvironment => 1,
            SecurityLevel::StrongBox => 2,
        }
    }

    pub(crate) fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            0 => Some(SecurityLevel::Software),
            1 => Some(SecurityLevel::TrustedEnvironment),
            2 => Some(SecurityLevel::StrongBox),
            _ => None,
        }
    }
}

/// The texts a protector shows when it must ask the user to unlock a data key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prompt {
    /// The prompt's title, for example "Unlock your account".
    pub title: Option<String>,
    /// A line under the title saying why the app asks.
    pub subtitle: Option<String>,
    /// The label of the button that dismisses the prompt.
    pub cancel: Option<String>,
}

/// Identifies one data key: a store and an access class.
#[derive(Clone, Copy, Debug)]
pub struct KeySlot<'a> {
    /// The store's name, as the app gave it.
    pub store: &'a str,
    /// A fixed-length, filesystem-safe identifier derived from the store name; the store file
    /// is `<store_id>.kst`. Platform item names should use this, not the raw name.
    pub store_id: &'a str,
    /// Which data key of the store.
    pub class: AccessClass,
    /// The directory that holds the store file; a protector may keep wrapped keys there.
    pub dir: &'a Path,
}

impl KeySlot<'_> {
    /// `<store_id>.<class>`: a name unique to this slot within one directory.
    pub fn name(&self) -> String {
        format!("{}.{}", self.store_id, self.class.as_str())
    }
}

/// What [`Protector::probe`] found for a slot, without asking the user anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// A data key is stored and usable (subject to the user passing a prompt).
    Present(KeyId),
    /// No data key is stored for this slot.
    Missing,
    /// A data key is stored but the platform will never release it again (for example the
    /// biometric enrolment changed or the lock screen was removed).
    Invalidated,
}

/// A failure reported by a protector. The core maps each variant to one public error code.
#[derive(Debug, thiserror::Error)]
pub enum ProtectorError {
    /// No data key is stored for the slot (never created, deleted, or lost with a backup
    /// restored onto another device).
    #[error("no data key is stored for this slot")]
    NotFound,
    /// The platform permanently invalidated the data key.
    #[error("the data key was permanently invalidated: {0}")]
    Invalidated(String),
    /// The user dismissed the prompt.
    #[error("the user cancelled authentication")]
    Cancelled,
    /// The user failed to authenticate, or is locked out after too many attempts.
    #[error("authentication failed: {0}")]
    Failed(String),
    /// The protector cannot work now (no secure lock screen, device locked, no foreground
    /// activity to show a prompt over, ...).
    #[error("{0}")]
    Unavailable(String),
    /// The platform returned a status the protector does not map more precisely.
    #[error("platform error {code}: {message}")]
    Platform {
        /// The platform's numeric status (an `OSStatus`, a hash of the exception class, ...).
        code: i64,
        /// The platform's message; it must not contain key material.
        message: String,
    },
    /// Reading or writing the protector's own files failed.
    #[error("protector I/O failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Creates, loads, probes and destroys the data keys of stores.
///
/// Implementations must be thread-safe: the core calls them from many worker threads at once,
/// for different stores and classes. Loading a [`AccessClass::UserPresence`] key may block
/// while the user answers a prompt, and so may saving one where the platform cannot protect a
/// key without the user (Android's Keystore does not encrypt with an authentication-bound key
/// before the user passes the lock screen); no other method may show UI.
pub trait Protector: Send + Sync {
    /// Whether the protector can be used at all on this device.
    ///
    /// Returns [`ProtectorError::Unavailable`] with a reason when it cannot.
    fn availability(&self) -> Result<(), ProtectorError>;

    /// The security level of keys this protector creates now.
    fn security_level(&self) -> SecurityLevel;

    /// Whether [`AccessClass::UserPresence`] keys can be created now (a secure lock screen is
    /// set and the protector can prompt).
    ///
    /// Returns [`ProtectorError::Unavailable`] with a reason when they cannot.
    fn authentication_availability(&self) -> Result<(), ProtectorError>;

    /// Persists `key` for `slot`, replacing any key stored there. Never prompts for an
    /// [`AccessClass::Standard`] key; may prompt (with the platform's default texts) for an
    /// [`AccessClass::UserPresence`] key, and then returns [`ProtectorError::Cancelled`] or
    /// [`ProtectorError::Failed`] when the user does not pass.
    ///
    /// Returns the security level actually obtained for this key.
    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError>;

    /// Loads the data key of `slot`, showing `prompt` first when the class requires it.
    ///
    /// Returns [`ProtectorError::NotFound`] when no key is stored,
    /// [`ProtectorError::Invalidated`] when the platform will never release it again, and
    /// [`ProtectorError::Cancelled`] or [`ProtectorError::Failed`] when the user did not pass
    /// the prompt.
    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError>;

    /// Says whether a usable key is stored for `slot`, without prompting.
    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError>;

    /// Destroys the key of `slot`. Deleting a missing key succeeds.
    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError>;
}

/// A stable 64-bit FNV-1a hash, for protectors that name platform items after a path or a name
/// (not a security measure).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl fmt::Display for AccessClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for SecurityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
