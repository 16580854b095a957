//! A protector for desktops and Node: data keys in files that only the owner can read.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::{
    AccessClass, DataKey, KeySlot, KeyState, Prompt, Protector, ProtectorError, SecurityLevel,
};

/// Keeps each data key in `<dir>/<store_id>.<class>.key`, created with mode `0600` inside a
/// directory created with mode `0700`.
///
/// This is honest software protection: anyone who can read the owner's files can read the
/// keys. It reports [`SecurityLevel::Software`] and cannot create
/// [`AccessClass::UserPresence`] keys, because a host has no lock screen it can prompt; such
/// requests fail as unavailable instead of being stored with weaker protection.
///
/// Give each keystore directory its own key directory: key files are named by store, so two
/// keystores sharing one key directory would share (and overwrite) their keys.
#[derive(Debug)]
pub struct HostProtector {
    dir: PathBuf,
}

impl HostProtector {
    /// A protector that keeps its key files in `dir`, created on first use.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        HostProtector { dir: dir.into() }
    }

    fn path(&self, slot: &KeySlot<'_>) -> PathBuf {
        self.dir.join(format!("{}.key", slot.name()))
    }

    fn ensure_dir(&self) -> std::io::Result<()> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&self.dir)
    }
}

impl Protector for HostProtector {
    fn availability(&self) -> Result<(), ProtectorError> {
        self.ensure_dir().map_err(|err| {
            ProtectorError::Unavailable(format!(
                "the key directory {} cannot be created: {err}",
                self.dir.display()
            ))
        })
    }

    fn security_level(&self) -> SecurityLevel {
        SecurityLevel::Software
    }

    fn authentication_availability(&self) -> Result<(), ProtectorError> {
        Err(ProtectorError::Unavailable(
            "this host has no lock screen to prompt the user with, so entries that require \
             authentication cannot be protected here"
                .into(),
        ))
    }

    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        if slot.class == AccessClass::UserPresence {
            self.authentication_availability()?;
        }
        self.ensure_dir()?;

        // Write a new file and rename it over the old one, so a crash leaves either key whole.
        let path = self.path(slot);
        let tmp = path.with_extension("key.tmp");
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(&key.to_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, &path)?;
        sync_dir(&self.dir)?;
        Ok(SecurityLevel::Software)
    }

    fn load(
        &self,
        slot: &KeySlot<'_>,
        _prompt: Option<&Prompt>,
    ) -> Result<DataKey, ProtectorError> {
        let mut bytes = Zeroizing::new(Vec::new());
        match File::open(self.path(slot)) {
            Ok(mut file) => file.read_to_end(&mut bytes)?,
            Err(err) if err.kind() == ErrorKind::NotFound => return Err(ProtectorError::NotFound),
            Err(err) => return Err(err.into()),
        };
        DataKey::from_bytes(&bytes)
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        match self.load(slot, None) {
            Ok(key) => Ok(KeyState::Present(key.id())),
            Err(ProtectorError::NotFound) => Ok(KeyState::Missing),
            Err(err) => Err(err),
        }
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        match fs::remove_file(self.path(slot)) {
            Ok(()) => Ok(sync_dir(&self.dir)?),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err.into()),
        }
    }
}

/// Makes a rename or removal in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot<'a>(dir: &'a Path, class: AccessClass) -> KeySlot<'a> {
        KeySlot {
            store: "tokens",
            store_id: "0123abcd",
            class,
            dir,
        }
    }

    #[test]
    fn saved_keys_load_back_and_deleted_keys_are_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let protector = HostProtector::new(tmp.path().join("keys"));
        let slot = slot(tmp.path(), AccessClass::Standard);
        assert_eq!(protector.probe(&slot).unwrap(), KeyState::Missing);

        let key = DataKey::generate().unwrap();
        assert_eq!(
            protector.save(&slot, &key).unwrap(),
            SecurityLevel::Software
        );
        let loaded = protector.load(&slot, None).unwrap();
        assert_eq!(loaded.secret(), key.secret());
        assert_eq!(protector.probe(&slot).unwrap(), KeyState::Present(key.id()));

        protector.delete(&slot).unwrap();
        protector.delete(&slot).unwrap();
        assert!(matches!(
            protector.load(&slot, None),
            Err(ProtectorError::NotFound)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn key_files_are_readable_by_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let protector = HostProtector::new(tmp.path().join("keys"));
        let slot = slot(tmp.path(), AccessClass::Standard);
        protector
            .save(&slot, &DataKey::generate().unwrap())
            .unwrap();

        let file_mode = fs::metadata(protector.path(&slot))
            .unwrap()
            .permissions()
            .mode();
        let dir_mode = fs::metadata(tmp.path().join("keys"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(file_mode & 0o777, 0o600);
        assert_eq!(dir_mode & 0o777, 0o700);
    }

    #[test]
    fn user_presence_keys_are_refused_rather_than_weakly_stored() {
        let tmp = tempfile::tempdir().unwrap();
        let protector = HostProtector::new(tmp.path().join("keys"));
        let slot = slot(tmp.path(), AccessClass::UserPresence);
        let result = protector.save(&slot, &DataKey::generate().unwrap());
        assert!(
            matches!(result, Err(ProtectorError::Unavailable(_))),
            "{result:?}"
        );
        assert_eq!(protector.probe(&slot).unwrap(), KeyState::Missing);
    }
}
