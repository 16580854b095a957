// The iOS part of the config plugin: the Face ID usage description in Info.plist.
const { withInfoPlist } = require('./configPlugins');

/** The text iOS shows when the app first asks for Face ID, unless the app sets its own. */
const DEFAULT_FACE_ID_PERMISSION =
  'Allow $(PRODUCT_NAME) to use Face ID to unlock the secrets it keeps on this device.';

/**
 * Sets `NSFaceIDUsageDescription`. With `faceIDPermission` the text is always that one; without
 * it, a text the app already has (from `ios.infoPlist` or another plugin) is kept and the
 * default is used only where there is none.
 */
function withFaceIDUsage(config, { faceIDPermission }) {
  return withInfoPlist(config, (config) => {
    const existing = config.modResults.NSFaceIDUsageDescription;
    if (faceIDPermission !== undefined) {
      config.modResults.NSFaceIDUsageDescription = faceIDPermission;
    } else if (typeof existing !== 'string' || existing.trim() === '') {
      config.modResults.NSFaceIDUsageDescription = DEFAULT_FACE_ID_PERMISSION;
    }
    return config;
  });
}

module.exports = { DEFAULT_FACE_ID_PERMISSION, withFaceIDUsage };
