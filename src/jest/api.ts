// The public API of the library, in memory. Each function checks its arguments exactly as the
// real one does (../input.ts, then the core's limits in ./limits.ts) and fails with the same
// codes, so code under test meets the same errors as in the app.
import { invalidInput } from '../errors';
import { checkOptions, checkPrompt, checkText, describe } from '../input';
import type {
  ConfigureOptions,
  EntryMetadata,
  GetOptions,
  Prompt,
  SecurityLevel,
  SetOptions,
} from '../types';
import { checkKeyLength, checkStoreLength, checkValueLength } from '../limits';
import { answerPrompt, checkNativeModule, errors, state, storeOf } from './state';

/**
 * Runs `work` and settles a promise with its result, so an argument it refuses becomes a
 * rejection, as with the real asynchronous functions.
 */
function settle<T>(work: () => T): Promise<T> {
  // A throw inside the executor rejects the promise.
  return new Promise((resolve) => resolve(work()));
}

/** Checks a store name and a key as the real functions do. */
function checkEntryName(store: unknown, key: unknown): asserts store is string {
  checkText('store name', store);
  checkText('key', key);
}

/** Checks a getValue prompt as the real getValue does, keeping only the texts given. */
function toPrompt(prompt: unknown): Prompt {
  return checkPrompt(prompt) ?? {};
}

/** See the real `configure`: here it only checks its argument and remembers the directory. */
export function configure(options: ConfigureOptions): void {
  const { directory } = checkOptions('options of configure', options, ['directory']);
  checkText('directory', directory);
  if (directory.length === 0) throw invalidInput('the directory must not be empty');
  checkNativeModule();
  state.directory = directory;
}

/** See the real `isAvailable`: `true` unless the native module is simulated missing. */
export function isAvailable(): boolean {
  return !state.nativeModuleMissing;
}

/** See the real `canAuthenticate`: `true` unless there is no lock screen or native module. */
export function canAuthenticate(): boolean {
  return !state.nativeModuleMissing && state.noLockScreen === undefined;
}

/** See the real `getSecurityLevel`: `TRUSTED_ENVIRONMENT` in the mock. */
export function getSecurityLevel(): SecurityLevel {
  checkNativeModule();
  return state.securityLevel;
}

/** See the real `setValue`. */
export function setValue(
  store: string,
  key: string,
  value: string,
  options?: SetOptions,
): Promise<void> {
  return settle(() => {
    checkEntryName(store, key);
    checkText('value', value);
    const { authentication = false } = checkOptions('options of setValue', options, [
      'authentication',
    ]);
    if (typeof authentication !== 'boolean') {
      throw invalidInput(
        `options.authentication must be a boolean; it is ${describe(authentication)}`,
      );
    }
    checkNativeModule();
    checkStoreLength(store);
    checkKeyLength(key);
    checkValueLength(value);
    if (authentication && state.noLockScreen !== undefined) {
      throw errors.noLockScreen(state.noLockScreen);
    }

    const entries = storeOf(store);
    if (authentication && (entries.dataKey === 0 || entries.invalidated)) {
      // A fresh data key, as the core creates when the old one is missing or invalidated.
      entries.dataKey += 1;
      entries.invalidated = false;
    }
    const now = Date.now();
    const previous = entries.entries.get(key);
    entries.entries.set(key, {
      value,
      authentication,
      securityLevel: state.securityLevel,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      dataKey: authentication ? entries.dataKey : 0,
    });
  });
}

/** See the real `getValue`; entries with authentication ask the simulated user. */
export function getValue(store: string, key: string, options?: GetOptions): Promise<string> {
  return settle(() => {
    checkEntryName(store, key);
    const { prompt } = checkOptions('options of getValue', options, ['prompt']);
    const texts = toPrompt(prompt);
    checkNativeModule();
    checkStoreLength(store);
    checkKeyLength(key);

    const entries = storeOf(store);
    const entry = entries.entries.get(key);
    if (entry === undefined) throw errors.notFound();
    if (!entry.authentication) return entry.value;
    if (entries.invalidated || entry.dataKey !== entries.dataKey) throw errors.invalidated();

    switch (answerPrompt(texts)) {
      case 'approve':
        return entry.value;
      case 'cancel':
        throw errors.cancelled();
      case 'fail':
        throw errors.failed();
      case 'invalidate':
        entries.invalidated = true;
        throw errors.invalidated();
    }
  });
}

/** See the real `removeKey`. */
export function removeKey(store: string, key: string): Promise<void> {
  return settle(() => {
    checkEntryName(store, key);
    checkNativeModule();
    checkStoreLength(store);
    checkKeyLength(key);

    storeOf(store).entries.delete(key);
  });
}

/** See the real `hasKey`. */
export function hasKey(store: string, key: string): Promise<boolean> {
  return settle(() => {
    checkEntryName(store, key);
    checkNativeModule();
    checkStoreLength(store);
    checkKeyLength(key);

    return storeOf(store).entries.has(key);
  });
}

/** See the real `listKeys`. */
export function listKeys(store: string): Promise<string[]> {
  return settle(() => {
    checkText('store name', store);
    checkNativeModule();
    checkStoreLength(store);

    return [...storeOf(store).entries.keys()];
  });
}

/** See the real `getMetadata`. */
export function getMetadata(store: string, key: string): Promise<EntryMetadata> {
  return settle(() => {
    checkEntryName(store, key);
    checkNativeModule();
    checkStoreLength(store);
    checkKeyLength(key);

    const entry = storeOf(store).entries.get(key);
    if (entry === undefined) throw errors.notFound();
    return {
      authentication: entry.authentication,
      securityLevel: entry.securityLevel,
      createdAt: new Date(entry.createdAt),
      updatedAt: new Date(entry.updatedAt),
    };
  });
}

/** See the real `clearStore`: every entry and the store's data keys go. */
export function clearStore(store: string): Promise<void> {
  return settle(() => {
    checkText('store name', store);
    checkNativeModule();
    checkStoreLength(store);

    state.stores.delete(store);
  });
}
