//! A model-based property test: random sequences of operations on a few stores, checked step by
//! step against a plain in-memory map.
//!
//! The sequences mix entries of both access classes, removals, clears, explicit compactions and
//! reopening the key store (as an app restart does). A small `compact_min_bytes` makes automatic
//! compaction happen in the middle of the sequences too. Set `PROPTEST_CASES` to run more or
//! fewer cases than the default 64.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keystore_core::protector::testing::MemoryProtector;
use keystore_core::{Config, ErrorCode, Keystore, SetOptions};
use proptest::prelude::*;

const STORES: [&str; 3] = ["alpha", "beta", "gamma"];
const KEYS: [&str; 4] = ["k0", "k1", "k2", "key with spaces ✓"];

#[derive(Clone, Debug)]
enum Op {
    Set {
        store: usize,
        key: usize,
        value: String,
        authentication: bool,
    },
    Get {
        store: usize,
        key: usize,
    },
    Remove {
        store: usize,
        key: usize,
    },
    Contains {
        store: usize,
        key: usize,
    },
    Metadata {
        store: usize,
        key: usize,
    },
    Keys {
        store: usize,
    },
    Clear {
        store: usize,
    },
    Compact {
        store: usize,
    },
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    // Only two stores see most traffic, so their files grow enough to be compacted.
    let store = prop_oneof![4 => 0..2usize, 1 => Just(2usize)];
    let key = 0..KEYS.len();
    let value = "[a-z0-9 é\u{0}]{0,48}";
    prop_oneof![
        8 => (store.clone(), key.clone(), value, any::<bool>()).prop_map(
            |(store, key, value, authentication)| Op::Set { store, key, value, authentication }
        ),
        4 => (store.clone(), key.clone()).prop_map(|(store, key)| Op::Get { store, key }),
        3 => (store.clone(), key.clone()).prop_map(|(store, key)| Op::Remove { store, key }),
        2 => (store.clone(), key.clone()).prop_map(|(store, key)| Op::Contains { store, key }),
        2 => (store.clone(), key).prop_map(|(store, key)| Op::Metadata { store, key }),
        2 => store.clone().prop_map(|store| Op::Keys { store }),
        1 => store.clone().prop_map(|store| Op::Clear { store }),
        1 => store.prop_map(|store| Op::Compact { store }),
        1 => Just(Op::Reopen),
    ]
}

/// What the model knows of one entry.
#[derive(Clone, Debug, PartialEq)]
struct Expected {
    value: String,
    authentication: bool,
}

/// The model: per store, the entries and the order their keys were first set in.
#[derive(Default)]
struct Model {
    entries: HashMap<(usize, usize), Expected>,
    order: [Vec<usize>; 3],
}

impl Model {
    fn set(&mut self, store: usize, key: usize, expected: Expected) {
        if self.entries.insert((store, key), expected).is_none() {
            self.order[store].push(key);
        }
    }

    fn remove(&mut self, store: usize, key: usize) {
        if self.entries.remove(&(store, key)).is_some() {
            self.order[store].retain(|&other| other != key);
        }
    }

    fn clear(&mut self, store: usize) {
        self.entries.retain(|&(s, _), _| s != store);
        self.order[store].clear();
    }

    fn keys(&self, store: usize) -> Vec<String> {
        self.order[store]
            .iter()
            .map(|&key| KEYS[key].to_owned())
            .collect()
    }
}

struct System {
    dir: PathBuf,
    protector: Arc<MemoryProtector>,
    config: Config,
    keystore: Keystore,
}

impl System {
    fn reopen(&mut self) {
        self.keystore =
            Keystore::with_config(&self.dir, self.protector.clone(), self.config.clone()).unwrap();
    }
}

/// Checks that `system` holds exactly what `model` says, for every store and key.
fn check_everything(system: &System, model: &Model) -> Result<(), TestCaseError> {
    for (store_index, store) in STORES.iter().enumerate() {
        prop_assert_eq!(
            system.keystore.keys(store).unwrap(),
            model.keys(store_index)
        );
        for (key_index, key) in KEYS.iter().enumerate() {
            check_get(system, model, store_index, key_index)?;
            let contains = system.keystore.contains(store, key).unwrap();
            prop_assert_eq!(
                contains,
                model.entries.contains_key(&(store_index, key_index))
            );
        }
    }
    Ok(())
}

fn check_get(
    system: &System,
    model: &Model,
    store: usize,
    key: usize,
) -> Result<(), TestCaseError> {
    let got = system.keystore.get(STORES[store], KEYS[key], None);
    match model.entries.get(&(store, key)) {
        Some(expected) => prop_assert_eq!(got.as_deref(), Ok(expected.value.as_str())),
        None => prop_assert_eq!(got.map_err(|err| err.code()), Err(ErrorCode::NotFound)),
    }
    Ok(())
}

/// Runs `ops` on a key store in `dir` and on the model, checking every answer.
fn run(dir: &Path, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let protector = Arc::new(MemoryProtector::new());
    let config = Config {
        compact_min_bytes: 1024,
        ..Config::default()
    };
    let keystore = Keystore::with_config(dir, protector.clone(), config.clone()).unwrap();
    let mut system = System {
        dir: dir.to_path_buf(),
        protector,
        config,
        keystore,
    };
    let mut model = Model::default();

    for op in ops {
        let ks = &system.keystore;
        match op {
            Op::Set {
                store,
                key,
                value,
                authentication,
            } => {
                let options = SetOptions { authentication };
                ks.set(STORES[store], KEYS[key], &value, &options).unwrap();
                model.set(
                    store,
                    key,
                    Expected {
                        value,
                        authentication,
                    },
                );
            }
            Op::Get { store, key } => check_get(&system, &model, store, key)?,
            Op::Remove { store, key } => {
                ks.remove(STORES[store], KEYS[key]).unwrap();
                model.remove(store, key);
            }
            Op::Contains { store, key } => {
                let contains = ks.contains(STORES[store], KEYS[key]).unwrap();
                prop_assert_eq!(contains, model.entries.contains_key(&(store, key)));
            }
            Op::Metadata { store, key } => {
                let metadata = ks.metadata(STORES[store], KEYS[key]);
                match model.entries.get(&(store, key)) {
                    Some(expected) => {
                        prop_assert_eq!(metadata.unwrap().authentication, expected.authentication)
                    }
                    None => prop_assert_eq!(metadata.unwrap_err().code(), ErrorCode::NotFound),
                }
            }
            Op::Keys { store } => {
                prop_assert_eq!(ks.keys(STORES[store]).unwrap(), model.keys(store));
            }
            Op::Clear { store } => {
                ks.clear(STORES[store]).unwrap();
                model.clear(store);
            }
            Op::Compact { store } => ks.compact(STORES[store]).unwrap(),
            Op::Reopen => system.reopen(),
        }
    }

    // The end state, then the same after a restart.
    check_everything(&system, &model)?;
    system.reopen();
    check_everything(&system, &model)
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_sequence_of_operations_matches_the_in_memory_model(
        ops in proptest::collection::vec(op(), 1..80)
    ) {
        let tmp = tempfile::tempdir().unwrap();
        run(tmp.path(), ops)?;
    }
}

#[test]
fn a_long_run_of_updates_to_few_keys_compacts_and_still_matches_the_model() {
    // A fixed sequence that surely crosses the compaction threshold many times.
    let mut ops = Vec::new();
    for round in 0..200 {
        ops.push(Op::Set {
            store: round % 2,
            key: round % KEYS.len(),
            value: format!("round {round}"),
            authentication: round % 3 == 0,
        });
        if round % 7 == 0 {
            ops.push(Op::Remove {
                store: 0,
                key: round % KEYS.len(),
            });
        }
        if round % 50 == 49 {
            ops.push(Op::Reopen);
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    run(tmp.path(), ops).unwrap();

    // 200 records of about 150 bytes were written; compaction kept only the live ones.
    let total: u64 = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum();
    assert!(total < 8 * 1024, "the store files hold {total} bytes");
}
