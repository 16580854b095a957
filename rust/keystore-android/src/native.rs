//! The native method the Java side calls at module start.
//!
//! `unsafe` is allowed in this module only: exporting an unmangled symbol and registering a
//! native method are unsafe to the compiler. Invariants: the exported function's signature
//! matches `KeystoreBridge.nativeStart(String, int, boolean): String` exactly, and
//! [`register_start`] registers that same function under that same signature.
#![allow(unsafe_code)]

use std::path::PathBuf;

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JString};
use jni::sys::{jboolean, jint};
use jni::{Env, EnvUnowned, NativeMethod, jni_str};

use crate::java::checked;

/// `KeystoreBridge.nativeStart`: starts the bridge; returns `null` when it is ready, or why not.
///
/// Exported under its JNI name so the JVM finds it in the app's shared library. Panics and JNI
/// failures become a Java `RuntimeException`, which `KeystoreAndroid.install` catches.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_rustkeystore_android_KeystoreBridge_nativeStart<'local>(
    mut unowned: EnvUnowned<'local>,
    class: JClass<'local>,
    directory: JString<'local>,
    sdk: jint,
    strongbox: jboolean,
) -> JString<'local> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'local>> {
            let reason = match read_directory(env, &directory) {
                Ok(directory) => crate::bridge::start(env, &class, directory, sdk, strongbox).err(),
                Err(reason) => Some(reason),
            };
            match reason {
                None => Ok(JString::null()),
                Some(reason) => env.new_string(reason),
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

fn read_directory(env: &mut Env<'_>, directory: &JString<'_>) -> Result<PathBuf, String> {
    if directory.is_null() {
        return Err("the Android module passed no store directory".into());
    }
    let text = directory.try_to_string(env);
    checked(env, text).map(PathBuf::from).map_err(|failure| {
        format!(
            "the store directory could not be read: {}",
            crate::bridge::describe(&failure)
        )
    })
}

/// Registers [`Java_com_rustkeystore_android_KeystoreBridge_nativeStart`] on `class` (the
/// `KeystoreBridge` class), for hosts where the JVM cannot look the symbol up in a shared
/// library, such as a test binary that starts its own JVM.
pub fn register_start(env: &mut Env<'_>, class: &JClass<'_>) -> jni::errors::Result<()> {
    let start: for<'a> extern "system" fn(
        EnvUnowned<'a>,
        JClass<'a>,
        JString<'a>,
        jint,
        jboolean,
    ) -> JString<'a> = Java_com_rustkeystore_android_KeystoreBridge_nativeStart;
    // SAFETY: the function's parameters and return type match the signature given here, which
    // is nativeStart's declaration in KeystoreBridge.java.
    let methods = [unsafe {
        NativeMethod::from_raw_parts(
            jni_str!("nativeStart"),
            jni_str!("(Ljava/lang/String;IZ)Ljava/lang/String;"),
            start as *mut std::ffi::c_void,
        )
    }];
    // SAFETY: see above; `class` declares the native method.
    unsafe { env.register_native_methods(class, &methods) }
}

/// The exported start function's address, for code that must make sure a static link keeps it
/// (the Android app links the Rust library as a static archive).
pub fn start_symbol() -> *const () {
    Java_com_rustkeystore_android_KeystoreBridge_nativeStart as *const ()
}
