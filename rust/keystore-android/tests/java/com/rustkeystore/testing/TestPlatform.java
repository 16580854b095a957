package com.rustkeystore.testing;

import com.rustkeystore.android.KeystoreBridge;
import com.rustkeystore.android.Platform;
import com.rustkeystore.android.PromptText;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import javax.crypto.Cipher;

/**
 * A scripted device for the Rust protector's tests on a host JVM: a UI thread of its own, a lock
 * screen and StrongBox switched through {@link FakeAndroidKeyStore}, and a prompt that answers
 * with scripted outcomes and records what it was asked.
 *
 * <p>An {@link KeystoreBridge#APPROVED} answer authorises the prompt's cipher through {@link
 * FakeAndroidKeyStore#approve}, or, for a prompt without one, opens time-bound keys through
 * {@link FakeAndroidKeyStore#approveTimeBound}. All controls are static and thread-safe.
 */
public final class TestPlatform implements Platform {
  /** The platform to hand to {@link KeystoreBridge#start}. */
  public static final TestPlatform INSTANCE = new TestPlatform();

  /** The name of the UI thread. */
  public static final String UI_THREAD_NAME = "test-platform-ui";

  private static final AtomicReference<Thread> UI_THREAD = new AtomicReference<>();
  private static final ExecutorService UI =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, UI_THREAD_NAME);
            thread.setDaemon(true);
            UI_THREAD.set(thread);
            return thread;
          });

  /** Guards every field below; waiters for prompts are woken through it. */
  private static final Object LOCK = new Object();

  private static final ArrayDeque<Integer> SCRIPT = new ArrayDeque<>();
  private static final List<Prompt> HELD = new ArrayList<>();
  private static int defaultOutcome = KeystoreBridge.APPROVED;
  private static boolean activity = true;
  private static boolean holding;
  private static int shown;
  private static int withCipher;
  private static int onScreen;
  private static int maxOnScreen;
  private static String lastTitle;
  private static String lastSubtitle;
  private static String lastCancel;
  private static boolean lastHadCipher;

  private TestPlatform() {}

  /**
   * Installs {@link FakeAndroidKeyStore} and starts the protector with this platform. The native
   * method must be registered first.
   *
   * @return what {@link KeystoreBridge#start} returns: {@code null} when ready, else why not
   */
  public static String start(String directory, int sdkInt) {
    FakeAndroidKeyStore.install();
    return KeystoreBridge.start(INSTANCE, directory, sdkInt);
  }

  /**
   * Makes a fresh device: cancels prompts still on screen, forgets the script and every count,
   * restores the defaults (activity present, prompts answered at once with {@code APPROVED}) and
   * resets {@link FakeAndroidKeyStore}.
   */
  public static void reset() {
    List<Prompt> cancelled;
    synchronized (LOCK) {
      cancelled = new ArrayList<>(HELD);
      HELD.clear();
    }
    for (Prompt prompt : cancelled) {
      prompt.done.accept(KeystoreBridge.CANCELLED);
    }
    synchronized (LOCK) {
      SCRIPT.clear();
      defaultOutcome = KeystoreBridge.APPROVED;
      activity = true;
      holding = false;
      shown = 0;
      withCipher = 0;
      onScreen = 0;
      maxOnScreen = 0;
      lastTitle = null;
      lastSubtitle = null;
      lastCancel = null;
      lastHadCipher = false;
      LOCK.notifyAll();
    }
    FakeAndroidKeyStore.reset();
    FakeAndroidKeyStore.install();
  }

  /** Queues outcomes (the {@link KeystoreBridge} constants) for the next prompts, in order. */
  public static void script(int... outcomes) {
    synchronized (LOCK) {
      for (int outcome : outcomes) {
        SCRIPT.add(outcome);
      }
    }
  }

  /** Sets the outcome of prompts once the script is used up; {@code APPROVED} at first. */
  public static void setDefaultOutcome(int outcome) {
    synchronized (LOCK) {
      defaultOutcome = outcome;
    }
  }

  /** Sets whether an activity is in the foreground; without one prompts answer NO_ACTIVITY. */
  public static void setActivity(boolean present) {
    synchronized (LOCK) {
      activity = present;
    }
  }

  /** Sets whether a secure lock screen is set, through {@link FakeAndroidKeyStore}. */
  public static void setDeviceSecure(boolean secure) {
    FakeAndroidKeyStore.setDeviceSecure(secure);
  }

  /** Sets whether the device has StrongBox, through {@link FakeAndroidKeyStore}. */
  public static void setStrongBox(boolean present) {
    FakeAndroidKeyStore.setStrongBoxAvailable(present);
  }

  /** Keeps prompts shown from now on on screen, unanswered, until {@link #release}. */
  public static void hold() {
    synchronized (LOCK) {
      holding = true;
    }
  }

  /**
   * Stops holding and answers the held prompts, in the order shown, on the calling thread (not the
   * UI thread), taking their outcomes from the script.
   */
  public static void release() {
    List<Prompt> pending;
    synchronized (LOCK) {
      holding = false;
      pending = new ArrayList<>(HELD);
      HELD.clear();
    }
    for (Prompt prompt : pending) {
      answer(prompt);
    }
  }

  /**
   * Answers the oldest held prompt, on the calling thread, and keeps holding the ones that come
   * later; does nothing when none is held.
   */
  public static void releaseOne() {
    Prompt oldest;
    synchronized (LOCK) {
      oldest = HELD.isEmpty() ? null : HELD.remove(0);
    }
    if (oldest != null) {
      answer(oldest);
    }
  }

  /**
   * Calls {@code KeystoreBridge.authenticate} (package-private: reached by reflection, as Rust
   * reaches it through JNI) on the UI thread, where a caller must never wait for the user, and
   * returns its outcome.
   */
  public static int authenticateOnUiThread() throws Exception {
    Method authenticate =
        KeystoreBridge.class.getDeclaredMethod(
            "authenticate", Cipher.class, String.class, String.class, String.class);
    authenticate.setAccessible(true);
    return UI.submit(() -> (Integer) authenticate.invoke(null, null, "title", null, null)).get();
  }

  /** How many prompts were shown; a missing activity shows none. */
  public static int promptsShown() {
    synchronized (LOCK) {
      return shown;
    }
  }

  /** How many of the prompts shown carried a cipher. */
  public static int promptsWithCipher() {
    synchronized (LOCK) {
      return withCipher;
    }
  }

  /** How many prompts are on screen now. */
  public static int promptsOnScreen() {
    synchronized (LOCK) {
      return onScreen;
    }
  }

  /** The most prompts that were ever on screen at once; the bridge should keep it at 1. */
  public static int maxPromptsOnScreen() {
    synchronized (LOCK) {
      return maxOnScreen;
    }
  }

  /** The title of the last prompt shown, or {@code null} before any. */
  public static String lastTitle() {
    synchronized (LOCK) {
      return lastTitle;
    }
  }

  /** The subtitle of the last prompt shown, or {@code null} when it had none. */
  public static String lastSubtitle() {
    synchronized (LOCK) {
      return lastSubtitle;
    }
  }

  /** The cancel label of the last prompt shown, or {@code null} before any. */
  public static String lastCancel() {
    synchronized (LOCK) {
      return lastCancel;
    }
  }

  /** Whether the last prompt shown carried a cipher. */
  public static boolean lastPromptHadCipher() {
    synchronized (LOCK) {
      return lastHadCipher;
    }
  }

  /**
   * Waits until at least {@code count} prompts were shown.
   *
   * @return whether that happened within {@code timeoutMillis}
   */
  public static boolean awaitPromptsShown(int count, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    synchronized (LOCK) {
      while (shown < count) {
        if (!waitUntil(deadline)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Waits until exactly {@code count} prompts are on screen.
   *
   * @return whether that happened within {@code timeoutMillis}
   */
  public static boolean awaitPromptsOnScreen(int count, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    synchronized (LOCK) {
      while (onScreen != count) {
        if (!waitUntil(deadline)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Whether a secure lock screen is set, as {@link FakeAndroidKeyStore} has it. */
  @Override
  public boolean isDeviceSecure() {
    return FakeAndroidKeyStore.isDeviceSecure();
  }

  /** Whether the device has StrongBox, as {@link FakeAndroidKeyStore} has it. */
  @Override
  public boolean hasStrongBox() {
    return FakeAndroidKeyStore.isStrongBoxAvailable();
  }

  /** Whether the caller runs on this platform's UI thread. */
  @Override
  public boolean isUiThread() {
    return Thread.currentThread() == UI_THREAD.get();
  }

  /** Queues {@code task} on the UI thread. */
  @Override
  public void runOnUiThread(Runnable task) {
    UI.execute(task);
  }

  /**
   * Shows a prompt: records it, then answers at once with the next scripted outcome, or keeps it
   * on screen while {@link #hold} is in force. Without an activity it answers NO_ACTIVITY and
   * records nothing.
   */
  @Override
  public void authenticate(Cipher cipher, PromptText text, IntConsumer done) {
    Prompt prompt = new Prompt(cipher, done);
    synchronized (LOCK) {
      if (!activity) {
        prompt = null;
      } else {
        shown++;
        withCipher += cipher == null ? 0 : 1;
        onScreen++;
        maxOnScreen = Math.max(maxOnScreen, onScreen);
        lastTitle = text.title;
        lastSubtitle = text.subtitle;
        lastCancel = text.cancel;
        lastHadCipher = cipher != null;
        LOCK.notifyAll();
        if (holding) {
          HELD.add(prompt);
          return;
        }
      }
    }
    if (prompt == null) {
      done.accept(KeystoreBridge.NO_ACTIVITY);
    } else {
      answer(prompt);
    }
  }

  /** Answers a prompt on screen: applies an approval, takes it off screen, then reports. */
  private static void answer(Prompt prompt) {
    int outcome;
    synchronized (LOCK) {
      Integer next = SCRIPT.poll();
      outcome = next == null ? defaultOutcome : next;
    }
    if (outcome == KeystoreBridge.APPROVED) {
      if (prompt.cipher != null) {
        FakeAndroidKeyStore.approve(prompt.cipher);
      } else {
        FakeAndroidKeyStore.approveTimeBound();
      }
    }

    // Off screen before the waiting caller wakes, so the next prompt never overlaps this one.
    synchronized (LOCK) {
      onScreen = Math.max(0, onScreen - 1);
      LOCK.notifyAll();
    }
    prompt.done.accept(outcome);
  }

  /** Waits on {@link #LOCK}, held by the caller; false once the deadline has passed. */
  private static boolean waitUntil(long deadline) {
    long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
    if (remainingMillis <= 0) {
      return false;
    }
    try {
      LOCK.wait(remainingMillis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A prompt on screen, waiting for its answer. */
  private static final class Prompt {
    final Cipher cipher;
    final IntConsumer done;

    Prompt(Cipher cipher, IntConsumer done) {
      this.cipher = cipher;
      this.done = done;
    }
  }
}
