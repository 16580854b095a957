import { StyleSheet, Switch, Text, TextInput, View } from 'react-native';

import { testIDs } from '../testIDs';

/** The form's fields: which entry to act on, the value to set and whether it needs the user. */
export interface EntryFields {
  store: string;
  key: string;
  value: string;
  authentication: boolean;
}

interface Props {
  fields: EntryFields;
  onChange: (fields: EntryFields) => void;
  canAuthenticate: boolean;
  disabled: boolean;
}

/**
 * The store, key and value inputs and the authentication switch. The inputs are passed to the
 * library as typed, so an empty key shows the library's INVALID_INPUT error.
 */
export function EntryForm({ fields, onChange, canAuthenticate, disabled }: Props) {
  return (
    <View style={styles.form}>
      <Field
        label="Store"
        value={fields.store}
        onChangeText={(store) => onChange({ ...fields, store })}
        testID={testIDs.storeInput}
        disabled={disabled}
      />
      <Field
        label="Key"
        value={fields.key}
        onChangeText={(key) => onChange({ ...fields, key })}
        testID={testIDs.keyInput}
        disabled={disabled}
      />
      <Field
        label="Value"
        value={fields.value}
        onChangeText={(value) => onChange({ ...fields, value })}
        testID={testIDs.valueInput}
        disabled={disabled}
        secret
      />

      <View style={styles.switchRow}>
        <Text style={styles.label}>Require authentication to read</Text>
        <Switch
          value={fields.authentication}
          onValueChange={(authentication) => onChange({ ...fields, authentication })}
          disabled={disabled}
          testID={testIDs.authenticationSwitch}
          accessibilityLabel="Require authentication to read"
        />
      </View>
      {fields.authentication && !canAuthenticate ? (
        <Text style={styles.hint}>
          canAuthenticate() is false here, so setting this entry fails with UNAVAILABLE.
        </Text>
      ) : null}
    </View>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onChangeText: (text: string) => void;
  testID: string;
  disabled: boolean;
  /** Hides the typed text, as a password field does. */
  secret?: boolean;
}

function Field({ label, value, onChangeText, testID, disabled, secret = false }: FieldProps) {
  return (
    <View style={styles.field}>
      <Text style={styles.label}>{label}</Text>
      <TextInput
        value={value}
        onChangeText={onChangeText}
        editable={!disabled}
        secureTextEntry={secret}
        autoCapitalize="none"
        autoCorrect={false}
        accessibilityLabel={label}
        testID={testID}
        style={styles.input}
      />
    </View>
  );
}

const styles = StyleSheet.create({
  form: {
    gap: 8,
  },
  field: {
    gap: 4,
  },
  label: {
    color: '#3e4c59',
  },
  input: {
    borderColor: '#cbd2d9',
    borderRadius: 6,
    borderWidth: 1,
    color: '#1f2933',
    paddingHorizontal: 8,
    paddingVertical: 6,
  },
  switchRow: {
    alignItems: 'center',
    flexDirection: 'row',
    justifyContent: 'space-between',
  },
  hint: {
    color: '#b45309',
  },
});
