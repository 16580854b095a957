// Detox: the end-to-end tests in e2e/ against release builds of this app, on an iOS simulator
// (`ios.sim.release`) and an Android emulator (`android.emu.release`). The device workflows in
// .github/workflows/ run them; nothing here can, as there is no simulator or emulator on the
// machines the library is developed on.
//
// The simulator model and the emulator's AVD can be changed without editing this file, through
// DETOX_IOS_DEVICE and DETOX_AVD_NAME.

/** @type {Detox.DetoxConfig} */
module.exports = {
  testRunner: {
    args: { $0: 'jest', config: 'e2e/jest.config.js' },
    jest: { setupTimeout: 240000 },
  },
  apps: {
    'ios.release': {
      type: 'ios.app',
      binaryPath: 'ios/build/Build/Products/Release-iphonesimulator/RustKeystoreExample.app',
      build:
        'xcodebuild -workspace ios/RustKeystoreExample.xcworkspace -scheme RustKeystoreExample ' +
        '-configuration Release -sdk iphonesimulator -derivedDataPath ios/build -quiet',
    },
    'android.release': {
      type: 'android.apk',
      binaryPath: 'android/app/build/outputs/apk/release/app-release.apk',
      testBinaryPath:
        'android/app/build/outputs/apk/androidTest/release/app-release-androidTest.apk',
      // The emulator is x86_64; building the other ABIs would only cost time.
      build:
        'cd android && ./gradlew assembleRelease assembleAndroidTest -DtestBuildType=release ' +
        '-PreactNativeArchitectures=x86_64 && cd ..',
    },
  },
  devices: {
    simulator: {
      type: 'ios.simulator',
      device: { type: process.env.DETOX_IOS_DEVICE || 'iPhone 16' },
    },
    emulator: {
      type: 'android.emulator',
      device: { avdName: process.env.DETOX_AVD_NAME || 'keystore_api_34' },
    },
  },
  configurations: {
    'ios.sim.release': { device: 'simulator', app: 'ios.release' },
    'android.emu.release': { device: 'emulator', app: 'android.release' },
  },
};
