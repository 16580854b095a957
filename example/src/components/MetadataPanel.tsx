import { StyleSheet, Text, View } from 'react-native';
import type { EntryMetadata } from 'react-native-rust-keystore';

import type { Failure } from '../failure';
import { testIDs } from '../testIDs';

/** What `getMetadata` said about the key in the form. */
export type MetadataState =
  | { kind: 'entry'; metadata: EntryMetadata }
  | { kind: 'missing' }
  | { kind: 'failure'; failure: Failure };

interface Props {
  state: MetadataState;
}

/** The selected entry's metadata, read without its value and so without a prompt. */
export function MetadataPanel({ state }: Props) {
  if (state.kind === 'missing') {
    return (
      <Text style={styles.muted} testID={testIDs.metadataMissing}>
        No entry for this key.
      </Text>
    );
  }

  if (state.kind === 'failure') {
    return (
      <Text style={styles.error} testID={testIDs.metadataMissing}>
        getMetadata failed: {state.failure.code}: {state.failure.message}
      </Text>
    );
  }

  const { authentication, securityLevel, createdAt, updatedAt } = state.metadata;
  return (
    <View style={styles.rows}>
      <Text style={styles.text} testID={testIDs.metadataAuthentication}>
        Authentication: {authentication ? 'required' : 'not required'}
      </Text>
      <Text style={styles.text} testID={testIDs.metadataSecurityLevel}>
        Security level: {securityLevel}
      </Text>
      <Text style={styles.text} testID={testIDs.metadataCreatedAt}>
        Created: {createdAt.toISOString()}
      </Text>
      <Text style={styles.text} testID={testIDs.metadataUpdatedAt}>
        Updated: {updatedAt.toISOString()}
      </Text>
    </View>
  );
}

const styles = StyleSheet.create({
  rows: {
    gap: 2,
  },
  text: {
    color: '#1f2933',
  },
  muted: {
    color: '#7b8794',
  },
  error: {
    color: '#991b1b',
  },
});
