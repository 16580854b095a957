//! The few Keychain calls the protector makes, behind a trait so the logic runs on any host.
//!
//! Each method is one Security.framework call on a generic-password item and returns the
//! call's `OSStatus` unchanged on failure. Nothing here decides what a status means; that is
//! [`crate::map_status`]'s job.

use std::fmt;

use zeroize::Zeroizing;

/// A failed Keychain call: its `OSStatus` and, when the system has one, its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The `OSStatus` returned by Security.framework (never `errSecSuccess`).
    pub code: i32,
    /// The system's description of `code` (`SecCopyErrorMessageString`), if any.
    pub message: Option<String>,
}

impl Status {
    /// A status without a message.
    pub fn new(code: i32) -> Self {
        Status {
            code,
            message: None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(f, "OSStatus {}: {message}", self.code),
            None => write!(f, "OSStatus {}", self.code),
        }
    }
}

/// Names one generic-password item: `kSecAttrService` and `kSecAttrAccount`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ItemName {
    /// The library's namespace, for example `com.example.app.rn-rust-keystore`.
    pub service: String,
    /// `<store_id>.<class>`, one item per data key.
    pub account: String,
}

/// When the Keychain releases an item's data (`kSecAttrAccessible`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accessibility {
    /// `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`: readable from the first unlock after
    /// boot until shutdown, also in the background; never leaves this device.
    AfterFirstUnlockThisDeviceOnly,
    /// `kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`: readable only while the device is
    /// unlocked and a passcode is set; deleted when the passcode is removed; never leaves this
    /// device.
    WhenPasscodeSetThisDeviceOnly,
}

/// Everything `SecItemAdd` is given for a new item.
pub struct NewItem<'a> {
    /// Service and account.
    pub name: &'a ItemName,
    /// The item's accessibility class.
    pub accessibility: Accessibility,
    /// Whether reading the data requires user presence (`kSecAttrAccessControl` with
    /// `kSecAccessControlUserPresence`: Face ID, Touch ID or the passcode).
    pub user_presence: bool,
    /// `kSecAttrGeneric`: the data key's id, readable without the user so the protector can
    /// probe a key without prompting. Not secret.
    pub generic: [u8; 8],
    /// `kSecValueData`: the serialized data key. Never logged.
    pub data: &'a [u8],
}

impl fmt::Debug for NewItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewItem")
            .field("name", &self.name)
            .field("accessibility", &self.accessibility)
            .field("user_presence", &self.user_presence)
            .field("data", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// The texts of the system prompt shown when an item needs user presence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptText {
    /// Why the app asks (`LAContext.localizedReason`); never empty.
    pub reason: String,
    /// The cancel button's label (`LAContext.localizedCancelTitle`), or the system's.
    pub cancel: Option<String>,
}

/// Whether a read may show UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interaction<'a> {
    /// Never prompt: an item that needs the user fails with `errSecInteractionNotAllowed`.
    None,
    /// Prompt with these texts when the item needs the user.
    Prompt(&'a PromptText),
}

/// The attributes of an item, read without its data and without UI.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemAttributes {
    /// `kSecAttrGeneric`, if the item has one.
    pub generic: Option<Vec<u8>>,
}

/// The Keychain operations the protector needs. Implementations are thin: each method is one
/// system call, and failures are the call's `OSStatus`.
pub trait Keychain: Send + Sync {
    /// `SecItemAdd`. Fails with `errSecDuplicateItem` (-25299) when an item of this name
    /// exists, and with the status the system gives when the accessibility class cannot be
    /// used (no passcode set: `errSecDecode`, -26275).
    fn add(&self, item: &NewItem<'_>) -> Result<(), Status>;

    /// `SecItemCopyMatching` for the item's data, prompting only as `interaction` allows.
    /// Fails with `errSecItemNotFound` (-25300), `errSecUserCanceled` (-128),
    /// `errSecAuthFailed` (-25293) or `errSecInteractionNotAllowed` (-25308), among others.
    fn copy_data(
        &self,
        name: &ItemName,
        interaction: Interaction<'_>,
    ) -> Result<Zeroizing<Vec<u8>>, Status>;

    /// `SecItemCopyMatching` for the item's attributes only; never prompts.
    /// Fails with `errSecItemNotFound` (-25300) when there is no such item.
    fn copy_attributes(&self, name: &ItemName) -> Result<ItemAttributes, Status>;

    /// `SecItemDelete`. Fails with `errSecItemNotFound` (-25300) when there is no such item.
    fn delete(&self, name: &ItemName) -> Result<(), Status>;

    /// Whether the device has a passcode, so user-presence items can be created
    /// (`LAContext.canEvaluatePolicy` with `deviceOwnerAuthentication`). Never prompts.
    fn passcode_set(&self) -> bool;
}

impl<K: Keychain + ?Sized> Keychain for std::sync::Arc<K> {
    fn add(&self, item: &NewItem<'_>) -> Result<(), Status> {
        (**self).add(item)
    }

    fn copy_data(
        &self,
        name: &ItemName,
        interaction: Interaction<'_>,
    ) -> Result<Zeroizing<Vec<u8>>, Status> {
        (**self).copy_data(name, interaction)
    }

    fn copy_attributes(&self, name: &ItemName) -> Result<ItemAttributes, Status> {
        (**self).copy_attributes(name)
    }

    fn delete(&self, name: &ItemName) -> Result<(), Status> {
        (**self).delete(name)
    }

    fn passcode_set(&self) -> bool {
        (**self).passcode_set()
    }
}
