//! One store: its file, its in-memory index, and the rules for writing it safely.
//!
//! Concurrency: a store's state sits behind one mutex, so operations on a store are serialized
//! within a process. Writers also hold an exclusive `flock` on `<id>.lock` while they append,
//! compact or clear, so processes sharing the directory never interleave writes. Readers take no
//! file lock: before every operation they `fstat` the file and read any records appended since
//! (by this or another process); a file replaced by compaction or clearing ends with a
//! `Superseded` record that sends them to the new file. A record that is still being written is
//! seen as torn and read again next time.

mod file;
mod index;
mod keys;
mod read;

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use crate::crypto::{self, StandardKey};
use crate::entry::{self, EntryHead};
use crate::error::{Fault, KeyLoss};
use crate::format::{self, FileHeader, Kind, Located, Record, Tag};
use crate::protector::{AccessClass, KeyId, KeySlot, Protector, ProtectorError, SecurityLevel};
use crate::{Config, EntryMetadata};

/// The tag field of a `KeyInfo` record: the class byte, then zeros.
fn key_info_tag(class: AccessClass) -> Tag {
    let mut tag = [0u8; 16];
    tag[0] = class.to_byte();
    tag
}

/// What the core needs from its owner to run an operation.
pub(crate) struct Context<'a> {
    pub(crate) protector: &'a dyn Protector,
    pub(crate) config: &'a Config,
}

/// A value read from a store, or what is still needed to read it.
pub(crate) enum Read {
    /// The plaintext value.
    Value(Zeroizing<Vec<u8>>),
    /// The value is sealed to the user-presence key; the protector must release that key
    /// (prompting the user) before [`Locked::open`] can read it. No store lock is held.
    Locked(Locked),
}

/// A user-presence value waiting for its key.
pub(crate) struct Locked {
    store: String,
    store_id: String,
    dir: PathBuf,
    key: Vec<u8>,
    key_id: KeyId,
    sealed: Vec<u8>,
}

impl Locked {
    /// Loads the user-presence key (prompting) and opens the value.
    pub(crate) fn open(
        self,
        protector: &dyn Protector,
        prompt: Option<&crate::Prompt>,
    ) -> Result<Zeroizing<Vec<u8>>, Fault> {
        let slot = KeySlot {
            store: &self.store,
            store_id: &self.store_id,
            class: AccessClass::UserPresence,
            dir: &self.dir,
        };
        let key = protector
            .load(&slot, prompt)
            .map_err(|err| lost(AccessClass::UserPresence, err))?;
        if key.id() != self.key_id {
            return Err(Fault::KeyLost {
                class: AccessClass::UserPresence,
                why: KeyLoss::Replaced,
            });
        }
        let ad = crypto::value_ad(
            &self.store,
            &self.key,
            AccessClass::UserPresence,
            self.key_id,
        );
        crypto::open_user_presence(&key, &ad, &self.sealed)
            .map_err(|_| Fault::Damaged("an entry failed authentication"))
    }
}

/// Maps a protector failure while loading a key of `class` to the loss it means, if any.
fn lost(class: AccessClass, err: ProtectorError) -> Fault {
    match err {
        ProtectorError::NotFound => Fault::KeyLost {
            class,
            why: KeyLoss::Missing,
        },
        ProtectorError::Invalidated(_) => Fault::KeyLost {
            class,
            why: KeyLoss::Invalidated,
        },
        other => Fault::Protector(other),
    }
}

pub(crate) struct Store {
    name: String,
    id: String,
    dir: PathBuf,
    data_path: PathBuf,
    lock_path: PathBuf,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    file: Option<File>,
    header: Option<FileHeader>,
    /// End of the records applied to the index.
    known_len: u64,
    /// The file's length when it was last inspected.
    seen_len: u64,
    index: Index,
    standard: Option<Cached>,
    /// The lock file, opened on the first write and kept for the store's lifetime.
    lock: Option<Arc<File>>,
}

impl State {
    /// Forgets everything read from the old file, keeping the loaded key and the lock file.
    fn restart(&mut self, file: Option<File>) {
        *self = State {
            file,
            standard: self.standard.take(),
            lock: self.lock.take(),
            ..State::default()
        };
    }
}

/// The loaded standard key and the security level its description records.
#[derive(Clone)]
struct Cached {
    key: Arc<StandardKey>,
    level: SecurityLevel,
}

use index::Index;

impl Store {
    pub(crate) fn new(dir: &Path, name: &str) -> Self {
        let id = crypto::store_id(name);
        Store {
            name: name.to_owned(),
            data_path: dir.join(format!("{id}.kst")),
            lock_path: dir.join(format!("{id}.lock")),
            dir: dir.to_path_buf(),
            id,
            state: Mutex::new(State::default()),
        }
    }

    fn slot(&self, class: AccessClass) -> KeySlot<'_> {
        KeySlot {
            store: &self.name,
            store_id: &self.id,
            class,
            dir: &self.dir,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The file is the truth and the state only a cache of it, so after a panic in another
        // thread the state is dropped and rebuilt from the file.
        self.state.lock().unwrap_or_else(|poisoned| {
            let mut state = poisoned.into_inner();
            *state = State::default();
            self.state.clear_poison();
            state
        })
    }

    // ----- public operations -------------------------------------------------------------

    pub(crate) fn get(&self, ctx: &Context<'_>, key: &str) -> Result<Read, Fault> {
        let mut st = self.lock();
        self.refresh(&mut st)?;
        let (standard, found) = self.find(&mut st, ctx, key)?;
        let (kind, _head, body) = self.open_entry(&st, &standard, found, key.as_bytes())?;
        match kind {
            Kind::PutStandard => Ok(Read::Value(body)),
            _ => {
                let (key_id, sealed) = split_user_presence_body(&body)?;
                let current = self.user_presence_info(&st, &standard)?;
                match current {
                    Some(info) if info.id == key_id => {}
                    Some(_) => {
                        return Err(Fault::KeyLost {
                            class: AccessClass::UserPresence,
                            why: KeyLoss::Replaced,
                        });
                    }
                    None => {
                        return Err(Fault::KeyLost {
                            class: AccessClass::UserPresence,
                            why: KeyLoss::Missing,
                        });
                    }
                }
                Ok(Read::Locked(Locked {
                    store: self.name.clone(),
                    store_id: self.id.clone(),
                    dir: self.dir.clone(),
                    key: key.as_bytes().to_vec(),
                    key_id,
                    sealed: sealed.to_vec(),
                }))
            }
        }
    }

    pub(crate) fn metadata(&self, ctx: &Context<'_>, key: &str) -> Result<EntryMetadata, Fault> {
        let mut st = self.lock();
        self.refresh(&mut st)?;
        let (standard, found) = self.find(&mut st, ctx, key)?;
        let (kind, head, _) = self.open_entry(&st, &standard, found, key.as_bytes())?;
        Ok(EntryMetadata {
            authentication: kind == Kind::PutUserPresence,
            security_level: head.level,
            created_at_ms: head.created_ms,
            updated_at_ms: head.updated_ms,
        })
    }

    pub(crate) fn contains(&self, ctx: &Context<'_>, key: &str) -> Result<bool, Fault> {
        let mut st = self.lock();
        self.refresh(&mut st)?;
        let Some(standard) = self.standard_key(&mut st, ctx)? else {
            return Ok(false);
        };
        let tag = standard.tag(key.as_bytes());
        Ok(st.index.entries.contains_key(&tag) || st.index.out_of_order.contains(&tag))
    }

    pub(crate) fn keys(&self, ctx: &Context<'_>) -> Result<Vec<String>, Fault> {
        let mut st = self.lock();
        self.refresh(&mut st)?;
        let Some(standard) = self.standard_key(&mut st, ctx)? else {
            return Ok(Vec::new());
        };
        let index = &st.index;
        let records: Vec<Located> = index
            .entries
            .values()
            .filter(|record| !index.out_of_order.contains(&record.header.tag))
            .copied()
            .collect();

        let mut keys = Vec::with_capacity(records.len());
        let mut unreadable = st.index.out_of_order.len();
        for record in records {
            if record.header.key_id != standard.id() {
                unreadable += 1;
                continue;
            }
            match self.open_record(&st, &standard, record) {
                Ok(plain) => match entry::decode_entry(&plain) {
                    Some((head, key, _)) if standard.tag(key) == record.header.tag => {
                        keys.push((head.created_seq, String::from_utf8_lossy(key).into_owned()));
                    }
                    _ => unreadable += 1,
                },
                Err(Fault::Damaged(_)) => unreadable += 1,
                Err(other) => return Err(other),
            }
        }
        keys.sort_unstable_by_key(|(created_seq, _)| *created_seq);
        if unreadable > 0 {
            log::warn!(
                "store {}: {unreadable} entries are unreadable and not listed",
                self.id
            );
        }
        Ok(keys.into_iter().map(|(_, key)| key).collect())
    }

    pub(crate) fn set(
        &self,
        ctx: &Context<'_>,
        key: &str,
        value: &[u8],
        class: AccessClass,
    ) -> Result<(), Fault> {
        if class == AccessClass::UserPresence {
            ctx.protector
                .authentication_availability()
                .map_err(|err| match err {
                    ProtectorError::Unavailable(reason) => Fault::AuthenticationUnavailable(reason),
                    other => Fault::Protector(other),
                })?;
        }

        let mut st = self.lock();
        let _write_lock = self.begin_write(&mut st)?;
        let mut pending = Vec::new();
        let (standard, standard_level) = self.ensure_standard_key(&mut st, ctx, &mut pending)?;
        let tag = standard.tag(key.as_bytes());
        let now = now_ms();

        // Keep the creation time and place of the entry being replaced, when it can be read.
        let previous = st
            .index
            .entries
            .get(&tag)
            .copied()
            .and_then(|found| self.open_entry(&st, &standard, found, key.as_bytes()).ok())
            .map(|(_, head, _)| head);

        let (kind, level, body) = match class {
            AccessClass::Standard => (
                Kind::PutStandard,
                standard_level,
                Zeroizing::new(value.to_vec()),
            ),
            AccessClass::UserPresence => {
                let (up, level) =
                    self.ensure_user_presence_key(&mut st, ctx, &standard, &mut pending)?;
                let ad = crypto::value_ad(&self.name, key.as_bytes(), class, up.id);
                let sealed = up
                    .seal(&ad, value)
                    .map_err(Fault::io("draw random bytes"))?;
                let mut body = Zeroizing::new(Vec::with_capacity(8 + sealed.len()));
                body.extend_from_slice(&up.id.0);
                body.extend_from_slice(&sealed);
                (Kind::PutUserPresence, level, body)
            }
        };

        let seq = next_seq(&st, &pending);
        let head = EntryHead {
            created_seq: previous.as_ref().map_or(seq, |head| head.created_seq),
            created_ms: previous.as_ref().map_or(now, |head| head.created_ms),
            updated_ms: now,
            level,
        };
        let plain = entry::encode_entry(&head, key.as_bytes(), &body);
        let ad = crypto::record_ad(kind as u8, &self.name, &tag, seq, standard.id());
        let payload = standard
            .seal(&ad, &plain)
            .map_err(Fault::io("draw random bytes"))?;
        pending.push(format::encode_record(
            kind,
            seq,
            standard.id(),
            tag,
            &payload,
        ));

        self.append(&mut st, &pending)?;
        log::debug!("store {}: set an entry ({})", self.name, class);
        self.maybe_compact(&mut st, ctx.config);
        Ok(())
    }

    pub(crate) fn remove(&self, ctx: &Context<'_>, key: &str) -> Result<(), Fault> {
        let mut st = self.lock();
        self.refresh(&mut st)?;
        let Some(standard) = self.standard_key(&mut st, ctx)? else {
            return Ok(());
        };
        let tag = standard.tag(key.as_bytes());
        let present =
            |index: &Index| index.entries.contains_key(&tag) || index.out_of_order.contains(&tag);
        if !present(&st.index) {
            return Ok(());
        }

        let _write_lock = self.begin_write(&mut st)?;
        if !present(&st.index) {
            return Ok(());
        }
        let seq = next_seq(&st, &[]);
        let record = format::encode_record(Kind::Delete, seq, standard.id(), tag, &[]);
        self.append(&mut st, &[record])?;
        log::debug!("store {}: removed an entry", self.name);
        self.maybe_compact(&mut st, ctx.config);
        Ok(())
    }

    pub(crate) fn clear(&self, ctx: &Context<'_>) -> Result<(), Fault> {
        let mut st = self.lock();
        let _write_lock = self.lock_file(&mut st)?;

        // Clearing is also the way out of a damaged or unreadable file, so the file is replaced
        // without being read. First the file, then the keys: a crash in between leaves unused
        // keys, never entries without their keys.
        if st.file.is_none() {
            match OpenOptions::new()
                .read(true)
                .append(true)
                .open(&self.data_path)
            {
                Ok(file) => st.file = Some(file),
                Err(err) if err.kind() == ErrorKind::NotFound => {}
                Err(err) => return Err(Fault::io("open the store file")(err)),
            }
        }
        if st.file.is_some() {
            st.header = None;
            self.replace_file(&mut st, &[])?;
        }
        for class in AccessClass::ALL {
            ctx.protector.delete(&self.slot(class))?;
        }
        st.standard = None;
        log::debug!("store {}: cleared", self.name);
        Ok(())
    }

    /// Rewrites the store with only its live records. Exposed for tests and maintenance.
    pub(crate) fn compact(&self) -> Result<(), Fault> {
        let mut st = self.lock();
        let _write_lock = self.begin_write(&mut st)?;
        self.compact_locked(&mut st)
    }
}

/// The sequence number of the next record, after the file's and those already `pending`.
fn next_seq(st: &State, pending: &[Record]) -> u64 {
    st.index.last_seq + 1 + pending.len() as u64
}

fn split_user_presence_body(body: &[u8]) -> Result<(KeyId, &[u8]), Fault> {
    if body.len() < 8 {
        return Err(Fault::Damaged("an entry has an unknown layout"));
    }
    let (id, sealed) = body.split_at(8);
    Ok((KeyId(id.try_into().expect("8 bytes")), sealed))
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}
