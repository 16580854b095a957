//! The in-memory index of a store file: where each key's latest record is.

use std::collections::{HashMap, HashSet};

use crate::format::{Header, Kind, Located, Tag};
use crate::protector::{AccessClass, KeyId};

/// What the records of a store file add up to, built by applying them in file order.
#[derive(Default)]
pub(super) struct Index {
    /// The latest put of every live key, by tag.
    pub(super) entries: HashMap<Tag, Located>,
    /// The latest description of each class's data key.
    pub(super) key_info: [Option<Located>; 2],
    /// Keys whose records arrived out of sequence: a record was replayed or moved, so the
    /// key's latest value cannot be known. Reads of them fail as corrupted until the key is set
    /// or removed again.
    pub(super) out_of_order: HashSet<Tag>,
    /// How many entries each standard key id sealed, to tell orphans (entries of a lost key).
    per_key: HashMap<KeyId, usize>,
    /// Bytes of the records that are still needed.
    pub(super) live_bytes: u64,
    /// The highest sequence number applied.
    pub(super) last_seq: u64,
    /// A `Superseded` record was read: the file was replaced by another.
    pub(super) superseded: bool,
}

impl Index {
    /// Applies the next record of the file.
    pub(super) fn apply(&mut self, record: Located) {
        let header = record.header;
        if header.kind == Kind::Superseded {
            self.superseded = true;
            return;
        }

        // Genuine records only ever appear in increasing sequence; anything else was put there.
        if header.seq <= self.last_seq {
            if matches!(
                header.kind,
                Kind::PutStandard | Kind::PutUserPresence | Kind::Delete
            ) {
                self.out_of_order.insert(header.tag);
            }
            log::warn!("a record is out of sequence; its key is treated as corrupted");
            return;
        }
        self.last_seq = header.seq;

        match header.kind {
            Kind::PutStandard | Kind::PutUserPresence => {
                self.out_of_order.remove(&header.tag);
                self.live_bytes += header.record_len();
                *self.per_key.entry(header.key_id).or_default() += 1;
                if let Some(old) = self.entries.insert(header.tag, record) {
                    self.forget(old.header);
                }
            }
            Kind::Delete => {
                self.out_of_order.remove(&header.tag);
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
            Kind::Superseded => unreachable!("handled above"),
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

    /// The records a compaction must keep, in sequence order.
    pub(super) fn live_records(&self) -> Vec<Located> {
        let mut live: Vec<Located> = self.key_info.iter().flatten().copied().collect();
        live.extend(self.entries.values().copied());
        live.sort_by_key(|record| record.header.seq);
        live
    }

    /// The id of the standard key the latest standard `KeyInfo` names.
    pub(super) fn standard_id(&self) -> Option<KeyId> {
        self.key_info[0].map(|info| info.header.key_id)
    }

    /// Whether entries sealed under a standard key other than `current` exist.
    pub(super) fn has_orphans(&self, current: Option<KeyId>) -> bool {
        let current_count = current
            .and_then(|id| self.per_key.get(&id))
            .copied()
            .unwrap_or(0);
        self.entries.len() > current_count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(seq: u64, tag: u8) -> Located {
        let header = Header {
            kind: Kind::PutStandard,
            len: 10,
            seq,
            key_id: KeyId([1; 8]),
            tag: [tag; 16],
        };
        Located {
            offset: seq * 100,
            header,
        }
    }

    fn delete(seq: u64, tag: u8) -> Located {
        let mut record = put(seq, tag);
        record.header.kind = Kind::Delete;
        record.header.len = 0;
        record
    }

    #[test]
    fn later_records_replace_earlier_ones_and_deletes_remove_them() {
        let mut index = Index::default();
        index.apply(put(1, 7));
        index.apply(put(2, 7));
        index.apply(put(3, 8));
        assert_eq!(index.entries[&[7; 16]].header.seq, 2);
        index.apply(delete(4, 8));
        assert!(!index.entries.contains_key(&[8; 16]));
        assert_eq!(index.live_bytes, put(2, 7).header.record_len());
        assert!(index.out_of_order.is_empty());
    }

    #[test]
    fn a_replayed_record_marks_its_key_out_of_order_until_the_key_is_written_again() {
        let mut index = Index::default();
        index.apply(put(1, 7));
        index.apply(put(2, 7));
        index.apply(put(1, 7));
        assert!(index.out_of_order.contains(&[7; 16]));
        assert_eq!(
            index.entries[&[7; 16]].header.seq, 2,
            "the replay is not applied"
        );

        index.apply(put(3, 7));
        assert!(index.out_of_order.is_empty());
        assert_eq!(index.entries[&[7; 16]].header.seq, 3);
    }

    #[test]
    fn a_replayed_put_cannot_bring_a_removed_key_back() {
        let mut index = Index::default();
        index.apply(put(1, 7));
        index.apply(delete(2, 7));
        index.apply(put(1, 7));
        assert!(!index.entries.contains_key(&[7; 16]));
        assert!(index.out_of_order.contains(&[7; 16]));
    }

    #[test]
    fn live_records_come_back_in_sequence_order() {
        let mut index = Index::default();
        for (seq, tag) in [(1, 1), (2, 2), (3, 1), (4, 3), (5, 2)] {
            index.apply(put(seq, tag));
        }
        let seqs: Vec<u64> = index.live_records().iter().map(|r| r.header.seq).collect();
        assert_eq!(seqs, [3, 4, 5]);
    }
}
