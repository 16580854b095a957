//! The real Keychain and file attributes of iOS. Compiled for `target_os = "ios"` only.
//!
//! Each function builds one query dictionary and makes one Security.framework,
//! LocalAuthentication or Foundation call; every decision lives in [`crate::KeychainProtector`].
//!
//! The prompt is shown by the Keychain itself: reads of user-presence items pass an `LAContext`
//! (`kSecUseAuthenticationContext`) whose `localizedReason` and `localizedCancelTitle` carry
//! the app's texts. Reads that must not prompt pass a context with `interactionNotAllowed`.
//!
//! `unsafe` is allowed in this module only: `security-framework`'s safe API has no setter for
//! `kSecAttrAccessible`, `kSecAttrGeneric` or an `LAContext`, so the queries are raw
//! dictionaries passed to `SecItemAdd`, `SecItemCopyMatching` and `SecItemDelete`, and the
//! objc2 bindings mark every `LAContext`, `NSURL` and `NSFileManager` method `unsafe`. The
//! invariants: every pointer handed to those calls comes from a live, retained Core Foundation
//! or Objective-C object owned by the calling function; out-pointers start null and are
//! wrapped under the create rule exactly once; the Security constants are immutable statics.
#![allow(unsafe_code)]

use std::io;
use std::path::Path;
use std::ptr;

use core_foundation::base::{CFType, CFTypeRef, TCFType};
use core_foundation::boolean::CFBoolean;
use core_foundation::bundle::CFBundle;
use core_foundation::data::CFData;
use core_foundation::dictionary::CFDictionary;
use core_foundation::string::{CFString, CFStringRef};
use keystore_core::SecurityLevel;
use objc2::rc::Retained;
use objc2_foundation::{
    NSDictionary, NSFileManager, NSFileProtectionCompleteUntilFirstUserAuthentication,
    NSFileProtectionKey, NSNumber, NSString, NSURL, NSURLIsExcludedFromBackupKey,
};
use objc2_local_authentication::{LAContext, LAError, LAPolicy};
use security_framework::access_control::{ProtectionMode, SecAccessControl};
use security_framework::base::Error as SecError;
use security_framework_sys::access_control::{
    kSecAccessControlUserPresence, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
    kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly,
};
use security_framework_sys::item::{
    kSecAttrAccessControl, kSecAttrAccount, kSecAttrService, kSecClass, kSecClassGenericPassword,
    kSecReturnAttributes, kSecReturnData, kSecUseAuthenticationContext, kSecValueData,
};
use security_framework_sys::keychain_item::{SecItemAdd, SecItemCopyMatching, SecItemDelete};
use zeroize::Zeroizing;

use crate::keychain::{
    Accessibility, Interaction, ItemAttributes, ItemName, Keychain, NewItem, Status,
};
use crate::protector::KeychainProtector;

// Attribute keys that `security-framework-sys` does not declare.
#[link(name = "Security", kind = "framework")]
unsafe extern "C" {
    static kSecAttrAccessible: CFStringRef;
    static kSecAttrGeneric: CFStringRef;
}

/// The Keychain of the running app (its default access group).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemKeychain;

/// `<bundle identifier>.rn-rust-keystore`, or `app.rn-rust-keystore` when the process has no
/// bundle identifier.
pub fn default_service() -> String {
    let identifier = CFBundle::main_bundle()
        .info_dictionary()
        .find(CFString::from_static_string("CFBundleIdentifier"))
        .and_then(|value| value.downcast::<CFString>())
        .map(|value| value.to_string());
    KeychainProtector::<SystemKeychain>::service_for(identifier.as_deref().unwrap_or("app"))
}

/// [`SecurityLevel::TrustedEnvironment`] on a device, whose Keychain is protected by keys in
/// the Secure Enclave; [`SecurityLevel::Software`] on a simulator, whose Keychain is a file
/// of the host Mac.
pub fn security_level() -> SecurityLevel {
    if cfg!(any(target_abi = "sim", target_arch = "x86_64")) {
        SecurityLevel::Software
    } else {
        SecurityLevel::TrustedEnvironment
    }
}

/// Creates `dir`, excludes it (and so everything in it) from iCloud and iTunes backups, and
/// gives it, its `stores` folder and the files already there the protection class
/// `NSFileProtectionCompleteUntilFirstUserAuthentication`, which new files inherit. That class
/// matches the standard data key: readable after the first unlock, so background reads work.
///
/// Returns the I/O error of creating the directories; failures to set an attribute are logged
/// as warnings and do not fail (the files stay encrypted either way).
pub fn prepare_directory(dir: &Path) -> io::Result<()> {
    let stores = dir.join("stores");
    std::fs::create_dir_all(&stores)?;

    if let Err(err) = exclude_from_backup(dir) {
        log::warn!("keystore directory: could not exclude it from backup: {err}");
    }
    let mut paths = vec![dir.to_path_buf(), stores.clone()];
    if let Ok(entries) = std::fs::read_dir(&stores) {
        paths.extend(entries.flatten().map(|entry| entry.path()));
    }
    for path in paths {
        if let Err(err) = protect_until_first_unlock(&path) {
            log::warn!("keystore directory: could not set file protection: {err}");
        }
    }
    Ok(())
}

fn exclude_from_backup(dir: &Path) -> Result<(), String> {
    let path = NSString::from_str(&dir.to_string_lossy());
    let url = NSURL::fileURLWithPath_isDirectory(&path, true);
    let yes = NSNumber::numberWithBool(true);
    // SAFETY: `url`, `yes` and the key are live objects for the whole call.
    unsafe { url.setResourceValue_forKey_error(Some(&yes), NSURLIsExcludedFromBackupKey) }
        .map_err(|err| err.localizedDescription().to_string())
}

fn protect_until_first_unlock(path: &Path) -> Result<(), String> {
    let path = NSString::from_str(&path.to_string_lossy());
    // SAFETY: the two constants are immutable NSString statics of Foundation.
    let (key, class) = unsafe {
        (
            NSFileProtectionKey,
            NSFileProtectionCompleteUntilFirstUserAuthentication,
        )
    };
    let attributes = NSDictionary::from_slices(&[key], &[class.as_ref()]);
    let manager = NSFileManager::defaultManager();
    // SAFETY: `attributes` maps an attribute key to a value of the type Foundation expects.
    unsafe { manager.setAttributes_ofItemAtPath_error(&attributes, &path) }
        .map_err(|err| err.localizedDescription().to_string())
}

impl Keychain for SystemKeychain {
    fn add(&self, item: &NewItem<'_>) -> Result<(), Status> {
        let mut pairs = item_query(item.name);
        pairs.push((
            cf_key(unsafe { kSecValueData }),
            CFData::from_buffer(item.data).into_CFType(),
        ));
        pairs.push((
            cf_key(unsafe { kSecAttrGeneric }),
            CFData::from_buffer(&item.generic).into_CFType(),
        ));
        if item.user_presence {
            // The access control carries the accessibility; the two keys are exclusive.
            let protection = match item.accessibility {
                Accessibility::AfterFirstUnlockThisDeviceOnly => {
                    ProtectionMode::AccessibleAfterFirstUnlockThisDeviceOnly
                }
                Accessibility::WhenPasscodeSetThisDeviceOnly => {
                    ProtectionMode::AccessibleWhenPasscodeSetThisDeviceOnly
                }
            };
            let access = SecAccessControl::create_with_protection(
                Some(protection),
                kSecAccessControlUserPresence,
            )
            .map_err(|err| status(err.code()))?;
            pairs.push((
                cf_key(unsafe { kSecAttrAccessControl }),
                access.into_CFType(),
            ));
        } else {
            let accessible = match item.accessibility {
                Accessibility::AfterFirstUnlockThisDeviceOnly => unsafe {
                    kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
                },
                Accessibility::WhenPasscodeSetThisDeviceOnly => unsafe {
                    kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly
                },
            };
            pairs.push((
                cf_key(unsafe { kSecAttrAccessible }),
                cf_key(accessible).into_CFType(),
            ));
        }
        let query = CFDictionary::from_CFType_pairs(&pairs);
        // SAFETY: `query` is a live dictionary; a null result pointer asks for no result.
        check(unsafe { SecItemAdd(query.as_concrete_TypeRef(), ptr::null_mut()) })
    }

    fn copy_data(
        &self,
        name: &ItemName,
        interaction: Interaction<'_>,
    ) -> Result<Zeroizing<Vec<u8>>, Status> {
        let context = authentication_context(interaction);
        let mut pairs = item_query(name);
        pairs.push((
            cf_key(unsafe { kSecReturnData }),
            CFBoolean::true_value().into_CFType(),
        ));
        pairs.push((cf_key(unsafe { kSecUseAuthenticationContext }), context));
        let found = copy_matching(&CFDictionary::from_CFType_pairs(&pairs))?;
        let data = found
            .downcast_into::<CFData>()
            .ok_or_else(unexpected_result)?;
        Ok(Zeroizing::new(data.bytes().to_vec()))
    }

    fn copy_attributes(&self, name: &ItemName) -> Result<ItemAttributes, Status> {
        let mut pairs = item_query(name);
        pairs.push((
            cf_key(unsafe { kSecReturnAttributes }),
            CFBoolean::true_value().into_CFType(),
        ));
        pairs.push((
            cf_key(unsafe { kSecUseAuthenticationContext }),
            authentication_context(Interaction::None),
        ));
        let found = copy_matching(&CFDictionary::from_CFType_pairs(&pairs))?;
        let attributes = found
            .downcast_into::<CFDictionary>()
            .ok_or_else(unexpected_result)?;
        let generic_key = cf_key(unsafe { kSecAttrGeneric });
        let generic = attributes
            .find(generic_key.as_CFTypeRef())
            // SAFETY: values of a live dictionary are valid CF objects; get rule retains.
            .map(|value| unsafe { CFType::wrap_under_get_rule(*value) })
            .and_then(|value| value.downcast_into::<CFData>())
            .map(|data| data.bytes().to_vec());
        Ok(ItemAttributes { generic })
    }

    fn delete(&self, name: &ItemName) -> Result<(), Status> {
        let query = CFDictionary::from_CFType_pairs(&item_query(name));
        // SAFETY: `query` is a live dictionary.
        check(unsafe { SecItemDelete(query.as_concrete_TypeRef()) })
    }

    fn passcode_set(&self) -> bool {
        // SAFETY: a fresh context, used on this thread only.
        let context = unsafe { LAContext::new() };
        match unsafe { context.canEvaluatePolicy_error(LAPolicy::DeviceOwnerAuthentication) } {
            Ok(()) => true,
            // Any other reason (biometry locked out, not enrolled) still leaves the passcode.
            Err(err) => err.code() != LAError::PasscodeNotSet.0,
        }
    }
}

/// Service, account and class: the identity of one generic-password item.
fn item_query(name: &ItemName) -> Vec<(CFString, CFType)> {
    vec![
        (
            cf_key(unsafe { kSecClass }),
            cf_key(unsafe { kSecClassGenericPassword }).into_CFType(),
        ),
        (
            cf_key(unsafe { kSecAttrService }),
            CFString::new(&name.service).into_CFType(),
        ),
        (
            cf_key(unsafe { kSecAttrAccount }),
            CFString::new(&name.account).into_CFType(),
        ),
    ]
}

/// An `LAContext` that either carries the prompt's texts or forbids any UI.
fn authentication_context(interaction: Interaction<'_>) -> CFType {
    // SAFETY: a fresh context owned here; setters take live NSStrings.
    let context: Retained<LAContext> = unsafe { LAContext::new() };
    match interaction {
        Interaction::None => unsafe { context.setInteractionNotAllowed(true) },
        Interaction::Prompt(text) => unsafe {
            context.setLocalizedReason(&NSString::from_str(&text.reason));
            if let Some(cancel) = &text.cancel {
                context.setLocalizedCancelTitle(Some(&NSString::from_str(cancel)));
            }
        },
    }
    // SAFETY: every Objective-C object is a valid CFTypeRef (toll-free retain/release); the
    // get rule takes its own reference, so the CFType outlives `context`.
    unsafe { CFType::wrap_under_get_rule(Retained::as_ptr(&context).cast()) }
}

fn copy_matching(query: &CFDictionary<CFString, CFType>) -> Result<CFType, Status> {
    let mut result: CFTypeRef = ptr::null();
    // SAFETY: `query` is live; `result` is a valid out-pointer that starts null.
    check(unsafe { SecItemCopyMatching(query.as_concrete_TypeRef(), &mut result) })?;
    if result.is_null() {
        return Err(unexpected_result());
    }
    // SAFETY: SecItemCopyMatching returns a +1 reference, released once by this CFType.
    Ok(unsafe { CFType::wrap_under_create_rule(result) })
}

/// `errSecSuccess` or the status with the system's message.
fn check(code: i32) -> Result<(), Status> {
    if code == 0 { Ok(()) } else { Err(status(code)) }
}

fn status(code: i32) -> Status {
    Status {
        code,
        message: SecError::from_code(code).message(),
    }
}

/// A successful call whose result has an unexpected type; `errSecInternalComponent`.
fn unexpected_result() -> Status {
    Status {
        code: -2070,
        message: Some("the Keychain returned a result of an unexpected type".into()),
    }
}

fn cf_key(key: CFStringRef) -> CFString {
    // SAFETY: `key` is one of Security.framework's immutable string constants.
    unsafe { CFString::wrap_under_get_rule(key) }
}
