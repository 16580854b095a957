package com.rustkeystore.android;

import android.os.Build;
import android.util.Log;
import com.facebook.react.bridge.ReactApplicationContext;
import java.io.File;

/**
 * Starts the Rust Android protector when React Native creates the module.
 *
 * <p>Stores live in {@code no_backup/rn-rust-keystore} under the app's data directory: their data
 * keys are in the Android Keystore, which a backup cannot carry to another device, so a restored
 * store could never be opened.
 */
public final class KeystoreAndroid {
  private static final String TAG = "RustKeystore";

  /** The shared library of the generated module, which holds the Rust core. */
  private static final String LIBRARY = "react-native-rust-keystore";

  /** The stores' directory, under {@code Context.getNoBackupFilesDir()}. */
  private static final String DIRECTORY = "rn-rust-keystore";

  private static AndroidPlatform platform;

  private KeystoreAndroid() {}

  /**
   * Starts the protector once per process; later calls only point its prompts at {@code
   * context}, the newest React Native context (a reload makes a new one).
   *
   * <p>Never throws: a failure to load the library or to start the protector is logged under
   * the tag {@code RustKeystore}, without any store data, and the app keeps running.
   */
  public static synchronized void install(ReactApplicationContext context) {
    if (platform != null) {
      platform.useContext(context);
      return;
    }

    // Set before starting, so that a failure is not retried on every module creation.
    platform = new AndroidPlatform(context);
    try {
      System.loadLibrary(LIBRARY);
      String directory = new File(context.getNoBackupFilesDir(), DIRECTORY).getAbsolutePath();
      String reason = KeystoreBridge.start(platform, directory, Build.VERSION.SDK_INT);
      if (reason != null) {
        Log.e(TAG, "The Android protector did not start: " + reason);
      }
    } catch (Throwable e) {
      // Module creation runs inside React Native's startup; an exception here would crash the app.
      Log.e(TAG, "The Android protector did not start", e);
    }
  }
}
