package com.rustkeystore.testing;

import android.security.keystore.KeyPermanentlyInvalidatedException;
import android.security.keystore.UserNotAuthenticatedException;
import java.io.IOException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for the Android Keystore on a host JVM, with the switches the protector's tests
 * need.
 *
 * <p>{@link #install} registers two JCA providers, as Android does: {@value #PROVIDER} (key
 * store, AES key generator, AES secret key factory) and {@value #CIPHER_PROVIDER} (the AES
 * ciphers). {@code Cipher.getInstance("AES/GCM/NoPadding")} without a provider name therefore
 * reaches this keystore at {@code init}: the JDK's own AES ciphers decline keys that have no
 * encoded form, and the keys here have none.
 *
 * <p>Keys honour what their {@code KeyGenParameterSpec} asked for:
 *
 * <ul>
 *   <li>a key that needs the user for every use ({@code auth=per-use}) initialises a cipher, but
 *       {@code update} and {@code doFinal} fail with an {@code IllegalBlockSizeException} caused
 *       by {@code UserNotAuthenticatedException} unless {@link #approve} was called for that very
 *       cipher after it was initialised; one approval covers one {@code doFinal};
 *   <li>a key usable for a few seconds after the user authenticates ({@code auth=time-bound})
 *       fails {@code Cipher.init} with {@code UserNotAuthenticatedException} unless {@link
 *       #approveTimeBound} was called at most that many seconds earlier on the test clock ({@link
 *       #advanceClock});
 *   <li>{@link #enrollNewBiometric} and {@link #removeLockScreen} invalidate keys for good:
 *       {@code Cipher.init} then fails with {@code KeyPermanentlyInvalidatedException}, while the
 *       key stays listed and {@code getKey} still returns it;
 *   <li>a block mode, padding or purpose the key was not generated for fails {@code Cipher.init}
 *       with {@code InvalidKeyException}; encryption always picks its own IV when the key requires
 *       randomized encryption, and a caller's IV is refused.
 * </ul>
 *
 * <p>Not simulated: usage counts, validity dates, user presence and confirmation, unlocked-device
 * requirements, and wrap or unwrap modes. A time-bound key is checked when a cipher is
 * initialised, not again before {@code doFinal}. Invalidation is checked at {@code init} too, so a
 * cipher initialised before it still finishes.
 *
 * <p>All state is static and every method is safe to call from several threads at once.
 */
public final class FakeAndroidKeyStore {
  /** The name of the key store, key generator and secret key factory provider. */
  public static final String PROVIDER = "AndroidKeyStore";

  /** The name of the provider of the AES ciphers, the one Android uses for them. */
  public static final String CIPHER_PROVIDER = "AndroidKeyStoreBCWorkaround";

  /** The operations {@link #failNext} accepts, with the checked exceptions each can throw. */
  private static final Map<String, List<Class<? extends Exception>>> OPERATIONS =
      Map.of(
          "load", List.of(IOException.class, NoSuchAlgorithmException.class),
          "generateKey", List.of(),
          "getKey", List.of(UnrecoverableKeyException.class, NoSuchAlgorithmException.class),
          "containsAlias", List.of(),
          "deleteEntry", List.of(KeyStoreException.class),
          "aliases", List.of(),
          "init", List.of(InvalidKeyException.class, InvalidAlgorithmParameterException.class),
          "doFinal", List.of(IllegalBlockSizeException.class, BadPaddingException.class),
          "getKeySpec", List.of(InvalidKeySpecException.class));

  private static final long NEVER = Long.MIN_VALUE;

  static final SecureRandom RANDOM = new SecureRandom();

  /** Guards every field below and the mutable parts of every {@link KeyRecord}. */
  static final Object LOCK = new Object();

  private static final Map<String, KeyRecord> KEYS = new TreeMap<>();
  private static final Map<String, ArrayDeque<Exception>> FAILURES = new HashMap<>();
  private static boolean deviceSecure = true;
  private static boolean strongBoxAvailable;
  private static boolean softwareOnly;
  private static long clockMillis;
  private static long lastAuthenticationMillis = NEVER;

  private FakeAndroidKeyStore() {}

  /** Registers both providers at the end of the provider list; calling it again does nothing. */
  public static void install() {
    synchronized (Security.class) {
      if (Security.getProvider(PROVIDER) == null) {
        Security.addProvider(FakeProvider.keyStore());
      }
      if (Security.getProvider(CIPHER_PROVIDER) == null) {
        Security.addProvider(FakeProvider.ciphers());
      }
    }
  }

  /**
   * Forgets every key and scripted failure and restores the defaults: device secure, no
   * StrongBox, keys in the trusted environment, test clock at zero, nobody authenticated.
   */
  public static void reset() {
    synchronized (LOCK) {
      for (KeyRecord record : KEYS.values()) {
        record.wipe();
      }
      KEYS.clear();
      FAILURES.clear();
      deviceSecure = true;
      strongBoxAvailable = false;
      softwareOnly = false;
      clockMillis = 0;
      lastAuthenticationMillis = NEVER;
    }
  }

  /**
   * Sets whether a secure lock screen is set. Without one, generating a key that needs the user
   * fails. Existing keys are untouched; {@link #removeLockScreen} invalidates them.
   */
  public static void setDeviceSecure(boolean secure) {
    synchronized (LOCK) {
      deviceSecure = secure;
    }
  }

  /** Whether a secure lock screen is set. */
  public static boolean isDeviceSecure() {
    synchronized (LOCK) {
      return deviceSecure;
    }
  }

  /**
   * Sets whether the device has StrongBox. Without it, generating a StrongBox-backed key throws
   * {@code StrongBoxUnavailableException}.
   */
  public static void setStrongBoxAvailable(boolean available) {
    synchronized (LOCK) {
      strongBoxAvailable = available;
    }
  }

  /** Whether the device has StrongBox. */
  public static boolean isStrongBoxAvailable() {
    synchronized (LOCK) {
      return strongBoxAvailable;
    }
  }

  /**
   * Sets whether keys generated from now on live in software rather than the trusted execution
   * environment (StrongBox-backed keys stay in StrongBox).
   */
  public static void setSoftwareOnly(boolean software) {
    synchronized (LOCK) {
      softwareOnly = software;
    }
  }

  /** Moves the test clock forward; time-bound keys measure their validity on it. */
  public static void advanceClock(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("the test clock only moves forward");
    }
    synchronized (LOCK) {
      clockMillis += millis;
    }
  }

  /**
   * Authorises the next {@code doFinal} of {@code cipher}, as a prompt shown for its CryptoObject
   * would.
   *
   * @return whether {@code cipher} is an initialised cipher of this keystore whose operation is
   *     still open; {@code false} leaves everything unchanged
   */
  public static boolean approve(Cipher cipher) {
    FakeCipherSpi spi = FakeCipherSpi.behind(cipher);
    return spi != null && spi.approve();
  }

  /** Records that the user authenticated now, which opens time-bound keys for their duration. */
  public static void approveTimeBound() {
    synchronized (LOCK) {
      lastAuthenticationMillis = clockMillis;
    }
  }

  /**
   * Enrolls a new biometric: every key that needs the user, accepts a biometric and was generated
   * with {@code setInvalidatedByBiometricEnrollment(true)} is permanently invalidated.
   *
   * @return how many keys became invalid
   */
  public static int enrollNewBiometric() {
    synchronized (LOCK) {
      int count = 0;
      for (KeyRecord record : KEYS.values()) {
        if (record.invalidatedByEnrollment && !record.invalidated) {
          record.invalidated = true;
          count++;
        }
      }
      return count;
    }
  }

  /**
   * Removes the secure lock screen: the device stops being secure and every key that needs the
   * user is permanently invalidated.
   *
   * @return how many keys became invalid
   */
  public static int removeLockScreen() {
    synchronized (LOCK) {
      deviceSecure = false;
      lastAuthenticationMillis = NEVER;
      int count = 0;
      for (KeyRecord record : KEYS.values()) {
        if (record.authRequired && !record.invalidated) {
          record.invalidated = true;
          count++;
        }
      }
      return count;
    }
  }

  /**
   * Makes the next call of {@code operation} throw {@code error}; calls queue up per operation.
   *
   * @param operation one of {@code load}, {@code generateKey}, {@code getKey}, {@code
   *     containsAlias}, {@code deleteEntry}, {@code aliases}, {@code init}, {@code doFinal}, {@code
   *     getKeySpec}
   * @throws IllegalArgumentException for another operation
   */
  public static void failNext(String operation, RuntimeException error) {
    failNext(operation, (Exception) error);
  }

  /**
   * Like {@link #failNext(String, RuntimeException)}, also accepting the checked exceptions the
   * operation can throw: {@code IOException} or {@code NoSuchAlgorithmException} for {@code load};
   * {@code UnrecoverableKeyException} or {@code NoSuchAlgorithmException} for {@code getKey};
   * {@code KeyStoreException} for {@code deleteEntry}; {@code InvalidKeyException} (and so
   * {@code UserNotAuthenticatedException}) or {@code InvalidAlgorithmParameterException} for
   * {@code init}; {@code IllegalBlockSizeException} or {@code BadPaddingException} for {@code
   * doFinal}; {@code InvalidKeySpecException} for {@code getKeySpec}.
   *
   * @throws IllegalArgumentException for another operation or an exception it cannot throw
   */
  public static void failNext(String operation, Exception error) {
    List<Class<? extends Exception>> checked = OPERATIONS.get(operation);
    if (checked == null) {
      throw new IllegalArgumentException("no such operation: " + operation);
    }
    boolean throwable =
        error instanceof RuntimeException || checked.stream().anyMatch(c -> c.isInstance(error));
    if (!throwable) {
      throw new IllegalArgumentException(operation + " cannot throw " + error.getClass().getName());
    }
    synchronized (LOCK) {
      FAILURES.computeIfAbsent(operation, name -> new ArrayDeque<>()).add(error);
    }
  }

  /**
   * Describes the key under {@code alias} in one line of space-separated {@code name=value} pairs,
   * always in this order: {@code size} (bits), {@code purposes} (KeyProperties.PURPOSE_* bits),
   * {@code modes} and {@code paddings} (comma-separated in the order given, {@code -} when none),
   * {@code randomized}, {@code auth} ({@code none}, {@code per-use} or {@code time-bound}), {@code
   * timeout} (seconds, 0 unless time-bound), {@code types} (KeyProperties.AUTH_* bits, 0 without
   * auth), {@code invalidatedByEnrollment} (whether a new biometric invalidates it), {@code
   * strongbox}, {@code level} ({@code SOFTWARE}, {@code TRUSTED_ENVIRONMENT} or {@code
   * STRONGBOX}) and {@code invalidated}. For example {@code size=256 purposes=3 modes=GCM
   * paddings=NoPadding randomized=true auth=per-use timeout=0 types=3
   * invalidatedByEnrollment=true strongbox=false level=TRUSTED_ENVIRONMENT invalidated=false}.
   *
   * @return the description, or {@code null} when no key has that alias
   */
  public static String describe(String alias) {
    synchronized (LOCK) {
      KeyRecord record = KEYS.get(alias);
      return record == null ? null : record.describe();
    }
  }

  /** How many keys the keystore holds. */
  public static int aliasCount() {
    synchronized (LOCK) {
      return KEYS.size();
    }
  }

  /** Every alias held, sorted, one per line (empty when there is none). */
  public static String aliasList() {
    synchronized (LOCK) {
      return String.join("\n", KEYS.keySet());
    }
  }

  /** The key under {@code alias}, or {@code null}. */
  static KeyRecord find(String alias) {
    synchronized (LOCK) {
      return KEYS.get(alias);
    }
  }

  /** Stores {@code record}, replacing and wiping any key under the same alias. */
  static void store(KeyRecord record) {
    synchronized (LOCK) {
      KeyRecord previous = KEYS.put(record.alias, record);
      if (previous != null) {
        previous.wipe();
      }
    }
  }

  /** Deletes the key under {@code alias}, if any. */
  static void delete(String alias) {
    synchronized (LOCK) {
      KeyRecord previous = KEYS.remove(alias);
      if (previous != null) {
        previous.wipe();
      }
    }
  }

  /** The aliases in sorted order. */
  static List<String> aliases() {
    synchronized (LOCK) {
      return new ArrayList<>(KEYS.keySet());
    }
  }

  /** The security level a key generated now gets. */
  static String levelForNewKey(boolean strongBox) {
    synchronized (LOCK) {
      if (strongBox) {
        return KeyRecord.STRONGBOX;
      }
      return softwareOnly ? KeyRecord.SOFTWARE : KeyRecord.TRUSTED_ENVIRONMENT;
    }
  }

  /**
   * Checks that {@code record} may start a cipher operation now and returns its key material.
   *
   * @throws InvalidKeyException when the key was deleted or replaced, {@code
   *     KeyPermanentlyInvalidatedException} when invalidated, {@code
   *     UserNotAuthenticatedException} when time-bound and the user has not authenticated recently
   */
  static SecretKeySpec openForOperation(KeyRecord record) throws InvalidKeyException {
    synchronized (LOCK) {
      if (record.wiped()) {
        throw new InvalidKeyException("the key is no longer in the keystore");
      }
      if (record.invalidated) {
        throw new KeyPermanentlyInvalidatedException("the key was permanently invalidated");
      }
      if (record.timeBound()) {
        long validMillis = record.timeoutSeconds * 1000L;
        boolean recent =
            lastAuthenticationMillis != NEVER
                && clockMillis - lastAuthenticationMillis <= validMillis;
        if (!recent) {
          throw new UserNotAuthenticatedException("the user has not authenticated recently");
        }
      }
      return record.secret();
    }
  }

  /** Throws the failure scripted for {@code operation}, if any, when it is unchecked. */
  static void failIfScripted(String operation) {
    failIfScripted(operation, RuntimeException.class, RuntimeException.class);
  }

  /** Throws the failure scripted for {@code operation}, if any. */
  static <A extends Exception, B extends Exception> void failIfScripted(
      String operation, Class<A> first, Class<B> second) throws A, B {
    Exception error;
    synchronized (LOCK) {
      ArrayDeque<Exception> queue = FAILURES.get(operation);
      error = queue == null ? null : queue.poll();
    }
    if (error == null) {
      return;
    }
    if (error instanceof RuntimeException) {
      throw (RuntimeException) error;
    }
    if (first.isInstance(error)) {
      throw first.cast(error);
    }
    if (second.isInstance(error)) {
      throw second.cast(error);
    }
    throw new IllegalStateException("scripted failure cannot be thrown by " + operation, error);
  }
}
