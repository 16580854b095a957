//! Reading records back: finding a key's latest record and opening it.

use std::sync::Arc;

use zeroize::Zeroizing;

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
        let mut bytes = vec![0u8; record.header.record_len() as usize];
        format::read_exact_at(file, &mut bytes, record.offset)
            .map_err(Fault::io("read an entry"))?;
        let payload =
            format::record_payload(&bytes).ok_or(Fault::Damaged("an entry failed its checksum"))?;
        let header = record.header;
        let ad = crypto::record_ad(
            header.kind as u8,
            &self.name,
            &header.tag,
            header.seq,
            header.key_id,
        );
        standard
            .open(&ad, payload)
            .map_err(|_| Fault::Damaged("an entry failed authentication"))
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
        let plain = self.open_record(st, standard, record)?;
        let (head, stored_key, body) =
            entry::decode_entry(&plain).ok_or(Fault::Damaged("an entry has an unknown layout"))?;
        if stored_key != key {
            return Err(Fault::Damaged("an entry belongs to another key"));
        }
        Ok((record.header.kind, head, Zeroizing::new(body.to_vec())))
    }
}
