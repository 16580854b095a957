//! Errors about the caller's input and the user: NOT_FOUND, INVALID_INPUT, the
//! authentication codes and KEY_INVALIDATED, each reached on purpose, and what they leave intact.

use keystore_core::protector::testing::AuthOutcome;
use keystore_core::{AccessClass, Error};

use super::*;

#[test]
fn reading_a_key_that_was_never_set_is_not_found() {
    let fx = Fixture::new();
    assert_eq!(
        code_of(fx.keystore.get("empty", "k", None)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code_of(fx.keystore.get_bytes("empty", "k", None)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code_of(fx.keystore.metadata("empty", "k")),
        ErrorCode::NotFound
    );

    fx.keystore.set("s", "present", "v", &STANDARD).unwrap();
    assert_eq!(
        code_of(fx.keystore.get("s", "absent", None)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code_of(fx.keystore.metadata("s", "absent")),
        ErrorCode::NotFound
    );
    assert_eq!(
        code_of(fx.keystore.get("s", "PRESENT", None)),
        ErrorCode::NotFound
    );
}

/// An operation of the key store, called with a store name and a key.
type Operation = (&'static str, fn(&Keystore, &str, &str) -> Result<(), Error>);

/// Every operation, with the arguments it takes filled in around the store name and key.
fn operations() -> Vec<Operation> {
    vec![
        ("set", |ks, s, k| ks.set(s, k, "v", &STANDARD)),
        ("set with authentication", |ks, s, k| {
            ks.set(s, k, "v", &AUTH)
        }),
        ("set_bytes", |ks, s, k| ks.set_bytes(s, k, b"v", &STANDARD)),
        ("get", |ks, s, k| ks.get(s, k, None).map(drop)),
        ("get_bytes", |ks, s, k| ks.get_bytes(s, k, None).map(drop)),
        ("remove", |ks, s, k| ks.remove(s, k)),
        ("contains", |ks, s, k| ks.contains(s, k).map(drop)),
        ("metadata", |ks, s, k| ks.metadata(s, k).map(drop)),
        ("keys", |ks, s, _| ks.keys(s).map(drop)),
        ("clear", |ks, s, _| ks.clear(s)),
        ("compact", |ks, s, _| ks.compact(s)),
    ]
}

/// Stores a standard and a guarded entry that every refusal must leave alone.
fn set_witnesses(keystore: &Keystore) {
    keystore.set("witness", "plain", "kept", &STANDARD).unwrap();
    keystore
        .set("witness", "guarded", "also kept", &AUTH)
        .unwrap();
}

fn assert_witnesses_intact(fx: &Fixture, what: &str) {
    for keystore in [&fx.keystore, &fx.reopen()] {
        assert_eq!(
            keystore.get("witness", "plain", None).unwrap(),
            "kept",
            "{what}"
        );
        assert_eq!(
            keystore.get("witness", "guarded", None).unwrap(),
            "also kept",
            "{what}"
        );
        assert_eq!(
            keystore.keys("witness").unwrap(),
            ["plain", "guarded"],
            "{what}"
        );
    }
    assert_eq!(store_files(&fx.dir()).len(), 1, "{what}");
    assert_eq!(fx.protector.key_count(), 2, "{what}");
}

#[test]
fn store_names_outside_1_to_255_bytes_are_refused_by_every_operation() {
    let fx = Fixture::new();
    set_witnesses(&fx.keystore);
    let bad_stores = ["".to_owned(), "s".repeat(256), "é".repeat(128)];
    for store in &bad_stores {
        for (name, operation) in operations() {
            let what = format!("{name} on a store name of {} bytes", store.len());
            let result = operation(&fx.keystore, store, "k");
            assert_eq!(code_of(result), ErrorCode::InvalidInput, "{what}");
            assert_witnesses_intact(&fx, &what);
        }
    }

    // The limits are inclusive and counted in bytes, not characters.
    for store in ["s".repeat(255), format!("{}s", "é".repeat(127))] {
        fx.keystore.set(&store, "k", "v", &STANDARD).unwrap();
        assert_eq!(fx.keystore.get(&store, "k", None).unwrap(), "v");
        assert_eq!(fx.keystore.keys(&store).unwrap(), ["k"]);
    }
}

#[test]
fn keys_outside_1_to_1024_bytes_are_refused_by_every_operation_that_takes_a_key() {
    let fx = Fixture::new();
    set_witnesses(&fx.keystore);
    let bad_keys = [
        "".to_owned(),
        "k".repeat(1025),
        format!("{}k", "😀".repeat(256)),
    ];
    let takes_a_key = |name: &str| !matches!(name, "keys" | "clear" | "compact");
    for key in &bad_keys {
        for (name, operation) in operations().into_iter().filter(|(n, _)| takes_a_key(n)) {
            let what = format!("{name} with a key of {} bytes", key.len());
            // The witness store itself: a refusal must not touch its entries.
            let result = operation(&fx.keystore, "witness", key);
            assert_eq!(code_of(result), ErrorCode::InvalidInput, "{what}");
            assert_witnesses_intact(&fx, &what);
        }
    }

    for key in ["k".repeat(1024), "😀".repeat(256)] {
        fx.keystore.set("long", &key, "v", &AUTH).unwrap();
        assert_eq!(fx.keystore.get("long", &key, None).unwrap(), "v");
        assert!(fx.keystore.keys("long").unwrap().contains(&key));
    }
}

#[test]
fn values_up_to_the_configured_limit_are_stored_and_one_byte_more_is_refused() {
    let fx = Fixture::with_config(Config {
        max_value_len: 16,
        ..Config::default()
    });
    set_witnesses(&fx.keystore);
    let accepted = ["x".repeat(16), "é".repeat(8)];
    let refused = ["x".repeat(17), format!("{}x", "é".repeat(8)), "€".repeat(6)];

    for options in [&STANDARD, &AUTH] {
        for value in &accepted {
            fx.keystore.set("witness", "sized", value, options).unwrap();
            assert_eq!(&fx.keystore.get("witness", "sized", None).unwrap(), value);
            fx.keystore
                .set_bytes("witness", "sized", value.as_bytes(), options)
                .unwrap();
            assert_eq!(
                fx.keystore.get_bytes("witness", "sized", None).unwrap(),
                value.as_bytes()
            );
        }
        fx.keystore
            .set("witness", "sized", "before", options)
            .unwrap();
        for value in &refused {
            let what = format!("a value of {} bytes ({options:?})", value.len());
            let result = fx.keystore.set("witness", "sized", value, options);
            assert_eq!(code_of(result), ErrorCode::InvalidInput, "{what}");
            let result = fx
                .keystore
                .set_bytes("witness", "sized", value.as_bytes(), options);
            assert_eq!(code_of(result), ErrorCode::InvalidInput, "{what}");

            // The refused update kept the previous value, and a refused new key stored nothing.
            assert_eq!(
                fx.keystore.get("witness", "sized", None).unwrap(),
                "before",
                "{what}"
            );
            let result = fx.keystore.set("witness", "new", value, options);
            assert_eq!(code_of(result), ErrorCode::InvalidInput, "{what}");
            assert!(!fx.keystore.contains("witness", "new").unwrap(), "{what}");
        }
        fx.keystore.remove("witness", "sized").unwrap();
        assert_witnesses_intact(&fx, &format!("{options:?}"));
    }
}

#[test]
fn a_cancelled_prompt_leaves_the_entry_readable_later() {
    let fx = Fixture::new();
    fx.keystore.set("vault", "pin", "2468", &AUTH).unwrap();
    fx.protector.user().push(AuthOutcome::Cancel);
    let err = fx.keystore.get("vault", "pin", None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuthenticationCancelled);
    assert_eq!(err, Error::AuthenticationCancelled);

    assert_eq!(fx.keystore.get("vault", "pin", None).unwrap(), "2468");
    assert_eq!(fx.protector.user().prompts().len(), 2);
}

#[test]
fn a_failed_authentication_reports_the_platform_reason_and_the_entry_stays_readable() {
    let fx = Fixture::new();
    fx.keystore.set("vault", "pin", "2468", &AUTH).unwrap();
    fx.protector.user().push(AuthOutcome::Fail);
    let err = fx.keystore.get_bytes("vault", "pin", None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuthenticationFailed);
    assert!(err.to_string().contains("the test user failed"), "{err}");

    assert_eq!(fx.keystore.get("vault", "pin", None).unwrap(), "2468");
    assert!(fx.keystore.contains("vault", "pin").unwrap());
}

#[test]
fn invalidating_the_user_presence_keys_fails_only_the_entries_that_require_authentication() {
    let fx = Fixture::new();
    fx.keystore.set("s", "plain", "p", &STANDARD).unwrap();
    fx.keystore.set("s", "guarded", "g", &AUTH).unwrap();
    fx.keystore.set("s", "other-guarded", "o", &AUTH).unwrap();
    fx.keystore.set("t", "guarded", "t", &AUTH).unwrap();
    fx.protector.invalidate(AccessClass::UserPresence);

    for keystore in [&fx.keystore, &fx.reopen()] {
        let err = keystore.get("s", "guarded", None).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeyInvalidated);
        assert!(err.to_string().contains("set it anew"), "{err}");
        assert_eq!(
            code_of(keystore.get("t", "guarded", None)),
            ErrorCode::KeyInvalidated
        );
        assert_eq!(keystore.get("s", "plain", None).unwrap(), "p");
        assert!(keystore.metadata("s", "guarded").unwrap().authentication);
        assert_eq!(
            keystore.keys("s").unwrap(),
            ["plain", "guarded", "other-guarded"]
        );
    }

    // Setting such an entry again creates a fresh key; entries sealed to the old one stay lost.
    fx.keystore.set("s", "guarded", "g2", &AUTH).unwrap();
    fx.keystore.set("s", "plain", "p2", &STANDARD).unwrap();
    for keystore in [&fx.keystore, &fx.reopen()] {
        assert_eq!(keystore.get("s", "guarded", None).unwrap(), "g2");
        assert_eq!(keystore.get("s", "plain", None).unwrap(), "p2");
        let old = keystore.get("s", "other-guarded", None);
        assert_eq!(code_of(old), ErrorCode::KeyInvalidated);
        assert_eq!(
            code_of(keystore.get("t", "guarded", None)),
            ErrorCode::KeyInvalidated
        );
    }
}

#[test]
fn an_invalidation_reported_during_the_prompt_persists_until_the_entry_is_set_again() {
    let fx = Fixture::new();
    fx.keystore.set("s", "guarded", "g", &AUTH).unwrap();
    fx.protector.user().push(AuthOutcome::Invalidate);
    assert_eq!(
        code_of(fx.keystore.get("s", "guarded", None)),
        ErrorCode::KeyInvalidated
    );
    assert_eq!(
        code_of(fx.keystore.get("s", "guarded", None)),
        ErrorCode::KeyInvalidated
    );

    fx.keystore.set("s", "guarded", "g2", &AUTH).unwrap();
    assert_eq!(fx.keystore.get("s", "guarded", None).unwrap(), "g2");
}

#[test]
fn forgetting_the_user_presence_keys_fails_only_the_entries_that_require_authentication() {
    let fx = Fixture::new();
    fx.keystore.set("s", "plain", "p", &STANDARD).unwrap();
    fx.keystore.set("s", "guarded", "g", &AUTH).unwrap();
    fx.protector.forget(AccessClass::UserPresence);
    assert_eq!(fx.protector.key_count(), 1);

    assert_eq!(
        code_of(fx.keystore.get("s", "guarded", None)),
        ErrorCode::KeyInvalidated
    );
    assert_eq!(fx.keystore.get("s", "plain", None).unwrap(), "p");
    fx.keystore.set("s", "guarded", "g2", &AUTH).unwrap();
    assert_eq!(fx.reopen().get("s", "guarded", None).unwrap(), "g2");
    assert_eq!(fx.protector.key_count(), 2);
}

#[test]
fn forgetting_the_standard_key_invalidates_old_entries_and_a_new_set_starts_afresh() {
    let fx = Fixture::new();
    fx.keystore.set("s", "plain", "p", &STANDARD).unwrap();
    fx.keystore.set("s", "guarded", "g", &AUTH).unwrap();
    fx.keystore.set("t", "plain", "t", &STANDARD).unwrap();
    fx.protector.forget(AccessClass::Standard);

    // As after restoring a backup onto another device: the app starts again without the key.
    let keystore = fx.reopen();
    assert_eq!(
        code_of(keystore.get("s", "plain", None)),
        ErrorCode::KeyInvalidated
    );
    assert_eq!(
        code_of(keystore.get("s", "guarded", None)),
        ErrorCode::KeyInvalidated
    );
    assert_eq!(
        code_of(keystore.metadata("s", "plain")),
        ErrorCode::KeyInvalidated
    );
    assert!(keystore.keys("s").unwrap().is_empty());

    keystore.set("s", "fresh", "f", &STANDARD).unwrap();
    keystore.set("s", "fresh-guarded", "fg", &AUTH).unwrap();
    for keystore in [&keystore, &fx.reopen()] {
        assert_eq!(keystore.get("s", "fresh", None).unwrap(), "f");
        assert_eq!(keystore.get("s", "fresh-guarded", None).unwrap(), "fg");
        assert_eq!(keystore.keys("s").unwrap(), ["fresh", "fresh-guarded"]);
        assert_eq!(
            code_of(keystore.get("s", "plain", None)),
            ErrorCode::KeyInvalidated
        );
        assert_eq!(
            code_of(keystore.get("t", "plain", None)),
            ErrorCode::KeyInvalidated
        );
    }

    // Setting a lost key again makes it readable; clearing drops what cannot be recovered.
    keystore.set("s", "plain", "p2", &STANDARD).unwrap();
    assert_eq!(keystore.get("s", "plain", None).unwrap(), "p2");
    keystore.clear("t").unwrap();
    assert_eq!(
        code_of(keystore.get("t", "plain", None)),
        ErrorCode::NotFound
    );
}
