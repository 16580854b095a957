//! Reads, measured beside their baselines in the same run:
//!
//! - warm gets of a 100-byte value from stores of 100, 1,000 and 100,000 entries, against an
//!   XChaCha20-Poly1305 open of as many bytes after a `HashMap` lookup (`raw_open`), and
//!   against SQLite (a prepared `SELECT` by key, then the same open);
//! - a get of a 1 MiB value against an open of 1 MiB;
//! - opening a 100,000-entry store: `Keystore::open` and the first get, which reads the file's
//!   record headers to build the index (stores open lazily). The page cache is warm.
//!
//! `docs/benchmarks.md` lists the results and how to reproduce them.

mod support;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use keystore_core::Keystore;
use support::{
    Fixture, Picker, SIZES, STORE, Sealer, SqliteStore, entry_plain_len, sealed_entries, value,
};

fn warm_get(c: &mut Criterion) {
    let value = value(100);
    let mut group = c.benchmark_group("get_100_bytes");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    for entries in SIZES {
        let fixture = Fixture::build(entries, &value);
        let keys = &fixture.keys;
        let plain_len = entry_plain_len(&keys[0], &value);

        let keystore = fixture.open_warm();
        let mut picker = Picker::new(entries);
        group.bench_function(BenchmarkId::new("keystore", entries), |b| {
            b.iter(|| {
                let key = &keys[picker.next_index()];
                black_box(keystore.get(STORE, key, None).expect("get"))
            })
        });

        let sealer = Sealer::new();
        let sealed = sealed_entries(&sealer, keys, plain_len);
        let map: HashMap<&str, &Vec<u8>> = keys.iter().map(String::as_str).zip(&sealed).collect();
        let mut picker = Picker::new(entries);
        group.bench_function(BenchmarkId::new("raw_open", entries), |b| {
            b.iter(|| {
                let key = keys[picker.next_index()].as_str();
                black_box(sealer.open(key.as_bytes(), map[key]))
            })
        });

        let sqlite = SqliteStore::create(&fixture.scratch().join("entries.sqlite"), keys, &sealed);
        let mut picker = Picker::new(entries);
        group.bench_function(BenchmarkId::new("sqlite", entries), |b| {
            b.iter(|| {
                let key = &keys[picker.next_index()];
                let blob = sqlite.get(key).expect("select");
                black_box(sealer.open(key.as_bytes(), &blob))
            })
        });
    }
    group.finish();
}

fn large_get(c: &mut Criterion) {
    const MIB: usize = 1024 * 1024;
    let value = value(MIB);
    let mut group = c.benchmark_group("get_1_mib");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Bytes(MIB as u64));

    let fixture = Fixture::build(1, &value);
    let key = &fixture.keys[0];
    let keystore = fixture.open_warm();
    group.bench_function("keystore", |b| {
        b.iter(|| black_box(keystore.get(STORE, key, None).expect("get")))
    });

    let sealer = Sealer::new();
    let sealed = sealer.seal(key.as_bytes(), &vec![b'p'; entry_plain_len(key, &value)]);
    group.bench_function("raw_open", |b| {
        b.iter(|| black_box(sealer.open(key.as_bytes(), &sealed)))
    });
    group.finish();
}

fn open_large_store(c: &mut Criterion) {
    let fixture = Fixture::build(100_000, &value(100));
    let key = &fixture.keys[fixture.keys.len() / 2];
    let mut group = c.benchmark_group("open_100000");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    group.bench_function("keystore_open_and_first_get", |b| {
        // Dropping the index is left out of the measurement.
        b.iter_with_large_drop(|| {
            let keystore = Keystore::open(&fixture.dir, fixture.protector.clone()).expect("open");
            let value = keystore.get(STORE, key, None).expect("get");
            (keystore, value)
        })
    });
    group.finish();
}

criterion_group!(benches, warm_get, large_get, open_large_store);
criterion_main!(benches);
