//! The public error, its stable codes, and the one conversion from internal failures.
//!
//! Rule: no error message contains a value, key material, a nonce or a key name. Messages name
//! the operation and say what the app can do.

use std::fmt;
use std::io;

use crate::protector::{AccessClass, ProtectorError};

/// Every failure of the key store. Each variant has a stable [`ErrorCode`] that the bindings
/// expose unchanged, so apps can branch on it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No entry with this key exists in the store.
    #[error("no entry with this key exists in the store")]
    NotFound,
    /// An argument is out of range; nothing was read or written.
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// Which argument and which limit.
        reason: String,
    },
    /// The user dismissed the lock-screen prompt.
    #[error(
        "the user cancelled authentication; the entry is intact, ask again when they are ready"
    )]
    AuthenticationCancelled,
    /// The user did not pass the lock screen (wrong biometrics, too many attempts).
    #[error("authentication failed: {reason}")]
    AuthenticationFailed {
        /// What the platform reported.
        reason: String,
    },
    /// The data key that protected the entry is gone for good; the entry cannot be read again.
    #[error("{reason}")]
    KeyInvalidated {
        /// What happened and what the app can do.
        reason: String,
    },
    /// The key store cannot do this on this device now.
    #[error("the key store is unavailable: {reason}")]
    Unavailable {
        /// Why, for example no secure lock screen is set.
        reason: String,
    },
    /// Stored bytes failed their integrity checks; the entry (or store) cannot be trusted.
    #[error("stored data is corrupted: {reason}")]
    Corrupted {
        /// What was damaged.
        reason: String,
    },
    /// The file system failed (I/O error, disk full, permissions).
    #[error("storage failed: {reason}")]
    Storage {
        /// The operation and the operating system's message.
        reason: String,
    },
    /// The platform key store returned a status the library does not map more precisely.
    #[error("the platform key store failed with status {code}: {message}")]
    Platform {
        /// The platform's numeric status.
        code: i64,
        /// The platform's message.
        message: String,
    },
}

/// The stable codes of [`Error`], identical in Rust, TypeScript and the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `NOT_FOUND`
    NotFound,
    /// `INVALID_INPUT`
    InvalidInput,
    /// `AUTHENTICATION_CANCELLED`
    AuthenticationCancelled,
    /// `AUTHENTICATION_FAILED`
    AuthenticationFailed,
    /// `KEY_INVALIDATED`
    KeyInvalidated,
    /// `UNAVAILABLE`
    Unavailable,
    /// `CORRUPTED`
    Corrupted,
    /// `STORAGE`
    Storage,
    /// `PLATFORM`
    Platform,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: [ErrorCode; 9] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidInput,
        ErrorCode::AuthenticationCancelled,
        ErrorCode::AuthenticationFailed,
        ErrorCode::KeyInvalidated,
        ErrorCode::Unavailable,
        ErrorCode::Corrupted,
        ErrorCode::Storage,
        ErrorCode::Platform,
    ];

    /// The code as the bindings spell it, for example `"KEY_INVALIDATED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::AuthenticationCancelled => "AUTHENTICATION_CANCELLED",
            ErrorCode::AuthenticationFailed => "AUTHENTICATION_FAILED",
            ErrorCode::KeyInvalidated => "KEY_INVALIDATED",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::Corrupted => "CORRUPTED",
            ErrorCode::Storage => "STORAGE",
            ErrorCode::Platform => "PLATFORM",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound => ErrorCode::NotFound,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::AuthenticationCancelled => ErrorCode::AuthenticationCancelled,
            Error::AuthenticationFailed { .. } => ErrorCode::AuthenticationFailed,
            Error::KeyInvalidated { .. } => ErrorCode::KeyInvalidated,
            Error::Unavailable { .. } => ErrorCode::Unavailable,
            Error::Corrupted { .. } => ErrorCode::Corrupted,
            Error::Storage { .. } => ErrorCode::Storage,
            Error::Platform { .. } => ErrorCode::Platform,
        }
    }
}

/// Why a data key can no longer open the entries sealed under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyLoss {
    /// The protector has no key for the slot.
    Missing,
    /// The protector reports the key permanently invalidated.
    Invalidated,
    /// A newer key replaced the one that sealed the entry.
    Replaced,
}

/// Internal failures. Converted to [`Error`] only by the `From` impl below.
#[derive(Debug)]
pub(crate) enum Fault {
    NotFound,
    Input(String),
    Io {
        action: &'static str,
        source: io::Error,
    },
    Protector(ProtectorError),
    KeyLost {
        class: AccessClass,
        why: KeyLoss,
    },
    AuthenticationUnavailable(String),
    Damaged(&'static str),
    NewerFormat(u16),
}

impl Fault {
    /// Wraps an I/O error with the action that failed ("append a record", "sync the store").
    pub(crate) fn io(action: &'static str) -> impl FnOnce(io::Error) -> Fault {
        move |source| Fault::Io { action, source }
    }
}

impl From<ProtectorError> for Fault {
    fn from(err: ProtectorError) -> Self {
        Fault::Protector(err)
    }
}

impl From<Fault> for Error {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::NotFound => Error::NotFound,
            Fault::Input(reason) => Error::InvalidInput { reason },
            Fault::Io { action, source } => Error::Storage {
                reason: storage_reason(action, &source),
            },
            Fault::KeyLost { class, why } => Error::KeyInvalidated {
                reason: key_lost_reason(class, why),
            },
            Fault::AuthenticationUnavailable(reason) => Error::Unavailable {
                reason: format!("entries that require authentication cannot be created: {reason}"),
            },
            Fault::Damaged(what) => Error::Corrupted {
                reason: format!(
                    "{what}; the other entries of the store are unaffected. \
                     Set the entry again, or clear the store, to recover"
                ),
            },
            Fault::NewerFormat(version) => Error::Unavailable {
                reason: format!(
                    "the store was written by a newer version of this library (format \
                     {version}); update the library to read it"
                ),
            },
            Fault::Protector(err) => match err {
                ProtectorError::NotFound => Error::KeyInvalidated {
                    reason: key_lost_reason(AccessClass::Standard, KeyLoss::Missing),
                },
                ProtectorError::Invalidated(_) => Error::KeyInvalidated {
                    reason: key_lost_reason(AccessClass::UserPresence, KeyLoss::Invalidated),
                },
                ProtectorError::Cancelled => Error::AuthenticationCancelled,
                ProtectorError::Failed(reason) => Error::AuthenticationFailed { reason },
                ProtectorError::Unavailable(reason) => Error::Unavailable { reason },
                ProtectorError::Platform { code, message } => Error::Platform { code, message },
                ProtectorError::Io(source) => Error::Storage {
                    reason: storage_reason("read or write a protected data key", &source),
                },
            },
        }
    }
}

fn storage_reason(action: &str, source: &io::Error) -> String {
    let hint = match source.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "; the disk is full, free some space and retry"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "; check that the key store directory is writable by the app"
        }
        _ => "",
    };
    format!("could not {action}: {source}{hint}")
}

fn key_lost_reason(class: AccessClass, why: KeyLoss) -> String {
    let cause = match (class, why) {
        (AccessClass::UserPresence, KeyLoss::Invalidated) => {
            "the data key protecting this entry was permanently invalidated by the platform \
             (the enrolled biometrics changed or the lock screen was removed)"
        }
        (_, KeyLoss::Missing) => {
            "the data key protecting this entry no longer exists (for example the app's data was \
             restored onto another device, or the platform key store was reset)"
        }
        (_, KeyLoss::Replaced) | (AccessClass::Standard, KeyLoss::Invalidated) => {
            "the data key protecting this entry was replaced after it became unusable"
        }
    };
    format!(
        "{cause}; the value cannot be recovered. Ask the user for it again and set it anew, \
         which creates a fresh data key"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_screaming_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(
                text.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{text}"
            );
            assert!(seen.insert(text), "{text} twice");
        }
    }

    #[test]
    fn protector_failures_map_to_their_public_codes() {
        let cases = [
            (ProtectorError::NotFound, ErrorCode::KeyInvalidated),
            (
                ProtectorError::Invalidated("x".into()),
                ErrorCode::KeyInvalidated,
            ),
            (
                ProtectorError::Cancelled,
                ErrorCode::AuthenticationCancelled,
            ),
            (
                ProtectorError::Failed("lockout".into()),
                ErrorCode::AuthenticationFailed,
            ),
            (
                ProtectorError::Unavailable("no lock screen".into()),
                ErrorCode::Unavailable,
            ),
            (
                ProtectorError::Platform {
                    code: -25300,
                    message: "m".into(),
                },
                ErrorCode::Platform,
            ),
            (
                ProtectorError::Io(io::Error::other("disk")),
                ErrorCode::Storage,
            ),
        ];
        for (err, code) in cases {
            assert_eq!(Error::from(Fault::Protector(err)).code(), code);
        }
    }

    #[test]
    fn a_full_disk_says_so() {
        let fault = Fault::Io {
            action: "append a record",
            source: io::ErrorKind::StorageFull.into(),
        };
        let err = Error::from(fault);
        assert_eq!(err.code(), ErrorCode::Storage);
        assert!(err.to_string().contains("disk is full"), "{err}");
    }

    #[test]
    fn invalidation_messages_say_what_to_do() {
        let err = Error::from(Fault::KeyLost {
            class: AccessClass::UserPresence,
            why: KeyLoss::Invalidated,
        });
        assert_eq!(err.code(), ErrorCode::KeyInvalidated);
        assert!(err.to_string().contains("biometrics"), "{err}");
        assert!(err.to_string().contains("set it anew"), "{err}");
    }
}
