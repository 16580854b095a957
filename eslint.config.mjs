// ESLint for the hand-written JavaScript and TypeScript. `npm run lint` runs it with
// `--max-warnings 0`, so a warning fails the build like an error does.
//
// TypeScript under src/ is linted with type information (the typescript-eslint project service
// reads tsconfig.json); the few CommonJS and Metro files at the root and under scripts/ get the
// plain JavaScript rules. Formatting is Prettier's job, so eslint-config-prettier comes last
// and switches off every rule that would disagree with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node's globals used by the configuration and probe files; declared here rather than through
// another dependency.
const nodeGlobals = {
  __dirname: 'readonly',
  console: 'readonly',
  module: 'writable',
  process: 'readonly',
  require: 'readonly',
};

export default defineConfig(
  // Generated bindings and build outputs (lib/ holds the declarations `npm pack` emits) are
  // never edited by hand, so they are never linted.
  globalIgnores([
    'src/generated/',
    'cpp/',
    'android/',
    'ios/',
    'target/',
    'build/',
    'lib/',
    '**/node_modules/',
  ]),

  js.configs.recommended,

  {
    name: 'typescript with type information',
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-only imports stay type-only in the emitted JavaScript, which Metro and Babel need
      // to drop them without reading the types.
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },

  {
    name: 'commonjs configuration files',
    files: ['**/*.js'],
    ignores: ['scripts/package-probe/index.js'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
  },

  {
    name: 'the probe app entry point (an ES module bundled by Metro)',
    files: ['scripts/package-probe/index.js'],
    languageOptions: { sourceType: 'module' },
  },

  {
    name: 'this file',
    files: ['eslint.config.mjs'],
    languageOptions: { sourceType: 'module' },
  },

  prettier,
);
