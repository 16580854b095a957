//! Peak memory of opening a 100,000-entry store, which criterion cannot measure.
//!
//! The benchmark builds the store once, then runs this same binary again as child processes.
//! Each child reads its own peak resident set (`VmHWM` in `/proc/self/status`, so Linux only):
//! a *baseline* child does everything except opening the store (it loads the data key into a
//! `MemoryProtector`), an *open* child also runs `Keystore::open` and one get. The difference
//! is the memory the open costs. The open child also reports the time of the open and the get
//! in a fresh process (page cache warm). `docs/benchmarks.md` lists the results.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use keystore_core::protector::testing::MemoryProtector;
use keystore_core::{DataKey, Keystore, Protector};
use support::{Fixture, STORE, key_name, slot, value};

/// How many times each child runs; the median is reported.
const RUNS: usize = 5;
const ENTRIES: usize = 100_000;

/// Set in a child's environment: `baseline` or `open`.
const ROLE: &str = "KEYSTORE_BENCH_ROLE";
const DIR: &str = "KEYSTORE_BENCH_DIR";
const STORE_ID: &str = "KEYSTORE_BENCH_STORE_ID";
const KEY_FILE: &str = "KEYSTORE_BENCH_KEY_FILE";

fn main() {
    match std::env::var(ROLE) {
        Ok(role) => child(&role),
        Err(_) => parent(),
    }
}

fn parent() {
    let fixture = Fixture::build(ENTRIES, &value(100));
    let key_file = fixture.scratch().join("data-key");
    std::fs::write(&key_file, fixture.data_key().to_bytes()).expect("write the key file");
    let file_len = std::fs::metadata(fixture.store_file()).expect("stat").len();

    let run = |role: &str| -> Vec<(u64, f64)> {
        (0..RUNS)
            .map(|_| {
                let output = Command::new(std::env::current_exe().expect("own path"))
                    .env(ROLE, role)
                    .env(DIR, &fixture.dir)
                    .env(STORE_ID, &fixture.store_id)
                    .env(KEY_FILE, &key_file)
                    .output()
                    .expect("run a child");
                assert!(output.status.success(), "the {role} child failed");
                let text = String::from_utf8(output.stdout).expect("UTF-8 report");
                let mut fields = text.split_whitespace();
                let peak_kib = fields.next().and_then(|f| f.parse().ok()).expect("peak");
                let open_ms = fields.next().and_then(|f| f.parse().ok()).expect("time");
                (peak_kib, open_ms)
            })
            .collect()
    };
    let baseline = run("baseline");
    let opened = run("open");

    let peak = |runs: &[(u64, f64)]| median(runs.iter().map(|run| run.0 as f64).collect());
    let open_ms = median(opened.iter().map(|run| run.1).collect());
    let (baseline_kib, opened_kib) = (peak(&baseline), peak(&opened));
    println!(
        "open_100000/peak_memory: store file {:.1} MiB; peak RSS baseline {baseline_kib:.0} KiB, \
         open {opened_kib:.0} KiB, cost of the open {:.1} MiB (median of {RUNS} children)",
        file_len as f64 / (1024.0 * 1024.0),
        (opened_kib - baseline_kib) / 1024.0,
    );
    println!(
        "open_100000/fresh_process: Keystore::open + first get {open_ms:.1} ms (median of {RUNS})"
    );
}

/// Runs in a child: does the work of `role`, then prints its peak RSS in KiB and the time of
/// the open in milliseconds.
fn child(role: &str) {
    let dir = PathBuf::from(std::env::var(DIR).expect("directory"));
    let store_id = std::env::var(STORE_ID).expect("store id");
    let bytes = std::fs::read(std::env::var(KEY_FILE).expect("key file")).expect("read key");
    let protector = Arc::new(MemoryProtector::new());
    let key = DataKey::from_bytes(&bytes).expect("parse key");
    protector
        .save(&slot(&store_id, &dir), &key)
        .expect("save key");
    let wanted = key_name(ENTRIES / 2);

    let mut open_ms = 0.0;
    if role == "open" {
        let started = Instant::now();
        let keystore = Keystore::open(&dir, protector).expect("open");
        let read = keystore.get(STORE, &wanted, None).expect("get");
        open_ms = started.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box(read);
        // Read the peak while the store is still open.
        println!("{} {open_ms}", peak_rss_kib());
        drop(keystore);
        return;
    }
    println!("{} {open_ms}", peak_rss_kib());
}

/// `VmHWM` of this process, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
