package com.rustkeystore.android;

import com.facebook.react.BaseReactPackage;
import com.facebook.react.bridge.NativeModule;
import com.facebook.react.bridge.ReactApplicationContext;
import com.facebook.react.module.model.ReactModuleInfoProvider;
import com.rustkeystore.RustKeystoreModule;
import com.rustkeystore.RustKeystorePackage;

/**
 * The package React Native autolinking adds to apps (see {@code react-native.config.js}).
 *
 * <p>It is the generated {@link RustKeystorePackage}, which must not be edited, plus one step:
 * before the module exists, {@link KeystoreAndroid#install} starts the Rust Android protector.
 */
public final class KeystorePackage extends BaseReactPackage {
  private final RustKeystorePackage generated = new RustKeystorePackage();

  /** Creates an instance; autolinking calls this from the app's generated package list. */
  public KeystorePackage() {}

  /**
   * Returns the generated module for its name, after starting the protector, and {@code null} for
   * any other name.
   */
  @Override
  public NativeModule getModule(String name, ReactApplicationContext context) {
    if (RustKeystoreModule.NAME.equals(name)) {
      KeystoreAndroid.install(context);
    }
    return generated.getModule(name, context);
  }

  /** Describes the module as the generated package does: a TurboModule, created lazily. */
  @Override
  public ReactModuleInfoProvider getReactModuleInfoProvider() {
    return generated.getReactModuleInfoProvider();
  }
}
