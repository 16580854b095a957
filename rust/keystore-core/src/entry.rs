//! The plaintexts sealed inside records: entries and key descriptions.

use zeroize::Zeroizing;

use crate::protector::{AccessClass, KeyId, SecurityLevel};

const ENTRY_VERSION: u8 = 1;
const KEY_INFO_VERSION: u8 = 1;
/// Bytes of an encoded entry before its key: version, three u64, level and key length.
const HEAD_LEN: usize = 1 + 3 * 8 + 1 + 2;

/// The metadata sealed with every entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EntryHead {
    /// The sequence number of the record that first set the key; orders `keys()`.
    pub(crate) created_seq: u64,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
    pub(crate) level: SecurityLevel,
}

/// Encodes an entry: `version | created-seq u64 | created u64 | updated u64 | level u8 |
/// key-len u16 | key | body`.
/// For standard entries the body is the value; for user-presence entries it is the id of the
/// user-presence key followed by the value sealed to it.
pub(crate) fn encode_entry(head: &EntryHead, key: &[u8], body: &[u8]) -> Zeroizing<Vec<u8>> {
    let key_len = u16::try_from(key.len()).expect("keys are limited to 1024 bytes");
    let mut out = Zeroizing::new(Vec::with_capacity(HEAD_LEN + key.len() + body.len()));
    out.push(ENTRY_VERSION);
    out.extend_from_slice(&head.created_seq.to_le_bytes());
    out.extend_from_slice(&head.created_ms.to_le_bytes());
    out.extend_from_slice(&head.updated_ms.to_le_bytes());
    out.push(head.level.to_byte());
    out.extend_from_slice(&key_len.to_le_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(body);
    out
}

/// Decodes [`encode_entry`]; returns the head, the key and the body.
pub(crate) fn decode_entry(plain: &[u8]) -> Option<(EntryHead, &[u8], &[u8])> {
    let (&version, rest) = plain.split_first()?;
    if version != ENTRY_VERSION || rest.len() < HEAD_LEN - 1 {
        return None;
    }
    let created_seq = u64::from_le_bytes(rest[0..8].try_into().ok()?);
    let created_ms = u64::from_le_bytes(rest[8..16].try_into().ok()?);
    let updated_ms = u64::from_le_bytes(rest[16..24].try_into().ok()?);
    let level = SecurityLevel::from_byte(rest[24])?;
    let key_len = usize::from(u16::from_le_bytes(rest[25..27].try_into().ok()?));
    let rest = &rest[27..];
    if rest.len() < key_len {
        return None;
    }
    let (key, body) = rest.split_at(key_len);
    Some((
        EntryHead {
            created_seq,
            created_ms,
            updated_ms,
            level,
        },
        key,
        body,
    ))
}

/// A description of a store's current data key of one class, sealed under the standard key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeyInfo {
    pub(crate) class: AccessClass,
    pub(crate) id: KeyId,
    pub(crate) level: SecurityLevel,
    pub(crate) created_ms: u64,
    /// The X25519 public key, for the user-presence class.
    pub(crate) public: Option<[u8; 32]>,
}

/// Encodes: `version | class u8 | id [8] | level u8 | created u64 | public [32]?`.
pub(crate) fn encode_key_info(info: &KeyInfo) -> Vec<u8> {
    let mut out = Vec::with_capacity(51);
    out.push(KEY_INFO_VERSION);
    out.push(info.class.to_byte());
    out.extend_from_slice(&info.id.0);
    out.push(info.level.to_byte());
    out.extend_from_slice(&info.created_ms.to_le_bytes());
    if let Some(public) = &info.public {
        out.extend_from_slice(public);
    }
    out
}

/// Decodes [`encode_key_info`].
pub(crate) fn decode_key_info(plain: &[u8]) -> Option<KeyInfo> {
    if plain.len() < 19 || plain[0] != KEY_INFO_VERSION {
        return None;
    }
    let class = AccessClass::from_byte(plain[1])?;
    let public = match (class, plain.len()) {
        (AccessClass::Standard, 19) => None,
        (AccessClass::UserPresence, 51) => Some(plain[19..51].try_into().ok()?),
        _ => return None,
    };
    Some(KeyInfo {
        class,
        id: KeyId(plain[2..10].try_into().ok()?),
        level: SecurityLevel::from_byte(plain[10])?,
        created_ms: u64::from_le_bytes(plain[11..19].try_into().ok()?),
        public,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_truncations_are_refused() {
        let head = EntryHead {
            created_seq: 9,
            created_ms: 1,
            updated_ms: 2,
            level: SecurityLevel::StrongBox,
        };
        let plain = encode_entry(&head, b"key", b"value");
        assert_eq!(
            decode_entry(&plain),
            Some((head.clone(), &b"key"[..], &b"value"[..]))
        );
        for cut in 0..HEAD_LEN + 3 {
            assert!(decode_entry(&plain[..cut]).is_none(), "cut at {cut}");
        }
    }

    #[test]
    fn key_infos_round_trip_for_both_classes() {
        for public in [None, Some([3u8; 32])] {
            let class = if public.is_some() {
                AccessClass::UserPresence
            } else {
                AccessClass::Standard
            };
            let info = KeyInfo {
                class,
                id: KeyId([1; 8]),
                level: SecurityLevel::Software,
                created_ms: 5,
                public,
            };
            assert_eq!(decode_key_info(&encode_key_info(&info)), Some(info));
        }
        let mut wrong = encode_key_info(&KeyInfo {
            class: AccessClass::Standard,
            id: KeyId([1; 8]),
            level: SecurityLevel::Software,
            created_ms: 5,
            public: None,
        });
        wrong.push(0);
        assert_eq!(decode_key_info(&wrong), None);
    }
}
