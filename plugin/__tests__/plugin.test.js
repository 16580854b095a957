/* global afterAll, describe, expect, it */
// The config plugin run through Expo's own mod machinery, as `expo prebuild` runs it: first in
// introspection mode (no native project needed; Expo starts from its templates), then against
// a small Android project on disk to check the backup rules files it writes and merges.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { AndroidConfig, XML, compileModsAsync } = require('@expo/config-plugins');

const withRustKeystore = require('../../app.plugin');
const { DEFAULT_FACE_ID_PERMISSION } = require('../ios');

const directories = [];

afterAll(() => {
  for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
});

function tempProject() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-keystore-plugin-'));
  directories.push(directory);
  return directory;
}

/** A minimal Expo config, with `extra` merged in. */
function appConfig(extra = {}) {
  return {
    name: 'Probe',
    slug: 'probe',
    ios: { bundleIdentifier: 'com.example.probe', ...extra.ios },
    android: { package: 'com.example.probe', ...extra.android },
    _internal: { projectRoot: '/unused' },
  };
}

/** The Info.plist and manifest that Expo would write, without writing anything. */
async function introspect(config, options) {
  const projectRoot = tempProject();
  const result = await compileModsAsync(withRustKeystore(config, options), {
    projectRoot,
    introspect: true,
    platforms: ['ios', 'android'],
    assertMissingModProviders: false,
  });
  return {
    infoPlist: result.ios.infoPlist,
    manifest: result._internal.modResults.android.manifest,
  };
}

/** Writes a bare Android project with `application` attributes and res/xml files. */
function androidProject(attributes = {}, xmlFiles = {}) {
  const projectRoot = tempProject();
  const main = path.join(projectRoot, 'android/app/src/main');
  fs.mkdirSync(path.join(main, 'res/xml'), { recursive: true });
  const extra = Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${value}"`)
    .join('');
  fs.writeFileSync(
    path.join(main, 'AndroidManifest.xml'),
    '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n' +
      `  <application android:name=".MainApplication"${extra}/>\n` +
      '</manifest>\n',
  );
  for (const [name, contents] of Object.entries(xmlFiles)) {
    fs.writeFileSync(path.join(main, 'res/xml', `${name}.xml`), contents);
  }
  return projectRoot;
}

/** Runs the plugin on `projectRoot`'s Android project, writing its files. */
async function prebuildAndroid(projectRoot) {
  await compileModsAsync(withRustKeystore(appConfig()), {
    projectRoot,
    platforms: ['android'],
    assertMissingModProviders: false,
  });
  const main = path.join(projectRoot, 'android/app/src/main');
  const manifest = await AndroidConfig.Manifest.readAndroidManifestAsync(
    path.join(main, 'AndroidManifest.xml'),
  );
  const read = (name) => fs.readFileSync(path.join(main, 'res/xml', `${name}.xml`), 'utf8');
  return { application: manifest.manifest.application[0].$, read };
}

/** The `domain:path` of every `<exclude>` in an XML text, in order. */
async function excludesOf(text, section) {
  const document = await XML.parseXMLAsync(text);
  const root = Object.values(document)[0];
  const elements = section ? root[section] : [root];
  return elements.flatMap((element) =>
    (element.exclude ?? []).map(({ $ }) => `${$.domain}:${$.path}`),
  );
}

const OURS = ['root:no_backup/rn-rust-keystore', 'file:rn-rust-keystore'];

describe('the config plugin on iOS', () => {
  it('adds a default Face ID usage description when the app has none', async () => {
    const { infoPlist } = await introspect(appConfig());

    expect(infoPlist.NSFaceIDUsageDescription).toBe(DEFAULT_FACE_ID_PERMISSION);
  });

  it('uses the faceIDPermission option as the Face ID usage description', async () => {
    const { infoPlist } = await introspect(appConfig(), { faceIDPermission: 'Unlock your notes' });

    expect(infoPlist.NSFaceIDUsageDescription).toBe('Unlock your notes');
  });

  it("keeps the app's own Face ID text unless the option is given", async () => {
    const own = { ios: { infoPlist: { NSFaceIDUsageDescription: 'The app says why' } } };

    expect((await introspect(appConfig(own))).infoPlist.NSFaceIDUsageDescription).toBe(
      'The app says why',
    );
    expect(
      (await introspect(appConfig(own), { faceIDPermission: 'The option wins' })).infoPlist
        .NSFaceIDUsageDescription,
    ).toBe('The option wins');
  });

  it.each([
    ['an unknown option', { faceIdPermission: 'misspelt' }, /unknown plugin option/],
    ['an empty text', { faceIDPermission: ' ' }, /non-empty string/],
    ['a text that is not a string', { faceIDPermission: true }, /non-empty string/],
    ['options that are not an object', 'Unlock', /must be an object/],
  ])('refuses %s', (_case, options, message) => {
    expect(() => withRustKeystore(appConfig(), options)).toThrow(message);
  });
});

describe('the config plugin on Android', () => {
  it('adds the USE_BIOMETRIC permission once', async () => {
    const config = appConfig({ android: { permissions: ['android.permission.USE_BIOMETRIC'] } });
    const { manifest } = await introspect(config);

    const permissions = manifest.manifest['uses-permission'].map(({ $ }) => $['android:name']);
    expect(permissions.filter((name) => name === 'android.permission.USE_BIOMETRIC')).toHaveLength(
      1,
    );
  });

  it('points both backup attributes at its own rules when the app has none', async () => {
    const { manifest } = await introspect(appConfig());

    const application = manifest.manifest.application[0].$;
    expect(application['android:fullBackupContent']).toBe('@xml/rn_rust_keystore_backup_rules');
    expect(application['android:dataExtractionRules']).toBe(
      '@xml/rn_rust_keystore_data_extraction_rules',
    );
  });

  it('writes rules that exclude the key store directory from backups and transfers', async () => {
    const { application, read } = await prebuildAndroid(androidProject());

    expect(application['android:fullBackupContent']).toBe('@xml/rn_rust_keystore_backup_rules');
    expect(await excludesOf(read('rn_rust_keystore_backup_rules'))).toEqual(OURS);
    const rules = read('rn_rust_keystore_data_extraction_rules');
    expect(await excludesOf(rules, 'cloud-backup')).toEqual(OURS);
    expect(await excludesOf(rules, 'device-transfer')).toEqual(OURS);
  });

  it("merges its excludes into the app's existing rules instead of replacing them", async () => {
    const projectRoot = androidProject(
      {
        'android:fullBackupContent': '@xml/app_backup',
        'android:dataExtractionRules': '@xml/app_extraction',
      },
      {
        app_backup:
          '<full-backup-content>\n  <exclude domain="sharedpref" path="device.xml"/>\n' +
          '</full-backup-content>\n',
        app_extraction:
          '<data-extraction-rules>\n' +
          '  <cloud-backup disableIfNoEncryptionCapabilities="true">\n' +
          '    <include domain="file" path="notes"/>\n  </cloud-backup>\n' +
          '</data-extraction-rules>\n',
      },
    );

    const { application, read } = await prebuildAndroid(projectRoot);

    expect(application['android:fullBackupContent']).toBe('@xml/app_backup');
    expect(application['android:dataExtractionRules']).toBe('@xml/app_extraction');
    expect(await excludesOf(read('app_backup'))).toEqual(['sharedpref:device.xml', ...OURS]);
    const extraction = read('app_extraction');
    expect(extraction).toContain('<include domain="file" path="notes"/>');
    expect(extraction).toContain('disableIfNoEncryptionCapabilities="true"');
    expect(await excludesOf(extraction, 'cloud-backup')).toEqual(OURS);
    expect(await excludesOf(extraction, 'device-transfer')).toEqual(OURS);
    expect(
      fs.existsSync(
        path.join(projectRoot, 'android/app/src/main/res/xml', 'rn_rust_keystore_backup_rules.xml'),
      ),
    ).toBe(false);
  });

  it('adds nothing twice when prebuild runs again', async () => {
    const projectRoot = androidProject();
    await prebuildAndroid(projectRoot);

    const { read } = await prebuildAndroid(projectRoot);

    expect(await excludesOf(read('rn_rust_keystore_backup_rules'))).toEqual(OURS);
    expect(
      await excludesOf(read('rn_rust_keystore_data_extraction_rules'), 'cloud-backup'),
    ).toEqual(OURS);
  });

  it('leaves a backup attribute set to false alone', async () => {
    const projectRoot = androidProject({ 'android:fullBackupContent': 'false' });

    const { application } = await prebuildAndroid(projectRoot);

    expect(application['android:fullBackupContent']).toBe('false');
    expect(application['android:dataExtractionRules']).toBe(
      '@xml/rn_rust_keystore_data_extraction_rules',
    );
  });
});
