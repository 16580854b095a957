package com.rustkeystore.testing;

import android.security.keystore.KeyInfo;
import java.security.InvalidKeyException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactorySpi;

/** {@code SecretKeyFactory "AES"}: reports a key's {@link KeyInfo}; it cannot import keys. */
final class FakeSecretKeyFactorySpi extends SecretKeyFactorySpi {
  @Override
  protected SecretKey engineGenerateSecret(KeySpec keySpec) throws InvalidKeySpecException {
    throw new InvalidKeySpecException("importing keys is not simulated; use KeyGenerator");
  }

  @Override
  protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec)
      throws InvalidKeySpecException {
    FakeAndroidKeyStore.failIfScripted(
        "getKeySpec", InvalidKeySpecException.class, InvalidKeySpecException.class);
    if (!KeyInfo.class.equals(keySpec)) {
      throw new InvalidKeySpecException("only KeyInfo is available for keystore keys");
    }
    if (!(key instanceof FakeSecretKey) || ((FakeSecretKey) key).record == null) {
      throw new InvalidKeySpecException("not a key of this keystore");
    }
    KeyRecord record = ((FakeSecretKey) key).record;
    synchronized (FakeAndroidKeyStore.LOCK) {
      if (record.wiped()) {
        throw new InvalidKeySpecException("the key is no longer in the keystore");
      }
    }
    return record.keyInfo();
  }

  @Override
  protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
    if (key instanceof FakeSecretKey) {
      return key;
    }
    throw new InvalidKeyException("only keys of this keystore can be translated");
  }
}
