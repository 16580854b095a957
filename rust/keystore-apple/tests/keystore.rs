//! The Keychain protector under the real core: entries set and read through
//! `keystore_core::Keystore`, with the fake Keychain standing in for the device's.

use std::path::Path;
use std::sync::Arc;

use keystore_apple::testing::{Answer, FakeCall, FakeKeychain};
use keystore_apple::{Accessibility, ItemName, KeychainProtector, status};
use keystore_core::{ErrorCode, Keystore, Prompt, SecurityLevel, SetOptions};

const SERVICE: &str = "com.example.app.rn-rust-keystore";

const PLAIN: SetOptions = SetOptions {
    authentication: false,
};
const AUTH: SetOptions = SetOptions {
    authentication: true,
};

fn keystore_on(dir: &Path, keychain: &Arc<FakeKeychain>) -> Keystore {
    let protector = KeychainProtector::new(
        Arc::clone(keychain),
        SERVICE,
        SecurityLevel::TrustedEnvironment,
    );
    Keystore::open(dir.join("stores"), Arc::new(protector)).unwrap()
}

fn setup() -> (tempfile::TempDir, Arc<FakeKeychain>, Keystore) {
    let dir = tempfile::tempdir().unwrap();
    let keychain = Arc::new(FakeKeychain::new());
    let keystore = keystore_on(dir.path(), &keychain);
    (dir, keychain, keystore)
}

fn item_ending(keychain: &FakeKeychain, suffix: &str) -> ItemName {
    let names: Vec<ItemName> = keychain
        .names()
        .into_iter()
        .filter(|name| name.account.ends_with(suffix))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    names.into_iter().next().unwrap()
}

fn prompt(title: &str) -> Prompt {
    Prompt {
        title: Some(title.into()),
        subtitle: None,
        cancel: Some("Not now".into()),
    }
}

#[test]
fn standard_data_keys_are_after_first_unlock_items_bound_to_this_device() {
    let (_dir, keychain, keystore) = setup();
    keystore.set("session", "token", "abc", &PLAIN).unwrap();

    let name = item_ending(&keychain, ".standard");
    assert_eq!(name.service, SERVICE);
    let item = keychain.item(&name).unwrap();
    assert_eq!(
        item.accessibility,
        Accessibility::AfterFirstUnlockThisDeviceOnly
    );
    assert!(!item.user_presence);
    assert_eq!(item.generic.len(), 8);
    assert_eq!(&item.data[1..9], item.generic.as_slice());
}

#[test]
fn authentication_data_keys_need_a_passcode_and_user_presence() {
    let (_dir, keychain, keystore) = setup();
    keystore.set("session", "pin", "1234", &AUTH).unwrap();

    let item = keychain
        .item(&item_ending(&keychain, ".user-presence"))
        .unwrap();
    assert_eq!(
        item.accessibility,
        Accessibility::WhenPasscodeSetThisDeviceOnly
    );
    assert!(item.user_presence);
    assert_eq!(
        keystore.metadata("session", "pin").unwrap().security_level,
        SecurityLevel::TrustedEnvironment
    );
}

#[test]
fn reading_an_authentication_entry_passes_the_prompt_text_to_the_keychain() {
    let (dir, keychain, keystore) = setup();
    keystore.set("session", "pin", "1234", &AUTH).unwrap();
    keystore.set("session", "token", "abc", &PLAIN).unwrap();

    let value = keystore
        .get("session", "pin", Some(&prompt("Unlock your account")))
        .unwrap();
    assert_eq!(value, "1234");
    let prompts = keychain.prompts();
    assert_eq!(prompts.len(), 1, "{prompts:?}");
    assert_eq!(prompts[0].reason, "Unlock your account");
    assert_eq!(prompts[0].cancel.as_deref(), Some("Not now"));

    // Standard reads (by a fresh instance, which has no key cached) allow no UI.
    let reopened = keystore_on(dir.path(), &keychain);
    assert_eq!(reopened.get("session", "token", None).unwrap(), "abc");
    let standard_read = keychain.calls().into_iter().any(|call| {
        matches!(call, FakeCall::CopyData(name, None) if name.account.ends_with(".standard"))
    });
    assert!(standard_read);
    assert_eq!(keychain.prompts().len(), 1);
}

#[test]
fn setting_listing_and_describing_authentication_entries_never_prompts() {
    let (_dir, keychain, keystore) = setup();
    keychain.set_default_answer(Answer::Cancel);
    keystore.set("session", "pin", "1234", &AUTH).unwrap();
    keystore.set("session", "otp", "5678", &AUTH).unwrap();
    assert_eq!(keystore.keys("session").unwrap(), ["pin", "otp"]);
    assert!(keystore.metadata("session", "otp").unwrap().authentication);
    assert!(keychain.prompts().is_empty(), "{:?}", keychain.prompts());
}

#[test]
fn a_cancelled_or_failed_prompt_keeps_the_entry() {
    let (_dir, keychain, keystore) = setup();
    keystore.set("session", "pin", "1234", &AUTH).unwrap();

    keychain.answer_next(Answer::Cancel);
    let cancelled = keystore.get("session", "pin", None).unwrap_err();
    assert_eq!(cancelled.code(), ErrorCode::AuthenticationCancelled);

    keychain.answer_next(Answer::Fail);
    let failed = keystore.get("session", "pin", None).unwrap_err();
    assert_eq!(failed.code(), ErrorCode::AuthenticationFailed);

    assert_eq!(keystore.get("session", "pin", None).unwrap(), "1234");
}

#[test]
fn invalidated_authentication_keys_fail_only_their_entries_and_a_new_set_recovers() {
    let (_dir, keychain, keystore) = setup();
    keystore.set("session", "pin", "1234", &AUTH).unwrap();
    keystore.set("session", "token", "abc", &PLAIN).unwrap();

    keychain.invalidate_user_presence();

    let lost = keystore.get("session", "pin", None).unwrap_err();
    assert_eq!(lost.code(), ErrorCode::KeyInvalidated, "{lost}");
    assert_eq!(keystore.get("session", "token", None).unwrap(), "abc");
    keystore.set("session", "token", "def", &PLAIN).unwrap();
    assert_eq!(keystore.get("session", "token", None).unwrap(), "def");

    keystore.set("session", "otp", "5678", &AUTH).unwrap();
    assert_eq!(keystore.get("session", "otp", None).unwrap(), "5678");
    keystore.set("session", "pin", "4321", &AUTH).unwrap();
    assert_eq!(keystore.get("session", "pin", None).unwrap(), "4321");
}

#[test]
fn removing_the_passcode_makes_authentication_unavailable_with_a_reason() {
    let (_dir, keychain, keystore) = setup();
    keystore.set("session", "pin", "1234", &AUTH).unwrap();
    keychain.set_passcode(false);

    assert!(!keystore.can_authenticate());
    let err = keystore.set("session", "otp", "5678", &AUTH).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert!(err.to_string().contains("no passcode"), "{err}");
    assert!(
        keychain
            .names()
            .iter()
            .all(|name| !name.account.ends_with(".user-presence"))
    );

    // The item vanished with the passcode: its entry is lost, standard entries still work.
    let lost = keystore.get("session", "pin", None).unwrap_err();
    assert_eq!(lost.code(), ErrorCode::KeyInvalidated);
    keystore.set("session", "token", "abc", &PLAIN).unwrap();
    assert_eq!(keystore.get("session", "token", None).unwrap(), "abc");
}

#[test]
fn a_locked_device_reports_unavailable_for_authentication_entries_only() {
    let (_dir, keychain, keystore) = setup();
    keystore.set("session", "pin", "1234", &AUTH).unwrap();
    keystore.set("session", "token", "abc", &PLAIN).unwrap();
    keychain.set_locked(true);

    let err = keystore.get("session", "pin", None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert!(err.to_string().contains("device is locked"), "{err}");
    assert_eq!(keystore.get("session", "token", None).unwrap(), "abc");

    keychain.set_locked(false);
    assert_eq!(keystore.get("session", "pin", None).unwrap(), "1234");
}

#[test]
fn clearing_a_store_deletes_its_keychain_items_and_no_others() {
    let (_dir, keychain, keystore) = setup();
    keystore.set("session", "pin", "1234", &AUTH).unwrap();
    keystore.set("session", "token", "abc", &PLAIN).unwrap();
    keystore.set("settings", "theme", "dark", &PLAIN).unwrap();
    assert_eq!(keychain.names().len(), 3);

    keystore.clear("session").unwrap();
    assert_eq!(keychain.names().len(), 1);
    assert_eq!(keystore.get("settings", "theme", None).unwrap(), "dark");
    assert_eq!(
        keystore.get("session", "token", None).unwrap_err().code(),
        ErrorCode::NotFound
    );

    // A cleared store is usable again with fresh keys.
    keystore.set("session", "pin", "9999", &AUTH).unwrap();
    assert_eq!(keystore.get("session", "pin", None).unwrap(), "9999");
}

#[test]
fn items_left_by_a_previous_install_are_replaced_not_reused() {
    // The first install leaves items behind; the reinstall starts without store files.
    let keychain = Arc::new(FakeKeychain::new());
    let first = tempfile::tempdir().unwrap();
    let old = keystore_on(first.path(), &keychain);
    old.set("session", "token", "old", &PLAIN).unwrap();
    old.set("session", "pin", "old", &AUTH).unwrap();
    let standard = item_ending(&keychain, ".standard");
    let user_presence = item_ending(&keychain, ".user-presence");
    let old_ids = (
        keychain.item(&standard).unwrap().generic,
        keychain.item(&user_presence).unwrap().generic,
    );

    let second = tempfile::tempdir().unwrap();
    let reinstalled = keystore_on(second.path(), &keychain);
    reinstalled.set("session", "token", "new", &PLAIN).unwrap();
    reinstalled.set("session", "pin", "new", &AUTH).unwrap();

    assert_eq!(reinstalled.get("session", "token", None).unwrap(), "new");
    assert_eq!(reinstalled.get("session", "pin", None).unwrap(), "new");
    assert_ne!(keychain.item(&standard).unwrap().generic, old_ids.0);
    assert_ne!(keychain.item(&user_presence).unwrap().generic, old_ids.1);
    assert_eq!(keychain.names().len(), 2);
}

#[test]
fn a_missing_keychain_entitlement_makes_the_key_store_unavailable() {
    let (_dir, keychain, keystore) = setup();
    keychain.fail_next(status::MISSING_ENTITLEMENT);
    assert!(!keystore.is_available());

    keychain.fail_next(status::MISSING_ENTITLEMENT);
    let err = keystore.set("session", "token", "abc", &PLAIN).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert!(err.to_string().contains("entitlement"), "{err}");
    assert!(keystore.is_available());
}

#[test]
fn an_unmapped_status_surfaces_as_platform_with_its_number() {
    let (_dir, keychain, keystore) = setup();
    keychain.fail_next(-50);
    let err = keystore.set("session", "token", "abc", &PLAIN).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Platform);
    assert!(err.to_string().contains("-50"), "{err}");

    keystore.set("session", "token", "abc", &PLAIN).unwrap();
    assert_eq!(keystore.get("session", "token", None).unwrap(), "abc");
}

#[test]
fn values_and_key_material_never_appear_in_errors() {
    let (_dir, keychain, keystore) = setup();
    keystore
        .set("session", "pin", "secret-value-42", &AUTH)
        .unwrap();
    keychain.answer_next(Answer::Fail);
    let err = keystore.get("session", "pin", None).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("secret-value-42"));
}
