// Entries that require authentication: the user approves the prompt, or does not and cancels.
//
// iOS: Detox's biometric helpers enrol Face ID on the simulator and answer the prompt with a
// matching or a non-matching face. A non-matching face leaves the system sheet open (it offers
// to try again or use the passcode); the test then taps its Cancel button through Detox's
// system API, which Detox marks as experimental.
//
// Android: Detox has no biometric helpers there, so the emulator is driven from the host with
// adb (see e2e/android.ts). The emulator starts without a lock screen, where an entry with
// authentication is refused with UNAVAILABLE; the tests then set a PIN, which the system prompt
// asks for: typing it approves the prompt and the Back key cancels it. The first entry with
// authentication of a store prompts once when it is set, and every read of it prompts.
import { by, device, element, expect, system } from 'detox';

import { testIDs } from '../src/testIDs';
import { cancelPrompt, enterPin, removePin, setPin } from './android';
import {
  expectFailure,
  expectSuccess,
  expectValue,
  fillForm,
  reveal,
  tap,
  toggleAuthentication,
} from './screen';

const STORE = 'e2e-authentication';
const KEY = 'unlock-token';
const SECOND_KEY = 'refresh-token';
const VALUE = 'only after Face ID';
const ANDROID_VALUE = 'only after the PIN';

const onIOS = device.getPlatform() === 'ios';
const describeOnIOS = onIOS ? describe : describe.skip;
const describeOnAndroid = onIOS ? describe.skip : describe;

describeOnIOS('an entry that requires authentication, on iOS', () => {
  beforeAll(async () => {
    await device.launchApp({ delete: true, newInstance: true });
    await device.setBiometricEnrollment(true);
    // canAuthenticate() is read at startup, so start again with Face ID enrolled.
    await device.launchApp({ newInstance: true });
  });

  it('can be created once Face ID is enrolled', async () => {
    await expect(element(by.id(testIDs.canAuthenticate))).toHaveText(
      'Entries with authentication: supported',
    );

    await fillForm({ store: STORE, key: KEY, value: VALUE });
    await toggleAuthentication(true);
    await tap(testIDs.setButton);
    await expectSuccess('setValue');

    await reveal(testIDs.metadataAuthentication);
    await expect(element(by.id(testIDs.metadataAuthentication))).toHaveText(
      'Authentication: required',
    );
  });

  it('is read when the user approves the prompt with a matching face', async () => {
    await tap(testIDs.getButton);
    await device.matchFace();
    await expectSuccess('getValue');
    await expectValue(VALUE);
  });

  it('stays intact when the face does not match and the user cancels', async () => {
    await tap(testIDs.getButton);
    await device.unmatchFace();
    await system.element(by.system.label('Cancel')).tap();
    await expectFailure('getValue', 'AUTHENTICATION_CANCELLED');

    // The entry is still there, and the next approved read returns it.
    await reveal(testIDs.keyListItem(KEY));
    await tap(testIDs.getButton);
    await device.matchFace();
    await expectSuccess('getValue');
    await expectValue(VALUE);
  });

  it('is removed without a prompt', async () => {
    await tap(testIDs.removeButton);
    await expectSuccess('removeKey');
    await reveal(testIDs.metadataMissing);
  });
});

describeOnAndroid('an entry that requires authentication, on Android', () => {
  describe('without a lock screen', () => {
    beforeAll(async () => {
      await device.launchApp({ delete: true, newInstance: true });
    });

    it('is refused with UNAVAILABLE, and nothing is stored', async () => {
      await expect(element(by.id(testIDs.canAuthenticate))).toHaveText(
        'Entries with authentication: not supported',
      );

      await fillForm({ store: STORE, key: KEY, value: ANDROID_VALUE });
      await toggleAuthentication(true);
      await tap(testIDs.setButton);
      await expectFailure('setValue', 'UNAVAILABLE');
      await reveal(testIDs.keyListEmpty);
    });
  });

  describe('with a PIN on the lock screen', () => {
    beforeAll(async () => {
      await setPin();
      // canAuthenticate() is read at startup, so start again with the PIN set.
      await device.launchApp({ newInstance: true });
    });

    afterAll(async () => {
      await removePin();
    });

    it('can be created once the user enters the PIN', async () => {
      await expect(element(by.id(testIDs.canAuthenticate))).toHaveText(
        'Entries with authentication: supported',
      );

      // The store's first entry with authentication creates its key, which asks the user.
      await fillForm({ store: STORE, key: KEY, value: ANDROID_VALUE });
      await toggleAuthentication(true);
      await tap(testIDs.setButton);
      await enterPin();
      await expectSuccess('setValue');

      await reveal(testIDs.metadataAuthentication);
      await expect(element(by.id(testIDs.metadataAuthentication))).toHaveText(
        'Authentication: required',
      );
    });

    it('is read when the user enters the PIN', async () => {
      await tap(testIDs.getButton);
      await enterPin();
      await expectSuccess('getValue');
      await expectValue(ANDROID_VALUE);
    });

    it('stays intact when the user cancels the prompt', async () => {
      await tap(testIDs.getButton);
      await cancelPrompt();
      await expectFailure('getValue', 'AUTHENTICATION_CANCELLED');

      // The entry is still there, and the next approved read returns it.
      await reveal(testIDs.keyListItem(KEY));
      await tap(testIDs.getButton);
      await enterPin();
      await expectSuccess('getValue');
      await expectValue(ANDROID_VALUE);
    });

    it('is joined by a second entry with authentication without a prompt', async () => {
      // Nobody answers a prompt here: if one were shown, the set would not finish.
      await fillForm({ key: SECOND_KEY, value: ANDROID_VALUE });
      await tap(testIDs.setButton);
      await expectSuccess('setValue');
      await reveal(testIDs.keyListItem(SECOND_KEY));
      await reveal(testIDs.metadataAuthentication);
      await expect(element(by.id(testIDs.metadataAuthentication))).toHaveText(
        'Authentication: required',
      );
    });

    it('is removed with the rest of the store without a prompt', async () => {
      await tap(testIDs.clearButton);
      await expectSuccess('clearStore');
      await reveal(testIDs.keyListEmpty);
    });
  });
});
