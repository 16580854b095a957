// Entries that require authentication: the user approves the prompt, or does not and cancels.
//
// iOS: Detox's biometric helpers enrol Face ID on the simulator and answer the prompt with a
// matching or a non-matching face. A non-matching face leaves the system sheet open (it offers
// to try again or use the passcode); the test then taps its Cancel button through Detox's
// system API, which Detox marks as experimental.
//
// Android: Detox has no biometric helpers there. The emulator can be driven from the host
// instead (`adb shell locksettings set-pin`, enrolling a finger in Settings, then
// `adb -e emu finger touch <id>` to approve or the back key to cancel), but the Android build
// has no lock-screen protector yet: `canAuthenticate()` is false and an entry with
// authentication is refused with UNAVAILABLE. That is what the Android test checks; it has to
// change when the Android Keystore protector lands.
import { by, device, element, expect, system } from 'detox';

import { testIDs } from '../src/testIDs';
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
const VALUE = 'only after Face ID';

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
  beforeAll(async () => {
    await device.launchApp({ delete: true, newInstance: true });
  });

  it('is refused with UNAVAILABLE, and nothing is stored', async () => {
    await expect(element(by.id(testIDs.canAuthenticate))).toHaveText(
      'Entries with authentication: not supported',
    );

    await fillForm({ store: STORE, key: KEY, value: VALUE });
    await toggleAuthentication(true);
    await tap(testIDs.setButton);
    await expectFailure('setValue', 'UNAVAILABLE');
    await reveal(testIDs.keyListEmpty);
  });
});
