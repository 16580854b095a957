//! Reading records back: finding a key's latest record and opening it.

use std::sync::Arc;

use zeroize::{Zeroize, Zeroizing};

use super::{Context, State, Store};
use crate::crypto::{self, StandardKey};
use crate::entry::{self, EntryHead};
use crate::error::{Fault, KeyLoss};
use crate::format::{self, Kind, Located};
use crate::protector::{AccessClass, KeyId};

impl Store {
    /// Finds the latest record of `key`, with the standard key that opens it.
    pub(super) fn find(
        &self,
        st: &mut State,
        ctx: &Context<'_>,
        key: &str,
    ) -> Result<(Arc<StandardKey>, Located), Fault> {
        let Some(standard) = self.standard_key(st, ctx)? else {
            return Err(self.absent(st, None));
        };
        let tag = standard.tag(key.as_bytes());
        if st.index.out_of_order.contains(&tag) {
            return Err(Fault::Damaged(
                "records of an entry are out of sequence, so the store file was altered",
            ));
        }
        match st.index.entries.get(&tag).copied() {
            Some(found) => Ok((standard, found)),
            None => Err(self.absent(st, Some(standard.id()))),
        }
    }

    /// The error for a key with no entry: not found, unless entries sealed under a lost data
    /// key exist, in which case the key may have been one of them.
    pub(super) fn absent(&self, st: &State, current: Option<KeyId>) -> Fault {
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
    pub(super) fn open_record(
        &self,
        st: &State,
        standard: &StandardKey,
        record: Located,
    ) -> Result<Zeroizing<Vec<u8>>, Fault> {
        let file = st
            .file
            .as_ref()
            .ok_or(Fault::Damaged("an entry is missing from the store file"))?;
        // Only the payload and its checksum are read: the index already holds the header.
        let header = record.header;
        let len = header.len as usize;
        let mut bytes = Zeroizing::new(vec![0u8; len + 4]);
        format::read_exact_at(file, &mut bytes, record.offset + format::PAYLOAD_OFFSET)
            .map_err(Fault::io("read an entry"))?;
        let payload = format::checked_payload(&mut bytes)
            .ok_or(Fault::Damaged("an entry failed its checksum"))?;

        let ad = crypto::record_ad(
            header.kind as u8,
            &self.name,
            &header.tag,
            header.seq,
            header.key_id,
        );
        let plain = standard
            .open_in_place(&ad, payload)
            .map_err(|_| Fault::Damaged("an entry failed authentication"))?;
        keep_only(&mut bytes, plain);
        Ok(bytes)
    }

    /// Opens the entry of `key` and checks it really is that key's entry.
    pub(super) fn open_entry(
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
        let mut plain = self.open_record(st, standard, record)?;
        let (head, stored_key, body) =
            entry::decode_entry(&plain).ok_or(Fault::Damaged("an entry has an unknown layout"))?;
        if stored_key != key {
            return Err(Fault::Damaged("an entry belongs to another key"));
        }
        let body_start = plain.len() - body.len();
        let end = plain.len();
        keep_only(&mut plain, body_start..end);
        Ok((record.header.kind, head, plain))
    }
}

/// Shrinks `buf` to `range`, moving those bytes to the front and wiping the rest, so one buffer
/// can be handed on without another allocation or copy of the plaintext.
fn keep_only(buf: &mut Zeroizing<Vec<u8>>, range: std::ops::Range<usize>) {
    let len = range.len();
    buf.copy_within(range, 0);
    buf[len..].zeroize();
    buf.truncate(len);
}
