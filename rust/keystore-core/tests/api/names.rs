//! Unusual names, the prompt's path to the protector, and what errors and `Debug` output may
//! reveal.

use keystore_core::protector::testing::AuthOutcome;
use keystore_core::{AccessClass, DataKey, Error, KeySlot, Protector};

use super::*;

#[test]
fn nul_bytes_and_non_ascii_text_round_trip_in_store_names_keys_and_values() {
    let fx = Fixture::new();
    let cases = [
        ("a\0b", "\0", "\0\0\0"),
        ("日本語", "ключ\0конец", "valeur accentuée ✓"),
        ("emoji 😀", "🔑", "🦀\0🦀"),
        ("a", "a\0", "plain a"),
        ("a\0", "a", "nul-suffixed store"),
    ];
    for (store, key, value) in cases {
        fx.keystore.set(store, key, value, &STANDARD).unwrap();
        fx.keystore
            .set(store, &format!("{key}+auth"), value, &AUTH)
            .unwrap();
    }

    for keystore in [&fx.keystore, &fx.reopen()] {
        for (store, key, value) in cases {
            assert_eq!(
                keystore.get(store, key, None).unwrap(),
                value,
                "{store:?}/{key:?}"
            );
            let guarded = format!("{key}+auth");
            assert_eq!(keystore.get(store, &guarded, None).unwrap(), value);
            assert_eq!(keystore.keys(store).unwrap(), [key.to_owned(), guarded]);
        }
    }
    assert_eq!(store_files(&fx.dir()).len(), cases.len());
}

#[test]
fn path_like_store_names_stay_inside_the_directory_and_never_collide() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nested").join("stores");
    let keystore = Keystore::open(&dir, Arc::new(MemoryProtector::new())).unwrap();
    let names = [
        "../x", "/abs", "a/b", ".", "..", "A", "a", "a\\b", "~", "x.kst", "a/../a", " ",
    ];
    for (index, store) in names.iter().enumerate() {
        keystore
            .set(store, "k", &format!("value {index}"), &STANDARD)
            .unwrap();
    }

    for (index, store) in names.iter().enumerate() {
        assert_eq!(
            keystore.get(store, "k", None).unwrap(),
            format!("value {index}")
        );
        assert_eq!(keystore.keys(store).unwrap(), ["k"], "{store:?}");
    }
    assert_eq!(store_files(&dir).len(), names.len());

    // Only plain files with fixed-length hexadecimal names, and nothing outside the directory.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        assert!(entry.file_type().unwrap().is_file(), "{:?}", entry.path());
        let name = entry.file_name().into_string().unwrap();
        let (stem, extension) = name.split_once('.').unwrap();
        assert!(matches!(extension, "kst" | "lock"), "{name}");
        assert_eq!(stem.len(), 32, "{name}");
        assert!(
            stem.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
    let above: Vec<_> = std::fs::read_dir(tmp.path().join("nested"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(above, ["stores"]);
    let top: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(top, ["nested"]);
}

#[test]
fn the_prompt_given_to_get_reaches_the_protector_once_per_read() {
    let fx = Fixture::new();
    fx.keystore.set("vault", "pin", "2468", &AUTH).unwrap();
    let prompt = Prompt {
        title: Some("Unlock your vault".into()),
        subtitle: Some("To show your PIN".into()),
        cancel: Some("Not now".into()),
    };
    assert_eq!(
        fx.keystore.get("vault", "pin", Some(&prompt)).unwrap(),
        "2468"
    );
    fx.protector.user().push(AuthOutcome::Cancel);
    assert!(
        fx.keystore
            .get_bytes("vault", "pin", Some(&prompt))
            .is_err()
    );
    assert_eq!(fx.keystore.get("vault", "pin", None).unwrap(), "2468");

    assert_eq!(
        fx.protector.user().prompts(),
        [prompt.clone(), prompt, Prompt::default()]
    );
}

#[test]
fn setting_and_inspecting_entries_that_require_authentication_never_prompts() {
    let fx = Fixture::new();
    fx.keystore.set("vault", "pin", "2468", &AUTH).unwrap();
    fx.keystore
        .set_bytes("vault", "raw", b"\x01", &AUTH)
        .unwrap();
    fx.keystore.set("vault", "plain", "p", &STANDARD).unwrap();
    assert!(fx.keystore.contains("vault", "pin").unwrap());
    assert_eq!(fx.keystore.keys("vault").unwrap(), ["pin", "raw", "plain"]);
    assert!(fx.keystore.metadata("vault", "pin").unwrap().authentication);
    assert_eq!(fx.keystore.get("vault", "plain", None).unwrap(), "p");
    fx.keystore.compact("vault").unwrap();
    fx.keystore.remove("vault", "raw").unwrap();
    let reopened = fx.reopen();
    assert!(reopened.contains("vault", "pin").unwrap());
    assert!(reopened.metadata("vault", "pin").unwrap().authentication);
    assert!(fx.protector.user().prompts().is_empty());

    reopened.clear("vault").unwrap();
    assert!(fx.protector.user().prompts().is_empty());
}

/// A key name and a value distinctive enough that finding them in a message is no accident.
const SECRET_KEY: &str = "key-name-3f9a1c";
const SECRET_VALUE: &str = "value-text-8e27d4";

fn assert_reveals_nothing(err: &Error, what: &str) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(SECRET_KEY), "{what}: {shown}");
        assert!(!shown.contains(SECRET_VALUE), "{what}: {shown}");
    }
}

#[test]
fn error_messages_never_contain_the_key_name_or_the_value() {
    let fx = Fixture::with_config(Config {
        max_value_len: 64,
        ..Config::default()
    });
    let ks = &fx.keystore;
    let mut errors: Vec<(&str, Error)> = Vec::new();

    errors.push(("not found", ks.get("s", SECRET_KEY, None).unwrap_err()));
    let long_value = SECRET_VALUE.repeat(8);
    let long_key = SECRET_KEY.repeat(100);
    errors.push((
        "long value",
        ks.set("s", SECRET_KEY, &long_value, &STANDARD).unwrap_err(),
    ));
    errors.push((
        "long key",
        ks.set("s", &long_key, SECRET_VALUE, &STANDARD).unwrap_err(),
    ));
    errors.push((
        "long store",
        ks.set(&long_key, "k", SECRET_VALUE, &STANDARD).unwrap_err(),
    ));

    ks.set("s", SECRET_KEY, SECRET_VALUE, &AUTH).unwrap();
    fx.protector.user().push(AuthOutcome::Cancel);
    fx.protector.user().push(AuthOutcome::Fail);
    errors.push(("cancelled", ks.get("s", SECRET_KEY, None).unwrap_err()));
    errors.push(("failed", ks.get("s", SECRET_KEY, None).unwrap_err()));
    fx.protector.invalidate(AccessClass::UserPresence);
    errors.push(("invalidated", ks.get("s", SECRET_KEY, None).unwrap_err()));

    fx.protector
        .set_authentication_unavailable(Some("no passcode"));
    let unavailable = ks.set("s", SECRET_KEY, SECRET_VALUE, &AUTH).unwrap_err();
    errors.push(("unavailable", unavailable));
    fx.protector.set_authentication_unavailable(None);

    ks.set_bytes("s", SECRET_KEY, &[0xff, 0xfe], &STANDARD)
        .unwrap();
    errors.push(("not text", ks.get("s", SECRET_KEY, None).unwrap_err()));

    // A store of its own, so its files are the only ones in a second directory.
    let other = Fixture::new();
    other
        .keystore
        .set(SECRET_KEY, SECRET_KEY, SECRET_VALUE, &STANDARD)
        .unwrap();
    let file = only_store_file(&other.dir());
    let lock = file.with_extension("lock");
    std::fs::remove_file(&lock).unwrap();
    std::fs::create_dir(&lock).unwrap();
    let storage = other
        .keystore
        .set(SECRET_KEY, SECRET_KEY, SECRET_VALUE, &STANDARD);
    errors.push(("storage", storage.unwrap_err()));

    let mut header = std::fs::read(&file).unwrap();
    header[0] ^= 1;
    std::fs::write(&file, header).unwrap();
    let corrupted = other
        .reopen()
        .get(SECRET_KEY, SECRET_KEY, None)
        .unwrap_err();
    errors.push(("corrupted", corrupted));

    let codes: std::collections::HashSet<_> = errors.iter().map(|(_, err)| err.code()).collect();
    assert_eq!(codes.len(), 8, "{errors:?}");
    for (what, err) in &errors {
        assert_reveals_nothing(err, what);
    }
}

#[test]
fn debug_output_of_a_keystore_shows_no_key_name_or_value() {
    let fx = Fixture::new();
    fx.keystore
        .set("s", SECRET_KEY, SECRET_VALUE, &STANDARD)
        .unwrap();
    fx.keystore
        .set("s", "guarded", SECRET_VALUE, &AUTH)
        .unwrap();
    assert_eq!(
        fx.keystore.get("s", SECRET_KEY, None).unwrap(),
        SECRET_VALUE
    );

    let shown = format!("{:?} {:#?}", fx.keystore, fx.keystore);
    assert!(!shown.contains(SECRET_KEY), "{shown}");
    assert!(!shown.contains(SECRET_VALUE), "{shown}");
    assert!(shown.contains("Keystore"), "{shown}");
}

/// Lowercase and uppercase hexadecimal of `bytes`, however `Debug` might print them.
fn hex_forms(bytes: &[u8]) -> [String; 2] {
    let lower: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    [lower.to_uppercase(), lower]
}

#[test]
fn debug_output_of_data_keys_and_of_the_protector_holding_them_shows_no_secret() {
    let key = DataKey::generate().unwrap();
    let secret = *key.secret();
    let decimal = format!("{:?}", &secret[..]);
    let [upper, lower] = hex_forms(&secret[..8]);
    let shown = format!("{key:?} {key:#?}");
    for form in [&decimal, &upper, &lower] {
        assert!(!shown.contains(form.as_str()), "{shown}");
    }

    // A protector's own Debug prints the keys it holds: they must stay redacted there too.
    let protector = MemoryProtector::new();
    let dir = tempfile::tempdir().unwrap();
    let slot = KeySlot {
        store: "s",
        store_id: "00112233445566778899aabbccddeeff",
        class: AccessClass::Standard,
        dir: dir.path(),
    };
    protector.save(&slot, &key).unwrap();
    let shown = format!("{protector:?}");
    for form in [&decimal, &upper, &lower] {
        assert!(!shown.contains(form.as_str()), "{shown}");
    }
}
