//! Durable sets of a 100-byte value into stores of 100, 1,000 and 100,000 entries, each
//! overwriting a random existing key, measured beside three baselines in the same run:
//!
//! - `floor`: appending as many bytes as a set appends to a file, then `fdatasync`;
//! - `rewrite`: the SharedPreferences design, all sealed entries rewritten to a temporary file
//!   that is synced, renamed over the store and followed by a directory sync;
//! - `sqlite`: SQLite in WAL mode with `synchronous=FULL`, one `INSERT OR REPLACE` per set.
//!
//! The baselines seal their entry with XChaCha20-Poly1305 too, so every design does the same
//! cryptography. `docs/benchmarks.md` lists the results and how to reproduce them.

mod support;

use std::fs::OpenOptions;
use std::io::Write;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use keystore_core::SetOptions;
use support::{
    Fixture, Picker, RewriteStore, SIZES, STORE, Sealer, SqliteStore, entry_plain_len,
    sealed_entries, value,
};

fn durable_set(c: &mut Criterion) {
    let value = value(100);
    let options = SetOptions::default();
    let mut group = c.benchmark_group("set_100_bytes");
    group.warm_up_time(Duration::from_secs(1));

    for entries in SIZES {
        group
            .sample_size(20)
            .measurement_time(Duration::from_secs(6))
            .sampling_mode(SamplingMode::Auto);
        let fixture = Fixture::build(entries, &value);
        let keys = &fixture.keys;
        let plain_len = entry_plain_len(&keys[0], &value);

        // The key store. One overwrite first shows how many bytes a set appends.
        let keystore = fixture.open_warm();
        let before = std::fs::metadata(fixture.store_file()).expect("stat").len();
        keystore
            .set(STORE, &keys[0], &value, &options)
            .expect("set");
        let appended = std::fs::metadata(fixture.store_file()).expect("stat").len() - before;
        eprintln!("a set of a 100-byte value appends {appended} bytes ({entries} entries)");
        let mut picker = Picker::new(entries);
        group.bench_function(BenchmarkId::new("keystore", entries), |b| {
            b.iter(|| {
                let key = &keys[picker.next_index()];
                keystore.set(STORE, key, &value, &options).expect("set");
            })
        });
        drop(keystore);

        // The floor: the same append and sync with nothing else around it.
        let mut log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(fixture.scratch().join("floor.log"))
            .expect("open the floor file");
        let record = vec![0x5a; appended as usize];
        group.bench_function(BenchmarkId::new("floor", entries), |b| {
            b.iter(|| {
                log.write_all(&record).expect("append");
                log.sync_data().expect("fdatasync");
            })
        });

        // Rewriting every entry per set; a 100,000-entry file takes a fraction of a second.
        let sealer = Sealer::new();
        let plain = vec![b'p'; plain_len];
        let mut rewrite = RewriteStore::create(
            &fixture.scratch().join("rewrite"),
            keys,
            sealed_entries(&sealer, keys, plain_len),
        );
        if entries >= 100_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(10))
                .sampling_mode(SamplingMode::Flat);
        }
        let mut picker = Picker::new(entries);
        group.bench_function(BenchmarkId::new("rewrite", entries), |b| {
            b.iter(|| {
                let key = &keys[picker.next_index()];
                let sealed = sealer.seal(key.as_bytes(), &plain);
                rewrite.set(key, sealed).expect("rewrite");
            })
        });
        drop(rewrite);
        group
            .sample_size(20)
            .measurement_time(Duration::from_secs(6))
            .sampling_mode(SamplingMode::Auto);

        // SQLite, one autocommit transaction per set.
        let sqlite = SqliteStore::create(
            &fixture.scratch().join("entries.sqlite"),
            keys,
            &sealed_entries(&sealer, keys, plain_len),
        );
        let mut picker = Picker::new(entries);
        group.bench_function(BenchmarkId::new("sqlite", entries), |b| {
            b.iter(|| {
                let key = &keys[picker.next_index()];
                let sealed = sealer.seal(key.as_bytes(), &plain);
                sqlite.set(key, &sealed).expect("insert or replace");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, durable_set);
criterion_main!(benches);
