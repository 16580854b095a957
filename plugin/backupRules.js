// Android backup rules that keep the key store's directory out of backups, merged into
// whatever rules an app already has.
//
// Why both files, and why merge: Android reads `android:fullBackupContent` up to Android 11 and
// `android:dataExtractionRules` from Android 12, and an app (or another plugin, such as
// expo-secure-store's) may already point either attribute at its own rules. Replacing those would
// silently change what the app backs up; so the plugin adds its `<exclude>` lines to the app's
// files, and only creates files of its own where the app has none.
//
// Why exclude at all: on Android the library keeps its stores in
// `no_backup/rn-rust-keystore` (`Context.getNoBackupFilesDir()`), which Android never backs up,
// so the first exclude below changes nothing on a device; it is kept so the rules name both
// places the library's files may be. The second covers an app that configures
// `files/rn-rust-keystore` instead (`configure({ directory })`), which Android would back up.
// Such a backup leaks no value: the data keys that encrypt the entries are wrapped by Android
// Keystore keys, which never leave the device. But a restored store could never be opened, and
// its reads could only report KEY_INVALIDATED; left out, a restored app starts with empty
// stores instead. A directory of any other name is the app's to exclude in its own rules.

/** The library's directory name: its default under `no_backup/`, and excluded under `files/`. */
const KEYSTORE_DIRECTORY = 'rn-rust-keystore';

/** The `<exclude>` lines this plugin adds, as xml2js objects. */
const EXCLUDES = [
  { domain: 'root', path: `no_backup/${KEYSTORE_DIRECTORY}` },
  { domain: 'file', path: KEYSTORE_DIRECTORY },
];

/** The sections of `<data-extraction-rules>` (Android 12 and later). */
const EXTRACTION_SECTIONS = ['cloud-backup', 'device-transfer'];

/** xml2js reads an element without attributes or children as `''`; make it an object. */
function asElement(value) {
  return typeof value === 'object' && value !== null ? value : {};
}

/** Adds the plugin's excludes to one rules element, keeping every existing line. */
function addExcludes(element) {
  const result = asElement(element);
  const excludes = Array.isArray(result.exclude) ? [...result.exclude] : [];
  for (const rule of EXCLUDES) {
    const present = excludes.some(
      (line) => line?.$?.domain === rule.domain && line?.$?.path === rule.path,
    );
    if (!present) excludes.push({ $: { ...rule } });
  }
  return { ...result, exclude: excludes };
}

/**
 * The `<full-backup-content>` document (Android 11 and earlier) with the plugin's excludes;
 * `existing` is an app's parsed document, or `undefined` for a new one.
 */
function mergeFullBackupContent(existing) {
  const root = asElement(existing?.['full-backup-content']);
  return { 'full-backup-content': addExcludes(root) };
}

/**
 * The `<data-extraction-rules>` document (Android 12 and later) with the plugin's excludes in
 * its cloud-backup and device-transfer sections; a missing section is added, which keeps
 * Android's default (back up everything) for everything but the library's directory.
 */
function mergeDataExtractionRules(existing) {
  const root = { ...asElement(existing?.['data-extraction-rules']) };
  for (const section of EXTRACTION_SECTIONS) {
    const elements = Array.isArray(root[section]) ? root[section] : [undefined];
    root[section] = elements.map(addExcludes);
  }
  return { 'data-extraction-rules': root };
}

module.exports = {
  EXCLUDES,
  KEYSTORE_DIRECTORY,
  mergeDataExtractionRules,
  mergeFullBackupContent,
};
