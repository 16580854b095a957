//! Parsing and re-encoding store files, written from `docs/format.md` alone and never from the
//! crate's source, so the tests that use it also check that the document is right.

use sha2::{Digest, Sha256};

/// Length of the file header.
pub const FILE_HEADER_LEN: usize = 16;
/// Length of one copy of a record header.
pub const HEADER_LEN: usize = 44;
/// Bytes a record adds around its payload.
pub const RECORD_OVERHEAD: usize = 2 * HEADER_LEN + 4;

/// Record kinds.
pub const PUT_STANDARD: u8 = 1;
pub const PUT_USER_PRESENCE: u8 = 2;
pub const DELETE: u8 = 3;
pub const KEY_INFO: u8 = 4;
pub const SUPERSEDED: u8 = 5;

/// One record of a store file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Where the record starts in the file.
    pub offset: usize,
    pub kind: u8,
    pub seq: u64,
    pub key_id: [u8; 8],
    pub tag: [u8; 16],
    pub payload: Vec<u8>,
}

impl Record {
    /// The record's full length in the file.
    pub fn len(&self) -> usize {
        RECORD_OVERHEAD + self.payload.len()
    }

    /// Where the payload and its CRC start in the file.
    pub fn payload_start(&self) -> usize {
        self.offset + 2 * HEADER_LEN
    }

    /// Encodes the record with both header copies and all CRCs computed afresh.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        for marker in [b"R1", b"R2"] {
            let mut copy = Vec::with_capacity(HEADER_LEN);
            copy.extend_from_slice(marker);
            copy.push(self.kind);
            copy.push(0);
            copy.extend_from_slice(&(self.payload.len() as u32).to_le_bytes());
            copy.extend_from_slice(&self.seq.to_le_bytes());
            copy.extend_from_slice(&self.key_id);
            copy.extend_from_slice(&self.tag);
            let crc = crc32(&copy);
            copy.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&copy);
        }
        out.extend_from_slice(&self.payload);
        out.extend_from_slice(&crc32(&self.payload).to_le_bytes());
        out
    }
}

/// CRC-32 as zlib computes it (reflected polynomial `0xEDB88320`).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// The file stem of a store: 16 bytes of SHA-256 over a label, a NUL and the name, in hex.
pub fn store_id(name: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"keystore-core store v1\0")
        .chain_update(name.as_bytes())
        .finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The file header of format version 1.
pub fn file_header() -> Vec<u8> {
    let mut out = b"RNKSTORE".to_vec();
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Parses an undamaged store file, checking every rule of the document on the way: the header,
/// both header copies and their markers, the reserved bytes, every CRC, and that the records
/// fill the file exactly.
pub fn parse(file: &[u8]) -> Vec<Record> {
    assert_eq!(file[..FILE_HEADER_LEN], file_header()[..], "file header");
    let mut records = Vec::new();
    let mut pos = FILE_HEADER_LEN;
    while pos < file.len() {
        let mut copies = Vec::new();
        for (i, marker) in [b"R1", b"R2"].into_iter().enumerate() {
            let copy = &file[pos + i * HEADER_LEN..pos + (i + 1) * HEADER_LEN];
            assert_eq!(&copy[0..2], marker, "marker of copy {i} at {pos}");
            assert_eq!(copy[3], 0, "reserved byte at {pos}");
            let crc = u32::from_le_bytes(copy[40..44].try_into().unwrap());
            assert_eq!(crc32(&copy[..40]), crc, "header CRC of copy {i} at {pos}");
            copies.push(&copy[2..40]);
        }
        assert_eq!(copies[0], copies[1], "the copies agree at {pos}");
        let header = copies[0];
        let len = u32::from_le_bytes(header[2..6].try_into().unwrap()) as usize;
        let start = pos + 2 * HEADER_LEN;
        let payload = file[start..start + len].to_vec();
        let crc = u32::from_le_bytes(file[start + len..start + len + 4].try_into().unwrap());
        assert_eq!(crc32(&payload), crc, "payload CRC at {pos}");
        let record = Record {
            offset: pos,
            kind: header[0],
            seq: u64::from_le_bytes(header[6..14].try_into().unwrap()),
            key_id: header[14..22].try_into().unwrap(),
            tag: header[22..38].try_into().unwrap(),
            payload,
        };
        assert_eq!(
            record.encode(),
            file[pos..pos + record.len()],
            "re-encoding at {pos}"
        );
        pos += record.len();
        records.push(record);
    }
    assert_eq!(pos, file.len(), "records fill the file");
    records
}

/// Encodes a whole file from `records`, ignoring their offsets.
pub fn encode(records: &[Record]) -> Vec<u8> {
    let mut out = file_header();
    for record in records {
        out.extend_from_slice(&record.encode());
    }
    out
}
