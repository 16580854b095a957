// The generated bindings, loaded on first use rather than on import.
//
// Loading them installs the TurboModule, which throws when the app was built without the
// native part of this library (Expo Go, a missing rebuild after installing). Loading lazily
// turns that into `isAvailable() === false` and `UNAVAILABLE` rejections instead of a crash
// of every module that imports this package.
import type * as Bindings from './generated/turbo-module';

/** The generated bindings' module. */
export type Native = typeof Bindings;

/** The bindings, or why they could not be loaded. */
export type Loaded = { bindings: Native } | { failure: unknown };

let loaded: Loaded | undefined;

/** Loads the bindings once; later calls return the same result. */
export function loadNative(): Loaded {
  if (loaded === undefined) {
    try {
      // A plain `import` would run at module load; `require` defers it to the first call.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = { bindings: require('./generated/turbo-module') as Native };
    } catch (failure) {
      loaded = { failure };
    }
  }
  return loaded;
}
