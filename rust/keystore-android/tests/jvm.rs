//! The Android protector in a host JVM, against the real Android framework classes and a
//! stand-in `AndroidKeyStore` provider that enforces the key parameters the protector sets.
//!
//! Run `bash scripts/android-deps.sh` once first (scripts/setup.sh does); a JDK 11 or later
//! must be installed.

mod support;

use std::sync::Arc;
use std::thread;

use jni::objects::JValue;
use jni::{jni_sig, jni_str};
use keystore_android::constants::{TIME_BOUND_SECONDS, outcome, properties};
use keystore_core::{ErrorCode, Keystore, Prompt, SecurityLevel, SetOptions};
use support::{BRIDGE, Device, FAKE, PLATFORM, static_int_field, with_env};

const AUTH: SetOptions = SetOptions {
    authentication: true,
};
const PLAIN: SetOptions = SetOptions {
    authentication: false,
};

/// API 34: per-use keys and `KeyInfo.getSecurityLevel`.
const MODERN: i32 = 34;
/// API 28: time-bound keys, `KeyInfo.isInsideSecureHardware` only.
const LEGACY: i32 = 28;

fn code<T: std::fmt::Debug>(result: Result<T, keystore_core::Error>) -> ErrorCode {
    result.expect_err("the call fails").code()
}

fn only_alias(device: &Device, class: &str) -> String {
    let aliases: Vec<String> = device
        .aliases()
        .into_iter()
        .filter(|alias| alias.contains(&format!(".{class}/")))
        .collect();
    assert_eq!(aliases.len(), 1, "one {class} key: {aliases:?}");
    aliases[0].clone()
}

#[test]
fn the_rust_constants_are_the_java_ones() {
    let _device = Device::new(MODERN);
    let keys = jni_str!("android/security/keystore/KeyProperties");
    let cipher = jni_str!("javax/crypto/Cipher");
    for (rust, class, name) in [
        (
            properties::PURPOSE_ENCRYPT,
            keys,
            jni_str!("PURPOSE_ENCRYPT"),
        ),
        (
            properties::PURPOSE_DECRYPT,
            keys,
            jni_str!("PURPOSE_DECRYPT"),
        ),
        (
            properties::AUTH_DEVICE_CREDENTIAL,
            keys,
            jni_str!("AUTH_DEVICE_CREDENTIAL"),
        ),
        (
            properties::AUTH_BIOMETRIC_STRONG,
            keys,
            jni_str!("AUTH_BIOMETRIC_STRONG"),
        ),
        (
            properties::SECURITY_LEVEL_UNKNOWN_SECURE,
            keys,
            jni_str!("SECURITY_LEVEL_UNKNOWN_SECURE"),
        ),
        (
            properties::SECURITY_LEVEL_SOFTWARE,
            keys,
            jni_str!("SECURITY_LEVEL_SOFTWARE"),
        ),
        (
            properties::SECURITY_LEVEL_TRUSTED_ENVIRONMENT,
            keys,
            jni_str!("SECURITY_LEVEL_TRUSTED_ENVIRONMENT"),
        ),
        (
            properties::SECURITY_LEVEL_STRONGBOX,
            keys,
            jni_str!("SECURITY_LEVEL_STRONGBOX"),
        ),
        (properties::ENCRYPT_MODE, cipher, jni_str!("ENCRYPT_MODE")),
        (properties::DECRYPT_MODE, cipher, jni_str!("DECRYPT_MODE")),
        (outcome::APPROVED, BRIDGE, jni_str!("APPROVED")),
        (outcome::CANCELLED, BRIDGE, jni_str!("CANCELLED")),
        (outcome::FAILED, BRIDGE, jni_str!("FAILED")),
        (outcome::LOCKED_OUT, BRIDGE, jni_str!("LOCKED_OUT")),
        (outcome::NO_ACTIVITY, BRIDGE, jni_str!("NO_ACTIVITY")),
        (outcome::NO_CREDENTIAL, BRIDGE, jni_str!("NO_CREDENTIAL")),
        (outcome::INTERRUPTED, BRIDGE, jni_str!("INTERRUPTED")),
        (outcome::ON_UI_THREAD, BRIDGE, jni_str!("ON_UI_THREAD")),
        (outcome::NOT_STARTED, BRIDGE, jni_str!("NOT_STARTED")),
    ] {
        assert_eq!(rust, static_int_field(class, name), "{name:?}");
    }
}

#[test]
fn start_hands_rust_the_directory_and_the_api_level() {
    let device = Device::new(LEGACY);
    let bridge = device.bridge();
    assert_eq!(bridge.directory(), device.dir.path());
    assert_eq!(bridge.sdk(), LEGACY);
}

#[test]
fn start_reports_a_missing_keystore_instead_of_crashing() {
    let device = Device::new(MODERN);
    with_env(|env| {
        let name = env.new_string("AndroidKeyStore")?;
        env.call_static_method(
            jni_str!("java/security/Security"),
            jni_str!("removeProvider"),
            jni_sig!("(Ljava/lang/String;)V"),
            &[(&name).into()],
        )
        .map(drop)
    });
    // KeystoreBridge.start itself, since TestPlatform.start installs the provider again.
    let directory = device.dir.path().to_string_lossy().into_owned();
    let reason = with_env(|env| {
        let platform = env.get_static_field(
            PLATFORM,
            jni_str!("INSTANCE"),
            jni_sig!("Lcom/rustkeystore/testing/TestPlatform;"),
        )?;
        let platform = platform.l()?;
        let directory = env.new_string(&directory)?;
        let reason = support::call_static(
            env,
            BRIDGE,
            jni_str!("start"),
            jni_sig!("(Lcom/rustkeystore/android/Platform;Ljava/lang/String;I)Ljava/lang/String;"),
            &[(&platform).into(), (&directory).into(), JValue::Int(MODERN)],
        )?
        .l()?;
        support::optional_string(env, reason)
    })
    .expect("start reports why it failed");
    assert!(reason.contains("KeyStoreException"), "{reason}");
    let unavailable = keystore_android::started().expect_err("not started");
    assert_eq!(unavailable, reason);
    // Installing the provider again lets the next start succeed.
    device.call(FAKE, jni_str!("install"));
    assert_eq!(device.start(), None);
    assert!(keystore_android::started().is_ok());
}

#[test]
fn standard_entries_survive_a_restart_under_a_wrapped_key() {
    let device = Device::new(MODERN);
    let keystore = device.open();
    keystore.set("accounts", "token", "s3cr3t", &PLAIN).unwrap();
    assert_eq!(keystore.get("accounts", "token", None).unwrap(), "s3cr3t");
    drop(keystore);

    // A new process: a new bridge, protector and key store over the same files and Keystore.
    assert_eq!(device.start(), None);
    let keystore = device.open();
    assert_eq!(keystore.get("accounts", "token", None).unwrap(), "s3cr3t");
    assert_eq!(device.prompts_shown(), 0, "standard entries never prompt");

    let alias = only_alias(&device, "standard");
    assert!(alias.starts_with("rn-rust-keystore/default/"), "{alias}");
    let described = device.describe(&alias).unwrap();
    for part in [
        "size=256",
        "purposes=3",
        "modes=GCM",
        "paddings=NoPadding",
        "randomized=true",
        "auth=none",
    ] {
        assert!(described.contains(part), "{described} lacks {part}");
    }
    let wrapped: Vec<_> = std::fs::read_dir(device.dir.path().join("stores"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".wrapped"))
        .collect();
    assert_eq!(wrapped.len(), 1, "{wrapped:?}");
    let bytes = std::fs::read(device.dir.path().join("stores").join(&wrapped[0])).unwrap();
    assert!(!bytes.windows(6).any(|window| window == b"s3cr3t"));
}

/// The wrapped key files of the device's stores, by name.
fn wrapped_files(device: &Device) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(device.dir.path().join("stores"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wrapped"))
        .collect();
    files.sort();
    files
}

#[test]
fn a_damaged_or_swapped_wrapped_key_reads_as_invalidated_never_as_another_value() {
    let device = Device::new(MODERN);
    let keystore = device.open();
    keystore.set("a", "k", "value of a", &PLAIN).unwrap();
    keystore.set("b", "k", "value of b", &PLAIN).unwrap();
    let files = wrapped_files(&device);
    assert_eq!(files.len(), 2);

    // Another store's wrapped key in place of this one's: its Keystore key is not this slot's.
    let original = std::fs::read(&files[1]).unwrap();
    std::fs::copy(&files[0], &files[1]).unwrap();
    assert_eq!(device.start(), None);
    let keystore = device.open();
    let results = [keystore.get("a", "k", None), keystore.get("b", "k", None)];
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1);
    for result in &results {
        match result {
            Ok(value) => assert!(value == "value of a" || value == "value of b"),
            Err(err) => assert_eq!(err.code(), ErrorCode::KeyInvalidated, "{err}"),
        }
    }

    // A flipped byte of the sealed key: the tag fails under its own Keystore key.
    let mut damaged = original;
    let last = damaged.len() - 1;
    damaged[last] ^= 0x40;
    std::fs::write(&files[1], &damaged).unwrap();
    assert_eq!(device.start(), None);
    let keystore = device.open();
    let results = [keystore.get("a", "k", None), keystore.get("b", "k", None)];
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1);
    let err = results.into_iter().find_map(Result::err).unwrap();
    assert_eq!(err.code(), ErrorCode::KeyInvalidated, "{err}");
}

#[test]
fn the_level_is_what_the_keystore_gave_the_key() {
    let cases = [
        // (API level, device has StrongBox, StrongBox accepts keys, software-only, expected)
        (
            MODERN,
            false,
            false,
            false,
            SecurityLevel::TrustedEnvironment,
        ),
        (MODERN, true, true, false, SecurityLevel::StrongBox),
        (
            MODERN,
            true,
            false,
            false,
            SecurityLevel::TrustedEnvironment,
        ),
        (MODERN, false, false, true, SecurityLevel::Software),
        (LEGACY, true, true, false, SecurityLevel::StrongBox),
        (
            LEGACY,
            false,
            false,
            false,
            SecurityLevel::TrustedEnvironment,
        ),
        (LEGACY, false, false, true, SecurityLevel::Software),
        // StrongBox arrived with API 28; on 27 it is never asked for.
        (27, true, true, false, SecurityLevel::TrustedEnvironment),
    ];
    for (sdk, has, accepts, software, expected) in cases {
        let device = Device::new(sdk);
        device.set_flag(PLATFORM, jni_str!("setStrongBox"), has);
        device.set_flag(FAKE, jni_str!("setStrongBoxAvailable"), accepts);
        device.set_flag(FAKE, jni_str!("setSoftwareOnly"), software);
        assert_eq!(device.start(), None);
        let keystore = device.open();
        let case = format!("API {sdk}, StrongBox {has}/{accepts}, software {software}");
        assert_eq!(keystore.security_level(), expected, "{case}: probed");
        assert_eq!(
            device.aliases(),
            Vec::<String>::new(),
            "{case}: the probe key is deleted"
        );
        keystore.set("s", "k", "v", &PLAIN).unwrap();
        assert_eq!(
            keystore.metadata("s", "k").unwrap().security_level,
            expected,
            "{case}: entry"
        );
        let strongbox = device
            .describe(&only_alias(&device, "standard"))
            .unwrap()
            .contains("strongbox=true");
        assert_eq!(strongbox, expected == SecurityLevel::StrongBox, "{case}");
    }
}

#[test]
fn per_use_keys_ask_for_every_read_with_the_apps_texts() {
    let device = Device::new(MODERN);
    let keystore = device.open();
    assert!(keystore.can_authenticate());
    keystore.set("bank", "pin", "1234", &AUTH).unwrap();
    assert_eq!(device.prompts_shown(), 1, "creating the key asks once");
    keystore.set("bank", "card", "4111", &AUTH).unwrap();
    assert_eq!(
        device.prompts_shown(),
        1,
        "later entries are sealed without asking"
    );

    let alias = only_alias(&device, "user-presence");
    let described = device.describe(&alias).unwrap();
    for part in [
        "auth=per-use",
        "timeout=0",
        "types=3",
        "invalidatedByEnrollment=true",
        "modes=GCM",
    ] {
        assert!(described.contains(part), "{described} lacks {part}");
    }

    let prompt = Prompt {
        title: Some("Unlock your bank".into()),
        subtitle: Some("to show the PIN".into()),
        cancel: Some("Not now".into()),
    };
    for read in 1..=3 {
        assert_eq!(keystore.get("bank", "pin", Some(&prompt)).unwrap(), "1234");
        assert_eq!(device.prompts_shown(), 1 + read);
    }
    assert_eq!(
        device.static_int(PLATFORM, jni_str!("promptsWithCipher")),
        4,
        "each prompt authorised its cipher"
    );
    let text = |name| device.static_string(PLATFORM, name, jni_sig!("()Ljava/lang/String;"), &[]);
    assert_eq!(
        text(jni_str!("lastTitle")).as_deref(),
        Some("Unlock your bank")
    );
    assert_eq!(
        text(jni_str!("lastSubtitle")).as_deref(),
        Some("to show the PIN")
    );
    assert_eq!(text(jni_str!("lastCancel")).as_deref(), Some("Not now"));

    // Metadata and standard entries of the same store never ask.
    assert!(keystore.metadata("bank", "pin").unwrap().authentication);
    keystore.set("bank", "name", "Ada", &PLAIN).unwrap();
    assert_eq!(keystore.get("bank", "name", None).unwrap(), "Ada");
    assert_eq!(device.prompts_shown(), 4);
}

#[test]
fn time_bound_keys_ask_for_every_read_too() {
    let device = Device::new(LEGACY);
    let keystore = device.open();
    keystore.set("bank", "pin", "1234", &AUTH).unwrap();
    let alias = only_alias(&device, "user-presence");
    let described = device.describe(&alias).unwrap();
    let timeout = format!("timeout={TIME_BOUND_SECONDS}");
    for part in [
        "auth=time-bound",
        timeout.as_str(),
        "invalidatedByEnrollment=true",
    ] {
        assert!(described.contains(part), "{described} lacks {part}");
    }
    // Reads right after each other: the key is still open from the last prompt, yet each read
    // asks again.
    for read in 1..=3 {
        assert_eq!(keystore.get("bank", "pin", None).unwrap(), "1234");
        assert_eq!(device.prompts_shown(), 1 + read);
    }
    assert_eq!(
        device.static_int(PLATFORM, jni_str!("promptsWithCipher")),
        0
    );
}

#[test]
fn a_key_made_before_an_upgrade_to_android_11_still_opens_with_one_prompt() {
    let device = Device::new(LEGACY);
    let keystore = device.open();
    keystore.set("bank", "pin", "1234", &AUTH).unwrap();
    drop(keystore);
    // Past the time-bound window of the prompt that created the key.
    device.static_void(
        FAKE,
        jni_str!("advanceClock"),
        jni_sig!("(J)V"),
        &[JValue::Long(60_000)],
    );

    assert_eq!(device.start_at(MODERN), None);
    let keystore = device.open();
    let before = device.prompts_shown();
    assert_eq!(keystore.get("bank", "pin", None).unwrap(), "1234");
    assert_eq!(
        device.prompts_shown(),
        before + 1,
        "one prompt, not a second for the cipher"
    );
    // New authentication keys made on Android 11 are per use.
    keystore.set("wallet", "seed", "abandon", &AUTH).unwrap();
    let per_use = device
        .aliases()
        .into_iter()
        .filter(|alias| alias.contains(".user-presence/"))
        .filter_map(|alias| device.describe(&alias))
        .filter(|described| described.contains("auth=per-use"))
        .count();
    assert_eq!(per_use, 1);
}

#[test]
fn each_answer_of_the_user_has_its_code_and_keeps_the_entry() {
    for sdk in [MODERN, LEGACY] {
        let device = Device::new(sdk);
        let keystore = device.open();
        keystore.set("bank", "pin", "1234", &AUTH).unwrap();
        for (answer, expected) in [
            (outcome::CANCELLED, ErrorCode::AuthenticationCancelled),
            (outcome::FAILED, ErrorCode::AuthenticationFailed),
            (outcome::LOCKED_OUT, ErrorCode::AuthenticationFailed),
            (outcome::NO_ACTIVITY, ErrorCode::Unavailable),
            (outcome::NO_CREDENTIAL, ErrorCode::Unavailable),
            (outcome::INTERRUPTED, ErrorCode::AuthenticationFailed),
            (outcome::ON_UI_THREAD, ErrorCode::Unavailable),
            (99, ErrorCode::Platform),
        ] {
            device.script(&[answer]);
            assert_eq!(
                code(keystore.get("bank", "pin", None)),
                expected,
                "API {sdk}, answer {answer}"
            );
            assert_eq!(
                keystore.get("bank", "pin", None).unwrap(),
                "1234",
                "API {sdk}: intact after {answer}"
            );
        }
        // Cancelling the prompt that creates the key stores nothing and keeps no key. (The
        // store's standard key, made first, stays: the store exists now.)
        keystore.set("other", "plain", "v", &PLAIN).unwrap();
        let before = device.aliases();
        device.script(&[outcome::CANCELLED]);
        let result = keystore.set("other", "k", "v", &AUTH);
        assert_eq!(code(result), ErrorCode::AuthenticationCancelled);
        assert_eq!(code(keystore.get("other", "k", None)), ErrorCode::NotFound);
        assert_eq!(device.aliases(), before, "API {sdk}");
    }
}

#[test]
fn a_prompt_with_no_activity_counts_no_prompt() {
    let device = Device::new(MODERN);
    let keystore = device.open();
    keystore.set("bank", "pin", "1234", &AUTH).unwrap();
    device.set_flag(PLATFORM, jni_str!("setActivity"), false);
    let err = keystore.get("bank", "pin", None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert!(err.to_string().contains("no activity"), "{err}");
    assert_eq!(device.prompts_shown(), 1);
}

#[test]
fn the_bridge_refuses_to_wait_for_the_user_on_the_ui_thread() {
    let device = Device::new(MODERN);
    let outcome = device.static_int(PLATFORM, jni_str!("authenticateOnUiThread"));
    assert_eq!(outcome, outcome::ON_UI_THREAD);
    assert_eq!(device.prompts_shown(), 0);
}

#[test]
fn without_a_secure_lock_screen_authentication_entries_are_refused_and_nothing_is_stored() {
    let device = Device::new(MODERN);
    device.set_flag(PLATFORM, jni_str!("setDeviceSecure"), false);
    let keystore = device.open();
    assert!(!keystore.can_authenticate());
    let err = keystore.set("bank", "pin", "1234", &AUTH).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unavailable);
    assert!(err.to_string().contains("lock screen"), "{err}");
    assert_eq!(code(keystore.get("bank", "pin", None)), ErrorCode::NotFound);
    assert!(
        !device
            .aliases()
            .iter()
            .any(|alias| alias.contains(".user-presence/"))
    );
    assert_eq!(device.prompts_shown(), 0);
    // Standard entries work as before.
    keystore.set("bank", "name", "Ada", &PLAIN).unwrap();
    assert_eq!(keystore.get("bank", "name", None).unwrap(), "Ada");
}

#[test]
fn new_biometrics_invalidate_only_the_authentication_entries_and_a_new_set_works() {
    for (sdk, change) in [
        (MODERN, jni_str!("enrollNewBiometric")),
        (LEGACY, jni_str!("enrollNewBiometric")),
        (MODERN, jni_str!("removeLockScreen")),
    ] {
        let device = Device::new(sdk);
        let keystore = device.open();
        keystore.set("bank", "pin", "1234", &AUTH).unwrap();
        keystore.set("bank", "name", "Ada", &PLAIN).unwrap();
        let invalidated =
            with_env(|env| support::call_static(env, FAKE, change, jni_sig!("()I"), &[])?.i());
        assert_eq!(invalidated, 1, "API {sdk}: only the authentication key");
        assert_eq!(
            code(keystore.get("bank", "pin", None)),
            ErrorCode::KeyInvalidated,
            "API {sdk}"
        );
        assert_eq!(keystore.get("bank", "name", None).unwrap(), "Ada");
        if change == jni_str!("removeLockScreen") {
            device.set_flag(PLATFORM, jni_str!("setDeviceSecure"), true);
        }
        // After a restart too, and the next set of such a key creates a fresh Keystore key.
        assert_eq!(device.start(), None);
        let keystore = device.open();
        assert_eq!(
            code(keystore.get("bank", "pin", None)),
            ErrorCode::KeyInvalidated
        );
        keystore.set("bank", "pin", "5678", &AUTH).unwrap();
        assert_eq!(keystore.get("bank", "pin", None).unwrap(), "5678");
        assert_eq!(keystore.get("bank", "name", None).unwrap(), "Ada");
        only_alias(&device, "user-presence");
    }
}

#[test]
fn vendor_failures_are_platform_errors_that_name_the_exception_and_lose_nothing() {
    let device = Device::new(MODERN);
    let keystore = device.open();
    keystore.set("bank", "name", "Ada", &PLAIN).unwrap();
    keystore.set("bank", "pin", "1234", &AUTH).unwrap();
    let provider = jni_str!("java/security/ProviderException");

    for (operation, call) in [
        ("generateKey", "set"),
        ("init", "get"),
        ("doFinal", "get"),
        ("load", "get"),
        ("getKey", "get"),
    ] {
        assert_eq!(
            device.start(),
            None,
            "a fresh process, so nothing is cached"
        );
        let keystore = device.open();
        device.fail_next(operation, provider, "Keystore operation failed (-1000)");
        let result = match call {
            "set" => keystore
                .set("fresh", "k", "v", &PLAIN)
                .map(|()| String::new()),
            _ => keystore.get("bank", "name", None),
        };
        let err = result.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Platform, "{operation}: {err}");
        let text = err.to_string();
        assert!(
            text.contains("java.security.ProviderException"),
            "{operation}: {text}"
        );
        assert!(
            text.contains("Keystore operation failed (-1000)"),
            "{operation}: {text}"
        );
        assert_eq!(
            keystore.get("bank", "name", None).unwrap(),
            "Ada",
            "{operation}"
        );
        assert_eq!(
            keystore.get("bank", "pin", None).unwrap(),
            "1234",
            "{operation}"
        );
    }
    // A failed wrap leaves no orphan Keystore key behind.
    for operation in ["doFinal", "getKeySpec"] {
        let before = device.aliases();
        device.fail_next(operation, provider, "Keystore operation failed");
        let result = keystore.set("fresh", "k", "v", &PLAIN);
        assert_eq!(code(result), ErrorCode::Platform, "{operation}");
        assert_eq!(device.aliases(), before, "{operation}");
        assert_eq!(code(keystore.get("fresh", "k", None)), ErrorCode::NotFound);
    }
    keystore.set("fresh", "k", "v", &PLAIN).unwrap();
    assert_eq!(keystore.get("fresh", "k", None).unwrap(), "v");

    // Clearing a store whose Keystore keys cannot be listed or deleted reports it, and a retry
    // finishes the job.
    for operation in ["aliases", "deleteEntry"] {
        let before = device.aliases();
        keystore.set("doomed", "k", "v", &PLAIN).unwrap();
        device.fail_next(operation, provider, "Keystore operation failed");
        let err = keystore.clear("doomed").unwrap_err();
        assert_eq!(err.code(), ErrorCode::Platform, "{operation}: {err}");
        keystore.clear("doomed").unwrap();
        assert_eq!(code(keystore.get("doomed", "k", None)), ErrorCode::NotFound);
        assert_eq!(
            device.aliases(),
            before,
            "{operation}: the store's key is gone"
        );
    }
    assert_eq!(keystore.get("bank", "name", None).unwrap(), "Ada");
}
/// Waits (bounded, to fail instead of hanging) until `ready` holds.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        thread::sleep(std::time::Duration::from_millis(2));
    }
}

#[test]
fn reads_of_one_key_waiting_on_the_user_together_share_one_prompt() {
    for sdk in [MODERN, LEGACY] {
        let device = Device::new(sdk);
        let protector = device.protector();
        let keystore =
            Arc::new(Keystore::open(device.dir.path().join("stores"), protector.clone()).unwrap());
        keystore.set("bank", "pin", "1234", &AUTH).unwrap();
        assert_eq!(device.prompts_shown(), 1);

        device.call(PLATFORM, jni_str!("hold"));
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let keystore = Arc::clone(&keystore);
                thread::spawn(move || keystore.get("bank", "pin", None))
            })
            .collect();
        wait_until("one read shows a prompt and three wait for it", || {
            device.prompts_shown() == 2 && protector.reads_sharing_a_prompt() == 3
        });
        device.call(PLATFORM, jni_str!("release"));
        for reader in readers {
            assert_eq!(reader.join().unwrap().unwrap(), "1234", "API {sdk}");
        }
        assert_eq!(
            device.prompts_shown(),
            2,
            "API {sdk}: one prompt for four reads"
        );
        // A read that starts after the shared prompt was answered asks again.
        assert_eq!(keystore.get("bank", "pin", None).unwrap(), "1234");
        assert_eq!(device.prompts_shown(), 3);
    }
}

#[test]
fn prompts_for_different_keys_come_one_after_another() {
    let device = Device::new(MODERN);
    let keystore = Arc::new(device.open());
    let stores: [&'static str; 3] = ["bank", "wallet", "mail"];
    for store in stores {
        keystore.set(store, "secret", store, &AUTH).unwrap();
    }
    assert_eq!(device.prompts_shown(), 3);
    device.call(PLATFORM, jni_str!("hold"));
    let readers: Vec<_> = stores
        .into_iter()
        .map(|store| {
            let keystore = Arc::clone(&keystore);
            thread::spawn(move || keystore.get(store, "secret", None))
        })
        .collect();
    // The next prompt appears only once the one on screen is answered.
    for shown in 4..=6 {
        wait_until("the next prompt is on screen", || {
            device.prompts_shown() == shown
                && device.static_int(PLATFORM, jni_str!("promptsOnScreen")) == 1
        });
        device.call(PLATFORM, jni_str!("releaseOne"));
    }
    device.call(PLATFORM, jni_str!("release"));
    for (reader, store) in readers.into_iter().zip(stores) {
        assert_eq!(reader.join().unwrap().unwrap(), store);
    }
    assert_eq!(
        device.static_int(PLATFORM, jni_str!("maxPromptsOnScreen")),
        1,
        "never stacked"
    );
}

#[test]
fn clearing_a_store_among_many_deletes_only_its_keys() {
    let device = Device::new(MODERN);
    let keystore = device.open();
    let stores: Vec<String> = (0..120).map(|i| format!("store {i}")).collect();
    for store in &stores {
        keystore.set(store, "k", "v", &PLAIN).unwrap();
    }
    keystore.set("store 7", "pin", "1234", &AUTH).unwrap();
    assert_eq!(device.aliases().len(), 121);
    // Each alias is read in a local frame of its own: -Xcheck:jni (see the next test) reports
    // a table that grows with the number of keys.
    keystore.clear("store 7").unwrap();
    assert_eq!(device.aliases().len(), 119);
    assert_eq!(
        code(keystore.get("store 7", "k", None)),
        ErrorCode::NotFound
    );
    for store in stores.iter().filter(|store| *store != "store 7") {
        assert_eq!(keystore.get(store, "k", None).unwrap(), "v");
    }
    let wrapped = std::fs::read_dir(device.dir.path().join("stores"))
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".wrapped")
        })
        .count();
    assert_eq!(wrapped, 119);
}

/// Runs every other test of this file again in a child process and reads what the JVM's JNI
/// checker (`-Xcheck:jni`) printed: a call made with an exception pending, a local reference
/// table that keeps growing, or a bad reference is a failure here, not just a warning.
#[test]
fn the_jni_checker_reports_no_misuse() {
    const CHILD: &str = "KEYSTORE_ANDROID_JNI_CHECK_CHILD";
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--test-threads",
            "1",
            "--skip",
            "the_jni_checker_reports_no_misuse",
        ])
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs again");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");
    let warnings: Vec<&str> = printed
        .lines()
        .filter(|line| line.contains("WARNING") || line.contains("FATAL ERROR in native method"))
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert!(printed.contains("test result: ok"), "{printed}");
}
