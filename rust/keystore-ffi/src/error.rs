//! The error the generated bindings throw, converted from [`keystore_core::Error`] in one place.

use keystore_core::ErrorCode;

/// Every failure of the bindings. Each variant is one stable code of
/// [`keystore_core::ErrorCode`]; in TypeScript its `tag` is the variant name and
/// `inner.message` the core's message, which never contains a value or key material.
///
/// Apps never see this type: `src/errors.ts` converts it into the public `KeyStoreError`,
/// hence the name, which cannot be mistaken for that class. (A Rust `Error` would not do
/// either: the generator renames it to `Exception` to avoid JavaScript's built-in.)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum NativeError {
    /// `NOT_FOUND`: no entry with this key exists in the store.
    #[error("{message}")]
    NotFound {
        /// What the core reported.
        message: String,
    },
    /// `INVALID_INPUT`: an argument is out of range; nothing was read or written.
    #[error("{message}")]
    InvalidInput {
        /// Which argument and which limit.
        message: String,
    },
    /// `AUTHENTICATION_CANCELLED`: the user dismissed the lock-screen prompt.
    #[error("{message}")]
    AuthenticationCancelled {
        /// What the core reported.
        message: String,
    },
    /// `AUTHENTICATION_FAILED`: the user did not pass the lock screen.
    #[error("{message}")]
    AuthenticationFailed {
        /// What the platform reported.
        message: String,
    },
    /// `KEY_INVALIDATED`: the data key is gone; set the entry again.
    #[error("{message}")]
    KeyInvalidated {
        /// What happened and what the app can do.
        message: String,
    },
    /// `UNAVAILABLE`: the key store cannot do this on this device now (or is not configured).
    #[error("{message}")]
    Unavailable {
        /// Why.
        message: String,
    },
    /// `CORRUPTED`: stored bytes failed their integrity checks.
    #[error("{message}")]
    Corrupted {
        /// What was damaged.
        message: String,
    },
    /// `STORAGE`: the file system failed.
    #[error("{message}")]
    Storage {
        /// The operation and the operating system's message.
        message: String,
    },
    /// `PLATFORM`: the platform key store returned a status the library does not map.
    #[error("{message}")]
    Platform {
        /// The platform's numeric status.
        status: i64,
        /// The platform's status and message.
        message: String,
    },
}

impl NativeError {
    /// The stable code, spelled as in the core and the docs (`"NOT_FOUND"`, ...).
    pub fn code(&self) -> ErrorCode {
        match self {
            NativeError::NotFound { .. } => ErrorCode::NotFound,
            NativeError::InvalidInput { .. } => ErrorCode::InvalidInput,
            NativeError::AuthenticationCancelled { .. } => ErrorCode::AuthenticationCancelled,
            NativeError::AuthenticationFailed { .. } => ErrorCode::AuthenticationFailed,
            NativeError::KeyInvalidated { .. } => ErrorCode::KeyInvalidated,
            NativeError::Unavailable { .. } => ErrorCode::Unavailable,
            NativeError::Corrupted { .. } => ErrorCode::Corrupted,
            NativeError::Storage { .. } => ErrorCode::Storage,
            NativeError::Platform { .. } => ErrorCode::Platform,
        }
    }
}

impl From<keystore_core::Error> for NativeError {
    fn from(err: keystore_core::Error) -> Self {
        let message = err.to_string();
        match err.code() {
            ErrorCode::NotFound => NativeError::NotFound { message },
            ErrorCode::InvalidInput => NativeError::InvalidInput { message },
            ErrorCode::AuthenticationCancelled => NativeError::AuthenticationCancelled { message },
            ErrorCode::AuthenticationFailed => NativeError::AuthenticationFailed { message },
            ErrorCode::KeyInvalidated => NativeError::KeyInvalidated { message },
            ErrorCode::Unavailable => NativeError::Unavailable { message },
            ErrorCode::Corrupted => NativeError::Corrupted { message },
            ErrorCode::Storage => NativeError::Storage { message },
            ErrorCode::Platform => {
                let status = match err {
                    keystore_core::Error::Platform { code, .. } => code,
                    _ => 0,
                };
                NativeError::Platform { status, message }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_error_keeps_its_code_and_message() {
        let errors = [
            keystore_core::Error::NotFound,
            keystore_core::Error::InvalidInput { reason: "r".into() },
            keystore_core::Error::AuthenticationCancelled,
            keystore_core::Error::AuthenticationFailed { reason: "r".into() },
            keystore_core::Error::KeyInvalidated { reason: "r".into() },
            keystore_core::Error::Unavailable { reason: "r".into() },
            keystore_core::Error::Corrupted { reason: "r".into() },
            keystore_core::Error::Storage { reason: "r".into() },
            keystore_core::Error::Platform {
                code: -25300,
                message: "m".into(),
            },
        ];
        let codes: Vec<ErrorCode> = errors.iter().map(keystore_core::Error::code).collect();
        assert_eq!(codes, ErrorCode::ALL);

        for err in errors {
            let converted = NativeError::from(err.clone());
            assert_eq!(converted.code(), err.code());
            assert_eq!(converted.to_string(), err.to_string());
        }
    }

    #[test]
    fn a_platform_error_keeps_its_status() {
        let err = keystore_core::Error::Platform {
            code: -25300,
            message: "m".into(),
        };
        assert!(matches!(
            NativeError::from(err),
            NativeError::Platform { status: -25300, .. }
        ));
    }
}
