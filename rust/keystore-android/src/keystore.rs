//! The Java Cryptography Architecture calls the protector makes: the AndroidKeyStore
//! `KeyStore`, `KeyGenerator` with a `KeyGenParameterSpec`, AES/GCM `Cipher`s and `KeyInfo`.
//!
//! Every function runs inside the caller's local frame and returns local references; callers
//! that loop open a frame per iteration.

use jni::objects::{JByteArray, JObject, JValue};
use jni::{Env, jni_sig, jni_str};
use keystore_core::{Prompt, SecurityLevel};
use zeroize::Zeroizing;

use crate::bridge::{Bridge, Classes};
use crate::java::{self, JavaResult, checked};

/// The name of Android's Keystore provider.
pub(crate) const PROVIDER: &str = "AndroidKeyStore";

/// The cipher every wrapping key is used with.
const TRANSFORMATION: &str = "AES/GCM/NoPadding";

/// The GCM tag length, in bits.
const TAG_BITS: i32 = 128;

/// How long a time-bound key (Android 7 to 10) stays usable after the user authenticates. The
/// protector uses it at once; the window only has to cover the step from the prompt to the
/// cipher.
pub const TIME_BOUND_SECONDS: i32 = 10;

/// Values of `android.security.keystore.KeyProperties` and `javax.crypto.Cipher` (checked against
/// the framework by the tests).
pub mod properties {
    /// `KeyProperties.PURPOSE_ENCRYPT`.
    pub const PURPOSE_ENCRYPT: i32 = 1;
    /// `KeyProperties.PURPOSE_DECRYPT`.
    pub const PURPOSE_DECRYPT: i32 = 2;
    /// `KeyProperties.AUTH_DEVICE_CREDENTIAL`.
    pub const AUTH_DEVICE_CREDENTIAL: i32 = 1;
    /// `KeyProperties.AUTH_BIOMETRIC_STRONG`.
    pub const AUTH_BIOMETRIC_STRONG: i32 = 2;
    /// `KeyProperties.SECURITY_LEVEL_UNKNOWN_SECURE`.
    pub const SECURITY_LEVEL_UNKNOWN_SECURE: i32 = -1;
    /// `KeyProperties.SECURITY_LEVEL_SOFTWARE`.
    pub const SECURITY_LEVEL_SOFTWARE: i32 = 0;
    /// `KeyProperties.SECURITY_LEVEL_TRUSTED_ENVIRONMENT`.
    pub const SECURITY_LEVEL_TRUSTED_ENVIRONMENT: i32 = 1;
    /// `KeyProperties.SECURITY_LEVEL_STRONGBOX`.
    pub const SECURITY_LEVEL_STRONGBOX: i32 = 2;
    /// `Cipher.ENCRYPT_MODE`.
    pub const ENCRYPT_MODE: i32 = 1;
    /// `Cipher.DECRYPT_MODE`.
    pub const DECRYPT_MODE: i32 = 2;
}

/// Exception classes the protector tells apart.
pub(crate) mod exceptions {
    pub const INVALIDATED: &str = "android.security.keystore.KeyPermanentlyInvalidatedException";
    pub const NOT_AUTHENTICATED: &str = "android.security.keystore.UserNotAuthenticatedException";
    pub const NO_STRONGBOX: &str = "android.security.keystore.StrongBoxUnavailableException";
    pub const BAD_TAG: &str = "javax.crypto.AEADBadTagException";
}

/// How a wrapping key is guarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Guard {
    /// Usable whenever the app runs.
    None,
    /// Every operation needs its own authentication, bound to the cipher (Android 11+).
    PerUse,
    /// Usable for [`TIME_BOUND_SECONDS`] after the user authenticates (Android 7 to 10).
    TimeBound,
}

impl Guard {
    /// The guard a key that needs the user gets on API level `sdk`.
    pub fn for_user_presence(sdk: i32) -> Guard {
        if sdk >= 30 {
            Guard::PerUse
        } else {
            Guard::TimeBound
        }
    }
}

/// A freshly loaded `KeyStore` of the AndroidKeyStore provider.
pub(crate) fn key_store<'local>(
    env: &mut Env<'local>,
    classes: &Classes,
) -> JavaResult<JObject<'local>> {
    let provider = new_string(env, PROVIDER)?;
    let store = env.call_static_method(
        &classes.key_store,
        jni_str!("getInstance"),
        jni_sig!("(Ljava/lang/String;)Ljava/security/KeyStore;"),
        &[(&provider).into()],
    );
    let store = checked(env, store.and_then(|value| value.l()))?;
    let loaded = env.call_method(
        &store,
        jni_str!("load"),
        jni_sig!("(Ljava/security/KeyStore$LoadStoreParameter;)V"),
        &[(&JObject::null()).into()],
    );
    checked(env, loaded)?;
    Ok(store)
}

/// The key under `alias`, or `None` when there is none.
pub(crate) fn get_key<'local>(
    env: &mut Env<'local>,
    store: &JObject<'_>,
    alias: &str,
) -> JavaResult<Option<JObject<'local>>> {
    let alias = new_string(env, alias)?;
    let key = env.call_method(
        store,
        jni_str!("getKey"),
        jni_sig!("(Ljava/lang/String;[C)Ljava/security/Key;"),
        &[(&alias).into(), (&JObject::null()).into()],
    );
    let key = checked(env, key.and_then(|value| value.l()))?;
    Ok((!key.is_null()).then_some(key))
}

/// A key the Keystore generated, and whether it was asked to keep it in StrongBox.
pub(crate) struct Generated<'local> {
    pub key: JObject<'local>,
    pub strongbox: bool,
}

/// Generates an AES-256 GCM key under `alias` (replacing any key there), in StrongBox when the
/// device has it and the API level allows it, else wherever the Keystore puts it (the TEE).
pub(crate) fn generate<'local>(
    env: &mut Env<'local>,
    bridge: &Bridge,
    alias: &str,
    guard: Guard,
) -> JavaResult<Generated<'local>> {
    let strongbox = bridge.strongbox && bridge.sdk >= 28;
    match generate_with(env, bridge, alias, guard, strongbox) {
        Ok(key) => Ok(Generated { key, strongbox }),
        Err(failure) if strongbox && failure.is(exceptions::NO_STRONGBOX) => {
            log::info!("StrongBox refused the key; generating it in the TEE");
            let key = generate_with(env, bridge, alias, guard, false)?;
            Ok(Generated {
                key,
                strongbox: false,
            })
        }
        Err(failure) => Err(failure),
    }
}

fn generate_with<'local>(
    env: &mut Env<'local>,
    bridge: &Bridge,
    alias: &str,
    guard: Guard,
    strongbox: bool,
) -> JavaResult<JObject<'local>> {
    let spec = env.with_local_frame_returning_local::<_, JObject, _>(
        16,
        |env| -> JavaResult<JObject<'_>> {
            let alias = new_string(env, alias)?;
            let builder = env.new_object(
                &bridge.classes.spec_builder,
                jni_sig!("(Ljava/lang/String;I)V"),
                &[
                    (&alias).into(),
                    JValue::Int(properties::PURPOSE_ENCRYPT | properties::PURPOSE_DECRYPT),
                ],
            );
            let builder = checked(env, builder)?;
            let modes = string_array(env, bridge, "GCM")?;
            let paddings = string_array(env, bridge, "NoPadding")?;
            build(
                env,
                &builder,
                jni_str!("setKeySize"),
                jni_sig!("(I)Landroid/security/keystore/KeyGenParameterSpec$Builder;"),
                &[JValue::Int(256)],
            )?;
            build(
                env,
                &builder,
                jni_str!("setBlockModes"),
                jni_sig!(
                    "([Ljava/lang/String;)Landroid/security/keystore/KeyGenParameterSpec$Builder;"
                ),
                &[(&modes).into()],
            )?;
            build(
                env,
                &builder,
                jni_str!("setEncryptionPaddings"),
                jni_sig!(
                    "([Ljava/lang/String;)Landroid/security/keystore/KeyGenParameterSpec$Builder;"
                ),
                &[(&paddings).into()],
            )?;
            if guard != Guard::None {
                build(
                    env,
                    &builder,
                    jni_str!("setUserAuthenticationRequired"),
                    jni_sig!("(Z)Landroid/security/keystore/KeyGenParameterSpec$Builder;"),
                    &[JValue::Bool(true)],
                )?;
                build(
                    env,
                    &builder,
                    jni_str!("setInvalidatedByBiometricEnrollment"),
                    jni_sig!("(Z)Landroid/security/keystore/KeyGenParameterSpec$Builder;"),
                    &[JValue::Bool(true)],
                )?;
            }
            match guard {
                Guard::None => {}
                Guard::PerUse => build(
                    env,
                    &builder,
                    jni_str!("setUserAuthenticationParameters"),
                    jni_sig!("(II)Landroid/security/keystore/KeyGenParameterSpec$Builder;"),
                    &[
                        JValue::Int(0),
                        JValue::Int(
                            properties::AUTH_BIOMETRIC_STRONG | properties::AUTH_DEVICE_CREDENTIAL,
                        ),
                    ],
                )?,
                Guard::TimeBound => build(
                    env,
                    &builder,
                    jni_str!("setUserAuthenticationValidityDurationSeconds"),
                    jni_sig!("(I)Landroid/security/keystore/KeyGenParameterSpec$Builder;"),
                    &[JValue::Int(TIME_BOUND_SECONDS)],
                )?,
            }
            if strongbox {
                build(
                    env,
                    &builder,
                    jni_str!("setIsStrongBoxBacked"),
                    jni_sig!("(Z)Landroid/security/keystore/KeyGenParameterSpec$Builder;"),
                    &[JValue::Bool(true)],
                )?;
            }
            let spec = env.call_method(
                &builder,
                jni_str!("build"),
                jni_sig!("()Landroid/security/keystore/KeyGenParameterSpec;"),
                &[],
            );
            checked(env, spec.and_then(|value| value.l()))
        },
    )?;
    let algorithm = new_string(env, "AES")?;
    let provider = new_string(env, PROVIDER)?;
    let generator = env.call_static_method(
        &bridge.classes.key_generator,
        jni_str!("getInstance"),
        jni_sig!("(Ljava/lang/String;Ljava/lang/String;)Ljavax/crypto/KeyGenerator;"),
        &[(&algorithm).into(), (&provider).into()],
    );
    let generator = checked(env, generator.and_then(|value| value.l()))?;
    let init = env.call_method(
        &generator,
        jni_str!("init"),
        jni_sig!("(Ljava/security/spec/AlgorithmParameterSpec;)V"),
        &[(&spec).into()],
    );
    checked(env, init)?;
    let key = env.call_method(
        &generator,
        jni_str!("generateKey"),
        jni_sig!("()Ljavax/crypto/SecretKey;"),
        &[],
    );
    checked(env, key.and_then(|value| value.l()))
}

/// Calls one setter of a `KeyGenParameterSpec.Builder` (they return the builder).
fn build(
    env: &mut Env<'_>,
    builder: &JObject<'_>,
    name: &jni::strings::JNIStr,
    sig: jni::signature::MethodSignature<'_, '_>,
    args: &[JValue<'_>],
) -> JavaResult<()> {
    env.with_local_frame(4, |env| {
        let result = env.call_method(builder, name, &sig, args);
        checked(env, result).map(drop)
    })
}

/// Deletes every key whose alias starts with `prefix`, except `keep`.
pub(crate) fn delete_aliases(
    env: &mut Env<'_>,
    store: &JObject<'_>,
    prefix: &str,
    keep: Option<&str>,
) -> JavaResult<()> {
    let aliases = env.call_method(
        store,
        jni_str!("aliases"),
        jni_sig!("()Ljava/util/Enumeration;"),
        &[],
    );
    let aliases = checked(env, aliases.and_then(|value| value.l()))?;
    let mut doomed = Vec::new();
    loop {
        // One frame per element, so a store with many keys does not fill the local table.
        let next = env.with_local_frame(4, |env| -> JavaResult<Option<Option<String>>> {
            let more = env.call_method(&aliases, jni_str!("hasMoreElements"), jni_sig!("()Z"), &[]);
            if !checked(env, more.and_then(|value| value.z()))? {
                return Ok(None);
            }
            let alias = env.call_method(
                &aliases,
                jni_str!("nextElement"),
                jni_sig!("()Ljava/lang/Object;"),
                &[],
            );
            let alias = checked(env, alias.and_then(|value| value.l()))?;
            java::string(env, alias).map(Some)
        })?;
        match next {
            None => break,
            Some(Some(alias)) if alias.starts_with(prefix) && Some(alias.as_str()) != keep => {
                doomed.push(alias)
            }
            Some(_) => {}
        }
    }
    for alias in doomed {
        env.with_local_frame(4, |env| -> JavaResult<()> {
            let alias = new_string(env, &alias)?;
            let deleted = env.call_method(
                store,
                jni_str!("deleteEntry"),
                jni_sig!("(Ljava/lang/String;)V"),
                &[(&alias).into()],
            );
            checked(env, deleted).map(drop)
        })?;
    }
    Ok(())
}

/// A new, uninitialised AES/GCM cipher.
pub(crate) fn cipher<'local>(
    env: &mut Env<'local>,
    bridge: &Bridge,
) -> JavaResult<JObject<'local>> {
    let transformation = new_string(env, TRANSFORMATION)?;
    let cipher = env.call_static_method(
        &bridge.classes.cipher,
        jni_str!("getInstance"),
        jni_sig!("(Ljava/lang/String;)Ljavax/crypto/Cipher;"),
        &[(&transformation).into()],
    );
    checked(env, cipher.and_then(|value| value.l()))
}

/// Initialises `cipher` to encrypt with `key` (the Keystore draws the IV), or to decrypt with
/// `key` and `iv`.
pub(crate) fn init(
    env: &mut Env<'_>,
    bridge: &Bridge,
    cipher: &JObject<'_>,
    key: &JObject<'_>,
    iv: Option<&[u8]>,
) -> JavaResult<()> {
    env.with_local_frame(8, |env| {
        let result = match iv {
            None => env.call_method(
                cipher,
                jni_str!("init"),
                jni_sig!("(ILjava/security/Key;)V"),
                &[JValue::Int(properties::ENCRYPT_MODE), key.into()],
            ),
            Some(iv) => {
                let iv = env.byte_array_from_slice(iv);
                let iv = checked(env, iv)?;
                let spec = env.new_object(
                    &bridge.classes.gcm_spec,
                    jni_sig!("(I[B)V"),
                    &[JValue::Int(TAG_BITS), (&iv).into()],
                );
                let spec = checked(env, spec)?;
                env.call_method(
                    cipher,
                    jni_str!("init"),
                    jni_sig!("(ILjava/security/Key;Ljava/security/spec/AlgorithmParameterSpec;)V"),
                    &[
                        JValue::Int(properties::DECRYPT_MODE),
                        key.into(),
                        (&spec).into(),
                    ],
                )
            }
        };
        checked(env, result).map(drop)
    })
}

/// The IV an encrypting cipher drew.
pub(crate) fn iv(env: &mut Env<'_>, cipher: &JObject<'_>) -> JavaResult<Vec<u8>> {
    env.with_local_frame(4, |env| {
        let iv = env.call_method(cipher, jni_str!("getIV"), jni_sig!("()[B"), &[]);
        let iv = checked(env, iv.and_then(|value| value.l()))?;
        Ok(java::bytes(env, iv)?.unwrap_or_default())
    })
}

/// Feeds `aad` and runs `doFinal` over `input`. Both Java copies of secret bytes (the input
/// when encrypting, the output when decrypting) are overwritten before returning.
pub(crate) fn finish(
    env: &mut Env<'_>,
    cipher: &JObject<'_>,
    aad: &[u8],
    input: &[u8],
) -> JavaResult<Zeroizing<Vec<u8>>> {
    env.with_local_frame(8, |env| {
        let aad = env.byte_array_from_slice(aad);
        let aad = checked(env, aad)?;
        let fed = env.call_method(
            cipher,
            jni_str!("updateAAD"),
            jni_sig!("([B)V"),
            &[(&aad).into()],
        );
        checked(env, fed)?;
        let input = env.byte_array_from_slice(input);
        let input = checked(env, input)?;
        let output = env.call_method(
            cipher,
            jni_str!("doFinal"),
            jni_sig!("([B)[B"),
            &[(&input).into()],
        );
        // Each result is checked (its exception taken) before the next JNI call.
        let output = checked(env, output.and_then(|value| value.l()));
        java::wipe(env, &input);
        let output = env.cast_local::<JByteArray>(output?);
        let output = checked(env, output)?;
        let copied = env.convert_byte_array(&output);
        let copied = checked(env, copied);
        java::wipe(env, &output);
        copied.map(Zeroizing::new)
    })
}

/// Where the Keystore actually put `generated`, from its `KeyInfo`. Before API 31 `KeyInfo`
/// only says "secure hardware"; such a key is StrongBox when StrongBox accepted it.
pub(crate) fn security_level(
    env: &mut Env<'_>,
    bridge: &Bridge,
    generated: &Generated<'_>,
) -> JavaResult<SecurityLevel> {
    let key = &generated.key;
    env.with_local_frame(8, |env| {
        let algorithm = new_string(env, "AES")?;
        let provider = new_string(env, PROVIDER)?;
        let factory = env.call_static_method(
            &bridge.classes.key_factory,
            jni_str!("getInstance"),
            jni_sig!("(Ljava/lang/String;Ljava/lang/String;)Ljavax/crypto/SecretKeyFactory;"),
            &[(&algorithm).into(), (&provider).into()],
        );
        let factory = checked(env, factory.and_then(|value| value.l()))?;
        let info_class = env.new_local_ref(&bridge.classes.key_info);
        let info_class = checked(env, info_class)?;
        let info = env.call_method(
            &factory,
            jni_str!("getKeySpec"),
            jni_sig!("(Ljavax/crypto/SecretKey;Ljava/lang/Class;)Ljava/security/spec/KeySpec;"),
            &[key.into(), (&info_class).into()],
        );
        let info = checked(env, info.and_then(|value| value.l()))?;
        if bridge.sdk >= 31 {
            let level = env.call_method(&info, jni_str!("getSecurityLevel"), jni_sig!("()I"), &[]);
            Ok(match checked(env, level.and_then(|value| value.i()))? {
                properties::SECURITY_LEVEL_STRONGBOX => SecurityLevel::StrongBox,
                properties::SECURITY_LEVEL_TRUSTED_ENVIRONMENT
                | properties::SECURITY_LEVEL_UNKNOWN_SECURE => SecurityLevel::TrustedEnvironment,
                _ => SecurityLevel::Software,
            })
        } else {
            let inside = env.call_method(
                &info,
                jni_str!("isInsideSecureHardware"),
                jni_sig!("()Z"),
                &[],
            );
            Ok(if !checked(env, inside.and_then(|value| value.z()))? {
                SecurityLevel::Software
            } else if generated.strongbox {
                SecurityLevel::StrongBox
            } else {
                SecurityLevel::TrustedEnvironment
            })
        }
    })
}

/// Whether a secure lock screen is set (`KeyguardManager.isDeviceSecure`, through the bridge).
pub(crate) fn is_device_secure(env: &mut Env<'_>, bridge: &Bridge) -> JavaResult<bool> {
    let secure = env.call_static_method(
        &bridge.classes.bridge,
        jni_str!("isDeviceSecure"),
        jni_sig!("()Z"),
        &[],
    );
    checked(env, secure.and_then(|value| value.z()))
}

/// Shows the system prompt (through `KeystoreBridge.authenticate`) and waits for the user.
/// Returns one of the bridge's outcome constants.
pub(crate) fn authenticate(
    env: &mut Env<'_>,
    bridge: &Bridge,
    cipher: Option<&JObject<'_>>,
    prompt: Option<&Prompt>,
) -> JavaResult<i32> {
    env.with_local_frame(8, |env| {
        let title = optional_string(env, prompt.and_then(|p| p.title.as_deref()))?;
        let subtitle = optional_string(env, prompt.and_then(|p| p.subtitle.as_deref()))?;
        let cancel = optional_string(env, prompt.and_then(|p| p.cancel.as_deref()))?;
        let null = JObject::null();
        let outcome = env.call_static_method(
            &bridge.classes.bridge,
            jni_str!("authenticate"),
            jni_sig!(
                "(Ljavax/crypto/Cipher;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I"
            ),
            &[
                cipher.unwrap_or(&null).into(),
                (&title).into(),
                (&subtitle).into(),
                (&cancel).into(),
            ],
        );
        checked(env, outcome.and_then(|value| value.i()))
    })
}

fn new_string<'local>(
    env: &mut Env<'local>,
    text: &str,
) -> JavaResult<jni::objects::JString<'local>> {
    let string = env.new_string(text);
    checked(env, string)
}

fn optional_string<'local>(
    env: &mut Env<'local>,
    text: Option<&str>,
) -> JavaResult<JObject<'local>> {
    match text {
        Some(text) => new_string(env, text).map(JObject::from),
        None => Ok(JObject::null()),
    }
}

fn string_array<'local>(
    env: &mut Env<'local>,
    bridge: &Bridge,
    only: &str,
) -> JavaResult<JObject<'local>> {
    let element = new_string(env, only)?;
    let array = env.new_object_array(1, &bridge.classes.string, &element);
    checked(env, array).map(JObject::from)
}
