package com.rustkeystore.testing;

import java.security.Provider;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The JCA providers {@link FakeAndroidKeyStore#install} registers. */
final class FakeProvider extends Provider {
  private static final long serialVersionUID = 1L;

  /** The AES transformations Android's keystore offers, as block mode and padding. */
  private static final String[][] TRANSFORMATIONS = {
    {"GCM", "NoPadding"},
    {"CBC", "NoPadding"},
    {"CBC", "PKCS7Padding"},
    {"CTR", "NoPadding"},
    {"ECB", "NoPadding"},
    {"ECB", "PKCS7Padding"},
  };

  private FakeProvider(String name, String info) {
    super(name, "1.0", info);
  }

  /** The key store, key generator and secret key factory provider. */
  static FakeProvider keyStore() {
    FakeProvider provider =
        new FakeProvider(FakeAndroidKeyStore.PROVIDER, "Test stand-in for the Android Keystore");
    String name = FakeAndroidKeyStore.PROVIDER;
    provider.add("KeyStore", name, FakeKeyStoreSpi.class, FakeKeyStoreSpi::new);
    provider.add("KeyGenerator", "AES", FakeKeyGeneratorSpi.class, FakeKeyGeneratorSpi::new);
    provider.add(
        "SecretKeyFactory", "AES", FakeSecretKeyFactorySpi.class, FakeSecretKeyFactorySpi::new);
    return provider;
  }

  /** The cipher provider; its ciphers accept only keys of {@link FakeAndroidKeyStore}. */
  static FakeProvider ciphers() {
    FakeProvider provider =
        new FakeProvider(
            FakeAndroidKeyStore.CIPHER_PROVIDER, "Test stand-in for Android Keystore ciphers");
    for (String[] transformation : TRANSFORMATIONS) {
      String mode = transformation[0];
      String padding = transformation[1];
      String name = "AES/" + mode + "/" + padding;
      provider.add("Cipher", name, FakeCipherSpi.class, () -> new FakeCipherSpi(mode, padding));
    }
    return provider;
  }

  private void add(String type, String algorithm, Class<?> spi, Supplier<Object> factory) {
    putService(new FactoryService(this, type, algorithm, spi.getName(), factory));
  }

  /** A service that builds its implementation directly and accepts only this keystore's keys. */
  private static final class FactoryService extends Service {
    private final Supplier<Object> factory;

    FactoryService(
        Provider provider,
        String type,
        String algorithm,
        String className,
        Supplier<Object> factory) {
      super(provider, type, algorithm, className, List.of(), Map.of());
      this.factory = factory;
    }

    @Override
    public Object newInstance(Object constructorParameter) {
      return factory.get();
    }

    @Override
    public boolean supportsParameter(Object parameter) {
      return parameter instanceof FakeSecretKey;
    }
  }
}
