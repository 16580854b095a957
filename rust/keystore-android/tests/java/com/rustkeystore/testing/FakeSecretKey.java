package com.rustkeystore.testing;

import javax.crypto.SecretKey;

/**
 * A handle on a key of {@link FakeAndroidKeyStore}. Like Android's keystore keys it does not
 * export its material: {@link #getEncoded} and {@link #getFormat} return {@code null}.
 */
final class FakeSecretKey implements SecretKey {
  private static final long serialVersionUID = 1L;

  /** The key this handle opens; a deserialised handle opens nothing. */
  final transient KeyRecord record;

  FakeSecretKey(KeyRecord record) {
    this.record = record;
  }

  @Override
  public String getAlgorithm() {
    return "AES";
  }

  /** Always {@code null}: the key material never leaves the keystore. */
  @Override
  public String getFormat() {
    return null;
  }

  /** Always {@code null}: the key material never leaves the keystore. */
  @Override
  public byte[] getEncoded() {
    return null;
  }

  @Override
  public String toString() {
    return "FakeSecretKey[" + (record == null ? "detached" : record.alias) + "]";
  }
}
