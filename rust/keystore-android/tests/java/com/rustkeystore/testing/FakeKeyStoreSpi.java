package com.rustkeystore.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.KeyStoreSpi;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableEntryException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;

/**
 * {@code KeyStore "AndroidKeyStore"}: a view of {@link FakeAndroidKeyStore}'s keys. It holds AES
 * keys only; certificates and importing keys are not simulated.
 */
final class FakeKeyStoreSpi extends KeyStoreSpi {
  @Override
  public void engineLoad(InputStream stream, char[] password)
      throws IOException, NoSuchAlgorithmException {
    FakeAndroidKeyStore.failIfScripted("load", IOException.class, NoSuchAlgorithmException.class);
    if (stream != null) {
      throw new IllegalArgumentException("the keystore loads from nothing: pass null");
    }
  }

  @Override
  public void engineLoad(KeyStore.LoadStoreParameter parameter)
      throws IOException, NoSuchAlgorithmException {
    if (parameter != null) {
      throw new IllegalArgumentException("the keystore takes no load parameter: pass null");
    }
    engineLoad(null, null);
  }

  @Override
  public Key engineGetKey(String alias, char[] password)
      throws NoSuchAlgorithmException, UnrecoverableKeyException {
    FakeAndroidKeyStore.failIfScripted(
        "getKey", UnrecoverableKeyException.class, NoSuchAlgorithmException.class);
    KeyRecord record = FakeAndroidKeyStore.find(alias);
    return record == null ? null : new FakeSecretKey(record);
  }

  @Override
  public KeyStore.Entry engineGetEntry(String alias, KeyStore.ProtectionParameter protection)
      throws NoSuchAlgorithmException, UnrecoverableEntryException {
    Key key = engineGetKey(alias, null);
    return key == null ? null : new KeyStore.SecretKeyEntry((FakeSecretKey) key);
  }

  @Override
  public boolean engineContainsAlias(String alias) {
    FakeAndroidKeyStore.failIfScripted("containsAlias");
    return FakeAndroidKeyStore.find(alias) != null;
  }

  /** Deletes the key under {@code alias}; a missing alias is not an error. */
  @Override
  public void engineDeleteEntry(String alias) throws KeyStoreException {
    FakeAndroidKeyStore.failIfScripted(
        "deleteEntry", KeyStoreException.class, KeyStoreException.class);
    FakeAndroidKeyStore.delete(alias);
  }

  @Override
  public Enumeration<String> engineAliases() {
    FakeAndroidKeyStore.failIfScripted("aliases");
    return Collections.enumeration(FakeAndroidKeyStore.aliases());
  }

  @Override
  public int engineSize() {
    return FakeAndroidKeyStore.aliasCount();
  }

  @Override
  public boolean engineIsKeyEntry(String alias) {
    return FakeAndroidKeyStore.find(alias) != null;
  }

  @Override
  public boolean engineIsCertificateEntry(String alias) {
    return false;
  }

  @Override
  public Date engineGetCreationDate(String alias) {
    KeyRecord record = FakeAndroidKeyStore.find(alias);
    return record == null ? null : new Date(record.created.getTime());
  }

  @Override
  public Certificate engineGetCertificate(String alias) {
    return null;
  }

  @Override
  public Certificate[] engineGetCertificateChain(String alias) {
    return null;
  }

  @Override
  public String engineGetCertificateAlias(Certificate certificate) {
    return null;
  }

  @Override
  public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain)
      throws KeyStoreException {
    throw new KeyStoreException("importing keys is not simulated; use KeyGenerator");
  }

  @Override
  public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain)
      throws KeyStoreException {
    throw new KeyStoreException("importing keys is not simulated; use KeyGenerator");
  }

  @Override
  public void engineSetCertificateEntry(String alias, Certificate certificate)
      throws KeyStoreException {
    throw new KeyStoreException("certificates are not simulated");
  }

  @Override
  public void engineStore(OutputStream stream, char[] password) {
    throw new UnsupportedOperationException("the keystore cannot be written to a stream");
  }
}
