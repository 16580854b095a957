// Steps the tests take on the example app's screen, by the testIDs the app shares.
import { by, element, expect, waitFor } from 'detox';

import { testIDs } from '../src/testIDs';

/** The mask the result panel shows in place of a value until "Show" is tapped. */
export const MASK = '••••••••';

/** Scrolls the screen until the element is visible. */
export async function reveal(testID: string): Promise<void> {
  await waitFor(element(by.id(testID)))
    .toBeVisible()
    .whileElement(by.id(testIDs.screen))
    .scroll(200, 'down');
}

/** Scrolls to the element and taps it. */
export async function tap(testID: string): Promise<void> {
  await reveal(testID);
  await element(by.id(testID)).tap();
}

/** Fills the form's text fields; a field left out keeps its text. */
export async function fillForm(fields: { store?: string; key?: string; value?: string }) {
  await element(by.id(testIDs.screen)).scrollTo('top');
  const inputs = [
    [testIDs.storeInput, fields.store],
    [testIDs.keyInput, fields.key],
    [testIDs.valueInput, fields.value],
  ] as const;
  for (const [testID, text] of inputs) {
    if (text !== undefined) await element(by.id(testID)).replaceText(text);
  }
}

/** Taps the authentication switch and checks that it is now `on` (or off). */
export async function toggleAuthentication(on: boolean): Promise<void> {
  await tap(testIDs.authenticationSwitch);
  await expect(element(by.id(testIDs.authenticationSwitch))).toHaveToggleValue(on);
}

/** Waits for the result panel to report the operation's success. */
export async function expectSuccess(operation: string): Promise<void> {
  await waitFor(element(by.id(testIDs.resultOperation)))
    .toHaveText(`${operation} succeeded`)
    .withTimeout(10000);
}

/** Waits for the result panel to report the operation's failure with this code. */
export async function expectFailure(operation: string, code: string): Promise<void> {
  await waitFor(element(by.id(testIDs.resultOperation)))
    .toHaveText(`${operation} failed`)
    .withTimeout(10000);
  await expect(element(by.id(testIDs.errorCode))).toHaveText(code);
  await expect(element(by.id(testIDs.errorMessage))).toExist();
}

/** Checks the value read back: masked first, shown in full after tapping "Show". */
export async function expectValue(value: string): Promise<void> {
  await reveal(testIDs.resultValue);
  await expect(element(by.id(testIDs.resultValue))).toHaveText(MASK);
  await tap(testIDs.showValueToggle);
  await expect(element(by.id(testIDs.resultValue))).toHaveText(value);
}
