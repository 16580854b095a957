// Behaviour of entries that require authentication, with the hooks playing the user.
import { rejectionOf, type BehaviourHooks, type KeyStoreApi } from './api';

const SECRET = 'correct horse battery staple';
const prompt = { title: 'Unlock your account', subtitle: 'To sign you in', cancel: 'Not now' };

/** The suite for authentication; see the top of this file. */
export function describeAuthentication(api: KeyStoreApi, hooks: BehaviourHooks): void {
  const code = async (call: () => Promise<unknown>) => (await rejectionOf(api, call)).code;

  describe('an entry that requires authentication', () => {
    beforeEach(async () => {
      hooks.fresh();
      await api.setValue('session', 'token', SECRET, { authentication: true });
    });

    it('can be created on a device with a lock screen, and is set without prompting', () => {
      expect(api.canAuthenticate()).toBe(true);
      expect(hooks.promptCount()).toBe(0);
    });

    it('reads back when the user approves, prompting once per read', async () => {
      expect(await api.getValue('session', 'token', { prompt })).toBe(SECRET);
      expect(await api.getValue('session', 'token')).toBe(SECRET);
      expect(hooks.promptCount()).toBe(2);
    });

    it.each([
      ['cancel', 'AUTHENTICATION_CANCELLED', 'ask again'],
      ['fail', 'AUTHENTICATION_FAILED', 'try again later'],
    ] as const)(
      'rejects with %s when the user answers so, saying "%s", and stays readable',
      async (outcome, expected, advice) => {
        hooks.queueOutcome(outcome);

        const error = await rejectionOf(api, () => api.getValue('session', 'token', { prompt }));

        expect(error.code).toBe(expected);
        expect(error.message).toContain(advice);
        expect(error.message).not.toContain(SECRET);
        expect(await api.getValue('session', 'token', { prompt })).toBe(SECRET);
      },
    );

    it('rejects with KEY_INVALIDATED for good once its data key is invalidated', async () => {
      hooks.queueOutcome('invalidate');

      const error = await rejectionOf(api, () => api.getValue('session', 'token'));

      expect(error.code).toBe('KEY_INVALIDATED');
      expect(error.message).toContain('set it anew');
      expect(await code(() => api.getValue('session', 'token'))).toBe('KEY_INVALIDATED');
    });

    it('can be set anew after KEY_INVALIDATED, under a fresh data key', async () => {
      hooks.queueOutcome('invalidate');
      await code(() => api.getValue('session', 'token'));

      await api.setValue('session', 'token', 'n3w', { authentication: true });

      expect(await api.getValue('session', 'token')).toBe('n3w');
    });

    it('is listed, checked, described and removed without prompting', async () => {
      hooks.setDefaultOutcome('cancel');

      expect(await api.hasKey('session', 'token')).toBe(true);
      expect(await api.listKeys('session')).toEqual(['token']);
      expect(await api.getMetadata('session', 'token')).toMatchObject({ authentication: true });
      await api.removeKey('session', 'token');
      expect(await api.hasKey('session', 'token')).toBe(false);
      expect(hooks.promptCount()).toBe(0);
    });

    it('does not affect entries of the same store that do not require it', async () => {
      await api.setValue('session', 'plain', 'visible');
      hooks.setDefaultOutcome('cancel');

      expect(await api.getValue('session', 'plain', { prompt })).toBe('visible');
      expect(hooks.promptCount()).toBe(0);
    });
  });

  describe('a device without a lock screen', () => {
    beforeEach(() => {
      hooks.fresh();
      hooks.setNoLockScreen('no passcode is set');
    });

    it('cannot create entries that require authentication, and says why', async () => {
      expect(api.canAuthenticate()).toBe(false);

      const error = await rejectionOf(api, () =>
        api.setValue('session', 'token', SECRET, { authentication: true }),
      );

      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toContain('no passcode is set');
      expect(error.message).toContain('canAuthenticate()');
      expect(await api.hasKey('session', 'token')).toBe(false);
    });

    it('keeps the previous value when authentication is refused for an existing key', async () => {
      await api.setValue('session', 'token', 'plain');

      expect(
        await code(() => api.setValue('session', 'token', 'guarded', { authentication: true })),
      ).toBe('UNAVAILABLE');
      expect(await api.getValue('session', 'token')).toBe('plain');
    });
  });
}
