//! Sealing and opening entries.
//!
//! Every store has up to two data keys, one per access class, each a random 256-bit secret
//! guarded by the protector.
//!
//! The *standard* data key is expanded with HKDF-SHA256 into two subkeys: one keys
//! XChaCha20-Poly1305 and seals every record of the store (key name, timestamps and, for
//! standard entries, the value), the other keys HMAC-SHA256 to turn key names into the 16-byte
//! lookup tags written in record headers. The file thus shows sizes, counts, and which records
//! concern the same key until compaction drops the older ones; never a name or a value.
//!
//! The *user-presence* data key is an X25519 private key. Its public key is kept in the store
//! file, sealed under the standard key, so a value can be sealed to it without asking the user:
//! each value gets an ephemeral X25519 key pair, HKDF-SHA256 turns the shared secret into a
//! one-time XChaCha20-Poly1305 key, and only a load of the private key, which the protector
//! releases after the user passes the lock screen, can open it. The sealed value then travels
//! inside the record sealed under the standard key, so the two layers are bound together.
//!
//! Associated data binds each layer to the format version, the store, the key and the access
//! class (and the id of the data key), so a record copied to another key, store or class fails
//! authentication. Nonces are 24 random bytes, drawn fresh for every seal.

use chacha20poly1305::aead::{Aead, AeadInOut, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::format::{FORMAT_VERSION, Tag};
use crate::protector::{AccessClass, DataKey, KeyId};

/// Nonce length of XChaCha20-Poly1305.
pub(crate) const NONCE_LEN: usize = 24;
/// Authentication tag length of XChaCha20-Poly1305.
pub(crate) const AEAD_TAG_LEN: usize = 16;
/// Bytes a standard seal adds to its plaintext.
pub(crate) const SEAL_OVERHEAD: usize = NONCE_LEN + AEAD_TAG_LEN;
/// Bytes a user-presence seal adds to its plaintext (ephemeral public key plus a seal).
pub(crate) const USER_PRESENCE_OVERHEAD: usize = 32 + SEAL_OVERHEAD;

/// Authentication failed: wrong key, wrong associated data, or damaged bytes. Deliberately
/// carries no detail.
#[derive(Debug)]
pub(crate) struct Unsealable;

/// Fills `buf` from the operating system's random source.
pub(crate) fn fill_random(buf: &mut [u8]) -> std::io::Result<()> {
    getrandom::fill(buf).map_err(|err| match err.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::other(err.to_string()),
    })
}

/// The file stem of a store: the first 128 bits of SHA-256 over a domain label and the name,
/// in lowercase hex. Fixed length, no separators, and distinct for names that differ only in
/// case, so no name can escape the directory or collide on a case-insensitive filesystem.
pub(crate) fn store_id(store: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"keystore-core store v1\0")
        .chain_update(store)
        .finalize();
    digest[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A loaded standard data key, expanded into its sealing and indexing subkeys.
pub(crate) struct StandardKey {
    id: KeyId,
    seal: XChaCha20Poly1305,
    index: Hmac<Sha256>,
}

impl StandardKey {
    pub(crate) fn new(key: &DataKey) -> Self {
        let hkdf = Hkdf::<Sha256>::new(None, key.secret());
        let mut seal_key = Zeroizing::new([0u8; 32]);
        let mut index_key = Zeroizing::new([0u8; 32]);
        hkdf.expand(b"keystore-core v1 seal", seal_key.as_mut())
            .expect("32 bytes fit HKDF");
        hkdf.expand(b"keystore-core v1 index", index_key.as_mut())
            .expect("32 bytes fit HKDF");
        StandardKey {
            id: key.id(),
            seal: XChaCha20Poly1305::new_from_slice(seal_key.as_ref()).expect("32-byte key"),
            index: Hmac::<Sha256>::new_from_slice(index_key.as_ref()).expect("HMAC takes any key"),
        }
    }

    pub(crate) fn id(&self) -> KeyId {
        self.id
    }

    /// The lookup tag of a key name.
    pub(crate) fn tag(&self, key: &[u8]) -> Tag {
        let mut mac = self.index.clone();
        mac.update(key);
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; 16];
        tag.copy_from_slice(&full[..16]);
        tag
    }

    /// Seals `plaintext`; returns nonce and ciphertext.
    pub(crate) fn seal(&self, ad: &[u8], plaintext: &[u8]) -> std::io::Result<Vec<u8>> {
        seal_with(&self.seal, ad, plaintext)
    }

    /// Opens the output of [`StandardKey::seal`] where it lies, without copying it; returns
    /// where the plaintext now is within `sealed`.
    pub(crate) fn open_in_place(
        &self,
        ad: &[u8],
        sealed: &mut [u8],
    ) -> Result<std::ops::Range<usize>, Unsealable> {
        if sealed.len() < SEAL_OVERHEAD {
            return Err(Unsealable);
        }
        let end = sealed.len() - AEAD_TAG_LEN;
        let (head, tag) = sealed.split_at_mut(end);
        let (nonce, ciphertext) = head.split_at_mut(NONCE_LEN);
        let nonce = XNonce::try_from(&*nonce).map_err(|_| Unsealable)?;
        let tag = chacha20poly1305::Tag::try_from(&*tag).map_err(|_| Unsealable)?;
        self.seal
            .decrypt_inout_detached(&nonce, ad, ciphertext.into(), &tag)
            .map_err(|_| Unsealable)?;
        Ok(NONCE_LEN..end)
    }
}

/// The public half of a store's user-presence data key.
#[derive(Clone, Copy)]
pub(crate) struct UserPresenceKey {
    pub(crate) id: KeyId,
    pub(crate) public: [u8; 32],
}

impl UserPresenceKey {
    pub(crate) fn of(key: &DataKey) -> Self {
        let secret = StaticSecret::from(*key.secret());
        UserPresenceKey {
            id: key.id(),
            public: PublicKey::from(&secret).to_bytes(),
        }
    }

    /// Seals `value` so that only the private key can open it.
    pub(crate) fn seal(&self, ad: &[u8], value: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut ephemeral_secret = Zeroizing::new([0u8; 32]);
        fill_random(ephemeral_secret.as_mut())?;
        let ephemeral = StaticSecret::from(*ephemeral_secret);
        let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
        let shared = ephemeral.diffie_hellman(&PublicKey::from(self.public));

        let cipher = one_time_cipher(shared.as_bytes(), &ephemeral_public, &self.public);
        let mut out = Vec::with_capacity(USER_PRESENCE_OVERHEAD + value.len());
        out.extend_from_slice(&ephemeral_public);
        out.extend_from_slice(&seal_with(&cipher, ad, value)?);
        Ok(out)
    }
}

/// Opens a value sealed by [`UserPresenceKey::seal`] with the private key.
pub(crate) fn open_user_presence(
    key: &DataKey,
    ad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Unsealable> {
    if sealed.len() < USER_PRESENCE_OVERHEAD {
        return Err(Unsealable);
    }
    let (ephemeral_public, rest) = sealed.split_at(32);
    let ephemeral_public: [u8; 32] = ephemeral_public.try_into().map_err(|_| Unsealable)?;
    let secret = StaticSecret::from(*key.secret());
    let public = PublicKey::from(&secret).to_bytes();
    let shared = secret.diffie_hellman(&PublicKey::from(ephemeral_public));
    if !shared.was_contributory() {
        return Err(Unsealable);
    }
    let cipher = one_time_cipher(shared.as_bytes(), &ephemeral_public, &public);
    open_with(&cipher, ad, rest)
}

fn one_time_cipher(
    shared: &[u8; 32],
    ephemeral: &[u8; 32],
    recipient: &[u8; 32],
) -> XChaCha20Poly1305 {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    let mut key = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(Some(&salt), shared)
        .expand(b"keystore-core v1 user-presence value", key.as_mut())
        .expect("32 bytes fit HKDF");
    XChaCha20Poly1305::new_from_slice(key.as_ref()).expect("32-byte key")
}

fn seal_with(cipher: &XChaCha20Poly1305, ad: &[u8], plaintext: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let ciphertext = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: ad,
            },
        )
        .map_err(|_| std::io::Error::other("the plaintext is too long to seal"))?;
    let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

fn open_with(
    cipher: &XChaCha20Poly1305,
    ad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Unsealable> {
    if sealed.len() < SEAL_OVERHEAD {
        return Err(Unsealable);
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| Unsealable)?;
    cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: ad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| Unsealable)
}

/// Associated data of a record sealed under the standard key: the format version, the record
/// kind (which carries the access class), the store, the lookup tag (which stands for the key
/// name; the opened name is checked against it), the record's sequence number and the id of
/// the sealing key.
pub(crate) fn record_ad(kind: u8, store: &str, tag: &Tag, seq: u64, key_id: KeyId) -> Vec<u8> {
    let mut ad = Vec::with_capacity(4 + 2 + 1 + 4 + store.len() + 16 + 8 + 8);
    ad.extend_from_slice(b"RNKS");
    ad.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    ad.push(kind);
    push_with_len(&mut ad, store.as_bytes());
    ad.extend_from_slice(tag);
    ad.extend_from_slice(&seq.to_le_bytes());
    ad.extend_from_slice(&key_id.0);
    ad
}

/// Associated data of a value sealed to the user-presence key: the format version, the store,
/// the key name, the access class and the id of the user-presence key.
pub(crate) fn value_ad(store: &str, key: &[u8], class: AccessClass, key_id: KeyId) -> Vec<u8> {
    let mut ad = Vec::with_capacity(8 + store.len() + key.len() + 16);
    ad.extend_from_slice(b"RNKV");
    ad.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    push_with_len(&mut ad, store.as_bytes());
    push_with_len(&mut ad, key);
    ad.push(class.to_byte());
    ad.extend_from_slice(&key_id.0);
    ad
}

fn push_with_len(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard() -> StandardKey {
        StandardKey::new(&DataKey::generate().unwrap())
    }

    impl StandardKey {
        fn open(&self, ad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Unsealable> {
            let mut buf = sealed.to_vec();
            let range = self.open_in_place(ad, &mut buf)?;
            Ok(buf[range].to_vec())
        }
    }

    #[test]
    fn xchacha20poly1305_matches_the_published_test_vector() {
        // draft-irtf-cfrg-xchacha-03, appendix A.3.1.
        let key: [u8; 32] = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        let nonce: [u8; 24] = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
        let aad: [u8; 12] = hex("50515253c0c1c2c3c4c5c6c7");
        let plaintext = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let expected_tag: [u8; 16] = hex("c0875924c1c7987947deafd8780acf49");

        let cipher = XChaCha20Poly1305::new(&key.into());
        let sealed = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .unwrap();
        assert_eq!(&sealed[..4], &hex::<4>("bd6d179d"));
        assert_eq!(&sealed[sealed.len() - 16..], &expected_tag);

        let mut framed = nonce.to_vec();
        framed.extend_from_slice(&sealed);
        assert_eq!(
            open_with(&cipher, &aad, &framed).unwrap().as_slice(),
            plaintext
        );
    }

    #[test]
    fn x25519_matches_the_rfc_7748_test_vector() {
        let scalar: [u8; 32] =
            hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        let point: [u8; 32] =
            hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        let expected: [u8; 32] =
            hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        assert_eq!(x25519_dalek::x25519(scalar, point), expected);
    }

    #[test]
    fn a_seal_opens_only_with_the_same_associated_data() {
        let key = standard();
        let sealed = key.seal(b"ad-1", b"secret").unwrap();
        assert_eq!(key.open(b"ad-1", &sealed).unwrap().as_slice(), b"secret");
        assert!(key.open(b"ad-2", &sealed).is_err());
        assert!(standard().open(b"ad-1", &sealed).is_err());
        assert!(key.open(b"ad-1", &sealed[..SEAL_OVERHEAD - 1]).is_err());
    }

    #[test]
    fn every_seal_draws_a_fresh_nonce() {
        let key = standard();
        let a = key.seal(b"", b"same").unwrap();
        let b = key.seal(b"", b"same").unwrap();
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
        assert_ne!(a, b);
    }

    #[test]
    fn tags_are_keyed_and_distinguish_names() {
        let key = standard();
        assert_eq!(key.tag(b"token"), key.tag(b"token"));
        assert_ne!(key.tag(b"token"), key.tag(b"Token"));
        assert_ne!(key.tag(b"token"), standard().tag(b"token"));
    }

    #[test]
    fn user_presence_seals_open_only_with_the_private_key() {
        let private = DataKey::generate().unwrap();
        let public = UserPresenceKey::of(&private);
        let ad = value_ad("store", b"key", AccessClass::UserPresence, private.id());
        let sealed = public.seal(&ad, b"pin 1234").unwrap();
        assert_eq!(
            open_user_presence(&private, &ad, &sealed)
                .unwrap()
                .as_slice(),
            b"pin 1234"
        );

        let other = DataKey::generate().unwrap();
        assert!(open_user_presence(&other, &ad, &sealed).is_err());
        let other_ad = value_ad("store", b"key2", AccessClass::UserPresence, private.id());
        assert!(open_user_presence(&private, &other_ad, &sealed).is_err());
    }

    #[test]
    fn store_ids_are_fixed_length_hex_and_case_sensitive() {
        for name in ["a", "A", "../x", "/abs", "a/b", ".", "\0", &"x".repeat(255)] {
            let id = store_id(name);
            assert_eq!(id.len(), 32);
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
        }
        assert_ne!(store_id("a"), store_id("A"));
    }

    fn hex<const N: usize>(text: &str) -> [u8; N] {
        let mut out = [0u8; N];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}
