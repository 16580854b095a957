package com.rustkeystore.android;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Cipher;

/**
 * The Java side of the Rust Android protector.
 *
 * <p>{@link #start} hands Rust the store directory and caches, on the Rust side, the Java VM and
 * this class (threads that Rust attaches later cannot find app classes by name). Rust's worker
 * threads then call {@link #isDeviceSecure} and {@link #authenticate}; the latter blocks the
 * worker, never the UI thread, until the user answers.
 */
public final class KeystoreBridge {
  /** The user authenticated. */
  public static final int APPROVED = 0;
  /** The user dismissed the prompt, or the system cancelled it (the app went to background). */
  public static final int CANCELLED = 1;
  /** Authentication failed for a reason other than a lockout (for example no biometric hardware). */
  public static final int FAILED = 2;
  /** Too many failed attempts: the lock screen is locked out for now or until the next unlock. */
  public static final int LOCKED_OUT = 3;
  /** No activity is in the foreground to show the prompt over. */
  public static final int NO_ACTIVITY = 4;
  /** No secure lock screen is set. */
  public static final int NO_CREDENTIAL = 5;
  /** The waiting thread was interrupted. */
  public static final int INTERRUPTED = 6;
  /** Called on the UI thread, where waiting for the user would freeze the app. */
  public static final int ON_UI_THREAD = 7;
  /** {@link #start} has not run. */
  public static final int NOT_STARTED = 8;

  private static volatile Platform platform;

  /** One prompt on screen at a time; waiting callers queue in arrival order. */
  private static final ReentrantLock PROMPT = new ReentrantLock(true);

  private KeystoreBridge() {}

  /**
   * Starts the Rust protector with {@code platform}, keeping stores in {@code directory}.
   *
   * @return {@code null} when the protector is ready, otherwise why it is not
   */
  public static synchronized String start(Platform platform, String directory, int sdkInt) {
    KeystoreBridge.platform = platform;
    return nativeStart(directory, sdkInt, platform.hasStrongBox());
  }

  private static native String nativeStart(String directory, int sdkInt, boolean strongBox);

  /** Called from Rust: whether a secure lock screen is set. */
  static boolean isDeviceSecure() {
    Platform current = platform;
    return current != null && current.isDeviceSecure();
  }

  /**
   * Called from a Rust worker thread: shows the prompt on the UI thread and waits for the user.
   *
   * @return one of the outcome constants of this class
   */
  static int authenticate(Cipher cipher, String title, String subtitle, String cancel) {
    Platform current = platform;
    if (current == null) {
      return NOT_STARTED;
    }
    if (current.isUiThread()) {
      return ON_UI_THREAD;
    }
    PromptText text = new PromptText(title, subtitle, cancel);
    try {
      PROMPT.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return INTERRUPTED;
    }
    try {
      return showAndWait(current, cipher, text);
    } finally {
      PROMPT.unlock();
    }
  }

  private static int showAndWait(Platform current, Cipher cipher, PromptText text) {
    CountDownLatch answered = new CountDownLatch(1);
    AtomicInteger outcome = new AtomicInteger(-1);
    current.runOnUiThread(
        () -> {
          try {
            current.authenticate(
                cipher,
                text,
                result -> {
                  if (outcome.compareAndSet(-1, result)) {
                    answered.countDown();
                  }
                });
          } catch (RuntimeException e) {
            if (outcome.compareAndSet(-1, FAILED)) {
              answered.countDown();
            }
          }
        });
    try {
      answered.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return INTERRUPTED;
    }
    return outcome.get();
  }
}
