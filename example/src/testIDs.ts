// The testIDs of every element the end-to-end tests touch, shared by the app and e2e/ so a
// renamed element fails the type check instead of a device run.
export const testIDs = {
  screen: 'screen',
  availabilityBanner: 'availability-banner',
  availabilityReason: 'availability-reason',
  securityLevel: 'security-level',
  canAuthenticate: 'can-authenticate',

  storeInput: 'store-input',
  keyInput: 'key-input',
  valueInput: 'value-input',
  authenticationSwitch: 'authentication-switch',

  setButton: 'set-button',
  getButton: 'get-button',
  removeButton: 'remove-button',
  clearButton: 'clear-button',

  resultPanel: 'result-panel',
  resultOperation: 'result-operation',
  resultMessage: 'result-message',
  errorCode: 'error-code',
  errorMessage: 'error-message',
  resultValue: 'result-value',
  showValueToggle: 'show-value-toggle',

  keyList: 'key-list',
  keyListEmpty: 'key-list-empty',
  keyListItem: (key: string) => `key-list-item-${key}`,

  metadataPanel: 'metadata-panel',
  metadataAuthentication: 'metadata-authentication',
  metadataSecurityLevel: 'metadata-security-level',
  metadataCreatedAt: 'metadata-created-at',
  metadataUpdatedAt: 'metadata-updated-at',
  metadataMissing: 'metadata-missing',
} as const;
