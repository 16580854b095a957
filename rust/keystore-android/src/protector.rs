//! [`AndroidProtector`]: data keys wrapped by Android Keystore keys.

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use jni::Env;
use jni::objects::JObject;
use keystore_core::{
    AccessClass, DataKey, KeySlot, KeyState, Prompt, Protector, ProtectorError, SecurityLevel,
};
use zeroize::Zeroizing;

use crate::bridge::{Bridge, describe};
use crate::java::{Failure, JavaResult, class_code};
use crate::keystore::{self, Guard, exceptions};
use crate::wrapped::{self, Wrapped};

/// The prefix of every Keystore alias the library creates.
const ALIAS_PREFIX: &str = "rn-rust-keystore";

/// Outcomes of `KeystoreBridge.authenticate` (checked against the Java constants by the tests).
pub mod outcome {
    /// `KeystoreBridge.APPROVED`.
    pub const APPROVED: i32 = 0;
    /// `KeystoreBridge.CANCELLED`.
    pub const CANCELLED: i32 = 1;
    /// `KeystoreBridge.FAILED`.
    pub const FAILED: i32 = 2;
    /// `KeystoreBridge.LOCKED_OUT`.
    pub const LOCKED_OUT: i32 = 3;
    /// `KeystoreBridge.NO_ACTIVITY`.
    pub const NO_ACTIVITY: i32 = 4;
    /// `KeystoreBridge.NO_CREDENTIAL`.
    pub const NO_CREDENTIAL: i32 = 5;
    /// `KeystoreBridge.INTERRUPTED`.
    pub const INTERRUPTED: i32 = 6;
    /// `KeystoreBridge.ON_UI_THREAD`.
    pub const ON_UI_THREAD: i32 = 7;
    /// `KeystoreBridge.NOT_STARTED`.
    pub const NOT_STARTED: i32 = 8;
}

/// Guards each store's data keys with AES-256-GCM keys that never leave the Android Keystore.
///
/// - A data key is wrapped (encrypted) by a Keystore key of its own, generated for it under the
///   alias `rn-rust-keystore/<namespace>/<store_id>.<class>/<key id>`; the wrapped bytes are kept
///   beside the store file (`<store_id>.<class>.wrapped`). A new key is written before the old
///   one is deleted, so a crash in between leaves the old pair or the new one, never neither.
/// - Standard keys need nothing to be used. User-presence keys need the user through the lock
///   screen for every use: on Android 11 (API 30) and later each use is authorised by its own
///   prompt bound to the cipher (`setUserAuthenticationParameters(0, BIOMETRIC_STRONG |
///   DEVICE_CREDENTIAL)`); on Android 7 to 10 the key opens for 10 seconds after the user passes
///   the lock screen and is used at once. Both are invalidated when biometrics are enrolled or
///   the lock screen is removed; the entries under them then read `KEY_INVALIDATED`.
/// - Keys go to StrongBox when the device has one (API 28+), else the TEE.
/// - Creating a user-presence key asks the user once: the Keystore does not encrypt with such a
///   key without them. Later entries of the store are sealed to its public half without asking.
/// - Reads that need the user at the same time share one prompt; prompts for different keys are
///   shown one after another, never stacked.
pub struct AndroidProtector {
    bridge: Arc<Bridge>,
    namespace: String,
    in_flight: InFlight,
}

impl AndroidProtector {
    /// A protector over the started `bridge`; `namespace` separates the aliases of key stores
    /// opened in different directories (see [`crate::namespace_for`]).
    pub fn new(bridge: Arc<Bridge>, namespace: impl Into<String>) -> Self {
        AndroidProtector {
            bridge,
            namespace: namespace.into(),
            in_flight: InFlight::default(),
        }
    }

    fn slot_prefix(&self, slot: &KeySlot<'_>) -> String {
        format!("{ALIAS_PREFIX}/{}/{}/", self.namespace, slot.name())
    }

    fn alias(&self, slot: &KeySlot<'_>, key_id: keystore_core::KeyId) -> String {
        let mut alias = self.slot_prefix(slot);
        for byte in key_id.0 {
            alias.push_str(&format!("{byte:02x}"));
        }
        alias
    }

    fn guard(&self, class: AccessClass) -> Guard {
        match class {
            AccessClass::Standard => Guard::None,
            AccessClass::UserPresence => Guard::for_user_presence(self.bridge.sdk),
        }
    }

    fn require_lock_screen(&self) -> Result<(), ProtectorError> {
        let secure = self
            .bridge
            .with_env(|env| keystore::is_device_secure(env, &self.bridge))
            .map_err(|failure| map_failure(&failure))?;
        if secure {
            Ok(())
        } else {
            Err(ProtectorError::Unavailable(
                "no secure lock screen is set: the user must set a PIN, pattern or password \
                 before entries can require authentication"
                    .into(),
            ))
        }
    }

    /// Generates, wraps with and keeps a Keystore key for `key`, asking the user when the key
    /// needs them; returns the level the Keystore gave it.
    fn wrap(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        let alias = self.alias(slot, key.id());
        let guard = self.guard(slot.class);
        let aad = wrapped::aad(slot, key.id());
        let bridge = &self.bridge;
        let plain = key.to_bytes();
        let sealed = bridge.with_env(|env| -> JavaResult<Result<_, ProtectorError>> {
            let generated = keystore::generate(env, bridge, &alias, guard)?;
            let level = keystore::security_level(env, bridge, &generated)?;
            let cipher = match self.open_cipher(env, &generated.key, None, guard, None)? {
                Ok(cipher) => cipher,
                Err(err) => return Ok(Err(err)),
            };
            let iv = keystore::iv(env, &cipher)?;
            let ciphertext = keystore::finish(env, &cipher, &aad, &plain)?;
            Ok(Ok((level, iv, ciphertext)))
        });
        let (level, iv, ciphertext) = match sealed {
            Ok(Ok(sealed)) => sealed,
            Ok(Err(err)) => {
                self.forget(&alias);
                return Err(err);
            }
            Err(failure) => {
                self.forget(&alias);
                return Err(map_failure(&failure));
            }
        };
        let _ = bridge.level.set(level);
        let file = Wrapped {
            key_id: key.id(),
            iv,
            ciphertext: ciphertext.to_vec(),
        };
        if let Err(err) = wrapped::write(slot, &file) {
            self.forget(&alias);
            return Err(ProtectorError::Io(err));
        }
        // The new pair is durable; older keys of the slot are now unused.
        if let Err(failure) = self.delete_keys(&self.slot_prefix(slot), Some(&alias)) {
            log::warn!(
                "older Keystore keys were not deleted: {}",
                describe(&failure)
            );
        }
        Ok(level)
    }

    /// Deletes the Keystore keys whose aliases start with `prefix`, except `keep`.
    fn delete_keys(&self, prefix: &str, keep: Option<&str>) -> JavaResult<()> {
        let bridge = &self.bridge;
        bridge.with_env(|env| {
            let store = keystore::key_store(env, &bridge.classes)?;
            keystore::delete_aliases(env, &store, prefix, keep)
        })
    }

    /// Best-effort deletion of a key whose wrapped copy was never written.
    fn forget(&self, alias: &str) {
        if let Err(failure) = self.delete_keys(alias, None) {
            log::warn!(
                "an unused Keystore key was not deleted: {}",
                describe(&failure)
            );
        }
    }

    /// A cipher initialised with `key` (to encrypt when `iv` is `None`), after asking the user
    /// as the key's guard requires, once: a time-bound key is opened by a prompt first (even
    /// when a recent one left it open, so every use asks); a per-use key is initialised first
    /// and the prompt authorises that very cipher. The inner result carries the user's refusal.
    ///
    /// Each `init` gets a new `Cipher`: after a failed `init`, a JDK `Cipher` created without a
    /// provider name has used up its provider choice.
    fn open_cipher<'local>(
        &self,
        env: &mut Env<'local>,
        key: &JObject<'_>,
        iv: Option<&[u8]>,
        guard: Guard,
        prompt: Option<&Prompt>,
    ) -> JavaResult<Result<JObject<'local>, ProtectorError>> {
        let bridge = &self.bridge;
        if guard == Guard::TimeBound
            && let Err(err) = answer(keystore::authenticate(env, bridge, None, prompt)?)
        {
            return Ok(Err(err));
        }
        let cipher = keystore::cipher(env, bridge)?;
        match keystore::init(env, bridge, &cipher, key, iv) {
            Ok(()) if guard == Guard::PerUse => {
                match answer(keystore::authenticate(env, bridge, Some(&cipher), prompt)?) {
                    Ok(()) => Ok(Ok(cipher)),
                    Err(err) => Ok(Err(err)),
                }
            }
            Ok(()) => Ok(Ok(cipher)),
            // A key made before the device was upgraded to Android 11 is still time-bound.
            Err(failure) if guard == Guard::PerUse && failure.is(exceptions::NOT_AUTHENTICATED) => {
                if let Err(err) = answer(keystore::authenticate(env, bridge, None, prompt)?) {
                    return Ok(Err(err));
                }
                let cipher = keystore::cipher(env, bridge)?;
                keystore::init(env, bridge, &cipher, key, iv)?;
                Ok(Ok(cipher))
            }
            Err(failure) => Err(failure),
        }
    }

    /// Unwraps the data key of `slot`, prompting as its guard requires.
    fn unwrap(
        &self,
        slot: &KeySlot<'_>,
        prompt: Option<&Prompt>,
    ) -> Result<DataKey, ProtectorError> {
        let file = read_wrapped(slot)?;
        let alias = self.alias(slot, file.key_id);
        let guard = self.guard(slot.class);
        let aad = wrapped::aad(slot, file.key_id);
        let bridge = &self.bridge;
        let opened = bridge.with_env(
            |env| -> JavaResult<Result<Zeroizing<Vec<u8>>, ProtectorError>> {
                let store = keystore::key_store(env, &bridge.classes)?;
                let Some(key) = keystore::get_key(env, &store, &alias)? else {
                    return Ok(Err(ProtectorError::Invalidated(
                        "the Android Keystore no longer has the key that wrapped this data key"
                            .into(),
                    )));
                };
                let cipher = match self.open_cipher(env, &key, Some(&file.iv), guard, prompt)? {
                    Ok(cipher) => cipher,
                    Err(err) => return Ok(Err(err)),
                };
                keystore::finish(env, &cipher, &aad, &file.ciphertext).map(Ok)
            },
        );
        let secret = match opened {
            Ok(Ok(secret)) => secret,
            Ok(Err(err)) => return Err(err),
            Err(failure) if failure.is(exceptions::BAD_TAG) => {
                return Err(ProtectorError::Invalidated(
                    "the wrapped data key does not open under its Keystore key (damaged or \
                     moved)"
                        .into(),
                ));
            }
            Err(failure) => return Err(map_failure(&failure)),
        };
        match DataKey::from_bytes(&secret) {
            Ok(key) if key.id() == file.key_id => Ok(key),
            _ => Err(ProtectorError::Invalidated(
                "the wrapped data key opened but is not a data key of this slot".into(),
            )),
        }
    }
}

impl AndroidProtector {
    /// How many reads are waiting for the prompt another read of the same key is showing
    /// (for tests of prompt sharing).
    #[doc(hidden)]
    pub fn reads_sharing_a_prompt(&self) -> usize {
        self.in_flight.waiting.load(Ordering::SeqCst)
    }
}

impl std::fmt::Debug for AndroidProtector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AndroidProtector")
            .field("namespace", &self.namespace)
            .field("bridge", &self.bridge)
            .finish_non_exhaustive()
    }
}

impl Protector for AndroidProtector {
    fn availability(&self) -> Result<(), ProtectorError> {
        Ok(())
    }

    /// The level of the first key made in this process; before any, a throwaway key is made
    /// to find out (once: a key generation, tens of milliseconds, longer with StrongBox).
    fn security_level(&self) -> SecurityLevel {
        let bridge = &self.bridge;
        if let Some(level) = bridge.level.get() {
            return *level;
        }
        let alias = format!("{ALIAS_PREFIX}/level-probe");
        let probed = bridge.with_env(|env| {
            let generated = keystore::generate(env, bridge, &alias, Guard::None)?;
            let level = keystore::security_level(env, bridge, &generated);
            let store = keystore::key_store(env, &bridge.classes)?;
            keystore::delete_aliases(env, &store, &alias, None)?;
            level
        });
        match probed {
            Ok(level) => *bridge.level.get_or_init(|| level),
            Err(failure) => {
                log::warn!(
                    "the security level could not be read: {}",
                    describe(&failure)
                );
                SecurityLevel::Software
            }
        }
    }

    fn authentication_availability(&self) -> Result<(), ProtectorError> {
        self.require_lock_screen()
    }

    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        if slot.class == AccessClass::UserPresence {
            self.require_lock_screen()?;
        }
        self.wrap(slot, key)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        match slot.class {
            AccessClass::Standard => self.unwrap(slot, prompt),
            // Concurrent reads of one key share its prompt and its result.
            AccessClass::UserPresence => {
                let file = read_wrapped(slot)?;
                let alias = self.alias(slot, file.key_id);
                self.in_flight.share(&alias, || self.unwrap(slot, prompt))
            }
        }
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        let file = match wrapped::read(slot)? {
            None => return Ok(KeyState::Missing),
            Some(None) => return Ok(KeyState::Invalidated),
            Some(Some(file)) => file,
        };
        let alias = self.alias(slot, file.key_id);
        let bridge = &self.bridge;
        // `init` never prompts: it fails with KeyPermanentlyInvalidatedException for a key that
        // will never open again, and with UserNotAuthenticatedException for a time-bound key
        // that is merely closed.
        let state = bridge.with_env(|env| -> JavaResult<KeyState> {
            let store = keystore::key_store(env, &bridge.classes)?;
            let Some(key) = keystore::get_key(env, &store, &alias)? else {
                return Ok(KeyState::Invalidated);
            };
            let cipher = keystore::cipher(env, bridge)?;
            match keystore::init(env, bridge, &cipher, &key, Some(&file.iv)) {
                Ok(()) => Ok(KeyState::Present(file.key_id)),
                Err(failure) if failure.is(exceptions::NOT_AUTHENTICATED) => {
                    Ok(KeyState::Present(file.key_id))
                }
                Err(failure) if failure.is(exceptions::INVALIDATED) => Ok(KeyState::Invalidated),
                Err(failure) => Err(failure),
            }
        });
        state.map_err(|failure| map_failure(&failure))
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        wrapped::remove(slot)?;
        self.delete_keys(&self.slot_prefix(slot), None)
            .map_err(|failure| map_failure(&failure))
    }
}

fn read_wrapped(slot: &KeySlot<'_>) -> Result<Wrapped, ProtectorError> {
    match wrapped::read(slot)? {
        None => Err(ProtectorError::NotFound),
        Some(None) => Err(ProtectorError::Invalidated(
            "the wrapped data key's file is damaged".into(),
        )),
        Some(Some(file)) => Ok(file),
    }
}

/// Maps the user's answer to a prompt.
fn answer(outcome: i32) -> Result<(), ProtectorError> {
    match outcome {
        outcome::APPROVED => Ok(()),
        outcome::CANCELLED => Err(ProtectorError::Cancelled),
        outcome::FAILED => Err(ProtectorError::Failed(
            "the lock screen did not accept the user".into(),
        )),
        outcome::LOCKED_OUT => Err(ProtectorError::Failed(
            "too many failed attempts: authentication is locked out for now".into(),
        )),
        outcome::NO_ACTIVITY => Err(ProtectorError::Unavailable(
            "no activity is in the foreground to show the authentication prompt over".into(),
        )),
        outcome::NO_CREDENTIAL => Err(ProtectorError::Unavailable(
            "no secure lock screen is set: the user must set a PIN, pattern or password".into(),
        )),
        outcome::INTERRUPTED => Err(ProtectorError::Failed(
            "the wait for the user was interrupted".into(),
        )),
        outcome::ON_UI_THREAD => Err(ProtectorError::Unavailable(
            "authentication was requested on the UI thread, which must never wait for the user"
                .into(),
        )),
        outcome::NOT_STARTED => Err(ProtectorError::Unavailable(
            "the Android module has not started".into(),
        )),
        other => Err(ProtectorError::Platform {
            code: i64::from(other),
            message: format!("the prompt returned an unknown outcome {other}"),
        }),
    }
}

/// Maps a failed Keystore call.
fn map_failure(failure: &Failure) -> ProtectorError {
    match failure {
        Failure::Thrown(thrown) if thrown.is(exceptions::INVALIDATED) => {
            ProtectorError::Invalidated(format!(
                "{}: the lock screen or the enrolled biometrics changed",
                thrown.class
            ))
        }
        Failure::Thrown(thrown) => ProtectorError::Platform {
            code: class_code(&thrown.class),
            message: describe(failure),
        },
        Failure::Jni(message) => ProtectorError::Platform {
            code: 0,
            message: format!("JNI: {message}"),
        },
    }
}

/// Loads of one key that are under way, so that concurrent readers wait for the first one's
/// prompt instead of stacking their own.
#[derive(Default)]
struct InFlight {
    loads: Mutex<HashMap<String, Arc<Shared>>>,
    /// How many reads wait for another read's prompt now.
    waiting: AtomicUsize,
}

#[derive(Default)]
struct Shared {
    result: Mutex<Option<Result<DataKey, ProtectorError>>>,
    ready: Condvar,
}

impl InFlight {
    fn share(
        &self,
        alias: &str,
        load: impl FnOnce() -> Result<DataKey, ProtectorError>,
    ) -> Result<DataKey, ProtectorError> {
        let (shared, leader) = {
            let mut loads = self.loads.lock().unwrap_or_else(PoisonError::into_inner);
            match loads.get(alias) {
                Some(shared) => (Arc::clone(shared), false),
                None => {
                    let shared = Arc::new(Shared::default());
                    loads.insert(alias.to_owned(), Arc::clone(&shared));
                    (shared, true)
                }
            }
        };
        if !leader {
            let mut result = shared.result.lock().unwrap_or_else(PoisonError::into_inner);
            self.waiting.fetch_add(1, Ordering::SeqCst);
            while result.is_none() {
                result = shared
                    .ready
                    .wait(result)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return copy(result.as_ref().expect("set before notifying"));
        }
        // Removed before the result is published: a read that starts after this point asks
        // the user again, as a later read must.
        let finished = Finished {
            in_flight: self,
            alias,
            shared: &shared,
        };
        let result = load();
        *shared.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(copy(&result));
        drop(finished);
        result
    }
}

/// Unregisters a load and wakes its waiters, also when the load panics.
struct Finished<'a> {
    in_flight: &'a InFlight,
    alias: &'a str,
    shared: &'a Shared,
}

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.in_flight
            .loads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(self.alias);
        let mut result = self
            .shared
            .result
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if result.is_none() {
            *result = Some(Err(ProtectorError::Failed(
                "the shared prompt failed".into(),
            )));
        }
        self.shared.ready.notify_all();
    }
}

/// A copy of a load's result for another waiter (`ProtectorError` is not `Clone`).
fn copy(result: &Result<DataKey, ProtectorError>) -> Result<DataKey, ProtectorError> {
    match result {
        Ok(key) => Ok(key.clone()),
        Err(err) => Err(match err {
            ProtectorError::NotFound => ProtectorError::NotFound,
            ProtectorError::Invalidated(reason) => ProtectorError::Invalidated(reason.clone()),
            ProtectorError::Cancelled => ProtectorError::Cancelled,
            ProtectorError::Failed(reason) => ProtectorError::Failed(reason.clone()),
            ProtectorError::Unavailable(reason) => ProtectorError::Unavailable(reason.clone()),
            ProtectorError::Platform { code, message } => ProtectorError::Platform {
                code: *code,
                message: message.clone(),
            },
            ProtectorError::Io(err) => {
                ProtectorError::Io(io::Error::new(err.kind(), err.to_string()))
            }
        }),
    }
}
