// Jest runs the TypeScript API on Node against the N-API flavour of the generated bindings.
//
// The app imports the JSI flavour (`src/generated/turbo-module`, which installs the C++
// TurboModule and re-exports `src/generated/jsi`). Both flavours have the same public
// TypeScript; only the FFI layer differs. So under Jest those imports are mapped onto
// `src/generated/napi`, which loads the Rust library built for the host with the `testing`
// feature (`scripts/generate.sh` puts it next to the generated files).
module.exports = {
  testEnvironment: 'node',
  // The Rust library holds one key store per process. Worker threads would share it between
  // test files running at the same time (one file's setup replaces another's store); worker
  // processes run one file at a time each.
  workerThreads: false,
  // The Expo config plugin's tests are plain CommonJS, like the plugin.
  roots: ['<rootDir>/src', '<rootDir>/plugin'],
  testMatch: ['**/__tests__/**/*.test.ts', '<rootDir>/plugin/**/__tests__/**/*.test.js'],
  transform: {
    // The generated FFI file uses `import.meta.url` to find the library; Babel rewrites it
    // for Jest's CommonJS module system.
    '\\.[jt]sx?$': [
      'babel-jest',
      {
        configFile: false,
        babelrc: false,
        presets: [
          ['@babel/preset-env', { targets: { node: 'current' } }],
          '@babel/preset-typescript',
        ],
        plugins: ['babel-plugin-transform-import-meta'],
      },
    ],
  },
  moduleNameMapper: {
    '^(?:.*/)?generated/turbo-module(?:/index(?:\\.tsx)?)?$':
      '<rootDir>/src/generated/napi/index.ts',
    '^(?:.*/)?generated/jsi/(.*)$': '<rootDir>/src/generated/napi/$1',
  },
};
