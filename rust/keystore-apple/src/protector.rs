//! [`KeychainProtector`]: every decision the iOS protector makes, over any [`Keychain`].

use keystore_core::{
    AccessClass, DataKey, KeyId, KeySlot, KeyState, Prompt, Protector, ProtectorError,
    SecurityLevel,
};

use crate::keychain::{
    Accessibility, Interaction, ItemName, Keychain, NewItem, PromptText, Status,
};

/// Appended to the app's prefix to form the Keychain service of every item of the library.
pub const SERVICE_SUFFIX: &str = "rn-rust-keystore";

/// The prompt's reason when the app gives no title or subtitle; the system refuses an empty one.
pub const DEFAULT_REASON: &str = "Unlock your protected data";

/// The account of the item [`Protector::availability`] looks up; no item ever has it.
const AVAILABILITY_ACCOUNT: &str = "availability-check";

const NO_PASSCODE: &str = "no passcode is set on this device, so entries that require \
    authentication cannot be protected; ask the user to set one in Settings > Face ID & \
    Passcode (or Touch ID & Passcode)";

/// The `OSStatus` codes the protector treats specially, by their Security.framework names.
pub mod status {
    /// `errSecUserCanceled`: the user dismissed the prompt.
    pub const USER_CANCELED: i32 = -128;
    /// `errSecNotAvailable`: no Keychain is available.
    pub const NOT_AVAILABLE: i32 = -25291;
    /// `errSecAuthFailed`: the user did not pass the prompt.
    pub const AUTH_FAILED: i32 = -25293;
    /// `errSecDuplicateItem`: an item with this service and account exists.
    pub const DUPLICATE_ITEM: i32 = -25299;
    /// `errSecItemNotFound`: no item matches.
    pub const ITEM_NOT_FOUND: i32 = -25300;
    /// `errSecInteractionNotAllowed`: the item is locked (device locked) or needs UI that the
    /// call did not allow.
    pub const INTERACTION_NOT_ALLOWED: i32 = -25308;
    /// `errSecDecode`: returned by `SecItemAdd` for a `WhenPasscodeSet` item when no passcode
    /// is set.
    pub const DECODE: i32 = -26275;
    /// `errSecMissingEntitlement`: the app is not signed with a Keychain access group.
    pub const MISSING_ENTITLEMENT: i32 = -34018;
}

/// Which Keychain call failed, so one status can mean different things for different calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// Adding the item of a data key of this class.
    Add(AccessClass),
    /// Reading a data key of this class.
    Read(AccessClass),
    /// Probing or deleting an item, or checking availability; never shows UI.
    Other,
}

/// Maps a failed Keychain call to the protector's error. The one place a status gets meaning.
pub fn map_status(status: &Status, call: Call) -> ProtectorError {
    let what = status.message.as_deref().unwrap_or("no message");
    match status.code {
        // errSecItemNotFound
        status::ITEM_NOT_FOUND => ProtectorError::NotFound,
        // errSecUserCanceled
        status::USER_CANCELED => ProtectorError::Cancelled,
        // errSecAuthFailed
        status::AUTH_FAILED => ProtectorError::Failed(format!(
            "the user did not pass Face ID, Touch ID or the passcode (OSStatus {}: {what})",
            status.code
        )),
        // errSecInteractionNotAllowed: the item's class key is locked away while the device is
        // locked (or, for a read that may not prompt, the item needs the user).
        status::INTERACTION_NOT_ALLOWED => ProtectorError::Unavailable(
            "the device is locked, so the Keychain does not release this data key now; retry \
             once the user has unlocked the device (OSStatus -25308, errSecInteractionNotAllowed)"
                .into(),
        ),
        // errSecMissingEntitlement
        status::MISSING_ENTITLEMENT => ProtectorError::Unavailable(
            "the app has no Keychain entitlement (OSStatus -34018, errSecMissingEntitlement); \
             build it signed with a development team so it gets its default Keychain access \
             group"
                .into(),
        ),
        // errSecDecode or errSecNotAvailable while adding a WhenPasscodeSet item: no passcode.
        status::DECODE | status::NOT_AVAILABLE if call == Call::Add(AccessClass::UserPresence) => {
            ProtectorError::Unavailable(format!("{NO_PASSCODE} (OSStatus {})", status.code))
        }
        // errSecNotAvailable
        status::NOT_AVAILABLE => ProtectorError::Unavailable(format!(
            "the Keychain is not available on this device (OSStatus -25291: {what})"
        )),
        // errSecDuplicateItem: `save` replaces duplicates, so this is only reached when another
        // process added the same item in between.
        status::DUPLICATE_ITEM => ProtectorError::Platform {
            code: i64::from(status.code),
            message: format!(
                "errSecDuplicateItem: another item took this data key's name; retry ({what})"
            ),
        },
        other => ProtectorError::Platform {
            code: i64::from(other),
            message: what.to_owned(),
        },
    }
}

/// The Keychain account of a data key: `<store_id>.<class>`.
pub fn account(slot: &KeySlot<'_>) -> String {
    slot.name()
}

/// The prompt texts of a read: the app's title and subtitle as the reason, one line each.
pub fn prompt_text(prompt: Option<&Prompt>) -> PromptText {
    let lines: Vec<&str> = prompt
        .into_iter()
        .flat_map(|prompt| [prompt.title.as_deref(), prompt.subtitle.as_deref()])
        .flatten()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    PromptText {
        reason: if lines.is_empty() {
            DEFAULT_REASON.to_owned()
        } else {
            lines.join("\n")
        },
        cancel: prompt
            .and_then(|prompt| prompt.cancel.clone())
            .filter(|cancel| !cancel.trim().is_empty()),
    }
}

/// Keeps each data key of a store as one generic-password Keychain item.
///
/// - Service: `<prefix>.rn-rust-keystore` (see [`KeychainProtector::service_for`]), so the
///   library's items never collide with the app's own. Account: `<store_id>.<class>`.
/// - [`AccessClass::Standard`]: `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`, so
///   background work can read it and no backup carries it to another device.
/// - [`AccessClass::UserPresence`]: `kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly` with an
///   access control requiring user presence; each read shows the system prompt.
/// - `kSecAttrGeneric` holds the key's (non-secret) id, so [`Protector::probe`] reads only
///   attributes and never prompts.
///
/// Two key store directories need two services: items are named by store, not by directory.
#[derive(Debug)]
pub struct KeychainProtector<K> {
    keychain: K,
    service: String,
    level: SecurityLevel,
}

impl<K: Keychain> KeychainProtector<K> {
    /// A protector whose items live under `service` and report `level` (the Secure
    /// Enclave-backed Keychain of a device is [`SecurityLevel::TrustedEnvironment`]; a
    /// simulator's is [`SecurityLevel::Software`]).
    pub fn new(keychain: K, service: impl Into<String>, level: SecurityLevel) -> Self {
        KeychainProtector {
            keychain,
            service: service.into(),
            level,
        }
    }

    /// `<prefix>.rn-rust-keystore`, the service for an app whose bundle identifier (or other
    /// fixed prefix) is `prefix`.
    pub fn service_for(prefix: &str) -> String {
        format!("{prefix}.{SERVICE_SUFFIX}")
    }

    /// The Keychain this protector calls.
    pub fn keychain(&self) -> &K {
        &self.keychain
    }

    /// The service of every item of this protector.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The item that holds the data key of `slot`.
    pub fn item_name(&self, slot: &KeySlot<'_>) -> ItemName {
        ItemName {
            service: self.service.clone(),
            account: account(slot),
        }
    }

    fn add(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<(), Status> {
        let name = self.item_name(slot);
        let data = key.to_bytes();
        let user_presence = slot.class == AccessClass::UserPresence;
        let item = NewItem {
            name: &name,
            accessibility: if user_presence {
                Accessibility::WhenPasscodeSetThisDeviceOnly
            } else {
                Accessibility::AfterFirstUnlockThisDeviceOnly
            },
            user_presence,
            generic: key.id().0,
            data: &data,
        };
        match self.keychain.add(&item) {
            // The core saves a key only when the store has none it can use: an item already
            // there is stale (left by an earlier install, whose store file is gone, or by a key
            // the store lost). Delete it and add the new one rather than reuse it.
            Err(status) if status.code == status::DUPLICATE_ITEM => {
                log::debug!("keychain: replacing a stale item for {}", name.account);
                self.keychain.delete(&name)?;
                self.keychain.add(&item)
            }
            other => other,
        }
    }
}

impl<K: Keychain> Protector for KeychainProtector<K> {
    /// Looks up an item that never exists: `errSecItemNotFound` means the Keychain answers.
    fn availability(&self) -> Result<(), ProtectorError> {
        let probe = ItemName {
            service: self.service.clone(),
            account: AVAILABILITY_ACCOUNT.into(),
        };
        match self.keychain.copy_attributes(&probe) {
            Ok(_) => Ok(()),
            Err(status) => match map_status(&status, Call::Other) {
                ProtectorError::NotFound => Ok(()),
                err => Err(err),
            },
        }
    }

    fn security_level(&self) -> SecurityLevel {
        self.level
    }

    fn authentication_availability(&self) -> Result<(), ProtectorError> {
        if self.keychain.passcode_set() {
            Ok(())
        } else {
            Err(ProtectorError::Unavailable(NO_PASSCODE.into()))
        }
    }

    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        self.add(slot, key)
            .map_err(|status| map_status(&status, Call::Add(slot.class)))?;
        log::debug!(
            "keychain: saved the {} key of store {}",
            slot.class,
            slot.store_id
        );
        Ok(self.level)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        let name = self.item_name(slot);
        let text;
        let interaction = match slot.class {
            AccessClass::Standard => Interaction::None,
            AccessClass::UserPresence => {
                text = prompt_text(prompt);
                Interaction::Prompt(&text)
            }
        };
        let data = self
            .keychain
            .copy_data(&name, interaction)
            .map_err(|status| map_status(&status, Call::Read(slot.class)))?;
        DataKey::from_bytes(&data)
    }

    /// Reads the item's attributes only, so a user-presence key is probed without a prompt.
    /// An item without a readable key id cannot be matched to a store and reports
    /// [`KeyState::Invalidated`], so the core replaces it.
    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        match self.keychain.copy_attributes(&self.item_name(slot)) {
            Ok(attributes) => Ok(attributes
                .generic
                .and_then(|generic| <[u8; 8]>::try_from(generic.as_slice()).ok())
                .map_or(KeyState::Invalidated, |id| KeyState::Present(KeyId(id)))),
            Err(status) => match map_status(&status, Call::Other) {
                ProtectorError::NotFound => Ok(KeyState::Missing),
                err => Err(err),
            },
        }
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        match self.keychain.delete(&self.item_name(slot)) {
            Ok(()) => Ok(()),
            Err(status) => match map_status(&status, Call::Other) {
                ProtectorError::NotFound => Ok(()),
                err => Err(err),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_with(code: i32) -> Status {
        Status {
            code,
            message: Some("system text".into()),
        }
    }

    #[test]
    fn every_known_status_maps_to_its_own_error() {
        let read = Call::Read(AccessClass::UserPresence);
        let cases: [(i32, Call, &str); 9] = [
            (status::ITEM_NOT_FOUND, read, "NotFound"),
            (status::USER_CANCELED, read, "Cancelled"),
            (status::AUTH_FAILED, read, "Failed"),
            (status::INTERACTION_NOT_ALLOWED, read, "Unavailable"),
            (status::MISSING_ENTITLEMENT, Call::Other, "Unavailable"),
            (status::NOT_AVAILABLE, Call::Other, "Unavailable"),
            (
                status::DUPLICATE_ITEM,
                Call::Add(AccessClass::Standard),
                "Platform",
            ),
            (
                status::DECODE,
                Call::Add(AccessClass::UserPresence),
                "Unavailable",
            ),
            (status::DECODE, read, "Platform"),
        ];
        for (code, call, expected) in cases {
            let err = map_status(&status_with(code), call);
            let shown = format!("{err:?}");
            assert!(shown.starts_with(expected), "{code} {call:?}: {shown}");
        }
    }

    #[test]
    fn a_locked_device_says_so_and_what_to_do() {
        let err = map_status(
            &status_with(status::INTERACTION_NOT_ALLOWED),
            Call::Read(AccessClass::Standard),
        );
        let ProtectorError::Unavailable(reason) = err else {
            panic!("{err:?}");
        };
        assert!(reason.contains("device is locked"), "{reason}");
        assert!(reason.contains("errSecInteractionNotAllowed"), "{reason}");
    }

    #[test]
    fn a_missing_entitlement_names_the_status() {
        let err = map_status(&status_with(status::MISSING_ENTITLEMENT), Call::Other);
        assert!(
            err.to_string().contains("errSecMissingEntitlement"),
            "{err}"
        );
    }

    #[test]
    fn adding_without_a_passcode_explains_why() {
        for code in [status::DECODE, status::NOT_AVAILABLE] {
            let err = map_status(&status_with(code), Call::Add(AccessClass::UserPresence));
            assert!(err.to_string().contains("no passcode"), "{err}");
        }
    }

    #[test]
    fn other_statuses_keep_their_number_and_message() {
        let err = map_status(&status_with(-50), Call::Other);
        let ProtectorError::Platform { code, message } = err else {
            panic!("{err:?}");
        };
        assert_eq!(code, -50);
        assert_eq!(message, "system text");

        let bare = map_status(&Status::new(-4), Call::Other);
        assert!(
            matches!(bare, ProtectorError::Platform { code: -4, .. }),
            "{bare:?}"
        );
    }

    #[test]
    fn the_prompt_reason_is_the_title_and_subtitle() {
        let prompt = Prompt {
            title: Some("Unlock your account".into()),
            subtitle: Some("to sign in".into()),
            cancel: Some("Not now".into()),
        };
        let text = prompt_text(Some(&prompt));
        assert_eq!(text.reason, "Unlock your account\nto sign in");
        assert_eq!(text.cancel.as_deref(), Some("Not now"));
    }

    #[test]
    fn an_empty_prompt_falls_back_to_a_default_reason() {
        assert_eq!(prompt_text(None).reason, DEFAULT_REASON);
        let blank = Prompt {
            title: Some("  ".into()),
            subtitle: None,
            cancel: Some(String::new()),
        };
        let text = prompt_text(Some(&blank));
        assert_eq!(text.reason, DEFAULT_REASON);
        assert_eq!(text.cancel, None);
    }

    #[test]
    fn items_are_named_by_service_and_slot() {
        let protector = KeychainProtector::new(
            crate::testing::FakeKeychain::new(),
            KeychainProtector::<crate::testing::FakeKeychain>::service_for("com.example.app"),
            SecurityLevel::TrustedEnvironment,
        );
        let slot = KeySlot {
            store: "session",
            store_id: "0123abcd",
            class: AccessClass::UserPresence,
            dir: std::path::Path::new("/unused"),
        };
        let name = protector.item_name(&slot);
        assert_eq!(name.service, "com.example.app.rn-rust-keystore");
        assert_eq!(name.account, "0123abcd.user-presence");
    }
}
