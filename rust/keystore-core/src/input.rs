//! Input limits, checked before anything is read or written.
//!
//! Store names and keys are any UTF-8 (NUL included) within their length limits: store names are
//! hashed into file names and keys are sealed inside records, so no name can reach a path.

use crate::error::Fault;

/// Longest store name, in bytes of UTF-8.
pub const MAX_STORE_LEN: usize = 255;
/// Longest key, in bytes of UTF-8.
pub const MAX_KEY_LEN: usize = 1024;

pub(crate) fn check_store(store: &str) -> Result<(), Fault> {
    check_len("store name", store.len(), MAX_STORE_LEN)
}

pub(crate) fn check_key(key: &str) -> Result<(), Fault> {
    check_len("key", key.len(), MAX_KEY_LEN)
}

pub(crate) fn check_value(value: &[u8], max: usize) -> Result<(), Fault> {
    if value.len() > max {
        return Err(Fault::Input(format!(
            "the value is {} bytes; the limit is {max} bytes",
            value.len()
        )));
    }
    Ok(())
}

fn check_len(what: &str, len: usize, max: usize) -> Result<(), Fault> {
    if len == 0 || len > max {
        return Err(Fault::Input(format!(
            "the {what} must be 1 to {max} bytes of UTF-8; it is {len} bytes"
        )));
    }
    Ok(())
}
