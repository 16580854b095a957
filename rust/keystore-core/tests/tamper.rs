//! Tampering and damage: a store file with any byte changed, or with records moved, relabelled,
//! replayed or copied elsewhere, reads each entry as its right value or as a typed error, and
//! never as another value.
//!
//! The files are taken apart with `tamper_support`, which follows `docs/format.md` only.

mod tamper_support;

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

use keystore_core::protector::testing::MemoryProtector;
use keystore_core::{Error, ErrorCode, Keystore, SetOptions};
use tamper_support::{
    DELETE, FILE_HEADER_LEN, KEY_INFO, PUT_STANDARD, PUT_USER_PRESENCE, Record, SUPERSEDED,
};

const STORE: &str = "tamper";
const AUTH: SetOptions = SetOptions {
    authentication: true,
};

/// A small store in its own directory, with the records each write produced.
struct Fixture {
    dir: tempfile::TempDir,
    protector: Arc<MemoryProtector>,
    path: PathBuf,
    bytes: Vec<u8>,
    records: Vec<Record>,
    /// The name of the key each `Put` and `Delete` record concerns, by record index.
    names: BTreeMap<usize, &'static str>,
}

impl Fixture {
    /// Standard and authentication entries, an overwrite, and a removal.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let protector = Arc::new(MemoryProtector::new());
        let keystore = Keystore::open(dir.path(), protector.clone()).unwrap();
        let path = dir
            .path()
            .join(format!("{}.kst", tamper_support::store_id(STORE)));
        let mut names = BTreeMap::new();
        let std = SetOptions::default();

        let mut step = |name: &'static str, write: &dyn Fn(&Keystore)| {
            write(&keystore);
            let records = tamper_support::parse(&fs::read(&path).unwrap());
            names.insert(records.len() - 1, name);
        };
        step("alpha", &|k| k.set(STORE, "alpha", "one", &std).unwrap());
        step("bravo", &|k| k.set(STORE, "bravo", "two", &std).unwrap());
        step("pin", &|k| k.set(STORE, "pin", "1234", &AUTH).unwrap());
        step("alpha", &|k| k.set(STORE, "alpha", "uno", &std).unwrap());
        step("gone", &|k| k.set(STORE, "gone", "soon", &std).unwrap());
        step("gone", &|k| k.remove(STORE, "gone").unwrap());
        drop(keystore);

        let bytes = fs::read(&path).unwrap();
        let records = tamper_support::parse(&bytes);
        Fixture {
            dir,
            protector,
            path,
            bytes,
            records,
            names,
        }
    }

    /// The live entries: name and value.
    fn live() -> BTreeMap<&'static str, &'static str> {
        BTreeMap::from([("alpha", "uno"), ("bravo", "two"), ("pin", "1234")])
    }

    fn keystore(&self) -> Keystore {
        Keystore::open(self.dir.path(), self.protector.clone()).unwrap()
    }

    fn write(&self, bytes: &[u8]) {
        fs::write(&self.path, bytes).unwrap();
    }

    /// The index of the first record of `kind` whose key is `name`.
    fn first(&self, kind: u8, name: &str) -> usize {
        (0..self.records.len())
            .find(|i| self.records[*i].kind == kind && self.names.get(i) == Some(&name))
            .unwrap()
    }

    /// The index of the last record of `kind` whose key is `name`.
    fn last(&self, kind: u8, name: &str) -> usize {
        (0..self.records.len())
            .rev()
            .find(|i| self.records[*i].kind == kind && self.names.get(i) == Some(&name))
            .unwrap()
    }

    /// The index of the key description of `class` (0 standard, 1 user presence).
    fn key_info(&self, class: u8) -> usize {
        let i = self
            .records
            .iter()
            .position(|r| r.kind == KEY_INFO && r.tag[0] == class);
        i.unwrap()
    }
}

fn code<T: std::fmt::Debug>(result: Result<T, Error>) -> ErrorCode {
    result.unwrap_err().code()
}

#[test]
fn the_store_file_is_laid_out_as_docs_format_md_says() {
    let fx = Fixture::new();
    let kinds: Vec<u8> = fx.records.iter().map(|r| r.kind).collect();
    let (s, u) = (PUT_STANDARD, PUT_USER_PRESENCE);
    assert_eq!(kinds, [KEY_INFO, s, s, KEY_INFO, u, s, s, DELETE]);

    // Key descriptions: class tags, plaintext of 19 or 51 bytes plus a 40-byte seal.
    let (standard, user) = (&fx.records[fx.key_info(0)], &fx.records[fx.key_info(1)]);
    assert_eq!(standard.tag, [0; 16]);
    assert_eq!(user.tag[0], 1);
    assert_eq!(user.tag[1..], [0; 15]);
    assert_eq!(standard.payload.len(), 19 + 40);
    assert_eq!(user.payload.len(), 51 + 40);

    // Entries: 160 + key + value bytes, or 240 + key + value for user presence.
    let sizes: Vec<usize> = fx.records.iter().map(Record::len).collect();
    assert_eq!(sizes[1], 160 + "alpha".len() + "one".len());
    assert_eq!(sizes[4], 240 + "pin".len() + "1234".len());
    assert_eq!(sizes[7], 92, "a removal has an empty payload");

    // Sequence numbers count up from 1 in file order.
    let seqs: Vec<u64> = fx.records.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<u64>>());

    // Every record names the standard key; a key keeps its tag across writes.
    for record in &fx.records {
        assert_eq!(record.key_id, standard.key_id);
    }
    let alpha: Vec<_> = fx.names.iter().filter(|(_, n)| **n == "alpha").collect();
    assert_eq!(fx.records[*alpha[0].0].tag, fx.records[*alpha[1].0].tag);
    assert_eq!(
        fx.records[6].tag, fx.records[7].tag,
        "the removal names its key"
    );
    assert_ne!(fx.records[1].tag, fx.records[2].tag);
}

/// Which reads a damaged byte at `offset` may break, by the rules of `docs/format.md`: none for
/// a header copy (the other copy is used) or a record that no longer counts, the one entry of a
/// live record's payload, the authentication entries for the user-presence description, and
/// everything for the file header.
enum Damage {
    Nothing,
    Entry(&'static str),
    UserPresenceKey,
    WholeStore,
}

fn damage_at(fx: &Fixture, offset: usize) -> Damage {
    if offset < FILE_HEADER_LEN {
        return Damage::WholeStore;
    }
    let i = fx.records.iter().rposition(|r| r.offset <= offset).unwrap();
    let record = &fx.records[i];
    if offset < record.payload_start() {
        return Damage::Nothing;
    }
    match record.kind {
        KEY_INFO if record.tag[0] == 1 => Damage::UserPresenceKey,
        PUT_STANDARD | PUT_USER_PRESENCE => {
            let name = fx.names[&i];
            let live = fx.last(record.kind, name) == i && Fixture::live().contains_key(name);
            if live {
                Damage::Entry(name)
            } else {
                Damage::Nothing
            }
        }
        _ => Damage::Nothing,
    }
}

#[test]
fn every_changed_byte_leaves_each_entry_right_or_corrupted_and_never_another_value() {
    let fx = Fixture::new();
    let live = Fixture::live();

    for offset in 0..fx.bytes.len() {
        for pattern in [0x01u8, 0x80, 0xff] {
            let mut bytes = fx.bytes.clone();
            bytes[offset] ^= pattern;
            fx.write(&bytes);
            let damage = damage_at(&fx, offset);
            let at = format!("byte {offset} ^ {pattern:#04x}");
            let keystore = fx.keystore();

            for name in ["alpha", "bravo", "pin", "gone"] {
                let got = keystore.get(STORE, name, None);
                let meta = keystore.metadata(STORE, name);
                let broken = match damage {
                    Damage::WholeStore => true,
                    Damage::Entry(hit) => hit == name,
                    Damage::UserPresenceKey => name == "pin",
                    Damage::Nothing => false,
                };
                match (live.get(name), broken) {
                    (_, true) => assert_eq!(code(got), ErrorCode::Corrupted, "{name}, {at}"),
                    (Some(value), false) => assert_eq!(got.unwrap(), *value, "{name}, {at}"),
                    (None, false) => assert_eq!(code(got), ErrorCode::NotFound, "{name}, {at}"),
                }
                // Metadata does not need the user-presence key, only the entry itself.
                let meta_broken = broken && !matches!(damage, Damage::UserPresenceKey);
                match (live.get(name), meta_broken) {
                    (_, true) => assert_eq!(code(meta), ErrorCode::Corrupted, "{name}, {at}"),
                    (Some(_), false) => {
                        assert_eq!(meta.unwrap().authentication, name == "pin", "{name}, {at}")
                    }
                    (None, false) => assert_eq!(code(meta), ErrorCode::NotFound, "{name}, {at}"),
                }
            }

            let keys = keystore.keys(STORE);
            match damage {
                Damage::WholeStore => assert_eq!(code(keys), ErrorCode::Corrupted, "{at}"),
                _ => {
                    let mut keys = keys.unwrap();
                    keys.sort();
                    let mut want: Vec<&str> = live.keys().copied().collect();
                    if let Damage::Entry(hit) = damage {
                        want.retain(|name| *name != hit);
                    }
                    assert_eq!(keys, want, "keys, {at}");
                }
            }
        }
    }
}

/// Re-encodes the fixture's file after `change` edits its records, with every CRC fixed so that
/// only authentication can notice.
fn rewrite(fx: &Fixture, change: impl FnOnce(&mut Vec<Record>)) {
    let mut records = fx.records.clone();
    change(&mut records);
    fx.write(&tamper_support::encode(&records));
}

#[test]
fn a_payload_moved_under_another_keys_header_is_corrupted() {
    let fx = Fixture::new();
    let (alpha, bravo) = (
        fx.last(PUT_STANDARD, "alpha"),
        fx.last(PUT_STANDARD, "bravo"),
    );
    rewrite(&fx, |records| {
        records[alpha].payload = records[bravo].payload.clone();
    });

    let keystore = fx.keystore();
    assert_eq!(
        code(keystore.get(STORE, "alpha", None)),
        ErrorCode::Corrupted
    );
    assert_eq!(
        code(keystore.metadata(STORE, "alpha")),
        ErrorCode::Corrupted
    );
    assert_eq!(keystore.get(STORE, "bravo", None).unwrap(), "two");
    assert_eq!(keystore.keys(STORE).unwrap(), ["bravo", "pin"]);
}

#[test]
fn a_record_relabelled_between_the_two_put_kinds_is_corrupted() {
    let fx = Fixture::new();
    let (alpha, pin) = (
        fx.last(PUT_STANDARD, "alpha"),
        fx.last(PUT_USER_PRESENCE, "pin"),
    );
    rewrite(&fx, |records| {
        records[alpha].kind = PUT_USER_PRESENCE;
        records[pin].kind = PUT_STANDARD;
    });

    let keystore = fx.keystore();
    for name in ["alpha", "pin"] {
        assert_eq!(
            code(keystore.get(STORE, name, None)),
            ErrorCode::Corrupted,
            "{name}"
        );
        assert_eq!(
            code(keystore.metadata(STORE, name)),
            ErrorCode::Corrupted,
            "{name}"
        );
    }
    assert_eq!(keystore.get(STORE, "bravo", None).unwrap(), "two");
}

#[test]
fn a_record_that_names_another_data_key_is_invalidated_not_misread() {
    let fx = Fixture::new();
    let bravo = fx.last(PUT_STANDARD, "bravo");
    rewrite(&fx, |records| records[bravo].key_id = [0x42; 8]);

    let keystore = fx.keystore();
    let got = keystore.get(STORE, "bravo", None);
    assert_eq!(code(got), ErrorCode::KeyInvalidated);
    assert_eq!(keystore.get(STORE, "alpha", None).unwrap(), "uno");
}

#[test]
fn replaying_an_older_record_makes_its_key_corrupted_instead_of_rolling_it_back() {
    let fx = Fixture::new();
    let old_alpha = fx.first(PUT_STANDARD, "alpha");
    let gone = fx.last(PUT_STANDARD, "gone");
    rewrite(&fx, |records| {
        records.push(records[old_alpha].clone());
        records.push(records[gone].clone());
    });

    let keystore = fx.keystore();
    assert_eq!(
        code(keystore.get(STORE, "alpha", None)),
        ErrorCode::Corrupted
    );
    assert_eq!(
        code(keystore.get(STORE, "gone", None)),
        ErrorCode::Corrupted
    );
    assert_eq!(keystore.get(STORE, "bravo", None).unwrap(), "two");
    assert!(!keystore.keys(STORE).unwrap().contains(&"alpha".to_owned()));

    // Setting the key again makes it trustworthy again.
    keystore
        .set(STORE, "alpha", "eins", &SetOptions::default())
        .unwrap();
    assert_eq!(keystore.get(STORE, "alpha", None).unwrap(), "eins");
    let reopened = fx.keystore();
    assert_eq!(reopened.get(STORE, "alpha", None).unwrap(), "eins");
    assert_eq!(
        code(reopened.get(STORE, "gone", None)),
        ErrorCode::Corrupted
    );
}

#[test]
fn a_replayed_record_renumbered_as_the_newest_fails_authentication() {
    let fx = Fixture::new();
    let old_alpha = fx.first(PUT_STANDARD, "alpha");
    rewrite(&fx, |records| {
        let mut replay = records[old_alpha].clone();
        replay.seq = records.iter().map(|r| r.seq).max().unwrap() + 1;
        records.push(replay);
    });

    let keystore = fx.keystore();
    assert_eq!(
        code(keystore.get(STORE, "alpha", None)),
        ErrorCode::Corrupted
    );
    assert_eq!(keystore.get(STORE, "bravo", None).unwrap(), "two");
}

#[test]
fn a_forged_replacement_marker_in_the_live_file_is_ignored() {
    let fx = Fixture::new();
    rewrite(&fx, |records| {
        let seq = records.iter().map(|r| r.seq).max().unwrap() + 1;
        records.push(Record {
            offset: 0,
            kind: SUPERSEDED,
            seq,
            key_id: [0; 8],
            tag: [0; 16],
            payload: Vec::new(),
        });
    });

    let keystore = fx.keystore();
    for (key, value) in Fixture::live() {
        assert_eq!(keystore.get(STORE, key, None).unwrap(), value, "{key}");
    }
    keystore
        .set(STORE, "bravo", "three", &SetOptions::default())
        .unwrap();
    assert_eq!(fx.keystore().get(STORE, "bravo", None).unwrap(), "three");
}

/// A second store in the same directory, under the same protector, with its own `alpha`.
fn second_store(fx: &Fixture) -> PathBuf {
    let keystore = fx.keystore();
    keystore
        .set("second", "alpha", "second alpha", &SetOptions::default())
        .unwrap();
    fx.dir
        .path()
        .join(format!("{}.kst", tamper_support::store_id("second")))
}

#[test]
fn a_store_file_copied_over_another_stores_file_reads_as_invalidated() {
    let fx = Fixture::new();
    let second = second_store(&fx);
    fs::copy(&fx.path, &second).unwrap();

    let keystore = fx.keystore();
    for name in ["alpha", "bravo", "pin", "gone"] {
        let got = keystore.get("second", name, None);
        assert_eq!(code(got), ErrorCode::KeyInvalidated, "{name}");
    }
    assert_eq!(keystore.keys("second").unwrap(), Vec::<String>::new());
    assert_eq!(keystore.get(STORE, "alpha", None).unwrap(), "uno");
}

#[test]
fn an_entry_moved_into_another_store_under_its_own_key_id_and_tag_is_corrupted() {
    let fx = Fixture::new();
    let second = second_store(&fx);
    let mut theirs = tamper_support::parse(&fs::read(&second).unwrap());
    let ours = &fx.records[fx.last(PUT_STANDARD, "alpha")];

    // Keep the second store's header (its key id and its tag for `alpha`), take our payload.
    let put = theirs.iter().rposition(|r| r.kind == PUT_STANDARD).unwrap();
    theirs[put].payload = ours.payload.clone();
    fs::write(&second, tamper_support::encode(&theirs)).unwrap();

    let keystore = fx.keystore();
    assert_eq!(
        code(keystore.get("second", "alpha", None)),
        ErrorCode::Corrupted
    );
    assert_eq!(keystore.keys("second").unwrap(), Vec::<String>::new());
}

#[test]
fn a_store_file_copied_to_a_keystore_with_another_protector_reads_as_invalidated() {
    let fx = Fixture::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join(fx.path.file_name().unwrap());
    fs::copy(&fx.path, &target).unwrap();

    let keystore = Keystore::open(elsewhere.path(), Arc::new(MemoryProtector::new())).unwrap();
    for name in ["alpha", "bravo", "pin", "gone"] {
        let got = keystore.get(STORE, name, None);
        assert_eq!(code(got), ErrorCode::KeyInvalidated, "{name}");
        assert_eq!(
            code(keystore.metadata(STORE, name)),
            ErrorCode::KeyInvalidated
        );
        assert!(!keystore.contains(STORE, name).unwrap());
    }
    assert_eq!(keystore.keys(STORE).unwrap(), Vec::<String>::new());

    // The store stays writable; the copied entries stay unreadable rather than misread.
    let std = SetOptions::default();
    keystore.set(STORE, "fresh", "new value", &std).unwrap();
    assert_eq!(keystore.get(STORE, "fresh", None).unwrap(), "new value");
    let got = keystore.get(STORE, "alpha", None);
    assert_eq!(code(got), ErrorCode::KeyInvalidated);
    assert_eq!(keystore.keys(STORE).unwrap(), ["fresh"]);
}

#[test]
fn a_changed_file_never_panics_when_it_is_written_to() {
    // The writes after damage must cope too: every byte of the first records, changed, then a
    // set of a standard and an authentication entry.
    let fx = Fixture::new();
    let end = fx.records[2].offset;
    for offset in 0..end {
        let mut bytes = fx.bytes.clone();
        bytes[offset] ^= 0xff;
        fx.write(&bytes);
        let keystore = fx.keystore();
        for options in [SetOptions::default(), AUTH] {
            match keystore.set(STORE, "later", "later value", &options) {
                Ok(()) => assert_eq!(
                    keystore.get(STORE, "later", None).unwrap(),
                    "later value",
                    "byte {offset}"
                ),
                Err(err) => assert_eq!(err.code(), ErrorCode::Corrupted, "byte {offset}"),
            }
        }
    }
}

#[test]
fn a_record_with_both_header_copies_damaged_is_skipped_and_its_key_reads_its_previous_value() {
    // Documented in docs/format.md: without a valid header the record's key is unknown, so the
    // damage cannot be pinned on it; a last such record is treated as a torn write.
    let fx = Fixture::new();
    let alpha = fx.records[fx.last(PUT_STANDARD, "alpha")].offset;
    let removal = fx.records[fx.last(DELETE, "gone")].offset;
    let mut bytes = fx.bytes.clone();
    for start in [alpha, removal] {
        bytes[start + 5] ^= 0x01;
        bytes[start + tamper_support::HEADER_LEN + 5] ^= 0x01;
    }
    fx.write(&bytes);

    let keystore = fx.keystore();
    assert_eq!(keystore.get(STORE, "alpha", None).unwrap(), "one");
    assert_eq!(keystore.get(STORE, "gone", None).unwrap(), "soon");
    assert_eq!(keystore.get(STORE, "bravo", None).unwrap(), "two");

    // The next write cuts the damaged final record off like a torn tail.
    keystore
        .set(STORE, "bravo", "three", &SetOptions::default())
        .unwrap();
    let after = fs::read(&fx.path).unwrap();
    assert_eq!(after[..removal], bytes[..removal]);
    let appended = [tamper_support::file_header(), after[removal..].to_vec()].concat();
    let appended = tamper_support::parse(&appended);
    assert_eq!(appended.len(), 1, "only the new record follows the cut");
    assert_eq!(appended[0].kind, PUT_STANDARD);
}
