package com.rustkeystore.testing;

import android.security.keystore.KeyGenParameterSpec;
import android.security.keystore.KeyInfo;
import android.security.keystore.KeyProperties;
import java.util.Arrays;
import java.util.Date;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key of {@link FakeAndroidKeyStore}: the parameters it was generated with and its secret.
 *
 * <p>The parameters never change. {@link #invalidated} and the secret are guarded by {@link
 * FakeAndroidKeyStore#LOCK}; the secret is wiped when the key is deleted or replaced.
 */
final class KeyRecord {
  static final String SOFTWARE = "SOFTWARE";
  static final String TRUSTED_ENVIRONMENT = "TRUSTED_ENVIRONMENT";
  static final String STRONGBOX = "STRONGBOX";

  final String alias;
  final int keySize;
  final int purposes;
  final String[] blockModes;
  final String[] paddings;
  final boolean randomized;
  final boolean authRequired;
  /** Seconds the key stays usable after the user authenticates; 0 when every use needs it. */
  final int timeoutSeconds;
  final int authTypes;
  /** Whether enrolling a biometric invalidates the key, as Android decides it. */
  final boolean invalidatedByEnrollment;
  final boolean strongBox;
  final String level;
  final Date created;
  private final KeyGenParameterSpec spec;

  /** Guarded by {@link FakeAndroidKeyStore#LOCK}. */
  boolean invalidated;

  /** Guarded by {@link FakeAndroidKeyStore#LOCK}; {@code null} once wiped. */
  private byte[] secret;

  KeyRecord(KeyGenParameterSpec spec, int keySize, String level, byte[] secret) {
    this.spec = spec;
    this.alias = spec.getKeystoreAlias();
    this.keySize = keySize;
    this.purposes = spec.getPurposes();
    this.blockModes = spec.getBlockModes();
    this.paddings = spec.getEncryptionPaddings();
    this.randomized = spec.isRandomizedEncryptionRequired();
    this.authRequired = spec.isUserAuthenticationRequired();
    int timeout = spec.getUserAuthenticationValidityDurationSeconds();
    this.timeoutSeconds = authRequired ? Math.max(0, timeout) : 0;
    this.authTypes = authRequired ? spec.getUserAuthenticationType() : 0;
    this.invalidatedByEnrollment =
        authRequired
            && spec.isInvalidatedByBiometricEnrollment()
            && (authTypes & KeyProperties.AUTH_BIOMETRIC_STRONG) != 0;
    this.strongBox = spec.isStrongBoxBacked();
    this.level = level;
    this.created = new Date();
    this.secret = secret;
  }

  /** Whether every operation needs its own authentication. */
  boolean perUse() {
    return authRequired && timeoutSeconds == 0;
  }

  /** Whether the key opens for {@link #timeoutSeconds} after the user authenticates. */
  boolean timeBound() {
    return authRequired && timeoutSeconds > 0;
  }

  /** Whether the key was generated for {@code mode} (a KeyProperties.BLOCK_MODE_* name). */
  boolean allowsBlockMode(String mode) {
    return Arrays.stream(blockModes).anyMatch(mode::equalsIgnoreCase);
  }

  /** Whether the key was generated for {@code padding} (a KeyProperties.ENCRYPTION_PADDING_*). */
  boolean allowsPadding(String padding) {
    return Arrays.stream(paddings).anyMatch(padding::equalsIgnoreCase);
  }

  /** The key material for the JDK's AES; call with {@link FakeAndroidKeyStore#LOCK} held. */
  SecretKeySpec secret() {
    return new SecretKeySpec(secret, "AES");
  }

  /** Whether the key was deleted or replaced; call with the lock held. */
  boolean wiped() {
    return secret == null;
  }

  /** Overwrites and drops the key material; call with the lock held. */
  void wipe() {
    if (secret != null) {
      Arrays.fill(secret, (byte) 0);
      secret = null;
    }
  }

  /** The line {@link FakeAndroidKeyStore#describe} documents; call with the lock held. */
  String describe() {
    String auth = !authRequired ? "none" : perUse() ? "per-use" : "time-bound";
    return "size=" + keySize
        + " purposes=" + purposes
        + " modes=" + join(blockModes)
        + " paddings=" + join(paddings)
        + " randomized=" + randomized
        + " auth=" + auth
        + " timeout=" + timeoutSeconds
        + " types=" + authTypes
        + " invalidatedByEnrollment=" + invalidatedByEnrollment
        + " strongbox=" + strongBox
        + " level=" + level
        + " invalidated=" + invalidated;
  }

  /** The key's properties as Android reports them. */
  KeyInfo keyInfo() {
    boolean secureHardware = !SOFTWARE.equals(level);
    return new KeyInfo(
        alias,
        secureHardware,
        KeyProperties.ORIGIN_GENERATED,
        keySize,
        spec.getKeyValidityStart(),
        spec.getKeyValidityForOriginationEnd(),
        spec.getKeyValidityForConsumptionEnd(),
        purposes,
        paddings,
        new String[0],
        new String[0],
        blockModes,
        authRequired,
        timeoutSeconds,
        authTypes,
        authRequired && secureHardware,
        authRequired && spec.isUserAuthenticationValidWhileOnBody(),
        spec.isUserPresenceRequired(),
        invalidatedByEnrollment,
        spec.isUserConfirmationRequired(),
        securityLevel(),
        spec.getMaxUsageCount());
  }

  private int securityLevel() {
    switch (level) {
      case STRONGBOX:
        return KeyProperties.SECURITY_LEVEL_STRONGBOX;
      case SOFTWARE:
        return KeyProperties.SECURITY_LEVEL_SOFTWARE;
      default:
        return KeyProperties.SECURITY_LEVEL_TRUSTED_ENVIRONMENT;
    }
  }

  private static String join(String[] names) {
    return names.length == 0 ? "-" : String.join(",", names);
  }
}
