//! Small helpers over `jni`: every Java exception is caught, cleared and turned into a
//! [`Thrown`], so no JNI call is ever made with an exception pending.

use jni::Env;
use jni::errors::Error as JniError;
use jni::objects::{JByteArray, JObject, JString, JThrowable};

/// How many causes of an exception are read (Android wraps Keystore failures a few deep).
const MAX_CAUSES: usize = 4;

/// A Java exception that was thrown, caught and cleared.
#[derive(Clone, Debug)]
pub(crate) struct Thrown {
    /// The exception's class name, for example `java.security.ProviderException`.
    pub class: String,
    /// Its message, or an empty string.
    pub message: String,
    /// The class names of its causes, outermost first.
    pub causes: Vec<String>,
}

impl Thrown {
    /// Whether the exception or one of its causes is of class `name`.
    pub fn is(&self, name: &str) -> bool {
        self.class == name || self.causes.iter().any(|cause| cause == name)
    }
}

/// A failed JNI call: a Java exception, or a failure of JNI itself.
#[derive(Clone, Debug)]
pub(crate) enum Failure {
    /// Java code threw.
    Thrown(Thrown),
    /// JNI failed (a missing class or method, a null where an object was needed, ...).
    Jni(String),
}

impl Failure {
    /// Whether this is a Java exception of class `name`, directly or as a cause.
    pub fn is(&self, name: &str) -> bool {
        matches!(self, Failure::Thrown(thrown) if thrown.is(name))
    }
}

impl From<JniError> for Failure {
    /// A failure of JNI's own machinery (a local frame that could not be pushed, ...).
    fn from(err: JniError) -> Self {
        Failure::Jni(err.to_string())
    }
}

/// The result of a JNI call after [`checked`].
pub(crate) type JavaResult<T> = Result<T, Failure>;

/// Turns the result of a JNI call into a [`JavaResult`], catching and clearing the pending
/// exception, if any, first.
pub(crate) fn checked<T>(env: &mut Env<'_>, result: jni::errors::Result<T>) -> JavaResult<T> {
    match result {
        Ok(value) if !env.exception_check() => Ok(value),
        Ok(_) | Err(JniError::JavaException) => Err(take_exception(env)),
        Err(JniError::CaughtJavaException { name, msg, .. }) => Err(Failure::Thrown(Thrown {
            class: name,
            message: msg,
            causes: Vec::new(),
        })),
        Err(other) => {
            if env.exception_check() {
                Err(take_exception(env))
            } else {
                Err(Failure::Jni(other.to_string()))
            }
        }
    }
}

/// Clears the pending exception and describes it.
fn take_exception(env: &mut Env<'_>) -> Failure {
    let Some(throwable) = env.exception_occurred() else {
        return Failure::Jni("a JNI call failed without a Java exception".into());
    };
    env.exception_clear();
    let described = env.with_local_frame(8 + 4 * MAX_CAUSES, |env| describe(env, &throwable));
    env.delete_local_ref(throwable);
    match described {
        Ok(thrown) => Failure::Thrown(thrown),
        Err(err) => {
            env.exception_clear();
            Failure::Jni(format!("a Java exception could not be described: {err}"))
        }
    }
}

fn describe(env: &mut Env<'_>, throwable: &JThrowable<'_>) -> jni::errors::Result<Thrown> {
    let class = class_name(env, throwable)?;
    let message = throwable.get_message(env)?;
    let message = if message.is_null() {
        String::new()
    } else {
        message.try_to_string(env)?
    };
    let mut causes = Vec::new();
    let mut current = throwable.get_cause(env)?;
    while !current.is_null() && causes.len() < MAX_CAUSES {
        causes.push(class_name(env, &current)?);
        current = current.get_cause(env)?;
    }
    Ok(Thrown {
        class,
        message,
        causes,
    })
}

fn class_name(env: &mut Env<'_>, object: &JObject<'_>) -> jni::errors::Result<String> {
    let class = env.get_object_class(object)?;
    class.get_name(env)?.try_to_string(env)
}

/// Reads a Java string; `None` for `null`.
pub(crate) fn string(env: &mut Env<'_>, value: JObject<'_>) -> JavaResult<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    let value = env.cast_local::<JString>(value);
    let value = checked(env, value)?;
    let text = value.try_to_string(env);
    checked(env, text).map(Some)
}

/// Copies a Java `byte[]` into Rust; `None` for `null`.
pub(crate) fn bytes(env: &mut Env<'_>, value: JObject<'_>) -> JavaResult<Option<Vec<u8>>> {
    if value.is_null() {
        return Ok(None);
    }
    let array = env.cast_local::<JByteArray>(value);
    let array = checked(env, array)?;
    let copied = env.convert_byte_array(&array);
    checked(env, copied).map(Some)
}

/// Overwrites a Java `byte[]` that held key material with zeros (best effort: the JVM may have
/// copied it before).
pub(crate) fn wipe(env: &mut Env<'_>, array: &JByteArray<'_>) {
    let Ok(len) = array.len(env) else {
        env.exception_clear();
        return;
    };
    let zeros = vec![0i8; len];
    if array.set_region(env, 0, &zeros).is_err() {
        env.exception_clear();
    }
}

/// A 32-bit FNV-1a hash of `text`: the stable numeric code of an exception class.
pub(crate) fn class_code(text: &str) -> i64 {
    let hash = text.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    i64::from(hash)
}
