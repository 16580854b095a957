//! A host JVM for the protector's tests: the real Android framework classes
//! (`org.robolectric:android-all`, fetched by `scripts/android-deps.sh`), the library's Java
//! bridge, and the test classes in `tests/java`: `FakeAndroidKeyStore`, a JCA provider registered
//! as `AndroidKeyStore` that enforces the key parameters, and `TestPlatform`, a scripted user.
//!
//! One JVM serves the whole test binary. Tests share its static state, so each holds a
//! [`Device`] (a global lock) for its whole run.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use jni::objects::{JObject, JValue, JValueOwned};
use jni::signature::MethodSignature;
use jni::strings::JNIStr;
use jni::{Env, InitArgsBuilder, JNIVersion, JavaVM, jni_sig, jni_str};
use keystore_android::{AndroidProtector, Bridge};
use keystore_core::{Keystore, Protector};

pub const PLATFORM: &JNIStr = jni_str!("com/rustkeystore/testing/TestPlatform");
pub const FAKE: &JNIStr = jni_str!("com/rustkeystore/testing/FakeAndroidKeyStore");
pub const BRIDGE: &JNIStr = jni_str!("com/rustkeystore/android/KeystoreBridge");

/// Where `scripts/android-deps.sh` puts the jars.
fn deps_dir() -> PathBuf {
    std::env::var_os("KEYSTORE_ANDROID_DEPS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/android-deps"))
}

fn android_all() -> PathBuf {
    let jar = deps_dir().join("android-all.jar");
    assert!(
        jar.is_file(),
        "{} is missing: run `bash scripts/android-deps.sh` (scripts/setup.sh does)",
        jar.display()
    );
    jar
}

/// Compiles the bridge and the test classes once per test binary.
fn classes() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("java-classes");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bridge = root.join("../../android/src/main/java/com/rustkeystore/android");
    let mut sources: Vec<PathBuf> = ["KeystoreBridge.java", "Platform.java", "PromptText.java"]
        .iter()
        .map(|name| bridge.join(name))
        .collect();
    let tests = root.join("tests/java/com/rustkeystore/testing");
    for entry in std::fs::read_dir(&tests).expect("tests/java exists") {
        let path = entry.expect("readable").path();
        if path.extension().is_some_and(|ext| ext == "java") {
            sources.push(path);
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new("javac")
        .args([
            "-Xlint:all",
            "-Werror",
            "--release",
            "11",
            "-encoding",
            "UTF-8",
            "-cp",
        ])
        .arg(android_all())
        .arg("-d")
        .arg(&out)
        .args(&sources)
        .status()
        .expect("javac runs (a JDK 11 or later is needed)");
    assert!(status.success(), "javac failed");
    out
}

fn vm() -> &'static JavaVM {
    static VM: OnceLock<JavaVM> = OnceLock::new();
    VM.get_or_init(|| {
        let class_path = format!("{}:{}", classes().display(), android_all().display());
        let args = InitArgsBuilder::new()
            .version(JNIVersion::V1_8)
            .option(format!("-Djava.class.path={class_path}"))
            // Reports JNI misuse (a call with an exception pending, a bad reference) loudly.
            .option("-Xcheck:jni")
            .build()
            .expect("valid JVM options");
        let vm = JavaVM::new(args).expect("a JVM starts (JAVA_HOME or java on PATH)");
        vm.attach_current_thread(|env| -> jni::errors::Result<()> {
            let bridge = env.find_class(BRIDGE)?;
            keystore_android::register_start(env, &bridge)?;
            call_static(env, FAKE, jni_str!("install"), jni_sig!("()V"), &[])?;
            Ok(())
        })
        .expect("the bridge and the fake provider install");
        vm
    })
}

/// Runs `work` attached to the test JVM.
pub fn with_env<T>(work: impl FnOnce(&mut Env<'_>) -> jni::errors::Result<T>) -> T {
    vm().attach_current_thread(|env| work(env))
        .expect("JNI call succeeds")
}

/// Calls a static method.
pub fn call_static<'local>(
    env: &mut Env<'local>,
    class: &JNIStr,
    name: &JNIStr,
    sig: MethodSignature<'_, '_>,
    args: &[JValue<'_>],
) -> jni::errors::Result<JValueOwned<'local>> {
    let result = env.call_static_method(class, name, &sig, args);
    if env.exception_check() {
        env.exception_describe();
        env.exception_clear();
    }
    result
}

/// One test's device: exclusive use of the JVM's static state, reset, with the bridge started
/// at API level `sdk` on a fresh directory.
pub struct Device {
    _lock: MutexGuard<'static, ()>,
    pub dir: tempfile::TempDir,
    pub sdk: i32,
}

static LOCK: Mutex<()> = Mutex::new(());

impl Device {
    pub fn new(sdk: i32) -> Device {
        let lock = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        vm();
        with_env(|env| {
            call_static(env, FAKE, jni_str!("reset"), jni_sig!("()V"), &[])?;
            call_static(env, PLATFORM, jni_str!("reset"), jni_sig!("()V"), &[]).map(drop)
        });
        let device = Device {
            _lock: lock,
            dir: tempfile::tempdir().expect("a temporary directory"),
            sdk,
        };
        let reason = device.start();
        assert_eq!(reason, None, "the bridge starts");
        device
    }

    /// Calls `KeystoreBridge.start` through `TestPlatform`; returns its reason, if any.
    pub fn start(&self) -> Option<String> {
        self.start_at(self.sdk)
    }

    /// [`Device::start`] as if the device now ran API level `sdk` (an OS upgrade).
    pub fn start_at(&self, sdk: i32) -> Option<String> {
        let directory = self.dir.path().to_string_lossy().into_owned();
        with_env(|env| {
            let directory = env.new_string(&directory)?;
            let reason = call_static(
                env,
                PLATFORM,
                jni_str!("start"),
                jni_sig!("(Ljava/lang/String;I)Ljava/lang/String;"),
                &[(&directory).into(), JValue::Int(sdk)],
            )?
            .l()?;
            optional_string(env, reason)
        })
    }

    pub fn bridge(&self) -> Arc<Bridge> {
        keystore_android::started().expect("the bridge started")
    }

    pub fn protector(&self) -> Arc<AndroidProtector> {
        let bridge = self.bridge();
        let namespace = keystore_android::namespace_for(&bridge, self.dir.path());
        Arc::new(AndroidProtector::new(bridge, namespace))
    }

    /// A key store over this device's protector, as an app opens it at start.
    pub fn open(&self) -> Keystore {
        let protector: Arc<dyn Protector> = self.protector();
        Keystore::open(self.dir.path().join("stores"), protector).expect("the key store opens")
    }

    pub fn static_void(
        &self,
        class: &JNIStr,
        name: &JNIStr,
        sig: MethodSignature<'_, '_>,
        args: &[JValue<'_>],
    ) {
        with_env(|env| call_static(env, class, name, sig, args).map(drop));
    }

    pub fn static_int(&self, class: &JNIStr, name: &JNIStr) -> i32 {
        with_env(|env| call_static(env, class, name, jni_sig!("()I"), &[])?.i())
    }

    pub fn static_string(
        &self,
        class: &JNIStr,
        name: &JNIStr,
        sig: MethodSignature<'_, '_>,
        args: &[JValue<'_>],
    ) -> Option<String> {
        with_env(|env| {
            let value = call_static(env, class, name, sig, args)?.l()?;
            optional_string(env, value)
        })
    }

    /// The next prompts' answers, in order (`KeystoreBridge` outcome constants).
    pub fn script(&self, outcomes: &[i32]) {
        with_env(|env| {
            let array = env.new_int_array(outcomes.len())?;
            array.set_region(env, 0, outcomes)?;
            call_static(
                env,
                PLATFORM,
                jni_str!("script"),
                jni_sig!("([I)V"),
                &[(&array).into()],
            )
            .map(drop)
        });
    }

    pub fn prompts_shown(&self) -> i32 {
        self.static_int(PLATFORM, jni_str!("promptsShown"))
    }

    pub fn set_flag(&self, class: &JNIStr, name: &JNIStr, value: bool) {
        self.static_void(class, name, jni_sig!("(Z)V"), &[JValue::Bool(value)]);
    }

    pub fn call(&self, class: &JNIStr, name: &JNIStr) {
        self.static_void(class, name, jni_sig!("()V"), &[]);
    }

    /// `FakeAndroidKeyStore.describe(alias)`.
    pub fn describe(&self, alias: &str) -> Option<String> {
        let alias = alias.to_owned();
        with_env(|env| {
            let alias = env.new_string(&alias)?;
            let value = call_static(
                env,
                FAKE,
                jni_str!("describe"),
                jni_sig!("(Ljava/lang/String;)Ljava/lang/String;"),
                &[(&alias).into()],
            )?
            .l()?;
            optional_string(env, value)
        })
    }

    /// The aliases the fake provider holds.
    pub fn aliases(&self) -> Vec<String> {
        let list = self.static_string(
            FAKE,
            jni_str!("aliasList"),
            jni_sig!("()Ljava/lang/String;"),
            &[],
        );
        let list = list.expect("aliasList returns a string");
        list.lines()
            .map(str::to_owned)
            .filter(|line| !line.is_empty())
            .collect()
    }

    /// Makes the next `operation` of the fake provider throw `class(message)`.
    pub fn fail_next(&self, operation: &str, class: &JNIStr, message: &str) {
        let (operation, message) = (operation.to_owned(), message.to_owned());
        with_env(|env| {
            let operation = env.new_string(&operation)?;
            let message = env.new_string(&message)?;
            let error = env.new_object(
                class,
                jni_sig!("(Ljava/lang/String;)V"),
                &[(&message).into()],
            )?;
            call_static(
                env,
                FAKE,
                jni_str!("failNext"),
                jni_sig!("(Ljava/lang/String;Ljava/lang/RuntimeException;)V"),
                &[(&operation).into(), (&error).into()],
            )
            .map(drop)
        });
    }
}

/// A Java string result; `None` for `null`.
pub fn optional_string(
    env: &mut Env<'_>,
    value: JObject<'_>,
) -> jni::errors::Result<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    let value = env.cast_local::<jni::objects::JString>(value)?;
    value.try_to_string(env).map(Some)
}

/// Reads a static `int` field of `class`.
pub fn static_int_field(class: &JNIStr, name: &JNIStr) -> i32 {
    with_env(|env| {
        let class = env.find_class(class)?;
        env.get_static_field(&class, name, jni_sig!("I"))?.i()
    })
}

/// `JObject::null()` as an argument.
pub fn null() -> JObject<'static> {
    JObject::null()
}
