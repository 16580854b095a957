package com.rustkeystore.android;

import android.app.Activity;
import android.app.KeyguardManager;
import android.content.Intent;
import android.content.pm.PackageManager;
import android.hardware.biometrics.BiometricManager;
import android.hardware.biometrics.BiometricPrompt;
import android.os.Build;
import android.os.CancellationSignal;
import android.os.Handler;
import android.os.Looper;
import com.facebook.react.bridge.ActivityEventListener;
import com.facebook.react.bridge.BaseActivityEventListener;
import com.facebook.react.bridge.ReactApplicationContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import javax.crypto.Cipher;

/**
 * The {@link Platform} of apps: the lock screen, StrongBox and system prompt of the device.
 *
 * <p>What {@link #authenticate} shows depends on the Android version:
 *
 * <ul>
 *   <li>Android 11 and later (API 30+): the framework {@link BiometricPrompt}, allowing a strong
 *       (class 3) biometric or the device credential (PIN, pattern or password). A non-null
 *       cipher is passed as a {@link BiometricPrompt.CryptoObject}, so the approval unlocks that
 *       one operation; a null cipher is authenticated without one.
 *   <li>Android 10 (API 29): the framework {@link BiometricPrompt} with the device credential
 *       allowed, so any biometric the device accepts or the PIN, pattern or password; always
 *       without a crypto object (this level cannot combine one with the device credential). The
 *       cipher is ignored: keys on this level open for a few seconds after any authentication.
 *   <li>Android 7 to 9 (API 24 to 28): the system's confirm-credential screen, started for a
 *       result over the current activity. It asks for the PIN, pattern or password only, never a
 *       biometric; the cipher is ignored as on Android 10.
 * </ul>
 *
 * <p>The cancel text of {@link PromptText} is never shown. BiometricPrompt refuses a button of
 * the app's own once the device credential is allowed, and the confirm-credential screen has no
 * such button either; the user dismisses either with the system's Back gesture, which reports
 * {@link KeystoreBridge#CANCELLED}.
 *
 * <p>The confirm-credential screen (Android 7 to 9) answers through the host activity's {@code
 * onActivityResult}, which {@code ReactActivity} forwards to React Native. An app whose activity
 * does not forward it never receives the answer, and the store operation that asked waits until
 * the app closes.
 */
public final class AndroidPlatform implements Platform {
  /** Identifies the confirm-credential screen's result; below 0x10000, as AndroidX requires. */
  static final int CONFIRM_CREDENTIAL_REQUEST = 0x4b53;

  private final Handler uiThread = new Handler(Looper.getMainLooper());
  private volatile ReactApplicationContext context;

  /** A platform that shows its prompts over the current activity of {@code context}. */
  public AndroidPlatform(ReactApplicationContext context) {
    this.context = context;
  }

  /**
   * Shows later prompts over the activities of {@code context}: React Native makes a new context
   * when it reloads, and the old one no longer knows the current activity.
   */
  void useContext(ReactApplicationContext context) {
    this.context = context;
  }

  @Override
  public boolean isDeviceSecure() {
    KeyguardManager keyguard = context.getSystemService(KeyguardManager.class);
    return keyguard != null && keyguard.isDeviceSecure();
  }

  @Override
  public boolean hasStrongBox() {
    return Build.VERSION.SDK_INT >= Build.VERSION_CODES.P
        && context.getPackageManager().hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE);
  }

  @Override
  public boolean isUiThread() {
    return Looper.getMainLooper().isCurrentThread();
  }

  @Override
  public void runOnUiThread(Runnable task) {
    uiThread.post(task);
  }

  /**
   * Shows the prompt for the running Android version (see the class comment). {@code done}
   * receives {@link KeystoreBridge#NO_ACTIVITY} when no activity is in the foreground and {@link
   * KeystoreBridge#FAILED} when the system refuses to show the prompt; nothing is thrown.
   */
  @Override
  public void authenticate(Cipher cipher, PromptText text, IntConsumer done) {
    IntConsumer answer = once(done);
    try {
      Activity activity = context.getCurrentActivity();
      if (activity == null || activity.isFinishing() || activity.isDestroyed()) {
        answer.accept(KeystoreBridge.NO_ACTIVITY);
      } else if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
        showBiometricPrompt(activity, cipher, text, answer);
      } else if (Build.VERSION.SDK_INT == Build.VERSION_CODES.Q) {
        showCredentialPrompt(activity, text, answer);
      } else {
        confirmCredential(activity, text, answer);
      }
    } catch (RuntimeException | LinkageError e) {
      // A missing USE_BIOMETRIC permission is a SecurityException; a framework method a vendor
      // build lacks is a LinkageError. Either way the prompt did not appear.
      answer.accept(KeystoreBridge.FAILED);
    }
  }

  /** API 30+: a strong biometric or the device credential, bound to the cipher if there is one. */
  private void showBiometricPrompt(
      Activity activity, Cipher cipher, PromptText text, IntConsumer answer) {
    BiometricPrompt prompt =
        new BiometricPrompt.Builder(activity)
            .setTitle(text.title)
            .setSubtitle(text.subtitle)
            .setAllowedAuthenticators(
                BiometricManager.Authenticators.BIOMETRIC_STRONG
                    | BiometricManager.Authenticators.DEVICE_CREDENTIAL)
            .build();
    BiometricPrompt.AuthenticationCallback callback = callback(answer);
    if (cipher != null) {
      prompt.authenticate(
          new BiometricPrompt.CryptoObject(cipher),
          new CancellationSignal(),
          activity.getMainExecutor(),
          callback);
    } else {
      prompt.authenticate(new CancellationSignal(), activity.getMainExecutor(), callback);
    }
  }

  /**
   * API 29: a biometric or the device credential, without a crypto object. Android 11 replaced
   * {@code setDeviceCredentialAllowed} with the allowed authenticators, which this level lacks.
   */
  @SuppressWarnings("deprecation")
  private void showCredentialPrompt(Activity activity, PromptText text, IntConsumer answer) {
    BiometricPrompt prompt =
        new BiometricPrompt.Builder(activity)
            .setTitle(text.title)
            .setSubtitle(text.subtitle)
            .setDeviceCredentialAllowed(true)
            .build();
    prompt.authenticate(new CancellationSignal(), activity.getMainExecutor(), callback(answer));
  }

  /**
   * API 24 to 28: the confirm-credential screen, answered through the activity result. Android 10
   * deprecated the intent in favour of BiometricPrompt, which before then cannot fall back to
   * the device credential.
   */
  @SuppressWarnings("deprecation")
  private void confirmCredential(Activity activity, PromptText text, IntConsumer answer) {
    KeyguardManager keyguard = activity.getSystemService(KeyguardManager.class);
    Intent intent =
        keyguard == null
            ? null
            : keyguard.createConfirmDeviceCredentialIntent(text.title, text.subtitle);
    if (intent == null) {
      // The system returns no intent when no secure lock screen is set.
      answer.accept(KeystoreBridge.NO_CREDENTIAL);
      return;
    }

    ReactApplicationContext listenedTo = context;
    ActivityEventListener listener =
        new BaseActivityEventListener() {
          @Override
          public void onActivityResult(
              Activity resultActivity, int requestCode, int resultCode, Intent data) {
            if (requestCode != CONFIRM_CREDENTIAL_REQUEST) {
              return;
            }
            listenedTo.removeActivityEventListener(this);
            answer.accept(
                resultCode == Activity.RESULT_OK
                    ? KeystoreBridge.APPROVED
                    : KeystoreBridge.CANCELLED);
          }
        };
    listenedTo.addActivityEventListener(listener);
    try {
      activity.startActivityForResult(intent, CONFIRM_CREDENTIAL_REQUEST);
    } catch (RuntimeException e) {
      listenedTo.removeActivityEventListener(listener);
      throw e;
    }
  }

  /** Reports the prompt's final answer; a single unrecognised finger is not one. */
  private BiometricPrompt.AuthenticationCallback callback(IntConsumer answer) {
    return new BiometricPrompt.AuthenticationCallback() {
      @Override
      public void onAuthenticationSucceeded(BiometricPrompt.AuthenticationResult result) {
        answer.accept(KeystoreBridge.APPROVED);
      }

      @Override
      public void onAuthenticationError(int errorCode, CharSequence errString) {
        answer.accept(outcomeOfError(errorCode, isDeviceSecure()));
      }

      @Override
      public void onAuthenticationFailed() {
        // The prompt stays up and lets the user try again; only an error or success is final.
      }
    };
  }

  /**
   * Maps a BiometricPrompt error code to a {@link KeystoreBridge} outcome. {@code deviceSecure}
   * decides what "no biometrics enrolled" means: with a lock screen the prompt could have fallen
   * back to it, so that is a failure; without one there is no credential at all.
   */
  static int outcomeOfError(int errorCode, boolean deviceSecure) {
    switch (errorCode) {
      case BiometricPrompt.BIOMETRIC_ERROR_USER_CANCELED: // 10
      case BiometricPrompt.BIOMETRIC_ERROR_CANCELED: // 5, the system, e.g. the app left
      case BiometricPrompt.BIOMETRIC_ERROR_NEGATIVE_BUTTON: // 13
      case BiometricPrompt.BIOMETRIC_ERROR_TIMEOUT: // 3
        return KeystoreBridge.CANCELLED;
      case BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT: // 7
      case BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT_PERMANENT: // 9
        return KeystoreBridge.LOCKED_OUT;
      case BiometricPrompt.BIOMETRIC_ERROR_NO_DEVICE_CREDENTIAL: // 14
        return KeystoreBridge.NO_CREDENTIAL;
      case BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS: // 11
        return deviceSecure ? KeystoreBridge.FAILED : KeystoreBridge.NO_CREDENTIAL;
      default:
        return KeystoreBridge.FAILED;
    }
  }

  /** Passes on the first outcome and drops any later one, as {@link Platform} promises. */
  private static IntConsumer once(IntConsumer done) {
    AtomicBoolean answered = new AtomicBoolean();
    return outcome -> {
      if (answered.compareAndSet(false, true)) {
        done.accept(outcome);
      }
    };
  }
}
