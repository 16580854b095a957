//! The iOS protector of [`keystore_core`]: each data key is a Keychain item.
//!
//! [`KeychainProtector`] holds all the logic (item names, accessibility classes, access
//! control, probing without UI, replacing stale items, and the one [`map_status`] function
//! that gives each `OSStatus` its meaning) over a thin [`Keychain`] trait. Two
//! implementations exist:
//!
//! - `SystemKeychain` (iOS only), one Security.framework call per method; the prompt of a
//!   user-presence read is the Keychain's own, with the app's texts in an `LAContext`.
//! - [`testing::FakeKeychain`], in memory, with the real Keychain's rules and status codes,
//!   so the protector is tested on any host.
//!
//! ```
//! use std::sync::Arc;
//! use keystore_apple::{KeychainProtector, testing::FakeKeychain};
//! use keystore_core::{Keystore, SecurityLevel, SetOptions};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let service = KeychainProtector::<FakeKeychain>::service_for("com.example.app");
//! let protector = KeychainProtector::new(FakeKeychain::new(), service, SecurityLevel::Software);
//! let keystore = Keystore::open(dir.path().join("stores"), Arc::new(protector)).unwrap();
//! keystore.set("session", "token", "abc123", &SetOptions::default()).unwrap();
//! assert_eq!(keystore.get("session", "token", None).unwrap(), "abc123");
//! ```
//!
//! `docs/ios.md` describes what is stored where and what users of the library run into.

mod keychain;
mod protector;
#[cfg(target_os = "ios")]
mod system;
pub mod testing;

use std::path::{Path, PathBuf};

pub use keychain::{
    Accessibility, Interaction, ItemAttributes, ItemName, Keychain, NewItem, PromptText, Status,
};
pub use protector::{
    Call, DEFAULT_REASON, KeychainProtector, SERVICE_SUFFIX, account, map_status, prompt_text,
    status,
};
#[cfg(target_os = "ios")]
pub use system::{SystemKeychain, default_service, prepare_directory, security_level};

/// The folder of the key store inside Application Support.
pub const DIRECTORY_NAME: &str = "rn-rust-keystore";

/// `<home>/Library/Application Support/rn-rust-keystore`: the default key store directory of
/// an app whose container is `home`.
pub fn default_directory_in(home: &Path) -> PathBuf {
    home.join("Library")
        .join("Application Support")
        .join(DIRECTORY_NAME)
}

/// The default key store directory of the running app, from `HOME` (on iOS, the app's
/// container). `None` when `HOME` is not set.
pub fn default_directory() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| default_directory_in(Path::new(&home)))
}

/// The Keychain service of a key store in `dir`: `service` itself for the default directory,
/// otherwise `service` plus a short hash of `dir` (taken relative to `home` when it is inside,
/// because iOS moves an app's container between installs and updates), so two directories
/// never share items.
pub fn service_for_directory(service: &str, home: Option<&Path>, dir: &Path) -> String {
    if home.is_some_and(|home| dir == default_directory_in(home)) {
        return service.to_owned();
    }
    let relative = home
        .and_then(|home| dir.strip_prefix(home).ok())
        .unwrap_or(dir);
    format!(
        "{service}.{:016x}",
        keystore_core::protector::stable_hash(relative.to_string_lossy().as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_directory_is_in_application_support() {
        let dir = default_directory_in(Path::new("/var/mobile/Containers/Data/Application/X"));
        assert_eq!(
            dir,
            Path::new(
                "/var/mobile/Containers/Data/Application/X/Library/Application Support/\
                 rn-rust-keystore"
            )
        );
    }

    #[test]
    fn the_default_directory_uses_the_plain_service() {
        let home = Path::new("/containers/A");
        let service = service_for_directory("s", Some(home), &default_directory_in(home));
        assert_eq!(service, "s");
    }

    #[test]
    fn other_directories_get_their_own_service_that_survives_a_container_move() {
        let a = service_for_directory(
            "s",
            Some(Path::new("/containers/A")),
            Path::new("/containers/A/Documents/keys"),
        );
        let moved = service_for_directory(
            "s",
            Some(Path::new("/containers/B")),
            Path::new("/containers/B/Documents/keys"),
        );
        let other = service_for_directory(
            "s",
            Some(Path::new("/containers/A")),
            Path::new("/containers/A/Documents/other"),
        );
        assert!(a.starts_with("s.") && a.len() == "s.".len() + 16, "{a}");
        assert_eq!(a, moved);
        assert_ne!(a, other);
    }
}
