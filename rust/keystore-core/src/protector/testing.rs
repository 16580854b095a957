//! Protectors for tests: keys in memory, a scripted user, and a slow platform.
//!
//! They keep the semantics of a real platform protector (keys per slot, prompts only for
//! [`AccessClass::UserPresence`] loads, invalidation that persists until the key is replaced),
//! so code that passes against them exercises the same paths it will take on a device.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::{
    AccessClass, DataKey, KeySlot, KeyState, Prompt, Protector, ProtectorError, SecurityLevel,
};

/// What the scripted user does when a protector prompts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthOutcome {
    /// The user passes the lock screen.
    Approve,
    /// The user dismisses the prompt.
    Cancel,
    /// The user fails (wrong biometrics, lockout).
    Fail,
    /// The platform reports the key permanently invalidated (new biometrics enrolled).
    Invalidate,
}

/// A scripted user: answers prompts from a queue, then with a default outcome.
///
/// Clones share one script, so a test can keep a handle while the protector owns another.
#[derive(Clone, Debug)]
pub struct ScriptedAuthenticator {
    state: Arc<Mutex<Script>>,
}

#[derive(Debug)]
struct Script {
    queue: VecDeque<AuthOutcome>,
    default: AuthOutcome,
    prompts: Vec<Prompt>,
}

impl ScriptedAuthenticator {
    /// A user who approves every prompt until told otherwise.
    pub fn approving() -> Self {
        ScriptedAuthenticator {
            state: Arc::new(Mutex::new(Script {
                queue: VecDeque::new(),
                default: AuthOutcome::Approve,
                prompts: Vec::new(),
            })),
        }
    }

    /// Queues the answer to the next prompt.
    pub fn push(&self, outcome: AuthOutcome) {
        lock(&self.state).queue.push_back(outcome);
    }

    /// Sets the answer given once the queue is empty.
    pub fn set_default(&self, outcome: AuthOutcome) {
        lock(&self.state).default = outcome;
    }

    /// The prompts shown so far, oldest first.
    pub fn prompts(&self) -> Vec<Prompt> {
        lock(&self.state).prompts.clone()
    }

    fn answer(&self, prompt: Option<&Prompt>) -> AuthOutcome {
        let mut script = lock(&self.state);
        script.prompts.push(prompt.cloned().unwrap_or_default());
        let default = script.default;
        script.queue.pop_front().unwrap_or(default)
    }
}

/// Keeps data keys in memory, keyed by directory and slot, and asks a
/// [`ScriptedAuthenticator`] whenever a [`AccessClass::UserPresence`] key is loaded.
#[derive(Debug)]
pub struct MemoryProtector {
    keys: Mutex<MemoryKeys>,
    user: ScriptedAuthenticator,
    level: SecurityLevel,
}

#[derive(Debug, Default)]
struct MemoryKeys {
    slots: HashMap<(PathBuf, String), StoredKey>,
    authentication_unavailable: Option<String>,
    unavailable: Option<String>,
}

#[derive(Debug)]
struct StoredKey {
    key: DataKey,
    invalidated: bool,
}

impl Default for MemoryProtector {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryProtector {
    /// A protector whose user approves every prompt and whose keys report
    /// [`SecurityLevel::TrustedEnvironment`].
    pub fn new() -> Self {
        Self::with_user(ScriptedAuthenticator::approving())
    }

    /// A protector whose prompts are answered by `user`.
    pub fn with_user(user: ScriptedAuthenticator) -> Self {
        MemoryProtector {
            keys: Mutex::new(MemoryKeys::default()),
            user,
            level: SecurityLevel::TrustedEnvironment,
        }
    }

    /// The scripted user answering this protector's prompts.
    pub fn user(&self) -> &ScriptedAuthenticator {
        &self.user
    }

    /// Simulates a device without a secure lock screen (`Some(reason)`) or with one (`None`).
    pub fn set_authentication_unavailable(&self, reason: Option<&str>) {
        lock(&self.keys).authentication_unavailable = reason.map(str::to_owned);
    }

    /// Simulates a platform key store that cannot be used at all (`Some(reason)`).
    pub fn set_unavailable(&self, reason: Option<&str>) {
        lock(&self.keys).unavailable = reason.map(str::to_owned);
    }

    /// Permanently invalidates every stored key of `class` (as a new biometric enrolment does
    /// on a phone). The keys stay invalid until replaced by a save.
    pub fn invalidate(&self, class: AccessClass) {
        for ((_, name), stored) in lock(&self.keys).slots.iter_mut() {
            if name.ends_with(class.as_str()) {
                stored.invalidated = true;
            }
        }
    }

    /// Forgets every stored key of `class` (as a backup restored onto another device does).
    pub fn forget(&self, class: AccessClass) {
        lock(&self.keys)
            .slots
            .retain(|(_, name), _| !name.ends_with(class.as_str()));
    }

    /// How many keys are stored, for tests that check keys are destroyed.
    pub fn key_count(&self) -> usize {
        lock(&self.keys).slots.len()
    }

    fn slot_key(slot: &KeySlot<'_>) -> (PathBuf, String) {
        (slot.dir.to_path_buf(), slot.name())
    }
}

impl Protector for MemoryProtector {
    fn availability(&self) -> Result<(), ProtectorError> {
        match &lock(&self.keys).unavailable {
            Some(reason) => Err(ProtectorError::Unavailable(reason.clone())),
            None => Ok(()),
        }
    }

    fn security_level(&self) -> SecurityLevel {
        self.level
    }

    fn authentication_availability(&self) -> Result<(), ProtectorError> {
        self.availability()?;
        match &lock(&self.keys).authentication_unavailable {
            Some(reason) => Err(ProtectorError::Unavailable(reason.clone())),
            None => Ok(()),
        }
    }

    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        if slot.class == AccessClass::UserPresence {
            self.authentication_availability()?;
        } else {
            self.availability()?;
        }
        let stored = StoredKey {
            key: key.clone(),
            invalidated: false,
        };
        lock(&self.keys).slots.insert(Self::slot_key(slot), stored);
        Ok(self.level)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        let key = {
            let keys = lock(&self.keys);
            match keys.slots.get(&Self::slot_key(slot)) {
                None => return Err(ProtectorError::NotFound),
                Some(stored) if stored.invalidated => {
                    return Err(ProtectorError::Invalidated(
                        "the test invalidated it".into(),
                    ));
                }
                Some(stored) => stored.key.clone(),
            }
        };
        if slot.class == AccessClass::Standard {
            return Ok(key);
        }

        // The key store lock is not held while the user "answers".
        match self.user.answer(prompt) {
            AuthOutcome::Approve => Ok(key),
            AuthOutcome::Cancel => Err(ProtectorError::Cancelled),
            AuthOutcome::Fail => Err(ProtectorError::Failed("the test user failed".into())),
            AuthOutcome::Invalidate => {
                if let Some(stored) = lock(&self.keys).slots.get_mut(&Self::slot_key(slot)) {
                    stored.invalidated = true;
                }
                Err(ProtectorError::Invalidated(
                    "the test invalidated it".into(),
                ))
            }
        }
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        Ok(match lock(&self.keys).slots.get(&Self::slot_key(slot)) {
            None => KeyState::Missing,
            Some(stored) if stored.invalidated => KeyState::Invalidated,
            Some(stored) => KeyState::Present(stored.key.id()),
        })
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        lock(&self.keys).slots.remove(&Self::slot_key(slot));
        Ok(())
    }
}

/// Wraps a protector and makes every [`Protector::load`] block for a fixed time first, as a
/// slow platform key store or a user taking their time would.
#[derive(Debug)]
pub struct SlowProtector<P> {
    inner: P,
    delay: Duration,
}

impl<P: Protector> SlowProtector<P> {
    /// Delays each load of `inner` by `delay`.
    pub fn new(inner: P, delay: Duration) -> Self {
        SlowProtector { inner, delay }
    }

    /// The wrapped protector.
    pub fn inner(&self) -> &P {
        &self.inner
    }
}

impl<P: Protector> Protector for SlowProtector<P> {
    fn availability(&self) -> Result<(), ProtectorError> {
        self.inner.availability()
    }

    fn security_level(&self) -> SecurityLevel {
        self.inner.security_level()
    }

    fn authentication_availability(&self) -> Result<(), ProtectorError> {
        self.inner.authentication_availability()
    }

    fn save(&self, slot: &KeySlot<'_>, key: &DataKey) -> Result<SecurityLevel, ProtectorError> {
        self.inner.save(slot, key)
    }

    fn load(&self, slot: &KeySlot<'_>, prompt: Option<&Prompt>) -> Result<DataKey, ProtectorError> {
        std::thread::sleep(self.delay);
        self.inner.load(slot, prompt)
    }

    fn probe(&self, slot: &KeySlot<'_>) -> Result<KeyState, ProtectorError> {
        self.inner.probe(slot)
    }

    fn delete(&self, slot: &KeySlot<'_>) -> Result<(), ProtectorError> {
        self.inner.delete(slot)
    }
}

/// Locks a mutex, recovering the data if a panicking test thread poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
