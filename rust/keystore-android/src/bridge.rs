//! What the Java side hands Rust at module start, kept for the life of the process.
//!
//! `KeystoreBridge.start` (Java) calls [`crate::native`]'s `nativeStart`, which runs [`start`]:
//! it keeps the `JavaVM`, global references to every class the protector uses (a thread that
//! Rust attaches later sees only the system class loader, which cannot find app classes such
//! as `KeystoreBridge`), the store directory, the API level and whether StrongBox exists.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use jni::objects::JClass;
use jni::refs::Global;
use jni::strings::JNIStr;
use jni::{Env, JavaVM, jni_str};

use crate::java::{Failure, JavaResult, checked};

/// The classes the protector calls, as global references.
pub(crate) struct Classes {
    pub bridge: Global<JClass<'static>>,
    pub key_store: Global<JClass<'static>>,
    pub key_generator: Global<JClass<'static>>,
    pub spec_builder: Global<JClass<'static>>,
    pub cipher: Global<JClass<'static>>,
    pub gcm_spec: Global<JClass<'static>>,
    pub key_factory: Global<JClass<'static>>,
    pub key_info: Global<JClass<'static>>,
    pub string: Global<JClass<'static>>,
}

/// The started Java side: the VM, the classes and the facts the Java side reported.
pub struct Bridge {
    pub(crate) vm: JavaVM,
    pub(crate) classes: Classes,
    directory: PathBuf,
    pub(crate) sdk: i32,
    pub(crate) strongbox: bool,
    /// The level the Keystore gives new keys, once a key was made (see
    /// `AndroidProtector::security_level`).
    pub(crate) level: OnceLock<keystore_core::SecurityLevel>,
}

impl Bridge {
    /// The directory the app's module chose for stores (its no-backup files directory).
    pub fn directory(&self) -> &std::path::Path {
        &self.directory
    }

    /// The device's API level (`Build.VERSION.SDK_INT`).
    pub fn sdk(&self) -> i32 {
        self.sdk
    }

    /// Runs `work` on the current thread attached to the VM (attached once, kept attached:
    /// the core's worker threads are reused).
    pub(crate) fn with_env<T>(
        &self,
        work: impl FnOnce(&mut Env<'_>) -> JavaResult<T>,
    ) -> JavaResult<T> {
        self.vm
            .attach_current_thread(|env| -> Result<JavaResult<T>, jni::errors::Error> {
                Ok(work(env))
            })
            .unwrap_or_else(|err| Err(Failure::Jni(format!("could not attach to the VM: {err}"))))
    }
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bridge")
            .field("directory", &self.directory)
            .field("sdk", &self.sdk)
            .field("strongbox", &self.strongbox)
            .finish_non_exhaustive()
    }
}

/// `None` before the first start; then the bridge, or why it could not start.
static BRIDGE: RwLock<Option<Result<Arc<Bridge>, String>>> = RwLock::new(None);

/// The started bridge.
///
/// Returns why the protector cannot work when the Java side never started it (the app does
/// not use the library's `KeystorePackage`, or the module failed to load) or start failed.
pub fn started() -> Result<Arc<Bridge>, String> {
    match &*BRIDGE.read().unwrap_or_else(PoisonError::into_inner) {
        Some(Ok(bridge)) => Ok(Arc::clone(bridge)),
        Some(Err(reason)) => Err(reason.clone()),
        None => Err("the Android module has not started: the app must register \
                     com.rustkeystore.android.KeystorePackage (autolinking does) and create \
                     the RustKeystore module before the first call"
            .into()),
    }
}

/// Starts (or restarts) the bridge from the Java side's `nativeStart`. Keeps the outcome for
/// [`started`] and returns it.
pub(crate) fn start(
    env: &mut Env<'_>,
    bridge_class: &JClass<'_>,
    directory: PathBuf,
    sdk: i32,
    strongbox: bool,
) -> Result<(), String> {
    let outcome = connect(env, bridge_class, directory, sdk, strongbox)
        .map(Arc::new)
        .map_err(|failure| {
            format!(
                "the Android Keystore could not be opened: {}",
                describe(&failure)
            )
        });
    let result = outcome.as_ref().map(|_| ()).map_err(Clone::clone);
    match &outcome {
        Ok(bridge) => log::debug!("android bridge started: {bridge:?}"),
        Err(reason) => log::warn!("{reason}"),
    }
    *BRIDGE.write().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
    result
}

fn connect(
    env: &mut Env<'_>,
    bridge_class: &JClass<'_>,
    directory: PathBuf,
    sdk: i32,
    strongbox: bool,
) -> JavaResult<Bridge> {
    let vm = env.get_java_vm();
    let vm = checked(env, vm)?;
    let bridge = env.new_global_ref(bridge_class);
    let classes = Classes {
        bridge: checked(env, bridge)?,
        key_store: class(env, jni_str!("java/security/KeyStore"))?,
        key_generator: class(env, jni_str!("javax/crypto/KeyGenerator"))?,
        spec_builder: class(
            env,
            jni_str!("android/security/keystore/KeyGenParameterSpec$Builder"),
        )?,
        cipher: class(env, jni_str!("javax/crypto/Cipher"))?,
        gcm_spec: class(env, jni_str!("javax/crypto/spec/GCMParameterSpec"))?,
        key_factory: class(env, jni_str!("javax/crypto/SecretKeyFactory"))?,
        key_info: class(env, jni_str!("android/security/keystore/KeyInfo"))?,
        string: class(env, jni_str!("java/lang/String"))?,
    };
    // Opening the provider once proves it exists before any call relies on it.
    env.with_local_frame(8, |env| crate::keystore::key_store(env, &classes).map(drop))?;
    Ok(Bridge {
        vm,
        classes,
        directory,
        sdk,
        strongbox,
        level: OnceLock::new(),
    })
}

fn class(env: &mut Env<'_>, name: &JNIStr) -> JavaResult<Global<JClass<'static>>> {
    env.with_local_frame(4, |env| {
        let local = env.find_class(name);
        let local = checked(env, local)?;
        let global = env.new_global_ref(&local);
        checked(env, global)
    })
}

/// A one-line description of a failure, for logs and error messages.
pub(crate) fn describe(failure: &Failure) -> String {
    match failure {
        Failure::Thrown(thrown) if thrown.message.is_empty() => thrown.class.clone(),
        Failure::Thrown(thrown) => format!("{}: {}", thrown.class, thrown.message),
        Failure::Jni(message) => format!("JNI: {message}"),
    }
}
