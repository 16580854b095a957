package com.rustkeystore.android;

import java.util.function.IntConsumer;
import javax.crypto.Cipher;

/**
 * What {@link KeystoreBridge} needs from the device: the lock screen's state, StrongBox, the UI
 * thread and the system prompt. {@link AndroidPlatform} implements it in apps; the Rust tests
 * script it on a host JVM.
 */
public interface Platform {
  /** Whether a secure lock screen (PIN, pattern or password) is set. */
  boolean isDeviceSecure();

  /** Whether the device has a StrongBox Keymaster (Android 9 and later). */
  boolean hasStrongBox();

  /** Whether the calling thread is the UI thread. */
  boolean isUiThread();

  /** Runs {@code task} on the UI thread, later. */
  void runOnUiThread(Runnable task);

  /**
   * Shows the system authentication prompt over the current activity. Called on the UI thread.
   *
   * @param cipher the initialised cipher the prompt authorises (Android 11 and later, keys that
   *     need the user for every use), or {@code null} when the key opens for a few seconds after
   *     the user authenticates (Android 7 to 10)
   * @param text what the prompt says
   * @param done receives one of the {@link KeystoreBridge} outcome constants, exactly once, on
   *     any thread
   */
  void authenticate(Cipher cipher, PromptText text, IntConsumer done);
}
