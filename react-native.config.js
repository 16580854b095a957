// How React Native autolinking (and Expo's, which reads this file too) adds the library to an
// app. On Android the app gets KeystorePackage, which starts the Rust Android protector before
// it hands out the module that ubrn generates; left to itself, autolinking would pick one of the
// two package classes under android/src/main/java by file name. iOS keeps the defaults.
module.exports = {
  dependency: {
    platforms: {
      android: {
        packageImportPath: 'import com.rustkeystore.android.KeystorePackage;',
        packageInstance: 'new KeystorePackage()',
      },
    },
  },
};
