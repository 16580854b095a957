//! [`FakeKeychain`]: an in-memory Keychain with the real one's rules and status codes, for
//! tests on any host.
//!
//! What it keeps from the real Keychain: adding an existing item fails with
//! `errSecDuplicateItem`; reading, probing or deleting a missing item fails with
//! `errSecItemNotFound`; user-presence items release their data only after the scripted user
//! approves (`errSecUserCanceled` on cancel, `errSecAuthFailed` on failure) and never to a
//! read that may not prompt; `WhenPasscodeSet` items cannot be added without a passcode
//! (`errSecDecode`) and vanish when the passcode is removed; a locked device keeps
//! `WhenPasscodeSet` items (`errSecInteractionNotAllowed`) but not after-first-unlock ones.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use zeroize::Zeroizing;

use crate::keychain::{
    Accessibility, Interaction, ItemAttributes, ItemName, Keychain, NewItem, PromptText, Status,
};
use crate::protector::status;

/// What the scripted user does at a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Passes Face ID, Touch ID or the passcode.
    Approve,
    /// Dismisses the prompt.
    Cancel,
    /// Fails (wrong face, too many attempts).
    Fail,
}

/// One item as the fake holds it, for tests that check what the protector asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeItem {
    /// The item's accessibility class.
    pub accessibility: Accessibility,
    /// Whether the item has an access control requiring user presence.
    pub user_presence: bool,
    /// `kSecAttrGeneric`.
    pub generic: Vec<u8>,
    /// `kSecValueData`.
    pub data: Vec<u8>,
}

/// One call the fake received, without any data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FakeCall {
    /// `SecItemAdd` of this item.
    Add(ItemName),
    /// `SecItemCopyMatching` for data, with the prompt it allowed (`None`: no UI).
    CopyData(ItemName, Option<PromptText>),
    /// `SecItemCopyMatching` for attributes.
    CopyAttributes(ItemName),
    /// `SecItemDelete`.
    Delete(ItemName),
}

#[derive(Debug)]
struct State {
    items: HashMap<ItemName, FakeItem>,
    passcode: bool,
    locked: bool,
    answers: VecDeque<Answer>,
    default_answer: Answer,
    prompts: Vec<PromptText>,
    calls: Vec<FakeCall>,
    fail_next: Option<i32>,
}

/// An in-memory Keychain; see the module documentation for the rules it keeps.
#[derive(Debug)]
pub struct FakeKeychain {
    state: Mutex<State>,
}

impl Default for FakeKeychain {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeKeychain {
    /// An empty Keychain on an unlocked device with a passcode, whose user approves every
    /// prompt until told otherwise.
    pub fn new() -> Self {
        FakeKeychain {
            state: Mutex::new(State {
                items: HashMap::new(),
                passcode: true,
                locked: false,
                answers: VecDeque::new(),
                default_answer: Answer::Approve,
                prompts: Vec::new(),
                calls: Vec::new(),
                fail_next: None,
            }),
        }
    }

    /// Queues the user's answer to the next prompt.
    pub fn answer_next(&self, answer: Answer) {
        self.lock().answers.push_back(answer);
    }

    /// Sets the answer given once the queue is empty.
    pub fn set_default_answer(&self, answer: Answer) {
        self.lock().default_answer = answer;
    }

    /// Sets or removes the device passcode. Removing it deletes every `WhenPasscodeSet`
    /// item, as iOS does.
    pub fn set_passcode(&self, set: bool) {
        let mut state = self.lock();
        state.passcode = set;
        if !set {
            remove_user_presence(&mut state);
        }
    }

    /// Locks or unlocks the device (after its first unlock since boot).
    pub fn set_locked(&self, locked: bool) {
        self.lock().locked = locked;
    }

    /// Makes every user-presence item vanish, as a passcode removal or a reset of Face ID or
    /// Touch ID does to items bound to them.
    pub fn invalidate_user_presence(&self) {
        remove_user_presence(&mut self.lock());
    }

    /// Makes the next call (of any kind) fail with `code`.
    pub fn fail_next(&self, code: i32) {
        self.lock().fail_next = Some(code);
    }

    /// Puts an item in place directly, as an earlier install of the app would have left it.
    pub fn insert(&self, name: ItemName, item: FakeItem) {
        self.lock().items.insert(name, item);
    }

    /// The item named `name`, if any.
    pub fn item(&self, name: &ItemName) -> Option<FakeItem> {
        self.lock().items.get(name).cloned()
    }

    /// The names of all items, sorted.
    pub fn names(&self) -> Vec<ItemName> {
        let mut names: Vec<ItemName> = self.lock().items.keys().cloned().collect();
        names.sort_by(|a, b| (&a.service, &a.account).cmp(&(&b.service, &b.account)));
        names
    }

    /// The prompts shown so far, oldest first.
    pub fn prompts(&self) -> Vec<PromptText> {
        self.lock().prompts.clone()
    }

    /// The calls received so far, oldest first.
    pub fn calls(&self) -> Vec<FakeCall> {
        self.lock().calls.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records `call` and returns the injected failure, if one is pending.
    fn begin(&self, call: FakeCall) -> Result<MutexGuard<'_, State>, Status> {
        let mut state = self.lock();
        state.calls.push(call);
        match state.fail_next.take() {
            Some(code) => Err(status_of(code)),
            None => Ok(state),
        }
    }
}

impl Keychain for FakeKeychain {
    fn add(&self, item: &NewItem<'_>) -> Result<(), Status> {
        let mut state = self.begin(FakeCall::Add(item.name.clone()))?;
        if item.accessibility == Accessibility::WhenPasscodeSetThisDeviceOnly && !state.passcode {
            return Err(status_of(status::DECODE));
        }
        if state.items.contains_key(item.name) {
            return Err(status_of(status::DUPLICATE_ITEM));
        }
        let stored = FakeItem {
            accessibility: item.accessibility,
            user_presence: item.user_presence,
            generic: item.generic.to_vec(),
            data: item.data.to_vec(),
        };
        state.items.insert(item.name.clone(), stored);
        Ok(())
    }

    fn copy_data(
        &self,
        name: &ItemName,
        interaction: Interaction<'_>,
    ) -> Result<Zeroizing<Vec<u8>>, Status> {
        let prompt = match interaction {
            Interaction::None => None,
            Interaction::Prompt(text) => Some(text.clone()),
        };
        let mut state = self.begin(FakeCall::CopyData(name.clone(), prompt.clone()))?;
        let item = state
            .items
            .get(name)
            .cloned()
            .ok_or_else(|| status_of(status::ITEM_NOT_FOUND))?;
        if state.locked && item.accessibility == Accessibility::WhenPasscodeSetThisDeviceOnly {
            return Err(status_of(status::INTERACTION_NOT_ALLOWED));
        }
        if item.user_presence {
            let Some(prompt) = prompt else {
                return Err(status_of(status::INTERACTION_NOT_ALLOWED));
            };
            state.prompts.push(prompt);
            let default = state.default_answer;
            match state.answers.pop_front().unwrap_or(default) {
                Answer::Approve => {}
                Answer::Cancel => return Err(status_of(status::USER_CANCELED)),
                Answer::Fail => return Err(status_of(status::AUTH_FAILED)),
            }
        }
        Ok(Zeroizing::new(item.data))
    }

    fn copy_attributes(&self, name: &ItemName) -> Result<ItemAttributes, Status> {
        let state = self.begin(FakeCall::CopyAttributes(name.clone()))?;
        let item = state
            .items
            .get(name)
            .ok_or_else(|| status_of(status::ITEM_NOT_FOUND))?;
        if state.locked && item.accessibility == Accessibility::WhenPasscodeSetThisDeviceOnly {
            return Err(status_of(status::INTERACTION_NOT_ALLOWED));
        }
        Ok(ItemAttributes {
            generic: Some(item.generic.clone()),
        })
    }

    fn delete(&self, name: &ItemName) -> Result<(), Status> {
        let mut state = self.begin(FakeCall::Delete(name.clone()))?;
        match state.items.remove(name) {
            Some(_) => Ok(()),
            None => Err(status_of(status::ITEM_NOT_FOUND)),
        }
    }

    fn passcode_set(&self) -> bool {
        self.lock().passcode
    }
}

fn remove_user_presence(state: &mut State) {
    state
        .items
        .retain(|_, item| item.accessibility != Accessibility::WhenPasscodeSetThisDeviceOnly);
}

/// A status with the symbolic name as its message, as the system's messages name the error.
fn status_of(code: i32) -> Status {
    let name = match code {
        status::USER_CANCELED => "errSecUserCanceled",
        status::NOT_AVAILABLE => "errSecNotAvailable",
        status::AUTH_FAILED => "errSecAuthFailed",
        status::DUPLICATE_ITEM => "errSecDuplicateItem",
        status::ITEM_NOT_FOUND => "errSecItemNotFound",
        status::INTERACTION_NOT_ALLOWED => "errSecInteractionNotAllowed",
        status::DECODE => "errSecDecode",
        status::MISSING_ENTITLEMENT => "errSecMissingEntitlement",
        _ => "an injected failure",
    };
    Status {
        code,
        message: Some(name.to_owned()),
    }
}
