package com.rustkeystore.testing;

import android.security.keystore.KeyProperties;
import android.security.keystore.UserNotAuthenticatedException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES transformation over keys of {@link FakeAndroidKeyStore}. It enforces what the key was
 * generated for and hands the arithmetic to the JDK's own AES with the key's hidden material.
 *
 * <p>Each {@code init} opens a new operation. A refused or failed {@code doFinal} ends it, and the
 * cipher must be initialised again, as on Android; a successful one leaves the JDK's rules in
 * force (decryption may run again, GCM encryption may not). The methods are synchronized because
 * {@link #approve} arrives from the thread that answers the prompt.
 */
final class FakeCipherSpi extends CipherSpi {
  private static final int GCM_IV_BYTES = 12;
  private static final int BLOCK_BYTES = 16;
  private static final int TAG_BITS = 128;

  /** Set by {@link #behind} so that {@link #engineGetIV} reveals which instance serves a Cipher. */
  private static final ThreadLocal<FakeCipherSpi[]> CAPTURE = new ThreadLocal<>();

  private final String mode;
  private final String padding;

  private KeyRecord record;
  private Cipher delegate;
  private boolean approved;
  /** Why the open operation may not finish; {@code doFinal} throws it as the cause. */
  private Exception refusal;

  FakeCipherSpi(String mode, String padding) {
    this.mode = mode;
    this.padding = padding;
  }

  /**
   * The instance behind {@code cipher}, or {@code null} when another provider serves it.
   *
   * <p>{@code Cipher.getIV} calls straight into the serving instance on the calling thread, so a
   * thread-local slot filled there names it exactly, whatever other ciphers are doing.
   */
  static FakeCipherSpi behind(Cipher cipher) {
    FakeCipherSpi[] slot = new FakeCipherSpi[1];
    CAPTURE.set(slot);
    try {
      cipher.getIV();
    } catch (RuntimeException e) {
      return null;
    } finally {
      CAPTURE.remove();
    }
    return slot[0];
  }

  /** Authorises one {@code doFinal} of the open operation; {@code false} when none is open. */
  synchronized boolean approve() {
    if (delegate == null || refusal != null) {
      return false;
    }
    approved = true;
    return true;
  }

  @Override
  protected void engineSetMode(String requested) throws NoSuchAlgorithmException {
    if (!mode.equalsIgnoreCase(requested)) {
      throw new NoSuchAlgorithmException("this cipher only does " + mode);
    }
  }

  @Override
  protected void engineSetPadding(String requested) throws NoSuchPaddingException {
    if (!padding.equalsIgnoreCase(requested)) {
      throw new NoSuchPaddingException("this cipher only does " + padding);
    }
  }

  @Override
  protected int engineGetBlockSize() {
    return BLOCK_BYTES;
  }

  @Override
  protected synchronized int engineGetOutputSize(int inputLen) {
    return delegate == null ? inputLen + 2 * BLOCK_BYTES : delegate.getOutputSize(inputLen);
  }

  @Override
  protected synchronized byte[] engineGetIV() {
    FakeCipherSpi[] slot = CAPTURE.get();
    if (slot != null) {
      slot[0] = this;
    }
    return delegate == null ? null : delegate.getIV();
  }

  @Override
  protected synchronized AlgorithmParameters engineGetParameters() {
    return delegate == null ? null : delegate.getParameters();
  }

  @Override
  protected int engineGetKeySize(Key key) throws InvalidKeyException {
    return recordOf(key).keySize;
  }

  @Override
  protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
    try {
      init(opmode, key, null);
    } catch (InvalidAlgorithmParameterException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  @Override
  protected void engineInit(
      int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    init(opmode, key, params);
  }

  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    AlgorithmParameterSpec spec = null;
    if (params != null) {
      try {
        spec =
            isGcm()
                ? params.getParameterSpec(GCMParameterSpec.class)
                : params.getParameterSpec(IvParameterSpec.class);
      } catch (InvalidParameterSpecException e) {
        throw new InvalidAlgorithmParameterException("unusable parameters for " + mode, e);
      }
    }
    init(opmode, key, spec);
  }

  /**
   * Opens an operation, checking the key in the order Android does: scripted failure, mode and
   * purpose, parameters, then invalidation and authentication.
   */
  private synchronized void init(int opmode, Key key, AlgorithmParameterSpec params)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    end();
    FakeAndroidKeyStore.failIfScripted(
        "init", InvalidKeyException.class, InvalidAlgorithmParameterException.class);
    KeyRecord target = recordOf(key);

    boolean encrypting;
    if (opmode == Cipher.ENCRYPT_MODE) {
      encrypting = true;
    } else if (opmode == Cipher.DECRYPT_MODE) {
      encrypting = false;
    } else {
      throw new InvalidKeyException("only ENCRYPT_MODE and DECRYPT_MODE are simulated");
    }
    int purpose = encrypting ? KeyProperties.PURPOSE_ENCRYPT : KeyProperties.PURPOSE_DECRYPT;
    if ((target.purposes & purpose) == 0) {
      String use = encrypting ? "encryption" : "decryption";
      throw new InvalidKeyException("the key was not generated for " + use);
    }
    if (!target.allowsBlockMode(mode)) {
      throw new InvalidKeyException("the key was not generated for block mode " + mode);
    }
    if (!target.allowsPadding(padding)) {
      throw new InvalidKeyException("the key was not generated for padding " + padding);
    }

    AlgorithmParameterSpec parameters = parameters(target, encrypting, params);
    SecretKeySpec secret = FakeAndroidKeyStore.openForOperation(target);
    Cipher jdk = jdkCipher();
    if (parameters == null) {
      jdk.init(opmode, secret);
    } else {
      jdk.init(opmode, secret, parameters);
    }
    record = target;
    delegate = jdk;
  }

  /** The IV to use: picked here when encrypting without one, as randomized encryption needs. */
  private AlgorithmParameterSpec parameters(
      KeyRecord target, boolean encrypting, AlgorithmParameterSpec params)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    if (KeyProperties.BLOCK_MODE_ECB.equals(mode)) {
      if (params != null) {
        throw new InvalidAlgorithmParameterException("ECB takes no IV");
      }
      return null;
    }
    if (params == null) {
      if (!encrypting) {
        throw new InvalidKeyException("decryption needs the IV that encryption produced");
      }
      byte[] iv = new byte[isGcm() ? GCM_IV_BYTES : BLOCK_BYTES];
      FakeAndroidKeyStore.RANDOM.nextBytes(iv);
      return isGcm() ? new GCMParameterSpec(TAG_BITS, iv) : new IvParameterSpec(iv);
    }
    if (encrypting && target.randomized) {
      throw new InvalidAlgorithmParameterException(
          "the keystore picks the IV itself for keys that require randomized encryption");
    }
    if (isGcm()) {
      if (!(params instanceof GCMParameterSpec)) {
        throw new InvalidAlgorithmParameterException("GCM takes a GCMParameterSpec");
      }
      GCMParameterSpec gcm = (GCMParameterSpec) params;
      if (gcm.getIV().length != GCM_IV_BYTES) {
        throw new InvalidAlgorithmParameterException("GCM takes a 12-byte IV");
      }
      int tagBits = gcm.getTLen();
      if (tagBits < 96 || tagBits > TAG_BITS || tagBits % 8 != 0) {
        throw new InvalidAlgorithmParameterException("GCM tags are 96 to 128 bits, whole bytes");
      }
      return gcm;
    }
    if (!(params instanceof IvParameterSpec) || ((IvParameterSpec) params).getIV().length != 16) {
      throw new InvalidAlgorithmParameterException(mode + " takes a 16-byte IvParameterSpec");
    }
    return params;
  }

  @Override
  protected synchronized void engineUpdateAAD(byte[] src, int offset, int len) {
    requireOpen();
    delegate.updateAAD(src, offset, len);
  }

  @Override
  protected synchronized byte[] engineUpdate(byte[] input, int offset, int length) {
    requireOpen();
    if (!mayProceed()) {
      return new byte[0];
    }
    return delegate.update(input, offset, length);
  }

  @Override
  protected synchronized int engineUpdate(
      byte[] input, int offset, int length, byte[] output, int outputOffset)
      throws ShortBufferException {
    requireOpen();
    if (!mayProceed()) {
      return 0;
    }
    return delegate.update(input, offset, length, output, outputOffset);
  }

  /**
   * Finishes the operation.
   *
   * @throws IllegalBlockSizeException caused by {@code UserNotAuthenticatedException} when the key
   *     needs the user for every use and this operation was not approved; the operation ends
   * @throws javax.crypto.AEADBadTagException when GCM decryption finds a wrong tag
   */
  @Override
  protected synchronized byte[] engineDoFinal(byte[] input, int offset, int length)
      throws IllegalBlockSizeException, BadPaddingException {
    requireOpen();
    boolean finished = false;
    try {
      FakeAndroidKeyStore.failIfScripted(
          "doFinal", IllegalBlockSizeException.class, BadPaddingException.class);
      if (!mayProceed()) {
        throw (IllegalBlockSizeException)
            new IllegalBlockSizeException("the operation was refused").initCause(refusal);
      }
      approved = false;
      byte[] output = input == null ? delegate.doFinal() : delegate.doFinal(input, offset, length);
      finished = true;
      return output;
    } finally {
      if (!finished) {
        end();
      }
    }
  }

  @Override
  protected synchronized int engineDoFinal(
      byte[] input, int offset, int length, byte[] output, int outputOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    requireOpen();
    if (output.length - outputOffset < engineGetOutputSize(length)) {
      throw new ShortBufferException("the output buffer is too small");
    }
    byte[] result = engineDoFinal(input, offset, length);
    System.arraycopy(result, 0, output, outputOffset, result.length);
    return result.length;
  }

  /** Whether the open operation may process data; records the refusal when it may not. */
  private boolean mayProceed() {
    if (refusal == null && record.perUse() && !approved) {
      refusal = new UserNotAuthenticatedException("the user has not approved this operation");
    }
    return refusal == null;
  }

  private void requireOpen() {
    if (delegate == null) {
      throw new IllegalStateException("initialise the cipher; a refused operation is over");
    }
  }

  private void end() {
    record = null;
    delegate = null;
    approved = false;
    refusal = null;
  }

  private boolean isGcm() {
    return KeyProperties.BLOCK_MODE_GCM.equals(mode);
  }

  private Cipher jdkCipher() {
    String jdkPadding =
        KeyProperties.ENCRYPTION_PADDING_PKCS7.equals(padding) ? "PKCS5Padding" : padding;
    try {
      return Cipher.getInstance("AES/" + mode + "/" + jdkPadding, "SunJCE");
    } catch (GeneralSecurityException e) {
      throw new ProviderException("the JDK's AES is missing", e);
    }
  }

  private static KeyRecord recordOf(Key key) throws InvalidKeyException {
    if (!(key instanceof FakeSecretKey) || ((FakeSecretKey) key).record == null) {
      throw new InvalidKeyException("not a key of this keystore");
    }
    return ((FakeSecretKey) key).record;
  }
}
