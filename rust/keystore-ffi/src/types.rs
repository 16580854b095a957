//! Records and enums that cross the boundary, mirroring the core's types.

/// The texts shown when reading an entry requires the user to authenticate. A missing text
/// uses the platform's default.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct Prompt {
    /// The prompt's title, for example "Unlock your account".
    #[uniffi(default = None)]
    pub title: Option<String>,
    /// A line under the title saying why the app asks.
    #[uniffi(default = None)]
    pub subtitle: Option<String>,
    /// The label of the button that dismisses the prompt.
    #[uniffi(default = None)]
    pub cancel: Option<String>,
}

impl From<Prompt> for keystore_core::Prompt {
    fn from(prompt: Prompt) -> Self {
        keystore_core::Prompt {
            title: prompt.title,
            subtitle: prompt.subtitle,
            cancel: prompt.cancel,
        }
    }
}

/// Where the key guarding a data key lives; see [`keystore_core::SecurityLevel`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SecurityLevel {
    /// `SOFTWARE`: a file readable by the owner, a browser's key store.
    Software,
    /// `TRUSTED_ENVIRONMENT`: a trusted execution environment.
    TrustedEnvironment,
    /// `STRONGBOX`: a discrete secure element.
    StrongBox,
}

impl From<keystore_core::SecurityLevel> for SecurityLevel {
    fn from(level: keystore_core::SecurityLevel) -> Self {
        match level {
            keystore_core::SecurityLevel::Software => SecurityLevel::Software,
            keystore_core::SecurityLevel::TrustedEnvironment => SecurityLevel::TrustedEnvironment,
            keystore_core::SecurityLevel::StrongBox => SecurityLevel::StrongBox,
        }
    }
}

/// What is known about an entry without reading its value.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EntryMetadata {
    /// Whether reading the entry requires the user to authenticate.
    pub authentication: bool,
    /// The security level of the data key protecting the entry.
    pub security_level: SecurityLevel,
    /// When the key was first set, in milliseconds since the Unix epoch. A JavaScript
    /// `number` (exact for any date before the year 287396) rather than a `bigint`, so it can
    /// go straight into `new Date()`.
    pub created_at_ms: f64,
    /// When the value was last set, in milliseconds since the Unix epoch.
    pub updated_at_ms: f64,
}

impl From<keystore_core::EntryMetadata> for EntryMetadata {
    fn from(metadata: keystore_core::EntryMetadata) -> Self {
        EntryMetadata {
            authentication: metadata.authentication,
            security_level: metadata.security_level.into(),
            created_at_ms: metadata.created_at_ms as f64,
            updated_at_ms: metadata.updated_at_ms as f64,
        }
    }
}
