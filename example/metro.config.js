// Metro for the example app, which bundles the library from this repository's source.
//
// The library is the repository root, linked as node_modules/react-native-rust-keystore, so
// Metro must watch the root too. Two things keep the bundle right:
// - react, react-native and Babel's runtime helpers always resolve from this app, even when
//   the library's own files import them: the root has its own copies (the library's
//   devDependencies), and two copies of React in one bundle break hooks;
// - the root's build outputs, Rust target directory and native projects are never crawled.
const path = require('path');
const { getDefaultConfig, mergeConfig } = require('@react-native/metro-config');

const appRoot = __dirname;
const libraryRoot = path.resolve(appRoot, '..');

// The packages the library shares with the app: its peer dependencies, and the helpers Babel
// inserts into every transformed file.
const shared = ['react', 'react-native', '@babel/runtime'];

const escape = (text) => text.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&');
const underLibrary = (folder) => new RegExp(`^${escape(path.join(libraryRoot, folder))}\\/.*`);

const config = {
  watchFolders: [libraryRoot],
  resolver: {
    blockList: [
      ...shared.map((name) => underLibrary(path.join('node_modules', name))),
      ...['target', 'build', 'lib', 'android', 'ios', 'cpp', 'rust', '.git'].map(underLibrary),
      ...['android', 'ios'].map((folder) => underLibrary(path.join('example', folder))),
    ],
    resolveRequest(context, moduleName, platform) {
      const isShared = shared.some(
        (name) => moduleName === name || moduleName.startsWith(`${name}/`),
      );
      // Resolves a shared package as if this app's package.json asked for it.
      const origin = isShared ? path.join(appRoot, 'package.json') : context.originModulePath;
      return context.resolveRequest({ ...context, originModulePath: origin }, moduleName, platform);
    },
  },
};

module.exports = mergeConfig(getDefaultConfig(appRoot), config);
