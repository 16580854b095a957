// An app built without the native part of the library (Expo Go, no rebuild after installing)
// gets `isAvailable() === false` and typed rejections, not a crash at import.

import type * as Index from '../index';

type Api = typeof Index;

function loadWithoutNative(): Api {
  let api: Api | undefined;
  jest.isolateModules(() => {
    jest.doMock('../generated/turbo-module', () => {
      throw new Error("TurboModuleRegistry.getEnforcing(...): 'RustKeystore' could not be found");
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    api = require('../index') as Api;
  });
  if (api === undefined) throw new Error('the API did not load');
  return api;
}

describe('without the native module', () => {
  it('importing the library does not throw', () => {
    expect(loadWithoutNative).not.toThrow();
  });

  it('isAvailable and canAuthenticate report false', () => {
    const api = loadWithoutNative();
    expect(api.isAvailable()).toBe(false);
    expect(api.canAuthenticate()).toBe(false);
  });

  it('asynchronous calls reject with UNAVAILABLE naming the missing native module', async () => {
    const api = loadWithoutNative();
    const calls: Array<() => Promise<unknown>> = [
      () => api.setValue('store', 'key', 'value'),
      () => api.getValue('store', 'key'),
      () => api.getValue('store', 'key', { prompt: { title: 'Unlock' } }),
      () => api.removeKey('store', 'key'),
      () => api.hasKey('store', 'key'),
      () => api.listKeys('store'),
      () => api.clearStore('store'),
      () => api.getMetadata('store', 'key'),
    ];
    for (const call of calls) {
      const error: unknown = await call().then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(api.KeyStoreError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect((error as Error).message).toMatch(/native module/);
    }
  });

  it('synchronous calls throw UNAVAILABLE', () => {
    const api = loadWithoutNative();
    const thrown = (call: () => unknown): unknown => {
      try {
        call();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(thrown(() => api.getSecurityLevel())).toMatchObject({ code: 'UNAVAILABLE' });
    expect(thrown(() => api.configure({ directory: '/tmp/unused' }))).toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});
