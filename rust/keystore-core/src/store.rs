//! One store: its file, its in-memory index, and the rules for writing it safely.
//!
//! Concurrency: a store's state sits behind one mutex, so operations on a store are serialized
//! within a process. Writers also hold an exclusive `flock` on `<id>.lock` while they append,
//! compact or clear, so processes sharing the directory never interleave writes. Readers take no
//! file lock: before every operation they `fstat` the file and read any records appended since
//! (by this or another process); a file replaced by compaction or clearing ends with a
//! `Superseded` record that sends them to the new file. A record that is still being written is
//! seen as torn and read again next time.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use crate::crypto::{self, StandardKey, UserPresenceKey};
use crate::entry::{self, EntryHead, KeyInfo};
use crate::error::{Fault, KeyLoss};
use crate::format::{self, FILE_HEADER_LEN, FileHeader, Header, Kind, Located, Record, Tag};
use crate::protector::sync_dir;
use crate::protector::{
    AccessClass, DataKey, KeyId, KeySlot, KeyState, Protector, ProtectorError, SecurityLevel,
};
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
    index: Index,
    standard: Option<Cached>,
}

/// The loaded standard key and the security level its description records.
#[derive(Clone)]
struct Cached {
    key: Arc<StandardKey>,
    level: SecurityLevel,
}

#[derive(Default)]
struct Index {
    entries: HashMap<Tag, Located>,
    /// Where each live entry was first set, so updates keep its place in `keys()`.
    first_set: HashMap<Tag, u64>,
    key_info: [Option<Located>; 2],
    /// How many entries each standard key id sealed, to tell orphans (entries of a lost key).
    per_key: HashMap<KeyId, usize>,
    live_bytes: u64,
    damaged_bytes: u64,
    superseded: bool,
}

impl Index {
    fn apply(&mut self, record: Located) {
        let header = record.header;
        match header.kind {
            Kind::PutStandard | Kind::PutUserPresence => {
                self.live_bytes += header.record_len();
                *self.per_key.entry(header.key_id).or_default() += 1;
                self.first_set.entry(header.tag).or_insert(record.offset);
                if let Some(old) = self.entries.insert(header.tag, record) {
                    self.forget(old.header);
                }
            }
            Kind::Delete => {
                self.first_set.remove(&header.tag);
                if let Some(old) = self.entries.remove(&header.tag) {
                    self.forget(old.header);
                }
            }
            Kind::KeyInfo => {
                if let Some(class) = AccessClass::from_byte(header.tag[0]) {
                    self.live_bytes += header.record_len();
                    let slot = &mut self.key_info[usize::from(class.to_byte())];
                    if let Some(old) = slot.replace(record) {
                        self.live_bytes -= old.header.record_len();
                    }
                }
            }
            Kind::Superseded => self.superseded = true,
        }
    }

    fn forget(&mut self, old: Header) {
        self.live_bytes -= old.record_len();
        if let Some(count) = self.per_key.get_mut(&old.key_id) {
            *count -= 1;
            if *count == 0 {
                self.per_key.remove(&old.key_id);
            }
        }
    }

    /// The live entries in the order they were first set.
    fn entries_in_first_set_order(&self) -> Vec<Located> {
        let mut records: Vec<Located> = self.entries.values().copied().collect();
        records.sort_by_key(|record| self.first_set.get(&record.header.tag).copied());
        records
    }

    /// The id of the standard key the latest standard `KeyInfo` names.
    fn standard_id(&self) -> Option<KeyId> {
        self.key_info[0].map(|info| info.header.key_id)
    }

    /// Whether entries sealed under a standard key other than `current` exist.
    fn has_orphans(&self, current: Option<KeyId>) -> bool {
        let current_count = current
            .and_then(|id| self.per_key.get(&id))
            .copied()
            .unwrap_or(0);
        self.entries.len() > current_count
    }
}

/// An exclusive `flock` on the store's lock file, released on drop.
struct WriteLock(File);

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

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
        let Some(standard) = self.standard_key(&mut st, ctx)? else {
            return Err(self.absent(&st, None));
        };
        let tag = standard.tag(key.as_bytes());
        let Some(found) = st.index.entries.get(&tag).copied() else {
            return Err(self.absent(&st, Some(standard.id())));
        };
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
        let Some(standard) = self.standard_key(&mut st, ctx)? else {
            return Err(self.absent(&st, None));
        };
        let tag = standard.tag(key.as_bytes());
        let Some(found) = st.index.entries.get(&tag).copied() else {
            return Err(self.absent(&st, Some(standard.id())));
        };
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
        Ok(st.index.entries.contains_key(&standard.tag(key.as_bytes())))
    }

    pub(crate) fn keys(&self, ctx: &Context<'_>) -> Result<Vec<String>, Fault> {
        let mut st = self.lock();
        self.refresh(&mut st)?;
        let Some(standard) = self.standard_key(&mut st, ctx)? else {
            return Ok(Vec::new());
        };
        let records = st.index.entries_in_first_set_order();

        let mut keys = Vec::with_capacity(records.len());
        let mut unreadable = 0usize;
        for record in records {
            if record.header.key_id != standard.id() {
                unreadable += 1;
                continue;
            }
            match self.open_record(&st, &standard, record) {
                Ok(plain) => match entry::decode_entry(&plain) {
                    Some((_, key, _)) if standard.tag(key) == record.header.tag => {
                        keys.push(String::from_utf8_lossy(key).into_owned());
                    }
                    _ => unreadable += 1,
                },
                Err(Fault::Damaged(_)) => unreadable += 1,
                Err(other) => return Err(other),
            }
        }
        if unreadable > 0 {
            log::warn!(
                "store {}: {unreadable} entries are unreadable and not listed",
                self.id
            );
        }
        Ok(keys)
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

        // Keep the creation time of the entry being replaced, when it can be read.
        let created_ms = st
            .index
            .entries
            .get(&tag)
            .copied()
            .and_then(|found| self.open_entry(&st, &standard, found, key.as_bytes()).ok())
            .map_or(now, |(_, head, _)| head.created_ms);

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

        let head = EntryHead {
            created_ms,
            updated_ms: now,
            level,
        };
        let plain = entry::encode_entry(&head, key.as_bytes(), &body);
        let ad = crypto::record_ad(kind as u8, &self.name, &tag, standard.id());
        let payload = standard
            .seal(&ad, &plain)
            .map_err(Fault::io("draw random bytes"))?;
        pending.push(format::encode_record(kind, standard.id(), tag, &payload));

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
        if !st.index.entries.contains_key(&tag) {
            return Ok(());
        }

        let _write_lock = self.begin_write(&mut st)?;
        if !st.index.entries.contains_key(&tag) {
            return Ok(());
        }
        let record = format::encode_record(Kind::Delete, standard.id(), tag, &[]);
        self.append(&mut st, &[record])?;
        log::debug!("store {}: removed an entry", self.name);
        self.maybe_compact(&mut st, ctx.config);
        Ok(())
    }

    pub(crate) fn clear(&self, ctx: &Context<'_>) -> Result<(), Fault> {
        let mut st = self.lock();
        let _write_lock = self.lock_file()?;

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

    // ----- reading -----------------------------------------------------------------------

    /// The error for a key with no entry: not found, unless entries sealed under a lost data
    /// key exist, in which case the key may have been one of them.
    fn absent(&self, st: &State, current: Option<KeyId>) -> Fault {
        if st.index.has_orphans(current) {
            Fault::KeyLost {
                class: AccessClass::Standard,
                why: KeyLoss::Missing,
            }
        } else {
            Fault::NotFound
        }
    }

    /// Reads a record and opens it with the standard key.
    fn open_record(
        &self,
        st: &State,
        standard: &StandardKey,
        record: Located,
    ) -> Result<Zeroizing<Vec<u8>>, Fault> {
        let file = st
            .file
            .as_ref()
            .ok_or(Fault::Damaged("an entry is missing from the store file"))?;
        let mut bytes = vec![0u8; record.header.record_len() as usize];
        format::read_exact_at(file, &mut bytes, record.offset)
            .map_err(Fault::io("read an entry"))?;
        let payload =
            format::record_payload(&bytes).ok_or(Fault::Damaged("an entry failed its checksum"))?;
        let header = record.header;
        let ad = crypto::record_ad(header.kind as u8, &self.name, &header.tag, header.key_id);
        standard
            .open(&ad, payload)
            .map_err(|_| Fault::Damaged("an entry failed authentication"))
    }

    /// Opens the entry of `key` and checks it really is that key's entry.
    fn open_entry(
        &self,
        st: &State,
        standard: &StandardKey,
        record: Located,
        key: &[u8],
    ) -> Result<(Kind, EntryHead, Zeroizing<Vec<u8>>), Fault> {
        if record.header.key_id != standard.id() {
            return Err(Fault::KeyLost {
                class: AccessClass::Standard,
                why: KeyLoss::Missing,
            });
        }
        let plain = self.open_record(st, standard, record)?;
        let (head, stored_key, body) =
            entry::decode_entry(&plain).ok_or(Fault::Damaged("an entry has an unknown layout"))?;
        if stored_key != key {
            return Err(Fault::Damaged("an entry belongs to another key"));
        }
        Ok((record.header.kind, head, Zeroizing::new(body.to_vec())))
    }

    fn key_info(
        &self,
        st: &State,
        standard: &StandardKey,
        class: AccessClass,
    ) -> Result<Option<KeyInfo>, Fault> {
        let Some(record) = st.index.key_info[usize::from(class.to_byte())] else {
            return Ok(None);
        };
        if record.header.key_id != standard.id() {
            return Ok(None);
        }
        let plain = self.open_record(st, standard, record)?;
        match entry::decode_key_info(&plain) {
            Some(info) if info.class == class => Ok(Some(info)),
            _ => Err(Fault::Damaged("a key description has an unknown layout")),
        }
    }

    fn user_presence_info(
        &self,
        st: &State,
        standard: &StandardKey,
    ) -> Result<Option<KeyInfo>, Fault> {
        self.key_info(st, standard, AccessClass::UserPresence)
    }

    // ----- keys --------------------------------------------------------------------------

    /// The standard key of the store's current file, loaded through the protector once and
    /// cached. `None` when the store has none, or its key is lost.
    fn standard_key(
        &self,
        st: &mut State,
        ctx: &Context<'_>,
    ) -> Result<Option<Arc<StandardKey>>, Fault> {
        Ok(self.cached_standard(st, ctx)?.map(|cached| cached.key))
    }

    fn cached_standard(&self, st: &mut State, ctx: &Context<'_>) -> Result<Option<Cached>, Fault> {
        let Some(id) = st.index.standard_id() else {
            return Ok(None);
        };
        if let Some(cached) = st.standard.as_ref().filter(|cached| cached.key.id() == id) {
            return Ok(Some(cached.clone()));
        }
        let loaded = match ctx.protector.load(&self.slot(AccessClass::Standard), None) {
            Ok(key) if key.id() == id => key,
            Ok(_) | Err(ProtectorError::NotFound) | Err(ProtectorError::Invalidated(_)) => {
                log::warn!("store {}: the standard data key is lost", self.id);
                return Ok(None);
            }
            Err(other) => return Err(Fault::Protector(other)),
        };
        let key = Arc::new(StandardKey::new(&loaded));

        // A damaged key description costs only the recorded level, not the entries.
        let level = match self.key_info(st, &key, AccessClass::Standard) {
            Ok(Some(info)) => info.level,
            _ => {
                log::warn!(
                    "store {}: the standard key's description is unreadable",
                    self.id
                );
                ctx.protector.security_level()
            }
        };
        let cached = Cached { key, level };
        st.standard = Some(cached.clone());
        Ok(Some(cached))
    }

    /// The standard key and its level, created (with its description queued in `pending`)
    /// when the store has none or lost it.
    fn ensure_standard_key(
        &self,
        st: &mut State,
        ctx: &Context<'_>,
        pending: &mut Vec<Record>,
    ) -> Result<(Arc<StandardKey>, SecurityLevel), Fault> {
        if let Some(cached) = self.cached_standard(st, ctx)? {
            return Ok((cached.key, cached.level));
        }
        let fresh = DataKey::generate()?;
        let level = ctx
            .protector
            .save(&self.slot(AccessClass::Standard), &fresh)?;
        let key = Arc::new(StandardKey::new(&fresh));
        let info = KeyInfo {
            class: AccessClass::Standard,
            id: fresh.id(),
            level,
            created_ms: now_ms(),
            public: None,
        };
        pending.push(self.key_info_record(&key, &info)?);
        st.standard = Some(Cached {
            key: Arc::clone(&key),
            level,
        });
        log::debug!("store {}: created a standard data key", self.name);
        Ok((key, level))
    }

    /// The public user-presence key, created when the store has none or the protector reports
    /// the old one missing or invalidated.
    fn ensure_user_presence_key(
        &self,
        st: &mut State,
        ctx: &Context<'_>,
        standard: &StandardKey,
        pending: &mut Vec<Record>,
    ) -> Result<(UserPresenceKey, SecurityLevel), Fault> {
        let slot = self.slot(AccessClass::UserPresence);
        // A damaged description is replaced like a lost key, so new entries can still be set.
        let current = match self.user_presence_info(st, standard) {
            Err(Fault::Damaged(_)) => None,
            other => other?,
        };
        if let Some(info) = current {
            let state = ctx.protector.probe(&slot)?;
            if let (KeyState::Present(id), Some(public)) = (state, info.public)
                && id == info.id
            {
                return Ok((UserPresenceKey { id, public }, info.level));
            }
            log::debug!(
                "store {}: replacing a lost user-presence data key",
                self.name
            );
        }

        let fresh = DataKey::generate()?;
        let level = ctx.protector.save(&slot, &fresh).map_err(|err| match err {
            ProtectorError::Unavailable(reason) => Fault::AuthenticationUnavailable(reason),
            other => Fault::Protector(other),
        })?;
        let up = UserPresenceKey::of(&fresh);
        let info = KeyInfo {
            class: AccessClass::UserPresence,
            id: fresh.id(),
            level,
            created_ms: now_ms(),
            public: Some(up.public),
        };
        pending.push(self.key_info_record(standard, &info)?);
        Ok((up, level))
    }

    fn key_info_record(&self, standard: &StandardKey, info: &KeyInfo) -> Result<Record, Fault> {
        let tag = key_info_tag(info.class);
        let ad = crypto::record_ad(Kind::KeyInfo as u8, &self.name, &tag, standard.id());
        let payload = standard
            .seal(&ad, &entry::encode_key_info(info))
            .map_err(Fault::io("draw random bytes"))?;
        Ok(format::encode_record(
            Kind::KeyInfo,
            standard.id(),
            tag,
            &payload,
        ))
    }

    // ----- the file ----------------------------------------------------------------------

    /// Brings the index up to date with the file, reopening it if it was replaced.
    fn refresh(&self, st: &mut State) -> Result<(), Fault> {
        for _ in 0..8 {
            if st.file.is_none() {
                match OpenOptions::new()
                    .read(true)
                    .append(true)
                    .open(&self.data_path)
                {
                    Ok(file) => {
                        let keep = st.standard.take();
                        *st = State {
                            file: Some(file),
                            standard: keep,
                            ..State::default()
                        };
                    }
                    Err(err) if err.kind() == ErrorKind::NotFound => {
                        let keep = st.standard.take();
                        *st = State {
                            standard: keep,
                            ..State::default()
                        };
                        return Ok(());
                    }
                    Err(err) => return Err(Fault::io("open the store file")(err)),
                }
            }
            let file = st.file.as_ref().expect("opened above");
            let len = file
                .metadata()
                .map_err(Fault::io("inspect the store file"))?
                .len();

            if st.header.is_none() || st.header == Some(FileHeader::Incomplete) {
                let header = format::read_file_header(file, len)
                    .map_err(Fault::io("read the store file"))?;
                st.known_len = if header == FileHeader::Current {
                    FILE_HEADER_LEN
                } else {
                    0
                };
                st.header = Some(header);
            }
            match st.header {
                Some(FileHeader::Current) => {}
                Some(FileHeader::Incomplete) => return Ok(()),
                Some(FileHeader::Newer(version)) => return Err(Fault::NewerFormat(version)),
                _ => return Err(Fault::Damaged("the store file's header is damaged")),
            }

            if len < st.known_len {
                st.file = None;
                continue;
            }
            if len > st.known_len {
                let scan = format::scan(file, st.known_len, len)
                    .map_err(Fault::io("read the store file"))?;
                st.known_len = scan.end;
                st.index.damaged_bytes += scan.damaged_bytes;
                if scan.damaged_bytes > 0 {
                    log::warn!(
                        "store {}: {} damaged bytes skipped",
                        self.id,
                        scan.damaged_bytes
                    );
                }
                for record in scan.records {
                    st.index.apply(record);
                }
            }
            if !st.index.superseded {
                return Ok(());
            }
            st.file = None;
        }
        Err(Fault::Damaged("the store file keeps being replaced"))
    }

    fn lock_file(&self) -> Result<WriteLock, Fault> {
        fs::create_dir_all(&self.dir).map_err(Fault::io("create the key store directory"))?;
        let file = private_file_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.lock_path)
            .map_err(Fault::io("open the store's lock file"))?;
        file.lock().map_err(Fault::io("lock the store"))?;
        Ok(WriteLock(file))
    }

    /// Takes the write lock, catches up with the file, creates it if needed, and cuts off a
    /// torn tail so the next record starts where the last complete one ends.
    fn begin_write(&self, st: &mut State) -> Result<WriteLock, Fault> {
        let write_lock = self.lock_file()?;

        // Another process may have replaced the file without our reader noticing yet.
        if let Some(file) = &st.file
            && !same_file(file, &self.data_path)
        {
            st.file = None;
        }
        self.refresh(st)?;

        if st.file.is_none() || st.header == Some(FileHeader::Incomplete) {
            let mut file = private_file_options()
                .read(true)
                .append(true)
                .create(true)
                .open(&self.data_path)
                .map_err(Fault::io("create the store file"))?;
            file.set_len(0)
                .map_err(Fault::io("create the store file"))?;
            file.write_all(&format::encode_file_header())
                .map_err(Fault::io("create the store file"))?;
            file.sync_all().map_err(Fault::io("sync the store file"))?;
            sync_dir(&self.dir).map_err(Fault::io("sync the key store directory"))?;
            let keep = st.standard.take();
            *st = State {
                file: Some(file),
                header: Some(FileHeader::Current),
                known_len: FILE_HEADER_LEN,
                standard: keep,
                ..State::default()
            };
        }

        let file = st.file.as_ref().expect("created above");
        let len = file
            .metadata()
            .map_err(Fault::io("inspect the store file"))?
            .len();
        if len > st.known_len {
            log::warn!(
                "store {}: cutting off {} torn bytes",
                self.id,
                len - st.known_len
            );
            file.set_len(st.known_len)
                .map_err(Fault::io("cut off a torn record"))?;
        }
        Ok(write_lock)
    }

    /// Appends `records` in one write, makes them durable, then applies them to the index.
    /// On failure the file is cut back, so nothing half-written remains.
    fn append(&self, st: &mut State, records: &[Record]) -> Result<(), Fault> {
        let bytes: Vec<u8> = records
            .iter()
            .flat_map(|record| record.bytes.iter().copied())
            .collect();
        let file = st.file.as_mut().expect("begin_write opened the file");
        let written = file
            .write_all(&bytes)
            .map_err(Fault::io("append a record"))
            .and_then(|()| file.sync_data().map_err(Fault::io("sync the store file")));
        if let Err(fault) = written {
            let _ = file.set_len(st.known_len);
            return Err(fault);
        }

        for record in records {
            st.index.apply(Located {
                offset: st.known_len,
                header: record.header,
            });
            st.known_len += record.bytes.len() as u64;
        }
        Ok(())
    }

    fn maybe_compact(&self, st: &mut State, config: &Config) {
        let garbage = st
            .known_len
            .saturating_sub(FILE_HEADER_LEN + st.index.live_bytes);
        if st.known_len < config.compact_min_bytes || garbage <= st.index.live_bytes {
            return;
        }
        if let Err(fault) = self.compact_locked(st) {
            // The write itself is durable; compaction will be retried after the next one.
            log::warn!("store {}: compaction failed: {fault:?}", self.id);
        }
    }

    fn compact_locked(&self, st: &mut State) -> Result<(), Fault> {
        if st.file.is_none() {
            return Ok(());
        }
        // Key descriptions first, then entries in first-set order, which the new file keeps.
        let mut live: Vec<Located> = st.index.key_info.iter().flatten().copied().collect();
        live.extend(st.index.entries_in_first_set_order());

        let file = st.file.as_ref().expect("checked above");
        let mut records = Vec::with_capacity(live.len());
        for record in live {
            let mut bytes = vec![0u8; record.header.record_len() as usize];
            format::read_exact_at(file, &mut bytes, record.offset)
                .map_err(Fault::io("read the store file"))?;
            records.push(bytes);
        }
        let before = st.known_len;
        self.replace_file(st, &records)?;
        log::debug!(
            "store {}: compacted {before} bytes to {}",
            self.name,
            st.known_len
        );
        Ok(())
    }

    /// Writes a new file holding `records`, renames it over the store file, and marks the old
    /// file superseded for readers in other processes.
    fn replace_file(&self, st: &mut State, records: &[Vec<u8>]) -> Result<(), Fault> {
        let tmp = self.data_path.with_extension("kst.new");
        let result = (|| {
            let created = private_file_options()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)?;
            let mut out = std::io::BufWriter::new(created);
            out.write_all(&format::encode_file_header())?;
            for record in records {
                out.write_all(record)?;
            }
            let file = out.into_inner().map_err(|err| err.into_error())?;
            file.sync_all()?;
            fs::rename(&tmp, &self.data_path)?;
            sync_dir(&self.dir)
        })();
        if let Err(err) = result {
            let _ = fs::remove_file(&tmp);
            return Err(Fault::io("rewrite the store file")(err));
        }

        if let Some(old) = st.file.as_mut() {
            let marker = format::encode_record(Kind::Superseded, KeyId([0; 8]), [0; 16], &[]);
            if let Err(err) = old.write_all(&marker.bytes) {
                log::warn!("store {}: could not mark the replaced file: {err}", self.id);
            }
        }
        st.file = None;
        self.refresh(st)
    }
}

fn split_user_presence_body(body: &[u8]) -> Result<(KeyId, &[u8]), Fault> {
    if body.len() < 8 {
        return Err(Fault::Damaged("an entry has an unknown layout"));
    }
    let (id, sealed) = body.split_at(8);
    Ok((KeyId(id.try_into().expect("8 bytes")), sealed))
}

/// Options that create files readable and writable by the owner only. Store files hold only
/// ciphertext, but there is no reason to let other users see even their sizes.
fn private_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Whether `file` is still the file at `path` (not replaced by a rename).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        false
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}
