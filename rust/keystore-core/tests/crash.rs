//! Crash safety: a store file cut at any byte, as a crash during an append leaves it, opens with
//! exactly the entries whose writes completed before the cut, and the next write cuts off the torn
//! tail before appending.
//!
//! Each test keeps one protector for the whole run and rewrites the store file in place for every
//! cut, so the protector's data keys always match the records that name them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keystore_core::protector::testing::MemoryProtector;
use keystore_core::{ErrorCode, Keystore, SetOptions};

const STORE: &str = "crash";

/// One acknowledged write of the scenario.
#[derive(Clone, Copy, Debug)]
enum Op {
    Set {
        key: &'static str,
        value: &'static str,
        authentication: bool,
    },
    Remove(&'static str),
}

/// What a key should read as: its value and whether it requires authentication.
type Expected = BTreeMap<String, (String, bool)>;

fn set(key: &'static str, value: &'static str) -> Op {
    Op::Set {
        key,
        value,
        authentication: false,
    }
}

fn set_auth(key: &'static str, value: &'static str) -> Op {
    Op::Set {
        key,
        value,
        authentication: true,
    }
}

fn apply(expected: &mut Expected, op: Op) {
    match op {
        Op::Set {
            key,
            value,
            authentication,
        } => {
            expected.insert(key.to_owned(), (value.to_owned(), authentication));
        }
        Op::Remove(key) => {
            expected.remove(key);
        }
    }
}

fn run(keystore: &Keystore, op: Op) {
    match op {
        Op::Set {
            key,
            value,
            authentication,
        } => keystore
            .set(STORE, key, value, &SetOptions { authentication })
            .unwrap(),
        Op::Remove(key) => keystore.remove(STORE, key).unwrap(),
    }
}

/// The path of the store's file: the only `.kst` file in `dir`.
fn store_file(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kst"))
        .collect();
    assert_eq!(files.len(), 1, "one store file in {}", dir.display());
    files.pop().unwrap()
}

/// Checks that `keystore` holds exactly `expected` among `universe`, by every read operation.
fn assert_holds(keystore: &Keystore, expected: &Expected, universe: &[String], cut: u64) {
    for key in universe {
        let got = keystore.get(STORE, key, None);
        let meta = keystore.metadata(STORE, key);
        let contains = keystore.contains(STORE, key).unwrap();
        match expected.get(key) {
            Some((value, authentication)) => {
                assert_eq!(got.as_ref(), Ok(value), "{key} after a cut at {cut}");
                assert_eq!(
                    meta.map(|m| m.authentication),
                    Ok(*authentication),
                    "{key} metadata after a cut at {cut}"
                );
                assert!(contains, "{key} is contained after a cut at {cut}");
            }
            None => {
                let code = got.map_err(|err| err.code());
                assert_eq!(code, Err(ErrorCode::NotFound), "{key} after a cut at {cut}");
                let code = meta.map_err(|err| err.code());
                assert_eq!(code, Err(ErrorCode::NotFound), "{key} metadata, cut {cut}");
                assert!(!contains, "{key} is not contained after a cut at {cut}");
            }
        }
    }
    let mut keys = keystore.keys(STORE).unwrap();
    keys.sort();
    let want: Vec<&String> = expected.keys().collect();
    assert_eq!(
        keys.iter().collect::<Vec<_>>(),
        want,
        "keys after a cut at {cut}"
    );
}

/// A store built by `ops`, with the file length after each op.
struct Built {
    dir: tempfile::TempDir,
    protector: Arc<MemoryProtector>,
    file: PathBuf,
    bytes: Vec<u8>,
    ends: Vec<u64>,
}

fn build(ops: &[Op]) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let protector = Arc::new(MemoryProtector::new());
    let keystore = Keystore::open(dir.path(), protector.clone()).unwrap();
    let mut ends = Vec::with_capacity(ops.len());
    for op in ops {
        run(&keystore, *op);
        ends.push(fs::metadata(store_file(dir.path())).unwrap().len());
    }
    drop(keystore);
    let file = store_file(dir.path());
    let bytes = fs::read(&file).unwrap();
    Built {
        dir,
        protector,
        file,
        bytes,
        ends,
    }
}

#[test]
fn a_store_cut_at_any_byte_of_its_last_records_keeps_every_completed_write() {
    // The data keys of both classes are created by the early writes, so no cut below reaches
    // their descriptions and the shared protector never needs a new key.
    let ops = [
        set("alpha", "first alpha"),
        set_auth("pin", "1234"),
        set("bravo", "bravo value"),
        set_auth("card", "4111 1111"),
        // The cuts start here.
        set_auth("pin", "5678"),
        set("alpha", "second alpha"),
        set_auth("note", "a private note"),
        Op::Remove("bravo"),
    ];
    let first_cut_op = 4;
    let built = build(&ops);
    let start = built.ends[first_cut_op - 1];
    let total = built.bytes.len() as u64;
    assert_eq!(total, *built.ends.last().unwrap());

    let mut universe: Vec<String> = ["alpha", "pin", "bravo", "card", "note"]
        .map(String::from)
        .to_vec();
    universe.extend(["after cut".to_owned(), "after cut auth".to_owned()]);
    let mut growth = None;

    for cut in start..=total {
        fs::write(&built.file, &built.bytes[..cut as usize]).unwrap();

        // The entries are those of the writes that ended at or before the cut.
        let mut expected = Expected::new();
        let mut kept_end = 16;
        for (op, end) in ops.iter().zip(&built.ends) {
            if *end <= cut {
                apply(&mut expected, *op);
                kept_end = *end;
            }
        }
        let keystore = Keystore::open(built.dir.path(), built.protector.clone()).unwrap();
        assert_holds(&keystore, &expected, &universe, cut);

        // New writes succeed and land right after the last complete record.
        let value = format!("written after a cut at {cut:05}");
        keystore
            .set(STORE, "after cut", &value, &SetOptions::default())
            .unwrap();
        let auth = SetOptions {
            authentication: true,
        };
        keystore
            .set(STORE, "after cut auth", &value, &auth)
            .unwrap();
        drop(keystore);
        expected.insert("after cut".to_owned(), (value.clone(), false));
        expected.insert("after cut auth".to_owned(), (value, true));

        let written = fs::read(&built.file).unwrap();
        assert_eq!(
            written[..kept_end as usize],
            built.bytes[..kept_end as usize],
            "the records before a cut at {cut} are untouched"
        );
        assert_eq!(
            &written[kept_end as usize..kept_end as usize + 2],
            b"R1",
            "a new record starts where the last complete one ended (cut at {cut})"
        );
        let grew = written.len() as u64 - kept_end;
        assert_eq!(
            *growth.get_or_insert(grew),
            grew,
            "no torn bytes remain before the new records (cut at {cut})"
        );

        let reopened = Keystore::open(built.dir.path(), built.protector.clone()).unwrap();
        assert_holds(&reopened, &expected, &universe, cut);
    }
    assert_eq!(
        built.protector.key_count(),
        2,
        "the writes after the cuts reused the store's data keys"
    );
}

#[test]
fn a_store_torn_anywhere_in_its_first_write_opens_as_if_never_written() {
    for authentication in [false, true] {
        let options = SetOptions { authentication };
        let op = Op::Set {
            key: "first",
            value: "first value",
            authentication,
        };
        let built = build(&[op]);
        let universe = ["first".to_owned(), "second".to_owned()];
        let mut expected = Expected::new();
        expected.insert(
            "second".to_owned(),
            ("second value".to_owned(), authentication),
        );

        // Longest cut first: the first write saved its data keys before appending their
        // descriptions, so a cut that keeps a description finds the key it names, and only the
        // cuts that lose a description make the next write create (and save) a new key.
        for cut in (0..built.bytes.len()).rev() {
            fs::write(&built.file, &built.bytes[..cut]).unwrap();
            let keystore = Keystore::open(built.dir.path(), built.protector.clone()).unwrap();
            assert_holds(&keystore, &Expected::new(), &universe, cut as u64);
            keystore
                .set(STORE, "second", "second value", &options)
                .unwrap();
            drop(keystore);

            let reopened = Keystore::open(built.dir.path(), built.protector.clone()).unwrap();
            assert_holds(&reopened, &expected, &universe, cut as u64);
        }
    }
}

#[test]
fn a_file_whose_creation_was_interrupted_opens_as_an_empty_store_that_can_be_written() {
    let header = build(&[set("k", "v")]).bytes[..16].to_vec();
    let universe = ["k".to_owned()];

    for len in 0..16 {
        let dir = tempfile::tempdir().unwrap();
        let protector = Arc::new(MemoryProtector::new());
        let keystore = Keystore::open(dir.path(), protector.clone()).unwrap();
        // Learn the file name from a throwaway write, then leave only the interrupted header.
        keystore
            .set(STORE, "k", "v", &SetOptions::default())
            .unwrap();
        drop(keystore);
        let file = store_file(dir.path());
        fs::write(&file, &header[..len]).unwrap();

        // Creation writes the header before any data key is saved, so the protector is empty.
        let protector = Arc::new(MemoryProtector::new());
        let keystore = Keystore::open(dir.path(), protector.clone()).unwrap();
        assert_holds(&keystore, &Expected::new(), &universe, len as u64);
        keystore
            .set(STORE, "k", "again", &SetOptions::default())
            .unwrap();
        drop(keystore);

        let reopened = Keystore::open(dir.path(), protector).unwrap();
        let mut expected = Expected::new();
        expected.insert("k".to_owned(), ("again".to_owned(), false));
        assert_holds(&reopened, &expected, &universe, len as u64);
        assert_eq!(fs::read(&file).unwrap()[..16], header[..], "a whole header");
    }
}
