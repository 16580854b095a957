// The Expo config plugin of react-native-rust-keystore, found by Expo under this name. It runs
// at `expo prebuild` (and in EAS Build); the implementation is in plugin/.
module.exports = require('./plugin/withRustKeystore');
