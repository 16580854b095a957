//! The file that keeps one wrapped data key beside its store file.
//!
//! `<store_id>.<class>.wrapped`:
//!
//! ```text
//! magic "RNKA" | version 1 | key id (8) | IV length (1) | IV
//!   | ciphertext length (u16, big-endian) | ciphertext
//! ```
//!
//! The ciphertext is AES-256-GCM, under the slot's Android Keystore key, of the serialized data
//! key (`DataKey::to_bytes`: version, id and secret, 41 bytes). The additional data is the
//! header (magic, version, key id) plus the slot's name, so a file copied to another slot or
//! relabelled with another key id does not open.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use keystore_core::{KeyId, KeySlot};

const MAGIC: &[u8; 4] = b"RNKA";
const VERSION: u8 = 1;
const HEADER_LEN: usize = 4 + 1 + 8;

/// One wrapped data key, as read from or written to its file. `Debug` shows the key id and the
/// lengths only, never the IV or the sealed bytes.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Wrapped {
    pub key_id: KeyId,
    pub iv: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

impl std::fmt::Debug for Wrapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wrapped")
            .field("key_id", &self.key_id)
            .field("iv_len", &self.iv.len())
            .field("ciphertext_len", &self.ciphertext.len())
            .finish()
    }
}

/// The file of `slot`'s wrapped key.
pub(crate) fn path(slot: &KeySlot<'_>) -> PathBuf {
    slot.dir.join(format!("{}.wrapped", slot.name()))
}

/// The additional data the wrapping binds: the header and the slot's name.
pub(crate) fn aad(slot: &KeySlot<'_>, key_id: KeyId) -> Vec<u8> {
    let mut aad = header(key_id).to_vec();
    aad.extend_from_slice(slot.name().as_bytes());
    aad
}

fn header(key_id: KeyId) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..4].copy_from_slice(MAGIC);
    header[4] = VERSION;
    header[5..].copy_from_slice(&key_id.0);
    header
}

impl Wrapped {
    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = header(self.key_id).to_vec();
        bytes.push(u8::try_from(self.iv.len()).expect("a GCM IV is 12 bytes"));
        bytes.extend_from_slice(&self.iv);
        let len = u16::try_from(self.ciphertext.len()).expect("a wrapped key is 57 bytes");
        bytes.extend_from_slice(&len.to_be_bytes());
        bytes.extend_from_slice(&self.ciphertext);
        bytes
    }

    /// Parses a file; `None` when it is not a wrapped key of this version.
    pub fn decode(bytes: &[u8]) -> Option<Wrapped> {
        let (head, rest) = bytes.split_at_checked(HEADER_LEN)?;
        if &head[..4] != MAGIC || head[4] != VERSION {
            return None;
        }
        let key_id = KeyId(head[5..].try_into().ok()?);
        let (&iv_len, rest) = rest.split_first()?;
        let (iv, rest) = rest.split_at_checked(usize::from(iv_len))?;
        let (len, ciphertext) = rest.split_at_checked(2)?;
        let len = usize::from(u16::from_be_bytes(len.try_into().ok()?));
        (ciphertext.len() == len).then(|| Wrapped {
            key_id,
            iv: iv.to_vec(),
            ciphertext: ciphertext.to_vec(),
        })
    }
}

/// Reads `slot`'s file: `Ok(None)` when there is none, `Ok(Some(None))` when it is damaged.
pub(crate) fn read(slot: &KeySlot<'_>) -> io::Result<Option<Option<Wrapped>>> {
    match fs::read(path(slot)) {
        Ok(bytes) => Ok(Some(Wrapped::decode(&bytes))),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Replaces `slot`'s file durably: a temporary file, flushed, renamed over, directory synced.
pub(crate) fn write(slot: &KeySlot<'_>, wrapped: &Wrapped) -> io::Result<()> {
    let target = path(slot);
    let temporary = target.with_extension("wrapped.tmp");
    {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(&wrapped.encode())?;
        file.sync_all()?;
    }
    fs::rename(&temporary, &target)?;
    sync_dir(slot.dir)
}

/// Removes `slot`'s file; a missing file is not an error.
pub(crate) fn remove(slot: &KeySlot<'_>) -> io::Result<()> {
    match fs::remove_file(path(slot)) {
        Ok(()) => sync_dir(slot.dir),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Wrapped {
        Wrapped {
            key_id: KeyId([1, 2, 3, 4, 5, 6, 7, 8]),
            iv: vec![9; 12],
            ciphertext: vec![7; 48],
        }
    }

    #[test]
    fn a_wrapped_key_survives_encoding() {
        let encoded = sample().encode();
        assert_eq!(encoded.len(), HEADER_LEN + 1 + 12 + 2 + 48);
        assert_eq!(Wrapped::decode(&encoded), Some(sample()));
    }

    #[test]
    fn debug_shows_neither_the_iv_nor_the_sealed_bytes() {
        let shown = format!("{:?}", sample());
        assert!(
            shown.contains("iv_len: 12") && shown.contains("ciphertext_len: 48"),
            "{shown}"
        );
        assert!(!shown.contains("[9") && !shown.contains("[7"), "{shown}");
    }

    #[test]
    fn every_truncation_and_a_wrong_version_are_refused() {
        let encoded = sample().encode();
        for len in 0..encoded.len() {
            assert_eq!(Wrapped::decode(&encoded[..len]), None, "length {len}");
        }
        let mut longer = encoded.clone();
        longer.push(0);
        assert_eq!(Wrapped::decode(&longer), None);
        let mut other_version = encoded;
        other_version[4] = 2;
        assert_eq!(Wrapped::decode(&other_version), None);
    }
}
