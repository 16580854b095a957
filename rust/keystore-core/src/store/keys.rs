//! The store's data keys: loading and caching the standard key, creating keys when a store has
//! none or lost them, and the sealed descriptions of both.

use std::sync::Arc;

use super::{Cached, Context, State, Store, key_info_tag, next_seq, now_ms};
use crate::crypto;
use crate::crypto::{StandardKey, UserPresenceKey};
use crate::entry::{self, KeyInfo};
use crate::error::Fault;
use crate::format::{self, Kind, Record};
use crate::protector::{AccessClass, DataKey, KeyState, ProtectorError, SecurityLevel};

impl Store {
    pub(super) fn key_info(
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
            // A standard key describes itself; a user-presence key is described by the
            // standard key that seals its description.
            Some(info)
                if info.class == class
                    && (class == AccessClass::UserPresence || info.id == standard.id()) =>
            {
                Ok(Some(info))
            }
            _ => Err(Fault::Damaged("a key description has an unknown layout")),
        }
    }

    pub(super) fn user_presence_info(
        &self,
        st: &State,
        standard: &StandardKey,
    ) -> Result<Option<KeyInfo>, Fault> {
        self.key_info(st, standard, AccessClass::UserPresence)
    }

    /// The standard key of the store's current file, loaded through the protector once and
    /// cached. `None` when the store has none, or its key is lost.
    pub(super) fn standard_key(
        &self,
        st: &mut State,
        ctx: &Context<'_>,
    ) -> Result<Option<Arc<StandardKey>>, Fault> {
        Ok(self.cached_standard(st, ctx)?.map(|cached| cached.key))
    }

    pub(super) fn cached_standard(
        &self,
        st: &mut State,
        ctx: &Context<'_>,
    ) -> Result<Option<Cached>, Fault> {
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
    pub(super) fn ensure_standard_key(
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
        let seq = next_seq(st, pending);
        pending.push(self.key_info_record(&key, &info, seq)?);
        st.standard = Some(Cached {
            key: Arc::clone(&key),
            level,
        });
        log::debug!("store {}: created a standard data key", self.name);
        Ok((key, level))
    }

    /// The public user-presence key, created when the store has none or the protector reports
    /// the old one missing or invalidated.
    pub(super) fn ensure_user_presence_key(
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
        let seq = next_seq(st, pending);
        pending.push(self.key_info_record(standard, &info, seq)?);
        Ok((up, level))
    }

    pub(super) fn key_info_record(
        &self,
        standard: &StandardKey,
        info: &KeyInfo,
        seq: u64,
    ) -> Result<Record, Fault> {
        let tag = key_info_tag(info.class);
        let ad = crypto::record_ad(Kind::KeyInfo as u8, &self.name, &tag, seq, standard.id());
        let payload = standard
            .seal(&ad, &entry::encode_key_info(info))
            .map_err(Fault::io("draw random bytes"))?;
        Ok(format::encode_record(
            Kind::KeyInfo,
            seq,
            standard.id(),
            tag,
            &payload,
        ))
    }
}
