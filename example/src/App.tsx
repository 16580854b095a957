// The walkthrough of react-native-rust-keystore: check that secure storage is available, set
// an entry (optionally requiring authentication), read it back, remove it, and show every
// failure by its code and message; alongside, the store's keys, the selected entry's metadata
// and the security level.
import { useCallback, useEffect, useState } from 'react';
import { ScrollView, StatusBar, StyleSheet, Text, View } from 'react-native';
import { SafeAreaProvider, SafeAreaView } from 'react-native-safe-area-context';
import {
  clearStore,
  getMetadata,
  getValue,
  KeyStoreError,
  listKeys,
  removeKey,
  setValue,
} from 'react-native-rust-keystore';

import { AvailabilityBanner } from './components/AvailabilityBanner';
import { Button } from './components/Button';
import { type EntryFields, EntryForm } from './components/EntryForm';
import { type KeyListing, KeyList } from './components/KeyList';
import { type MetadataState, MetadataPanel } from './components/MetadataPanel';
import { type Result, ResultPanel } from './components/ResultPanel';
import { Section } from './components/Section';
import { toFailure } from './failure';
import { type Availability, openKeyStore } from './keystore';
import { testIDs } from './testIDs';

// The prompt shown when reading an entry that requires authentication.
const PROMPT = {
  title: 'Read the example secret',
  subtitle: 'The entry was set to require authentication',
  cancel: 'Cancel',
};

const INITIAL_FIELDS: EntryFields = {
  store: 'example',
  key: 'api-token',
  value: '',
  authentication: false,
};

/** What a successful call reports: a sentence, and the value when it read one. */
interface Outcome {
  message: string;
  value?: string;
}

/** What the store in the form holds: its keys, and the metadata of the key in the form. */
async function describeStore(store: string, key: string): Promise<[KeyListing, MetadataState]> {
  const listing: Promise<KeyListing> = listKeys(store).then(
    (keys) => ({ kind: 'keys', keys }),
    (error: unknown) => ({ kind: 'failure', failure: toFailure(error) }),
  );
  const metadata: Promise<MetadataState> = getMetadata(store, key).then(
    (entry) => ({ kind: 'entry', metadata: entry }),
    (error: unknown) =>
      KeyStoreError.is(error) && error.code === 'NOT_FOUND'
        ? { kind: 'missing' }
        : { kind: 'failure', failure: toFailure(error) },
  );
  return Promise.all([listing, metadata]);
}

/** The example app's only screen. */
export function App() {
  // The availability check runs once, before the first render.
  const [availability] = useState<Availability>(openKeyStore);
  const [fields, setFields] = useState(INITIAL_FIELDS);
  const [result, setResult] = useState<Result>({ kind: 'idle' });
  const [listing, setListing] = useState<KeyListing>({ kind: 'keys', keys: [] });
  const [metadata, setMetadata] = useState<MetadataState>({ kind: 'missing' });
  // Bumped by every call, so the result panel starts masked again for each new value.
  const [resultId, setResultId] = useState(0);

  const available = availability.available;
  const busy = result.kind === 'running';

  const refresh = useCallback(async (store: string, key: string) => {
    const [keys, entry] = await describeStore(store, key);
    setListing(keys);
    setMetadata(entry);
  }, []);

  useEffect(() => {
    if (available) void refresh(INITIAL_FIELDS.store, INITIAL_FIELDS.key);
  }, [available, refresh]);

  // Runs one call of the walkthrough and shows how it went, then what the store holds now.
  // Never rejects: a failure is shown, and describeStore settles either way.
  const run = useCallback(
    async (operation: string, call: () => Promise<Outcome>) => {
      const { store, key } = fields;
      setResult({ kind: 'running', operation });
      setResultId((id) => id + 1);
      try {
        setResult({ kind: 'success', operation, ...(await call()) });
      } catch (error) {
        setResult({ kind: 'failure', operation, failure: toFailure(error) });
      }
      await refresh(store, key);
    },
    [fields, refresh],
  );

  const onSet = () =>
    void run('setValue', async () => {
      const { store, key, value, authentication } = fields;
      await setValue(store, key, value, { authentication });
      const how = authentication ? 'requires authentication to read' : 'is encrypted';
      return { message: `Set "${key}" in "${store}"; it ${how}.` };
    });

  const onGet = () =>
    void run('getValue', async () => {
      const { store, key } = fields;
      const value = await getValue(store, key, { prompt: PROMPT });
      return { message: `Read "${key}" from "${store}".`, value };
    });

  const onRemove = () =>
    void run('removeKey', async () => {
      const { store, key } = fields;
      await removeKey(store, key);
      return { message: `Removed "${key}" from "${store}", if it was there.` };
    });

  const onClear = () =>
    void run('clearStore', async () => {
      await clearStore(fields.store);
      return { message: `Removed every entry of "${fields.store}".` };
    });

  const onSelect = (key: string) => {
    setFields({ ...fields, key });
    void refresh(fields.store, key);
  };

  const disabled = !available || busy;
  return (
    <SafeAreaProvider>
      <StatusBar barStyle="dark-content" />
      <SafeAreaView style={styles.root}>
        <ScrollView
          contentContainerStyle={styles.content}
          keyboardShouldPersistTaps="handled"
          testID={testIDs.screen}
        >
          <Text style={styles.title} accessibilityRole="header">
            Rust key store
          </Text>

          <AvailabilityBanner availability={availability} />

          <Section title="Entry">
            <EntryForm
              fields={fields}
              onChange={setFields}
              canAuthenticate={availability.available && availability.canAuthenticate}
              disabled={disabled}
            />
            <View style={styles.buttons}>
              <Button label="Set" onPress={onSet} testID={testIDs.setButton} disabled={disabled} />
              <Button label="Get" onPress={onGet} testID={testIDs.getButton} disabled={disabled} />
              <Button
                label="Remove"
                onPress={onRemove}
                testID={testIDs.removeButton}
                disabled={disabled}
                destructive
              />
            </View>
          </Section>

          <Section title="Result" testID={testIDs.resultPanel}>
            <ResultPanel key={resultId} result={result} />
          </Section>

          {available ? (
            <>
              <Section title={`Keys in "${fields.store}"`}>
                <KeyList listing={listing} selected={fields.key} onSelect={onSelect} />
                <Button
                  label="Clear store"
                  onPress={onClear}
                  testID={testIDs.clearButton}
                  disabled={disabled}
                  destructive
                />
              </Section>

              <Section title={`Metadata of "${fields.key}"`} testID={testIDs.metadataPanel}>
                <MetadataPanel state={metadata} />
              </Section>
            </>
          ) : null}
        </ScrollView>
      </SafeAreaView>
    </SafeAreaProvider>
  );
}

const styles = StyleSheet.create({
  root: {
    backgroundColor: '#f0f4f8',
    flex: 1,
  },
  content: {
    gap: 12,
    padding: 16,
  },
  title: {
    color: '#1f2933',
    fontSize: 24,
    fontWeight: '700',
  },
  buttons: {
    flexDirection: 'row',
    gap: 8,
  },
});
