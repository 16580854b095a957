//! The on-disk layout of a store file, and the scanner that reads it back after a crash.
//!
//! ```text
//! file    := file-header record*
//! file-header (16 bytes) := magic "RNKSTORE" | version u16 | reserved u16 (0) | crc32 u32
//! record  := header#1 header#2 payload crc32(payload) u32
//! header (44 bytes) := marker "R1"|"R2" | kind u8 | reserved u8 (0) | payload-len u32
//!                      | seq u64 | key-id [8] | tag [16] | crc32 of the previous 40 bytes u32
//! ```
//!
//! All integers are little-endian. The header is written twice, with different markers, so a
//! damaged byte in one copy is repaired from the other and the record's length and tag stay
//! known; a damaged payload then fails only that one entry, and the records after it stay
//! readable. When both copies are damaged the scanner searches forward for the next valid
//! header.
//!
//! Every record carries a sequence number, bound into its associated data, and a file holds
//! its records in strictly increasing order of those numbers (compaction keeps that order). A
//! record that breaks the order was replayed or moved, and the store reports its key as
//! corrupted instead of serving an older value.
//!
//! A record whose bytes end before its declared length is a torn write from a crash: the
//! writer acknowledged nothing about it, so it is ignored (and cut off before the next write).
//! Every earlier record, and a complete record whose payload fails its checksum, is kept.
//! `docs/format.md` describes the payloads.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};

use crate::protector::KeyId;

/// The lookup tag of a key name: HMAC-SHA256 under the store's index key, cut to 128 bits.
pub(crate) type Tag = [u8; 16];

/// The first eight bytes of every store file.
pub(crate) const FILE_MAGIC: [u8; 8] = *b"RNKSTORE";
/// The layout version this code writes and reads.
pub(crate) const FORMAT_VERSION: u16 = 1;
/// Length of the file header.
pub(crate) const FILE_HEADER_LEN: u64 = 16;
/// Length of one copy of a record header.
pub(crate) const HEADER_LEN: usize = 44;
/// Length of a header copy before its checksum.
const HEADER_BODY: usize = HEADER_LEN - 4;
/// Where a record's payload starts, from the start of the record.
pub(crate) const PAYLOAD_OFFSET: u64 = 2 * HEADER_LEN as u64;
/// Bytes a record adds around its payload: two headers and the payload checksum.
pub(crate) const RECORD_OVERHEAD: u64 = 2 * HEADER_LEN as u64 + 4;

const MARKERS: [[u8; 2]; 2] = [*b"R1", *b"R2"];

/// What a record says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    /// An entry whose value is sealed under the standard data key.
    PutStandard = 1,
    /// An entry whose value is sealed to the user-presence data key.
    PutUserPresence = 2,
    /// The entry of `tag` was removed.
    Delete = 3,
    /// Describes the current data key of one access class (the class is `tag[0]`).
    KeyInfo = 4,
    /// The file was replaced by a compacted or cleared one; reopen the path.
    Superseded = 5,
}

impl Kind {
    fn from_byte(byte: u8) -> Option<Kind> {
        Some(match byte {
            1 => Kind::PutStandard,
            2 => Kind::PutUserPresence,
            3 => Kind::Delete,
            4 => Kind::KeyInfo,
            5 => Kind::Superseded,
            _ => return None,
        })
    }
}

/// A decoded record header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) kind: Kind,
    pub(crate) len: u32,
    /// The record's place in the store's history.
    pub(crate) seq: u64,
    pub(crate) key_id: KeyId,
    pub(crate) tag: Tag,
}

impl Header {
    fn encode(&self, copy: usize) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0..2].copy_from_slice(&MARKERS[copy]);
        out[2] = self.kind as u8;
        out[4..8].copy_from_slice(&self.len.to_le_bytes());
        out[8..16].copy_from_slice(&self.seq.to_le_bytes());
        out[16..24].copy_from_slice(&self.key_id.0);
        out[24..40].copy_from_slice(&self.tag);
        let crc = crc32fast::hash(&out[..HEADER_BODY]);
        out[HEADER_BODY..].copy_from_slice(&crc.to_le_bytes());
        out
    }

    /// Decodes one copy of a header; `None` when its marker or checksum is wrong.
    fn decode(bytes: &[u8], copy: usize) -> Option<Header> {
        let bytes: &[u8; HEADER_LEN] = bytes.get(..HEADER_LEN)?.try_into().ok()?;
        if bytes[0..2] != MARKERS[copy] || bytes[3] != 0 {
            return None;
        }
        let crc = u32::from_le_bytes(bytes[HEADER_BODY..].try_into().ok()?);
        if crc32fast::hash(&bytes[..HEADER_BODY]) != crc {
            return None;
        }
        Some(Header {
            kind: Kind::from_byte(bytes[2])?,
            len: u32::from_le_bytes(bytes[4..8].try_into().ok()?),
            seq: u64::from_le_bytes(bytes[8..16].try_into().ok()?),
            key_id: KeyId(bytes[16..24].try_into().ok()?),
            tag: bytes[24..40].try_into().ok()?,
        })
    }

    /// The full length of the record this header starts.
    pub(crate) fn record_len(&self) -> u64 {
        RECORD_OVERHEAD + u64::from(self.len)
    }
}

/// An encoded record and its header.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub(crate) header: Header,
    pub(crate) bytes: Vec<u8>,
}

/// Encodes a whole record, ready to append.
pub(crate) fn encode_record(
    kind: Kind,
    seq: u64,
    key_id: KeyId,
    tag: Tag,
    payload: &[u8],
) -> Record {
    let len = u32::try_from(payload.len()).expect("payloads are limited far below 4 GiB");
    let header = Header {
        kind,
        len,
        seq,
        key_id,
        tag,
    };
    let mut bytes = Vec::with_capacity(RECORD_OVERHEAD as usize + payload.len());
    bytes.extend_from_slice(&header.encode(0));
    bytes.extend_from_slice(&header.encode(1));
    bytes.extend_from_slice(payload);
    bytes.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    Record { header, bytes }
}

/// Checks a payload read together with the checksum that follows it; returns the payload.
pub(crate) fn checked_payload(payload_and_crc: &mut [u8]) -> Option<&mut [u8]> {
    let len = payload_and_crc.len().checked_sub(4)?;
    let (payload, crc) = payload_and_crc.split_at_mut(len);
    let crc = u32::from_le_bytes((&*crc).try_into().ok()?);
    (crc32fast::hash(payload) == crc).then_some(payload)
}

/// Encodes the file header.
pub(crate) fn encode_file_header() -> [u8; FILE_HEADER_LEN as usize] {
    let mut out = [0u8; FILE_HEADER_LEN as usize];
    out[0..8].copy_from_slice(&FILE_MAGIC);
    out[8..10].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    let crc = crc32fast::hash(&out[..12]);
    out[12..16].copy_from_slice(&crc.to_le_bytes());
    out
}

/// What the first bytes of a store file say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileHeader {
    /// A valid header of this version.
    Current,
    /// Fewer bytes than a header: a file whose creation was interrupted; nothing was stored.
    Incomplete,
    /// A valid header of a later version this code cannot read.
    Newer(u16),
    /// Not a store file, or a damaged header.
    Damaged,
}

/// Checks the file header of `file`.
pub(crate) fn read_file_header(file: &File, file_len: u64) -> io::Result<FileHeader> {
    if file_len < FILE_HEADER_LEN {
        return Ok(FileHeader::Incomplete);
    }
    let mut bytes = [0u8; FILE_HEADER_LEN as usize];
    read_exact_at(file, &mut bytes, 0)?;
    let crc = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes"));
    if bytes[0..8] != FILE_MAGIC || crc32fast::hash(&bytes[..12]) != crc {
        return Ok(FileHeader::Damaged);
    }
    match u16::from_le_bytes([bytes[8], bytes[9]]) {
        newer if newer > FORMAT_VERSION => Ok(FileHeader::Newer(newer)),
        FORMAT_VERSION if bytes[10..12] == [0, 0] => Ok(FileHeader::Current),
        _ => Ok(FileHeader::Damaged),
    }
}

/// One record found by [`scan`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Located {
    pub(crate) offset: u64,
    pub(crate) header: Header,
}

/// What [`scan`] found in a range of a store file.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Bytes between records that belong to no recognizable record.
    pub(crate) damaged_bytes: u64,
    /// The end of the last complete record: where the next record should be appended once any
    /// torn bytes after it are cut off.
    pub(crate) end: u64,
}

/// Reads the record headers of `file` from `start` to `file_len`, skipping payloads, and hands
/// each complete record to `found` in file order (payloads are not checked here).
pub(crate) fn scan(
    file: &File,
    start: u64,
    file_len: u64,
    mut found: impl FnMut(Located),
) -> io::Result<Scan> {
    let capacity = (file_len.saturating_sub(start)).clamp(4096, 256 * 1024) as usize;
    let mut reader = BufReader::with_capacity(capacity, file);
    reader.seek(SeekFrom::Start(start))?;
    let mut scan = Scan {
        end: start,
        ..Scan::default()
    };
    let mut pos = start;
    let mut headers = [0u8; 2 * HEADER_LEN];

    while pos < file_len {
        let remaining = file_len - pos;
        let header = if remaining >= headers.len() as u64 {
            reader.read_exact(&mut headers)?;
            Header::decode(&headers[..HEADER_LEN], 0)
                .or_else(|| Header::decode(&headers[HEADER_LEN..], 1))
        } else {
            None
        };
        match header {
            Some(header) if header.record_len() <= remaining => {
                found(Located {
                    offset: pos,
                    header,
                });
                pos += header.record_len();
                scan.end = pos;
                reader.seek_relative(i64::from(header.len) + 4)?;
            }
            // A header whose record runs past the end of the file: a torn write.
            Some(_) => break,
            None => match resync(file, pos + 1, file_len)? {
                Some(next) => {
                    scan.damaged_bytes += next - pos;
                    pos = next;
                    reader.seek(SeekFrom::Start(pos))?;
                }
                // Nothing valid follows: the tail is torn, not damaged.
                None => break,
            },
        }
    }
    Ok(scan)
}

/// Finds the first offset at or after `from` where a complete record with a valid header
/// starts, searching for either header copy.
fn resync(file: &File, from: u64, file_len: u64) -> io::Result<Option<u64>> {
    const WINDOW: usize = 64 * 1024;
    let mut buf = vec![0u8; WINDOW + 2 * HEADER_LEN];
    let mut base = from;
    while base < file_len {
        let want = (buf.len() as u64).min(file_len - base) as usize;
        read_exact_at(file, &mut buf[..want], base)?;
        let window = &buf[..want];
        for i in 0..want.min(WINDOW) {
            let offset = base + i as u64;
            let candidate = Header::decode(&window[i..], 0)
                .map(|h| (offset, h))
                .or_else(|| {
                    let start = offset
                        .checked_sub(HEADER_LEN as u64)
                        .filter(|s| *s >= from)?;
                    Header::decode(&window[i..], 1).map(|h| (start, h))
                });
            if let Some((start, header)) = candidate
                && start + header.record_len() <= file_len
            {
                return Ok(Some(start));
            }
        }
        base += WINDOW as u64;
    }
    Ok(None)
}

/// Reads exactly `buf.len()` bytes at `offset` without moving any file cursor.
pub(crate) fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn header(kind: Kind, len: u32) -> Header {
        Header {
            kind,
            len,
            seq: 3,
            key_id: KeyId([7; 8]),
            tag: [9; 16],
        }
    }

    fn collect(file: &File, len: u64) -> (Scan, Vec<Located>) {
        let mut records = Vec::new();
        let scan = scan(file, FILE_HEADER_LEN, len, |record| records.push(record)).unwrap();
        (scan, records)
    }

    fn file_with(records: &[Vec<u8>]) -> (tempfile::NamedTempFile, u64) {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&encode_file_header()).unwrap();
        for record in records {
            file.write_all(record).unwrap();
        }
        let len = file.as_file().metadata().unwrap().len();
        (file, len)
    }

    #[test]
    fn headers_round_trip_in_both_copies() {
        let h = header(Kind::PutUserPresence, 1234);
        assert_eq!(Header::decode(&h.encode(0), 0), Some(h));
        assert_eq!(Header::decode(&h.encode(1), 1), Some(h));
        assert_eq!(
            Header::decode(&h.encode(0), 1),
            None,
            "copies are not interchangeable"
        );
    }

    #[test]
    fn a_damaged_first_copy_falls_back_to_the_second() {
        let mut record =
            encode_record(Kind::PutStandard, 1, KeyId([1; 8]), [2; 16], b"payload").bytes;
        record[20] ^= 0x40;
        let (file, len) = file_with(&[record]);
        let (scan, records) = collect(file.as_file(), len);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].header.tag, [2; 16]);
        assert_eq!(scan.end, len);
    }

    #[test]
    fn the_scanner_resyncs_after_a_record_with_both_headers_damaged() {
        let first = encode_record(Kind::PutStandard, 1, KeyId([1; 8]), [1; 16], b"one").bytes;
        let mut second = encode_record(Kind::PutStandard, 1, KeyId([1; 8]), [2; 16], b"two").bytes;
        let third = encode_record(Kind::PutStandard, 1, KeyId([1; 8]), [3; 16], b"three").bytes;
        second[5] ^= 1;
        second[HEADER_LEN + 5] ^= 1;
        let damaged = second.len() as u64;
        let (file, len) = file_with(&[first, second, third]);

        let (scan, records) = collect(file.as_file(), len);
        let tags: Vec<_> = records.iter().map(|r| r.header.tag[0]).collect();
        assert_eq!(tags, [1, 3]);
        assert_eq!(scan.damaged_bytes, damaged);
        assert_eq!(scan.end, len);
    }

    #[test]
    fn a_torn_final_record_is_left_out_at_every_length() {
        let first = encode_record(Kind::PutStandard, 1, KeyId([1; 8]), [1; 16], b"one").bytes;
        let last = encode_record(Kind::PutStandard, 1, KeyId([1; 8]), [2; 16], b"two").bytes;
        let kept_end = FILE_HEADER_LEN + first.len() as u64;
        for cut in 0..last.len() {
            let (file, _) = file_with(&[first.clone(), last[..cut].to_vec()]);
            let len = kept_end + cut as u64;
            let (scan, records) = collect(file.as_file(), len);
            assert_eq!(records.len(), 1, "cut at {cut}");
            assert_eq!(scan.end, kept_end, "cut at {cut}");
            assert_eq!(scan.damaged_bytes, 0, "cut at {cut}");
        }
    }

    #[test]
    fn payload_checksums_catch_damage() {
        let mut record =
            encode_record(Kind::PutStandard, 1, KeyId([1; 8]), [1; 16], b"payload").bytes;
        let start = PAYLOAD_OFFSET as usize;
        let payload = checked_payload(&mut record[start..]).map(|p| p.to_vec());
        assert_eq!(payload.as_deref(), Some(&b"payload"[..]));
        record[start] ^= 1;
        assert!(checked_payload(&mut record[start..]).is_none());
    }

    #[test]
    fn file_headers_are_recognized() {
        let (file, len) = file_with(&[]);
        let current = read_file_header(file.as_file(), len).unwrap();
        assert_eq!(current, FileHeader::Current);
        let incomplete = read_file_header(file.as_file(), 3).unwrap();
        assert_eq!(incomplete, FileHeader::Incomplete);

        let header_of = |bytes: &[u8]| {
            let mut file = tempfile::NamedTempFile::new().unwrap();
            file.write_all(bytes).unwrap();
            read_file_header(file.as_file(), FILE_HEADER_LEN).unwrap()
        };
        let reseal = |bytes: &mut [u8; FILE_HEADER_LEN as usize]| {
            let crc = crc32fast::hash(&bytes[..12]);
            bytes[12..].copy_from_slice(&crc.to_le_bytes());
        };

        let mut newer = encode_file_header();
        newer[8] = 2;
        reseal(&mut newer);
        assert_eq!(header_of(&newer), FileHeader::Newer(2));

        let mut reserved = encode_file_header();
        reserved[10] = 1;
        reseal(&mut reserved);
        assert_eq!(header_of(&reserved), FileHeader::Damaged);

        newer[0] ^= 1;
        assert_eq!(header_of(&newer), FileHeader::Damaged);
    }
}
