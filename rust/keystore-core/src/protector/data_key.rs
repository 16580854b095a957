use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::ProtectorError;

/// The length of a data key's secret, in bytes.
pub const SECRET_LEN: usize = 32;

/// The length of a serialized data key: a version byte, the id and the secret.
const ENCODED_LEN: usize = 1 + 8 + SECRET_LEN;

/// The version byte of [`DataKey::to_bytes`].
const ENCODING_VERSION: u8 = 1;

/// A random identifier of one data key. Not secret.
///
/// Every record names the id of the key that sealed it, so an entry sealed under a key that was
/// later replaced reports `KeyInvalidated` instead of failing as corrupted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId(")?;
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        write!(f, ")")
    }
}

/// A 256-bit data key and its id. Zeroized on drop; `Debug` shows only the id.
///
/// For [`super::AccessClass::Standard`] the secret keys XChaCha20-Poly1305 directly (through
/// derived subkeys). For [`super::AccessClass::UserPresence`] it is an X25519 private key, so
/// entries can be sealed to its public key without prompting the user.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    #[zeroize(skip)]
    id: KeyId,
    secret: [u8; SECRET_LEN],
}

impl DataKey {
    /// Draws a fresh key and id from the operating system's random source.
    ///
    /// Returns [`ProtectorError::Platform`] if the random source fails.
    pub fn generate() -> Result<Self, ProtectorError> {
        let mut id = [0u8; 8];
        let mut secret = [0u8; SECRET_LEN];
        crate::crypto::fill_random(&mut id)
            .and_then(|()| crate::crypto::fill_random(&mut secret))
            .map_err(|err| ProtectorError::Platform {
                code: i64::from(err.raw_os_error().unwrap_or(0)),
                message: format!("the random source failed: {err}"),
            })?;
        Ok(DataKey {
            id: KeyId(id),
            secret,
        })
    }

    /// Builds a key from its parts (for protectors that keep id and secret apart).
    pub fn from_parts(id: KeyId, secret: [u8; SECRET_LEN]) -> Self {
        DataKey { id, secret }
    }

    /// The key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The secret bytes. Handle them as the protector's platform requires and never log them.
    pub fn secret(&self) -> &[u8; SECRET_LEN] {
        &self.secret
    }

    /// Serializes id and secret into a buffer that is zeroized on drop, for protectors that
    /// store one opaque blob.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(ENCODED_LEN));
        out.push(ENCODING_VERSION);
        out.extend_from_slice(&self.id.0);
        out.extend_from_slice(&self.secret);
        out
    }

    /// Parses the output of [`DataKey::to_bytes`].
    ///
    /// Returns [`ProtectorError::Platform`] when the blob has the wrong length or version; the
    /// error never contains the blob.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProtectorError> {
        if bytes.len() != ENCODED_LEN || bytes[0] != ENCODING_VERSION {
            return Err(ProtectorError::Platform {
                code: 0,
                message: format!(
                    "a stored data key has an unknown layout ({} bytes)",
                    bytes.len()
                ),
            });
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&bytes[1..9]);
        let mut secret = [0u8; SECRET_LEN];
        secret.copy_from_slice(&bytes[9..]);
        Ok(DataKey {
            id: KeyId(id),
            secret,
        })
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_the_id_but_never_the_secret() {
        let key = DataKey::from_parts(KeyId([0xab; 8]), [0x5a; SECRET_LEN]);
        let shown = format!("{key:?}");
        assert!(shown.contains("abababab"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
        assert!(!shown.contains("5a") && !shown.contains("90"), "{shown}");
    }

    #[test]
    fn serialized_keys_round_trip_and_bad_blobs_are_refused() {
        let key = DataKey::generate().unwrap();
        let back = DataKey::from_bytes(&key.to_bytes()).unwrap();
        assert_eq!(back.id(), key.id());
        assert_eq!(back.secret(), key.secret());

        assert!(DataKey::from_bytes(&key.to_bytes()[1..]).is_err());
        let mut wrong_version = key.to_bytes().to_vec();
        wrong_version[0] = 9;
        assert!(DataKey::from_bytes(&wrong_version).is_err());
    }

    #[test]
    fn generated_keys_differ() {
        let a = DataKey::generate().unwrap();
        let b = DataKey::generate().unwrap();
        assert_ne!(a.id(), b.id());
        assert_ne!(a.secret(), b.secret());
    }
}
