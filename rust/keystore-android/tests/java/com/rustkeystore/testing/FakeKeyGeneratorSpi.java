package com.rustkeystore.testing;

import android.security.keystore.KeyGenParameterSpec;
import android.security.keystore.KeyProperties;
import android.security.keystore.StrongBoxUnavailableException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyGeneratorSpi;
import javax.crypto.SecretKey;

/**
 * {@code KeyGenerator "AES"}: generates a key into {@link FakeAndroidKeyStore} from a {@link
 * KeyGenParameterSpec}, replacing any key under the same alias.
 */
final class FakeKeyGeneratorSpi extends KeyGeneratorSpi {
  private static final int DEFAULT_KEY_SIZE = 128;
  private static final List<Integer> KEY_SIZES = List.of(128, 192, 256);
  private static final int AES_PURPOSES =
      KeyProperties.PURPOSE_ENCRYPT
          | KeyProperties.PURPOSE_DECRYPT
          | KeyProperties.PURPOSE_WRAP_KEY;
  private static final List<String> BLOCK_MODES =
      List.of(
          KeyProperties.BLOCK_MODE_GCM,
          KeyProperties.BLOCK_MODE_CBC,
          KeyProperties.BLOCK_MODE_CTR,
          KeyProperties.BLOCK_MODE_ECB);
  private static final List<String> PADDINGS =
      List.of(KeyProperties.ENCRYPTION_PADDING_NONE, KeyProperties.ENCRYPTION_PADDING_PKCS7);

  private KeyGenParameterSpec spec;
  private int keySize;

  @Override
  protected void engineInit(SecureRandom random) {
    throw new IllegalStateException("initialise with a KeyGenParameterSpec");
  }

  @Override
  protected void engineInit(int keySize, SecureRandom random) {
    throw new IllegalStateException("initialise with a KeyGenParameterSpec");
  }

  /**
   * Checks {@code params} as Android does before any key exists.
   *
   * @throws InvalidAlgorithmParameterException when {@code params} is not a KeyGenParameterSpec,
   *     asks for an unsupported size, purpose, block mode or padding, combines ECB with randomized
   *     encryption, or needs the user while no secure lock screen is set
   */
  @Override
  protected void engineInit(AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidAlgorithmParameterException {
    spec = null;
    if (!(params instanceof KeyGenParameterSpec)) {
      throw new InvalidAlgorithmParameterException("expected a KeyGenParameterSpec");
    }
    KeyGenParameterSpec candidate = (KeyGenParameterSpec) params;

    int size = candidate.getKeySize() == -1 ? DEFAULT_KEY_SIZE : candidate.getKeySize();
    if (!KEY_SIZES.contains(size)) {
      throw new InvalidAlgorithmParameterException("AES key size must be 128, 192 or 256 bits");
    }
    int purposes = candidate.getPurposes();
    if (purposes == 0 || (purposes & ~AES_PURPOSES) != 0) {
      throw new InvalidAlgorithmParameterException("AES keys only encrypt, decrypt or wrap");
    }
    requireKnown(candidate.getBlockModes(), BLOCK_MODES, "block mode");
    requireKnown(candidate.getEncryptionPaddings(), PADDINGS, "padding");

    // ECB leaks equal blocks, so Android will not let it serve randomized encryption.
    boolean encrypts = (purposes & KeyProperties.PURPOSE_ENCRYPT) != 0;
    boolean ecb = Arrays.asList(candidate.getBlockModes()).contains(KeyProperties.BLOCK_MODE_ECB);
    if (encrypts && ecb && candidate.isRandomizedEncryptionRequired()) {
      throw new InvalidAlgorithmParameterException(
          "ECB cannot give randomized encryption; disable setRandomizedEncryptionRequired");
    }

    if (candidate.isUserAuthenticationRequired() && !FakeAndroidKeyStore.isDeviceSecure()) {
      throw new InvalidAlgorithmParameterException(
          "secure lock screen must be enabled to create keys that require user authentication");
    }
    spec = candidate;
    keySize = size;
  }

  /**
   * Generates the key and stores it.
   *
   * @throws StrongBoxUnavailableException when the spec asks for StrongBox and the device has none
   * @throws IllegalStateException when not initialised
   */
  @Override
  protected SecretKey engineGenerateKey() {
    if (spec == null) {
      throw new IllegalStateException("initialise with a KeyGenParameterSpec first");
    }
    FakeAndroidKeyStore.failIfScripted("generateKey");
    if (spec.isStrongBoxBacked() && !FakeAndroidKeyStore.isStrongBoxAvailable()) {
      throw new StrongBoxUnavailableException("this device has no StrongBox");
    }

    byte[] secret = new byte[keySize / 8];
    FakeAndroidKeyStore.RANDOM.nextBytes(secret);
    String level = FakeAndroidKeyStore.levelForNewKey(spec.isStrongBoxBacked());
    KeyRecord record = new KeyRecord(spec, keySize, level, secret);
    FakeAndroidKeyStore.store(record);
    return new FakeSecretKey(record);
  }

  private static void requireKnown(String[] names, List<String> known, String what)
      throws InvalidAlgorithmParameterException {
    for (String name : names) {
      if (known.stream().noneMatch(name::equalsIgnoreCase)) {
        throw new InvalidAlgorithmParameterException("unsupported " + what + ": " + name);
      }
    }
  }
}
