//! What the benchmarks share: fixture stores, a seeded key picker, and the designs the key
//! store is measured against (an AEAD over a hash map, a file rewritten per write, SQLite).
//!
//! Each benchmark binary uses only part of this module, so unused-item warnings are silenced
//! here rather than split into one module per binary.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use keystore_core::protector::testing::MemoryProtector;
use keystore_core::{AccessClass, DataKey, KeySlot, Keystore, Protector, SetOptions};
use rusqlite::{Connection, params};
use tempfile::TempDir;

/// The store every fixture fills.
pub const STORE: &str = "bench";

/// The store sizes the set and get benchmarks compare.
pub const SIZES: [usize; 3] = [100, 1_000, 100_000];

/// Bytes an entry's plaintext adds to its key and value: version, first-set sequence number,
/// two timestamps, the security level and the key length (the entry layout in
/// `docs/format.md`). Keep it in step with the format, or the baselines seal fewer bytes.
pub const ENTRY_HEAD_LEN: usize = 1 + 3 * 8 + 1 + 2;

/// The name of the `i`th fixture key. All names have the same length.
pub fn key_name(i: usize) -> String {
    format!("key-{i:06}")
}

/// A text value of `len` ASCII bytes.
pub fn value(len: usize) -> String {
    (0..len)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect()
}

/// The length of the plaintext the key store seals for `key` and `value`; the baselines seal
/// and open this many bytes so they do the same AEAD work.
pub fn entry_plain_len(key: &str, value: &str) -> usize {
    ENTRY_HEAD_LEN + key.len() + value.len()
}

/// Picks indexes from a fixed-seed sequence (SplitMix64), so every run touches the same keys.
pub struct Picker {
    state: u64,
    bound: u64,
}

impl Picker {
    /// A picker of indexes in `0..bound`.
    pub fn new(bound: usize) -> Self {
        Picker {
            state: 0x5eed_f00d_be4c,
            bound: bound as u64,
        }
    }

    /// The next index.
    pub fn next_index(&mut self) -> usize {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z % self.bound) as usize
    }
}

/// A key store directory on the disk under test, filled with `key_name(0..entries)`, and the
/// protector that holds its data key.
pub struct Fixture {
    root: TempDir,
    /// The key store directory.
    pub dir: PathBuf,
    /// The protector holding the store's data key.
    pub protector: Arc<MemoryProtector>,
    /// The store file's identifier (its file stem).
    pub store_id: String,
    /// The keys set, in order.
    pub keys: Vec<String>,
}

impl Fixture {
    /// Fills a store with `entries` entries of `value`.
    ///
    /// The entries are set through [`Keystore`] in a staging directory on tmpfs when the machine
    /// has one (`/dev/shm`), where `fdatasync` costs nothing, and the finished file is copied to
    /// the disk under test; the data key is then registered for the new directory. Filling
    /// 100,000 entries with a durable write each would take minutes and measure nothing.
    pub fn build(entries: usize, value: &str) -> Fixture {
        let root = tempfile::Builder::new()
            .prefix("keystore-bench-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("create the fixture directory");
        let staging = match Path::new("/dev/shm").is_dir() {
            true => tempfile::tempdir_in("/dev/shm"),
            false => tempfile::tempdir_in(root.path()),
        }
        .expect("create the staging directory");
        let protector = Arc::new(MemoryProtector::new());
        let keys: Vec<String> = (0..entries).map(key_name).collect();

        // Fill the store where durability is free.
        {
            let keystore = Keystore::open(staging.path(), protector.clone()).expect("open");
            for key in &keys {
                keystore
                    .set(STORE, key, value, &SetOptions::default())
                    .expect("fill the fixture store");
            }
        }
        let file_name = fs::read_dir(staging.path())
            .expect("list the staging directory")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .find(|name| name.ends_with(".kst"))
            .expect("the staging directory holds a store file");
        let store_id = file_name.trim_end_matches(".kst").to_owned();

        // Move the file to the disk under test, durably, as a store would have left it.
        let dir = root.path().join("stores");
        fs::create_dir_all(&dir).expect("create the key store directory");
        fs::copy(staging.path().join(&file_name), dir.join(&file_name)).expect("copy the store");
        File::open(dir.join(&file_name))
            .and_then(|file| file.sync_all())
            .expect("sync the store file");
        File::open(&dir)
            .and_then(|file| file.sync_all())
            .expect("sync the key store directory");

        // The protector files keys by directory: register the data key for the new one.
        let key = protector
            .load(&slot(&store_id, staging.path()), None)
            .expect("load the fixture's data key");
        protector
            .save(&slot(&store_id, &dir), &key)
            .expect("save the fixture's data key");

        Fixture {
            root,
            dir,
            protector,
            store_id,
            keys,
        }
    }

    /// A directory beside the key store directory, on the same disk, for baselines.
    pub fn scratch(&self) -> &Path {
        self.root.path()
    }

    /// Opens the key store and reads one key, so the store is loaded before measuring.
    pub fn open_warm(&self) -> Keystore {
        let keystore = Keystore::open(&self.dir, self.protector.clone()).expect("open");
        keystore.get(STORE, &self.keys[0], None).expect("first get");
        keystore
    }

    /// The store file's path.
    pub fn store_file(&self) -> PathBuf {
        self.dir.join(format!("{}.kst", self.store_id))
    }

    /// The store's data key, for handing to another process.
    pub fn data_key(&self) -> DataKey {
        self.protector
            .load(&slot(&self.store_id, &self.dir), None)
            .expect("load the fixture's data key")
    }
}

/// The standard data key slot of the fixture store in `dir`.
pub fn slot<'a>(store_id: &'a str, dir: &'a Path) -> KeySlot<'a> {
    KeySlot {
        store: STORE,
        store_id,
        class: AccessClass::Standard,
        dir,
    }
}

/// XChaCha20-Poly1305 with a random key and a random nonce per seal, framed as the key store
/// frames it (nonce, then ciphertext and tag).
pub struct Sealer(XChaCha20Poly1305);

impl Sealer {
    /// A sealer with a fresh random key.
    pub fn new() -> Self {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("random key");
        Sealer(XChaCha20Poly1305::new_from_slice(&key).expect("32-byte key"))
    }

    /// Seals `plain` with a fresh nonce.
    pub fn seal(&self, ad: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).expect("random nonce");
        let sealed = self
            .0
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: ad,
                },
            )
            .expect("seal");
        let mut out = Vec::with_capacity(nonce.len() + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens the output of [`Sealer::seal`].
    pub fn open(&self, ad: &[u8], sealed: &[u8]) -> Vec<u8> {
        let (nonce, ciphertext) = sealed.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().expect("24-byte nonce");
        self.0
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: ad,
                },
            )
            .expect("open")
    }
}

/// Seals a plaintext of `plain_len` bytes for every key: the sealed entries a peer design holds.
pub fn sealed_entries(sealer: &Sealer, keys: &[String], plain_len: usize) -> Vec<Vec<u8>> {
    let plain = vec![b'p'; plain_len];
    keys.iter()
        .map(|key| sealer.seal(key.as_bytes(), &plain))
        .collect()
}

/// The design of Android's SharedPreferences: all entries in memory, and every write
/// serializes all of them to a temporary file, syncs it, renames it over the store file and
/// syncs the directory.
pub struct RewriteStore {
    dir: PathBuf,
    path: PathBuf,
    tmp: PathBuf,
    entries: HashMap<String, Vec<u8>>,
}

impl RewriteStore {
    /// A store in `dir` holding `keys` with their sealed entries, written once.
    pub fn create(dir: &Path, keys: &[String], sealed: Vec<Vec<u8>>) -> Self {
        fs::create_dir_all(dir).expect("create the rewrite store directory");
        let mut store = RewriteStore {
            dir: dir.to_path_buf(),
            path: dir.join("prefs.bin"),
            tmp: dir.join("prefs.bin.tmp"),
            entries: keys.iter().cloned().zip(sealed).collect(),
        };
        store.write_all().expect("write the rewrite store");
        store
    }

    /// Replaces the entry of `key` and rewrites the file durably.
    pub fn set(&mut self, key: &str, sealed: Vec<u8>) -> std::io::Result<()> {
        self.entries.insert(key.to_owned(), sealed);
        self.write_all()
    }

    fn write_all(&mut self) -> std::io::Result<()> {
        let size: usize = self
            .entries
            .iter()
            .map(|(key, sealed)| 8 + key.len() + sealed.len())
            .sum();
        let mut bytes = Vec::with_capacity(size);
        for (key, sealed) in &self.entries {
            bytes.extend_from_slice(&(key.len() as u32).to_le_bytes());
            bytes.extend_from_slice(key.as_bytes());
            bytes.extend_from_slice(&(sealed.len() as u32).to_le_bytes());
            bytes.extend_from_slice(sealed);
        }
        let mut file = File::create(&self.tmp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        fs::rename(&self.tmp, &self.path)?;
        File::open(&self.dir)?.sync_all()
    }
}

/// SQLite in WAL mode with `synchronous=FULL`, one row per entry holding its sealed bytes.
pub struct SqliteStore(Connection);

impl SqliteStore {
    /// A database at `path` holding `keys` with their sealed entries.
    pub fn create(path: &Path, keys: &[String], sealed: &[Vec<u8>]) -> Self {
        let mut conn = Connection::open(path).expect("open SQLite");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("WAL mode");
        conn.pragma_update(None, "synchronous", "FULL")
            .expect("synchronous=FULL");
        conn.execute_batch("CREATE TABLE entries (key BLOB PRIMARY KEY, value BLOB NOT NULL)")
            .expect("create the table");
        let tx = conn.transaction().expect("begin");
        {
            let mut insert = tx
                .prepare("INSERT INTO entries (key, value) VALUES (?1, ?2)")
                .expect("prepare the insert");
            for (key, sealed) in keys.iter().zip(sealed) {
                insert
                    .execute(params![key.as_bytes(), sealed])
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
        SqliteStore(conn)
    }

    /// Replaces the entry of `key` in its own (autocommit) transaction.
    pub fn set(&self, key: &str, sealed: &[u8]) -> rusqlite::Result<()> {
        self.0
            .prepare_cached("INSERT OR REPLACE INTO entries (key, value) VALUES (?1, ?2)")?
            .execute(params![key.as_bytes(), sealed])
            .map(drop)
    }

    /// The sealed entry of `key`.
    pub fn get(&self, key: &str) -> rusqlite::Result<Vec<u8>> {
        self.0
            .prepare_cached("SELECT value FROM entries WHERE key = ?1")?
            .query_row(params![key.as_bytes()], |row| row.get(0))
    }
}
