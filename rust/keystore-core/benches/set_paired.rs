//! Durable sets measured interleaved with their baselines, for ratios that survive a noisy disk.
//!
//! `fdatasync` latency on a shared machine drifts by several times within a minute, so two
//! criterion benchmarks run one after the other can disagree more than the designs do. Here
//! every round runs one key store set, one floor append (`fdatasync` of as many bytes) and one
//! SQLite set, in a rotating order, so all three see the same disk. The medians, means and the
//! ratios to the floor are printed per store size.
//!
//! A second pass runs the same rounds on tmpfs (`/dev/shm`), where syncing is free, which leaves
//! the CPU and system-call cost each design adds around the sync. `docs/benchmarks.md` lists the
//! results.

mod support;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use keystore_core::{Keystore, SetOptions};
use support::{
    Fixture, Picker, SIZES, STORE, Sealer, SqliteStore, entry_plain_len, sealed_entries, value,
};

/// Rounds per store size on the disk under test.
const ROUNDS: usize = 1_500;
/// Rounds per store size on tmpfs.
const TMPFS_ROUNDS: usize = 20_000;

fn main() {
    for entries in SIZES {
        let fixture = Fixture::build(entries, &value(100));
        let keystore = fixture.open_warm();
        paired("disk", &fixture, &keystore, fixture.scratch(), ROUNDS);
        drop(keystore);
    }
    if !Path::new("/dev/shm").is_dir() {
        return;
    }
    for entries in SIZES {
        let fixture = Fixture::build(entries, &value(100));
        let shm = tempfile::tempdir_in("/dev/shm").expect("tmpfs directory");
        let dir = shm.path().join("stores");
        copy_store(&fixture, &dir);
        let keystore = Keystore::open(&dir, fixture.protector.clone()).expect("open");
        paired("tmpfs", &fixture, &keystore, shm.path(), TMPFS_ROUNDS);
    }
}

/// Runs `rounds` rounds of the three designs, the baselines' files in `scratch`.
fn paired(fs: &str, fixture: &Fixture, keystore: &Keystore, scratch: &Path, rounds: usize) {
    let entries = fixture.keys.len();
    let keys = &fixture.keys;
    let value = value(100);
    let options = SetOptions::default();
    let plain = vec![b'p'; entry_plain_len(&keys[0], &value)];
    let sealer = Sealer::new();
    let sqlite = SqliteStore::create(
        &scratch.join("paired.sqlite"),
        keys,
        &sealed_entries(&sealer, keys, plain.len()),
    );
    let mut log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(scratch.join("paired-floor.log"))
        .expect("open the floor file");
    let mut picker = Picker::new(entries);
    let mut times = [Vec::new(), Vec::new(), Vec::new()];

    // One overwrite shows how many bytes a set appends; the floor appends as many.
    let store_file = keystore.dir().join(format!("{}.kst", fixture.store_id));
    let len = || std::fs::metadata(&store_file).expect("stat").len();
    let before = len();
    keystore
        .set(STORE, &keys[0], &value, &options)
        .expect("set");
    let record = vec![0x5a; (len() - before) as usize];

    // A short warm-up, then the measured rounds.
    for round in 0..rounds + 50 {
        let key = &keys[picker.next_index()];
        for step in 0..3 {
            let design = (round + step) % 3;
            let started = Instant::now();
            match design {
                0 => keystore.set(STORE, key, &value, &options).expect("set"),
                1 => {
                    log.write_all(&record).expect("append");
                    log.sync_data().expect("fdatasync");
                }
                _ => {
                    let sealed = sealer.seal(key.as_bytes(), &plain);
                    sqlite.set(key, &sealed).expect("insert or replace");
                }
            }
            if round >= 50 {
                times[design].push(started.elapsed().as_secs_f64() * 1e6);
            }
        }
    }

    let [store, floor, sqlite] = times.map(Summary::of);
    println!(
        "set_paired/{fs}/{entries}: keystore median {:.1} us mean {:.1} us | floor median {:.1} \
         us mean {:.1} us | sqlite median {:.1} us mean {:.1} us | keystore/floor median {:.2}x \
         mean {:.2}x | sqlite/keystore median {:.2}x mean {:.2}x ({rounds} rounds)",
        store.median,
        store.mean,
        floor.median,
        floor.mean,
        sqlite.median,
        sqlite.mean,
        store.median / floor.median,
        store.mean / floor.mean,
        sqlite.median / store.median,
        sqlite.mean / store.mean,
    );
}

/// Copies the fixture's store to `dir` and registers its data key there.
fn copy_store(fixture: &Fixture, dir: &Path) {
    std::fs::create_dir_all(dir).expect("create the directory");
    let file_name = format!("{}.kst", fixture.store_id);
    std::fs::copy(fixture.store_file(), dir.join(&file_name)).expect("copy the store");
    File::open(dir.join(&file_name))
        .and_then(|file| file.sync_all())
        .expect("sync");
    keystore_core::Protector::save(
        fixture.protector.as_ref(),
        &support::slot(&fixture.store_id, dir),
        &fixture.data_key(),
    )
    .expect("save the data key");
}

struct Summary {
    median: f64,
    mean: f64,
}

impl Summary {
    fn of(mut micros: Vec<f64>) -> Summary {
        micros.sort_by(f64::total_cmp);
        Summary {
            median: micros[micros.len() / 2],
            mean: micros.iter().sum::<f64>() / micros.len() as f64,
        }
    }
}
