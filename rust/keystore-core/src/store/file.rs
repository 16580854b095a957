//! The store file on disk: catching up with it, appending to it, replacing it.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::sync::Arc;

use super::{State, Store};
use crate::Config;
use crate::error::Fault;
use crate::format::{self, FILE_HEADER_LEN, FileHeader, Kind, Located, Record};
use crate::protector::KeyId;
use crate::protector::sync_dir;

/// An exclusive `flock` on the store's lock file, released on drop.
pub(super) struct WriteLock(Arc<File>);

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Store {
    /// Brings the index up to date with the file, reopening it if it was replaced.
    pub(super) fn refresh(&self, st: &mut State) -> Result<(), Fault> {
        for _ in 0..8 {
            if st.file.is_none() {
                match OpenOptions::new()
                    .read(true)
                    .append(true)
                    .open(&self.data_path)
                {
                    Ok(file) => st.restart(Some(file)),
                    Err(err) if err.kind() == ErrorKind::NotFound => {
                        st.restart(None);
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
            st.seen_len = len;

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
                let index = &mut st.index;
                let scan = format::scan(file, st.known_len, len, |record| index.apply(record))
                    .map_err(Fault::io("read the store file"))?;
                st.known_len = scan.end;
                if scan.damaged_bytes > 0 {
                    log::warn!(
                        "store {}: {} damaged bytes skipped",
                        self.id,
                        scan.damaged_bytes
                    );
                }
            }
            if !st.index.superseded {
                return Ok(());
            }
            // A genuine marker is written only after the file was renamed away; a marker in
            // the file that is still in place was forged or copied, and is ignored.
            if same_file(file, &self.data_path) {
                log::warn!(
                    "store {}: ignoring a replacement marker in the live file",
                    self.id
                );
                st.index.superseded = false;
                return Ok(());
            }
            st.file = None;
        }
        Err(Fault::Damaged("the store file keeps being replaced"))
    }

    /// Takes the exclusive lock that writers in every process hold while they change the file.
    pub(super) fn lock_file(&self, st: &mut State) -> Result<WriteLock, Fault> {
        // The lock file stays open between writes, but only locks anything while it is still
        // the file at its path: one removed or replaced since would exclude nobody.
        if let Some(file) = &st.lock
            && !same_file(file, &self.lock_path)
        {
            st.lock = None;
        }
        let file = match &st.lock {
            Some(file) => Arc::clone(file),
            None => {
                let open = || {
                    private_file_options()
                        .read(true)
                        .write(true)
                        .create(true)
                        .truncate(false)
                        .open(&self.lock_path)
                };
                // The directory is created by `Keystore::open`; recreate it if it was removed.
                let file = match open() {
                    Err(err) if err.kind() == ErrorKind::NotFound => {
                        fs::create_dir_all(&self.dir)
                            .map_err(Fault::io("create the key store directory"))?;
                        open()
                    }
                    other => other,
                }
                .map_err(Fault::io("open the store's lock file"))?;
                Arc::clone(st.lock.insert(Arc::new(file)))
            }
        };
        file.lock().map_err(Fault::io("lock the store"))?;
        Ok(WriteLock(file))
    }

    /// Takes the write lock, catches up with the file, creates it if needed, and cuts off a
    /// torn tail so the next record starts where the last complete one ends.
    pub(super) fn begin_write(&self, st: &mut State) -> Result<WriteLock, Fault> {
        let write_lock = self.lock_file(st)?;

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
            st.restart(Some(file));
            st.header = Some(FileHeader::Current);
            st.known_len = FILE_HEADER_LEN;
            st.seen_len = FILE_HEADER_LEN;
        }

        let file = st.file.as_ref().expect("created above");
        let len = st.seen_len;
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
    pub(super) fn append(&self, st: &mut State, records: &[Record]) -> Result<(), Fault> {
        // One write per operation, so its records reach the file together or not at all.
        let joined: Vec<u8>;
        let bytes: &[u8] = match records {
            [only] => &only.bytes,
            _ => {
                joined = records
                    .iter()
                    .flat_map(|r| r.bytes.as_slice())
                    .copied()
                    .collect();
                &joined
            }
        };
        let file = st.file.as_mut().expect("begin_write opened the file");
        let written = file
            .write_all(bytes)
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

    pub(super) fn maybe_compact(&self, st: &mut State, config: &Config) {
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

    pub(super) fn compact_locked(&self, st: &mut State) -> Result<(), Fault> {
        if st.file.is_none() {
            return Ok(());
        }
        // Compacting would drop the evidence that records were replayed or moved.
        if !st.index.out_of_order.is_empty() {
            log::warn!(
                "store {}: not compacted while records are out of sequence",
                self.id
            );
            return Ok(());
        }
        let live = st.index.live_records();

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
    pub(super) fn replace_file(&self, st: &mut State, records: &[Vec<u8>]) -> Result<(), Fault> {
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
            let seq = st.index.last_seq + 1;
            let marker = format::encode_record(Kind::Superseded, seq, KeyId([0; 8]), [0; 16], &[]);
            if let Err(err) = old.write_all(&marker.bytes) {
                log::warn!("store {}: could not mark the replaced file: {err}", self.id);
            }
        }
        st.file = None;
        self.refresh(st)
    }
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
