// The Android part of the config plugin: the biometric permission and the backup rules.
const fs = require('node:fs');
const path = require('node:path');

const { AndroidConfig, XML, withAndroidManifest, withFinalizedMod } = require('./configPlugins');

const { mergeDataExtractionRules, mergeFullBackupContent } = require('./backupRules');

/** The permission BiometricPrompt needs (Android 9 and later). */
const USE_BIOMETRIC = 'android.permission.USE_BIOMETRIC';

/** The backup attributes of `<application>`, each with the rules it points at. */
const RULES = [
  {
    attribute: 'android:fullBackupContent',
    resource: 'rn_rust_keystore_backup_rules',
    merge: mergeFullBackupContent,
  },
  {
    attribute: 'android:dataExtractionRules',
    resource: 'rn_rust_keystore_data_extraction_rules',
    merge: mergeDataExtractionRules,
  },
];

/** Adds `USE_BIOMETRIC` to the manifest, once. */
function withBiometricPermission(config) {
  return AndroidConfig.Permissions.withPermissions(config, [USE_BIOMETRIC]);
}

/**
 * Points the backup attributes at rules that exclude the key store's directory. An attribute
 * the app already sets to `@xml/<name>` keeps its value, and the excludes are merged into that
 * file; one set to anything else (`false`, which turns that kind of backup off) is left alone.
 *
 * The manifest step only decides which files to touch; they are written in the finalized step,
 * which runs after every manifest change and is skipped when Expo only introspects the config.
 */
function withBackupRules(config) {
  const files = [];

  config = withAndroidManifest(config, (config) => {
    const application = AndroidConfig.Manifest.getMainApplicationOrThrow(config.modResults);
    files.length = 0;
    for (const { attribute, resource, merge } of RULES) {
      const current = application.$[attribute];
      if (current === undefined) {
        application.$[attribute] = `@xml/${resource}`;
        files.push({ name: resource, merge });
      } else if (current.startsWith('@xml/')) {
        files.push({ name: current.slice('@xml/'.length), merge });
      }
    }
    return config;
  });

  return withFinalizedMod(config, [
    'android',
    async (config) => {
      const directory = path.join(config.modRequest.platformProjectRoot, 'app/src/main/res/xml');
      await fs.promises.mkdir(directory, { recursive: true });
      for (const { name, merge } of files) {
        const file = path.join(directory, `${name}.xml`);
        const existing = fs.existsSync(file) ? await XML.readXMLAsync({ path: file }) : undefined;
        await XML.writeXMLAsync({ path: file, xml: merge(existing) });
      }
      return config;
    },
  ]);
}

module.exports = { USE_BIOMETRIC, withBackupRules, withBiometricPermission };
