// The Expo config plugin: what a development build or `expo prebuild` needs for this library.
//
//   plugins: [['react-native-rust-keystore', { faceIDPermission: 'Unlock your saved sign-in' }]]
//
// - iOS: `NSFaceIDUsageDescription`, without which iOS ends the app the first time an entry set
//   with `authentication: true` prompts with Face ID.
// - Android: the `USE_BIOMETRIC` permission, which BiometricPrompt needs for entries set with
//   `authentication: true`, and backup rules that keep the library's `rn-rust-keystore`
//   directories out of cloud backups and device-to-device transfers (see backupRules.js).
const { createRunOncePlugin } = require('./configPlugins');

const { withBackupRules, withBiometricPermission } = require('./android');
const { withFaceIDUsage } = require('./ios');

const pkg = require('../package.json');

const OPTIONS = ['faceIDPermission'];

/** Throws unless `options` is nothing or an object of known options of the right types. */
function checkOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${pkg.name}: the plugin's options must be an object`);
  }
  for (const name of Object.keys(options)) {
    // A misspelt option would otherwise be ignored without a word.
    if (!OPTIONS.includes(name)) {
      throw new Error(
        `${pkg.name}: unknown plugin option "${name}"; expected ${OPTIONS.join(', ')}`,
      );
    }
  }
  const { faceIDPermission } = options;
  if (
    faceIDPermission !== undefined &&
    (typeof faceIDPermission !== 'string' || faceIDPermission.trim() === '')
  ) {
    throw new Error(`${pkg.name}: faceIDPermission must be a non-empty string`);
  }
  return { faceIDPermission };
}

/** Applies the iOS and Android changes; see the top of this file. */
function withRustKeystore(config, options) {
  const { faceIDPermission } = checkOptions(options);

  config = withFaceIDUsage(config, { faceIDPermission });
  config = withBiometricPermission(config);
  config = withBackupRules(config);
  return config;
}

module.exports = createRunOncePlugin(withRustKeystore, pkg.name, pkg.version);
