//! A store written by format version 1, committed under `tests/golden/format-1/`, must stay
//! readable: every value and metadata field, through the API and through the construction that
//! `docs/format.md` describes. A later format version must keep these tests passing unchanged.
//!
//! The fixture's data keys are test-only material, committed on purpose; they protect nothing.
//!
//! To regenerate the fixture (only when the scenario below changes; never to make a later
//! version pass), run from the workspace root:
//!
//! ```text
//! KEYSTORE_WRITE_GOLDEN=1 cargo test -p keystore-core --test golden -- --ignored
//! ```
//!
//! Without the variable, the ignored generator writes into a temporary directory and checks it.

#[allow(dead_code)]
mod tamper_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use keystore_core::{
    AccessClass, DataKey, ErrorCode, HostProtector, KeySlot, KeyState, Keystore, Prompt, Protector,
    ProtectorError, SecurityLevel, SetOptions,
};
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

const STORE: &str = "golden";
const PROFILE_V1: &str = r#"{"name":"Ada"}"#;
const PROFILE_V2: &str = r#"{"name":"Ada Lovelace"}"#;
const BLOB: [u8; 4] = [0x00, 0x9f, 0xff, 0x01];
/// The text entries that must read back, with whether they require authentication.
const TEXT: [(&str, &str, bool); 4] = [
    ("token", "abc123", false),
    ("profile", PROFILE_V2, false),
    ("pin", "2468", true),
    ("clé 🔑", "valeur ✓", false),
];

/// Keeps data keys of both classes in `HostProtector` key files, and approves every prompt, so
/// the authentication entry of the fixture can be written and read on a host.
struct FileProtector {
    host: HostProtector,
    dir: PathBuf,
}

impl FileProtector {
    fn new(dir: &Path) -> Self {
        FileProtector {
            host: HostProtector::new(dir),
            dir: dir.to_path_buf(),
        }
    }
}

impl Protector for FileProtector {
    fn availability(&self) -> Result<(), ProtectorError> {
        self.host.availability()
    }

    fn security_level(&self) -> SecurityLevel {
        SecurityLevel::Software
    }

    fn authentication_availability(&self) -> Result<(), ProtectorError> {
        Ok(())
    }

    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        if slot.class == AccessClass::Standard {
            return self.host.save(slot, key);
        }
        // The host protector refuses user-presence keys; write its file layout instead.
        self.host.availability()?;
        fs::write(
            self.dir.join(format!("{}.key", slot.name())),
            key.to_bytes(),
        )?;
        Ok(SecurityLevel::Software)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        self.host.load(slot, prompt)
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        self.host.probe(slot)
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        self.host.delete(slot)
    }
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/format-1")
}

fn store_file(root: &Path) -> PathBuf {
    let id = tamper_support::store_id(STORE);
    root.join("store").join(format!("{id}.kst"))
}

fn key_file(root: &Path, class: &str) -> PathBuf {
    let id = tamper_support::store_id(STORE);
    root.join("keys").join(format!("{id}.{class}.key"))
}

fn open(root: &Path) -> Keystore {
    let protector = Arc::new(FileProtector::new(&root.join("keys")));
    Keystore::open(root.join("store"), protector).unwrap()
}

/// `(created, updated)` of each live key, from the fixture's `expected.txt`.
fn times(root: &Path, key: &str) -> (u64, u64) {
    let text = fs::read_to_string(root.join("expected.txt")).unwrap();
    let line = text
        .lines()
        .find(|line| line.splitn(3, ' ').nth(2) == Some(key))
        .unwrap_or_else(|| panic!("{key} is listed in expected.txt"));
    let mut fields = line.splitn(3, ' ').map(|field| field.parse::<u64>());
    (
        fields.next().unwrap().unwrap(),
        fields.next().unwrap().unwrap(),
    )
}

fn copy_fixture(from: &Path, to: &Path) {
    for sub in ["store", "keys"] {
        fs::create_dir_all(to.join(sub)).unwrap();
        for entry in fs::read_dir(from.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            fs::copy(&path, to.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    fs::copy(from.join("expected.txt"), to.join("expected.txt")).unwrap();
}

/// Every value, metadata field and absence the scenario of [`generate`] leaves.
fn check_through_the_api(root: &Path) {
    let keystore = open(root);
    for (key, value, authentication) in TEXT {
        assert_eq!(keystore.get(STORE, key, None).unwrap(), value, "{key}");
        let meta = keystore.metadata(STORE, key).unwrap();
        assert_eq!(meta.authentication, authentication, "{key}");
        assert_eq!(meta.security_level, SecurityLevel::Software, "{key}");
        let (created, updated) = times(root, key);
        assert_eq!(
            (meta.created_at_ms, meta.updated_at_ms),
            (created, updated),
            "{key}"
        );
        assert!(keystore.contains(STORE, key).unwrap(), "{key}");
    }

    // The overwritten key kept the creation time of its first value.
    let (created, updated) = times(root, "profile");
    assert!(
        created < updated,
        "profile was overwritten after it was created"
    );
    let (token_created, _) = times(root, "token");
    assert!(token_created <= created);

    assert_eq!(keystore.get_bytes(STORE, "blob", None).unwrap(), BLOB);
    let as_text = keystore.get(STORE, "blob", None);
    assert_eq!(
        as_text.unwrap_err().code(),
        ErrorCode::Corrupted,
        "blob is not text"
    );
    assert!(!keystore.metadata(STORE, "blob").unwrap().authentication);

    let removed = keystore.get(STORE, "temp", None).unwrap_err();
    assert_eq!(removed.code(), ErrorCode::NotFound);
    assert!(!keystore.contains(STORE, "temp").unwrap());

    // Keys come back in the order they were first set; the overwrite keeps profile's place.
    let keys = keystore.keys(STORE).unwrap();
    assert_eq!(keys, ["token", "profile", "pin", "clé 🔑", "blob"]);
}

/// Opens the fixture's records with the key files and nothing but `docs/format.md`.
fn check_by_the_document(root: &Path) {
    let records = tamper_support::parse(&fs::read(store_file(root)).unwrap());
    let standard = fs::read(key_file(root, "standard")).unwrap();
    let user = fs::read(key_file(root, "user-presence")).unwrap();
    assert_eq!((standard.len(), standard[0]), (41, 1), "key file layout");
    assert_eq!((user.len(), user[0]), (41, 1), "key file layout");
    let (standard_id, standard_secret) = (&standard[1..9], &standard[9..]);
    let (user_id, user_secret) = (&user[1..9], &user[9..]);

    let hkdf = Hkdf::<Sha256>::new(None, standard_secret);
    let (mut seal_key, mut index_key) = ([0u8; 32], [0u8; 32]);
    hkdf.expand(b"keystore-core v1 seal", &mut seal_key)
        .unwrap();
    hkdf.expand(b"keystore-core v1 index", &mut index_key)
        .unwrap();
    let seal = XChaCha20Poly1305::new_from_slice(&seal_key).unwrap();
    let tag_of = |key: &str| -> [u8; 16] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&index_key).unwrap();
        mac.update(key.as_bytes());
        mac.finalize().into_bytes()[..16].try_into().unwrap()
    };
    let open_record = |record: &tamper_support::Record| -> Vec<u8> {
        let mut ad = b"RNKS".to_vec();
        ad.extend_from_slice(&1u16.to_le_bytes());
        ad.push(record.kind);
        ad.extend_from_slice(&(STORE.len() as u32).to_le_bytes());
        ad.extend_from_slice(STORE.as_bytes());
        ad.extend_from_slice(&record.tag);
        ad.extend_from_slice(&record.seq.to_le_bytes());
        ad.extend_from_slice(&record.key_id);
        let (nonce, sealed) = record.payload.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().unwrap();
        let payload = Payload {
            msg: sealed,
            aad: &ad,
        };
        seal.decrypt(&XNonce::from(nonce), payload).unwrap()
    };

    // The user-presence key description carries the public key of the user-presence secret.
    let secret: [u8; 32] = user_secret.try_into().unwrap();
    let private = StaticSecret::from(secret);
    let public = PublicKey::from(&private).to_bytes();
    let info = records
        .iter()
        .rfind(|r| r.kind == tamper_support::KEY_INFO && r.tag[0] == 1)
        .unwrap();
    let plain = open_record(info);
    assert_eq!(plain.len(), 51);
    assert_eq!((plain[0], plain[1], &plain[2..10]), (1, 1, user_id));
    assert_eq!(plain[19..], public);

    // Each live key's last record opens under its tag and holds its name, times and value.
    for (key, value, authentication) in TEXT {
        let tag = tag_of(key);
        let record = records.iter().rfind(|r| r.tag == tag).unwrap();
        assert_eq!(record.key_id, standard_id, "{key}");
        let kind = if authentication { 2 } else { 1 };
        assert_eq!(record.kind, kind, "{key}");
        let plain = open_record(record);
        assert_eq!(plain[0], 1, "entry version of {key}");
        let created_seq = u64::from_le_bytes(plain[1..9].try_into().unwrap());
        let first = records.iter().find(|r| r.tag == tag).unwrap();
        assert_eq!(
            created_seq, first.seq,
            "{key} remembers the record that first set it"
        );
        let created = u64::from_le_bytes(plain[9..17].try_into().unwrap());
        let updated = u64::from_le_bytes(plain[17..25].try_into().unwrap());
        assert_eq!((created, updated), times(root, key), "{key}");
        assert_eq!(plain[25], 0, "software level of {key}");
        let n = u16::from_le_bytes(plain[26..28].try_into().unwrap()) as usize;
        assert_eq!(&plain[28..28 + n], key.as_bytes());
        let body = &plain[28 + n..];
        if !authentication {
            assert_eq!(body, value.as_bytes(), "{key}");
            continue;
        }

        assert_eq!(&body[..8], user_id, "{key} names the user-presence key");
        let ephemeral: [u8; 32] = body[8..40].try_into().unwrap();
        let shared = private.diffie_hellman(&PublicKey::from(ephemeral));
        let mut salt = ephemeral.to_vec();
        salt.extend_from_slice(&public);
        let mut one_time = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes())
            .expand(b"keystore-core v1 user-presence value", &mut one_time)
            .unwrap();
        let mut ad = b"RNKV".to_vec();
        ad.extend_from_slice(&1u16.to_le_bytes());
        for part in [STORE.as_bytes(), key.as_bytes()] {
            ad.extend_from_slice(&(part.len() as u32).to_le_bytes());
            ad.extend_from_slice(part);
        }
        ad.push(1);
        ad.extend_from_slice(user_id);
        let nonce: [u8; 24] = body[40..64].try_into().unwrap();
        let cipher = XChaCha20Poly1305::new_from_slice(&one_time).unwrap();
        let payload = Payload {
            msg: &body[64..],
            aad: &ad,
        };
        let opened = cipher.decrypt(&XNonce::from(nonce), payload).unwrap();
        assert_eq!(opened, value.as_bytes(), "{key}");
    }

    // The removed key's last record is its removal.
    let removed = records.iter().rfind(|r| r.tag == tag_of("temp")).unwrap();
    assert_eq!(
        (removed.kind, removed.payload.len()),
        (tamper_support::DELETE, 0)
    );
}

#[test]
fn the_format_1_store_reads_back_every_value_and_metadata_field() {
    let copy = tempfile::tempdir().unwrap();
    copy_fixture(&fixture_dir(), copy.path());
    check_through_the_api(copy.path());

    // Reading never rewrites the file.
    let read = fs::read(store_file(copy.path())).unwrap();
    assert_eq!(read, fs::read(store_file(&fixture_dir())).unwrap());
}

#[test]
fn the_format_1_store_opens_with_the_construction_in_docs_format_md() {
    check_by_the_document(&fixture_dir());
}

#[test]
fn the_format_1_store_stays_writable_and_its_old_entries_survive_new_writes() {
    let copy = tempfile::tempdir().unwrap();
    copy_fixture(&fixture_dir(), copy.path());
    let keystore = open(copy.path());
    keystore
        .set(STORE, "added", "later", &SetOptions::default())
        .unwrap();
    let auth = SetOptions {
        authentication: true,
    };
    keystore.set(STORE, "added pin", "1357", &auth).unwrap();
    keystore.compact(STORE).unwrap();
    drop(keystore);

    let keystore = open(copy.path());
    assert_eq!(keystore.get(STORE, "added", None).unwrap(), "later");
    assert_eq!(keystore.get(STORE, "added pin", None).unwrap(), "1357");
    for (key, value, _) in TEXT {
        assert_eq!(keystore.get(STORE, key, None).unwrap(), value, "{key}");
    }
    let (created, _) = times(copy.path(), "profile");
    assert_eq!(
        keystore.metadata(STORE, "profile").unwrap().created_at_ms,
        created
    );
}

/// Writes the scenario into `root` and records the entries' times in `expected.txt`.
fn generate(root: &Path) {
    let keystore = open(root);
    let std = SetOptions::default();
    let auth = SetOptions {
        authentication: true,
    };
    // Short pauses give each write its own millisecond, so the times tell writes apart.
    let pause = || std::thread::sleep(std::time::Duration::from_millis(3));

    keystore.set(STORE, "token", "abc123", &std).unwrap();
    pause();
    keystore.set(STORE, "profile", PROFILE_V1, &std).unwrap();
    pause();
    keystore.set(STORE, "pin", "2468", &auth).unwrap();
    pause();
    keystore.set(STORE, "clé 🔑", "valeur ✓", &std).unwrap();
    keystore.set_bytes(STORE, "blob", &BLOB, &std).unwrap();
    pause();
    keystore.set(STORE, "profile", PROFILE_V2, &std).unwrap();
    keystore.set(STORE, "temp", "short-lived", &std).unwrap();
    keystore.remove(STORE, "temp").unwrap();

    let mut expected = String::new();
    for key in TEXT.iter().map(|(key, _, _)| *key) {
        let meta = keystore.metadata(STORE, key).unwrap();
        let line = format!("{} {} {key}\n", meta.created_at_ms, meta.updated_at_ms);
        expected.push_str(&line);
    }
    fs::write(root.join("expected.txt"), expected).unwrap();
    // Only the store file and the key files are part of the fixture.
    let _ = fs::remove_file(store_file(root).with_extension("lock"));
}

#[test]
#[ignore = "regenerates the golden store; run with --ignored"]
fn the_golden_store_generator_writes_a_store_these_tests_accept() {
    let scratch = tempfile::tempdir().unwrap();
    generate(scratch.path());
    check_through_the_api(scratch.path());
    check_by_the_document(scratch.path());

    if std::env::var_os("KEYSTORE_WRITE_GOLDEN").is_some_and(|v| v == "1") {
        let target = fixture_dir();
        for sub in ["store", "keys"] {
            let _ = fs::remove_dir_all(target.join(sub));
        }
        copy_fixture(scratch.path(), &target);
        eprintln!("wrote the golden store to {}", target.display());
    }
}
