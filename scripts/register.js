// Lets Node 20 run this package's TypeScript (scripts/demo.ts, the child processes of the
// Jest suite) against the N-API flavour of the generated bindings, the way jest.config.js
// runs it: `node -r ./scripts/register.js some-file.ts`.
//
// Babel compiles the TypeScript with the presets and plugin jest.config.js uses. As Jest's
// `moduleNameMapper` does, requests for the JSI flavour (`generated/turbo-module`,
// `generated/jsi/*`) are redirected to `src/generated/napi`, which loads the Rust library
// built for this host; the patterns are the same.
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const napi = path.join(root, 'src', 'generated', 'napi');

const redirects = [
  [/^(?:.*\/)?generated\/turbo-module(?:\/index(?:\.tsx)?)?$/, () => path.join(napi, 'index.ts')],
  [/^(?:.*\/)?generated\/jsi\/(.*)$/, (match) => path.join(napi, match[1])],
];

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const [pattern, target] of redirects) {
    const match = pattern.exec(request);
    if (match) return resolveFilename.call(this, target(match), ...rest);
  }
  return resolveFilename.call(this, request, ...rest);
};

require('@babel/register')({
  cwd: root,
  babelrc: false,
  configFile: false,
  extensions: ['.ts', '.tsx', '.js'],
  only: [path.join(root, 'src'), path.join(root, 'scripts')],
  presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
  plugins: ['babel-plugin-transform-import-meta'],
});
