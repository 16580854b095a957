//! Several processes on one key store directory, and processes killed in the middle of writing.
//!
//! The child processes are this test binary run again on one of its ignored helper tests, with
//! its parameters in environment variables; without them the helpers do nothing. They use the
//! [`HostProtector`], whose key files every process can read, and standard entries only.
#![cfg(unix)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use keystore_core::{Config, ErrorCode, HostProtector, Keystore, SetOptions};

const STANDARD: SetOptions = SetOptions {
    authentication: false,
};

/// Small enough that nearly every few writes compact the file.
const TINY_COMPACTION: Config = Config {
    max_value_len: 1024 * 1024,
    compact_min_bytes: 256,
};

/// Set on a child process to the role it plays: `writer` or `crash-writer`.
const ROLE: &str = "KEYSTORE_TEST_CHILD_ROLE";
const DIR: &str = "KEYSTORE_TEST_CHILD_DIR";
const NAME: &str = "KEYSTORE_TEST_CHILD_NAME";
const ROUNDS: &str = "KEYSTORE_TEST_CHILD_ROUNDS";
const FIRST: &str = "KEYSTORE_TEST_CHILD_FIRST";

const WRITER_KEYS: usize = 6;
const WRITER_ROUNDS: usize = 80;
const CRASH_KEYS: u64 = 5;

/// Opens the key store of a test directory, with its key files beside the store files.
fn open(dir: &Path) -> Keystore {
    let protector = Arc::new(HostProtector::new(dir.join("keys")));
    Keystore::with_config(dir.join("stores"), protector, TINY_COMPACTION).unwrap()
}

/// Starts this test binary on one helper test, in `role`, with `vars` set.
fn spawn_child(test: &str, role: &str, dir: &Path, vars: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            test,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROLE, role)
        .env(DIR, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in vars {
        command.env(name, value);
    }
    command.spawn().unwrap()
}

/// The parameters of a helper test, or `None` when this process is not a child in `role`.
fn child_dir(role: &str) -> Option<PathBuf> {
    (std::env::var(ROLE).ok()? == role).then(|| std::env::var(DIR).unwrap().into())
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap()
}

fn writer_key(name: &str, index: usize) -> String {
    format!("{name}-k{index}")
}

fn writer_value(name: &str, index: usize, round: usize) -> String {
    format!("{name}-k{index}-r{round}")
}

#[test]
#[ignore = "a helper run in a child process by two_processes_writing_one_store_keep_every_last_value"]
fn child_writer() {
    let Some(dir) = child_dir("writer") else {
        return;
    };
    let name = var(NAME);
    let rounds: usize = var(ROUNDS).parse().unwrap();
    let keystore = open(&dir);
    for round in 0..rounds {
        for index in 0..WRITER_KEYS {
            let (key, value) = (writer_key(&name, index), writer_value(&name, index, round));
            keystore.set("shared", &key, &value, &STANDARD).unwrap();
            assert_eq!(keystore.get("shared", &key, None).unwrap(), value);
        }
        keystore.keys("shared").unwrap();
    }
}

/// The round of a value written by `child_writer`.
fn round_of(value: &str) -> usize {
    value.rsplit_once("-r").unwrap().1.parse().unwrap()
}

fn assert_success(name: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{name} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn two_processes_writing_one_store_keep_every_last_value() {
    let tmp = tempfile::tempdir().unwrap();
    let names = ["first", "second"];
    let children: Vec<_> = names
        .iter()
        .map(|name| {
            let vars = [
                (NAME, name.to_string()),
                (ROUNDS, WRITER_ROUNDS.to_string()),
            ];
            let child = spawn_child("child_writer", "writer", tmp.path(), &vars);
            std::thread::spawn(move || child.wait_with_output().unwrap())
        })
        .collect();

    // Read while they write: a value may only move forward, never back to an older round.
    let reader = open(tmp.path());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    while !children.iter().all(|child| child.is_finished()) {
        assert!(Instant::now() < deadline, "the writers did not finish");
        for name in names {
            for index in 0..WRITER_KEYS {
                let key = writer_key(name, index);
                match reader.get("shared", &key, None) {
                    Ok(value) => {
                        let round = round_of(&value);
                        let before = seen.insert(key.clone(), round);
                        assert!(
                            before <= Some(round),
                            "{key} went from {before:?} to {round}"
                        );
                    }
                    Err(err) if err.code() == ErrorCode::NotFound => {
                        assert_eq!(seen.get(&key), None, "{key} disappeared");
                    }
                    Err(err) => panic!("reading {key} while others write: {err}"),
                }
            }
        }
        reader.keys("shared").unwrap();
    }
    for (name, child) in names.iter().zip(children) {
        assert_success(name, &child.join().unwrap());
    }

    let last = WRITER_ROUNDS - 1;
    for keystore in [&reader, &open(tmp.path())] {
        for name in names {
            for index in 0..WRITER_KEYS {
                let key = writer_key(name, index);
                let value = keystore.get("shared", &key, None).unwrap();
                assert_eq!(value, writer_value(name, index, last));
            }
        }
        assert_eq!(
            keystore.keys("shared").unwrap().len(),
            names.len() * WRITER_KEYS
        );
    }
}

/// The line a crash writer prints once the set of sequence number `seq` returned.
fn ack_line(seq: u64) -> String {
    format!("ACK {seq}\n")
}

fn crash_key(seq: u64) -> String {
    format!("k{}", seq % CRASH_KEYS)
}

/// Values of varying length, so records and compactions differ from one write to the next.
fn crash_value(seq: u64) -> String {
    format!("{seq}:{}", "x".repeat((seq % 97) as usize))
}

#[test]
#[ignore = "a helper run in a child process by acknowledged_writes_survive_sigkill_at_random_points"]
fn child_crash_writer() {
    let Some(dir) = child_dir("crash-writer") else {
        return;
    };
    let first: u64 = var(FIRST).parse().unwrap();
    let keystore = open(&dir);
    let mut stdout = std::io::stdout().lock();

    // Start on a fresh line: the test harness has already printed the test's name.
    writeln!(stdout).unwrap();
    for seq in first..first + 100_000 {
        keystore
            .set("crash", &crash_key(seq), &crash_value(seq), &STANDARD)
            .unwrap();
        let acknowledged = stdout
            .write_all(ack_line(seq).as_bytes())
            .and_then(|()| stdout.flush());
        if acknowledged.is_err() {
            return;
        }
    }
}

/// A small xorshift generator: enough to pick kill points, and reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

/// Reads the acknowledgements a crash writer printed, as sequence numbers. A line cut off by
/// the kill acknowledges nothing.
fn read_acks(reader: &mut impl BufRead, limit: Option<usize>) -> Vec<u64> {
    let mut acks = Vec::new();
    let mut line = String::new();
    while limit.is_none_or(|limit| acks.len() < limit) {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(seq) = line
            .strip_prefix("ACK ")
            .and_then(|rest| rest.strip_suffix('\n'))
        {
            acks.push(seq.parse().unwrap());
        }
    }
    acks
}

#[test]
fn acknowledged_writes_survive_sigkill_at_random_points() {
    let seed = std::env::var("KEYSTORE_TEST_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        | 1;
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();

    // The latest sequence number known durable for each key.
    let mut durable: HashMap<String, u64> = HashMap::new();
    for round in 0..30u64 {
        let first = round * 1_000_000;
        let kill_after = rng.below(40) as usize;
        let vars = [(FIRST, first.to_string())];
        let mut child = spawn_child("child_crash_writer", "crash-writer", tmp.path(), &vars);
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut acks = read_acks(&mut stdout, Some(kill_after));
        let what = format!("seed {seed}, round {round}, killed after {kill_after} acks");
        if acks.len() < kill_after {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            panic!(
                "the child ended early ({}); {what}:\n{stderr}",
                output.status
            );
        }

        // Child::kill sends SIGKILL. Lines already in the pipe were acknowledged too.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        acks.extend(read_acks(&mut stdout, None));
        assert!(!status.success(), "the child was not killed; {what}");
        for &seq in &acks {
            durable.insert(crash_key(seq), seq);
        }

        // Every acknowledged write survived; the one write in flight may have, too.
        let in_flight = acks.last().map_or(first, |last| last + 1);
        let keystore = open(tmp.path());
        for index in 0..CRASH_KEYS {
            let key = format!("k{index}");
            let found = match keystore.get("crash", &key, None) {
                Ok(value) => Some(value.split_once(':').unwrap().0.parse::<u64>().unwrap()),
                Err(err) if err.code() == ErrorCode::NotFound => None,
                Err(err) => panic!("reading {key}: {err}; {what}"),
            };
            let expected = durable.get(&key).copied();
            let allowed =
                found == expected || (found == Some(in_flight) && crash_key(in_flight) == key);
            assert!(
                allowed,
                "{key}: found {found:?}, acknowledged {expected:?}; {what}"
            );
            if let Some(seq) = found {
                let value = keystore.get("crash", &key, None).unwrap();
                assert_eq!(value, crash_value(seq), "{what}");
                durable.insert(key, seq);
            }
        }

        // The store is still writable, and the write lasts.
        keystore
            .set("crash", "probe", &round.to_string(), &STANDARD)
            .unwrap();
        assert_eq!(
            open(tmp.path()).get("crash", "probe", None).unwrap(),
            round.to_string()
        );
    }
}
