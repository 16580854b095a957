// The reference flow without authentication: check availability, set a value, get it, list
// and describe it, remove it, and see each failure by its code.
import { by, device, element, expect } from 'detox';

import { testIDs } from '../src/testIDs';
import { expectFailure, expectSuccess, expectValue, fillForm, reveal, tap } from './screen';

const STORE = 'e2e-flow';
const KEY = 'api-token';
const VALUE = 'e2e value: ünïcode ✓';

// What the screen shows for the security level. The simulator has no secure hardware behind
// the Keychain; an emulator's Android Keystore may report any of the three levels, depending on
// the system image, so there only the form is checked.
const SECURITY_LEVEL =
  device.getPlatform() === 'ios'
    ? 'Security level: SOFTWARE'
    : /^Security level: (STRONGBOX|TRUSTED_ENVIRONMENT|SOFTWARE)$/;

describe('the example app without authentication', () => {
  beforeAll(async () => {
    await device.launchApp({ delete: true, newInstance: true });
  });

  it('reports that secure storage is available, with the security level', async () => {
    await expect(element(by.id(testIDs.availabilityBanner))).toBeVisible();
    await expect(element(by.id(testIDs.availabilityReason))).not.toExist();
    await expect(element(by.id(testIDs.securityLevel))).toHaveText(SECURITY_LEVEL);
  });

  it('sets a value and reads it back, masked until "Show" is tapped', async () => {
    await fillForm({ store: STORE, key: KEY, value: VALUE });
    await tap(testIDs.setButton);
    await expectSuccess('setValue');

    await tap(testIDs.getButton);
    await expectSuccess('getValue');
    await expectValue(VALUE);
  });

  it('lists the key and shows its metadata without reading the value', async () => {
    await reveal(testIDs.keyListItem(KEY));
    await reveal(testIDs.metadataAuthentication);
    await expect(element(by.id(testIDs.metadataAuthentication))).toHaveText(
      'Authentication: not required',
    );
    await expect(element(by.id(testIDs.metadataSecurityLevel))).toHaveText(SECURITY_LEVEL);
    await expect(element(by.id(testIDs.metadataCreatedAt))).toExist();
  });

  it('removes the key, after which reading it fails with NOT_FOUND', async () => {
    await tap(testIDs.removeButton);
    await expectSuccess('removeKey');
    await reveal(testIDs.keyListEmpty);
    await reveal(testIDs.metadataMissing);

    await tap(testIDs.getButton);
    await expectFailure('getValue', 'NOT_FOUND');
  });

  it('removes a key that does not exist without an error', async () => {
    await tap(testIDs.removeButton);
    await expectSuccess('removeKey');
  });

  it('shows INVALID_INPUT, with the library message, for an empty key', async () => {
    await fillForm({ key: '' });
    await tap(testIDs.setButton);
    await expectFailure('setValue', 'INVALID_INPUT');
  });

  it('clears every entry of the store', async () => {
    await fillForm({ key: 'first', value: 'one' });
    await tap(testIDs.setButton);
    await expectSuccess('setValue');
    await fillForm({ key: 'second', value: 'two' });
    await tap(testIDs.setButton);
    await expectSuccess('setValue');
    await reveal(testIDs.keyListItem('first'));
    await reveal(testIDs.keyListItem('second'));

    await tap(testIDs.clearButton);
    await expectSuccess('clearStore');
    await reveal(testIDs.keyListEmpty);
  });

  it('keeps entries across a restart of the app', async () => {
    await fillForm({ key: KEY, value: VALUE });
    await tap(testIDs.setButton);
    await expectSuccess('setValue');

    await device.launchApp({ newInstance: true });
    await fillForm({ store: STORE, key: KEY });
    await tap(testIDs.getButton);
    await expectSuccess('getValue');
    await expectValue(VALUE);
  });
});
