import { useState } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import type { Failure } from '../failure';
import { testIDs } from '../testIDs';
import { Button } from './Button';

/** The outcome of the last call of the walkthrough. */
export type Result =
  | { kind: 'idle' }
  | { kind: 'running'; operation: string }
  | { kind: 'success'; operation: string; message: string; value?: string }
  | { kind: 'failure'; operation: string; failure: Failure };

interface Props {
  result: Result;
}

// A fixed mask, so the panel does not reveal the value's length either.
const MASK = '••••••••';

/**
 * Shows what the last call did: its success, or its failure's code and message. A value read
 * back is masked until the user asks to see it; it is never logged.
 */
export function ResultPanel({ result }: Props) {
  const [revealed, setRevealed] = useState(false);

  if (result.kind === 'idle') {
    return (
      <Text style={styles.muted} testID={testIDs.resultMessage}>
        Set, get or remove an entry to see the result here.
      </Text>
    );
  }

  if (result.kind === 'running') {
    return (
      <Text style={styles.muted} testID={testIDs.resultOperation}>
        {result.operation}…
      </Text>
    );
  }

  if (result.kind === 'failure') {
    const { code, message } = result.failure;
    return (
      <View style={[styles.panel, styles.failure]} accessibilityRole="alert">
        <Text style={styles.operation} testID={testIDs.resultOperation}>
          {result.operation} failed
        </Text>
        <Text style={styles.code} testID={testIDs.errorCode}>
          {code}
        </Text>
        <Text style={styles.text} testID={testIDs.errorMessage}>
          {message}
        </Text>
      </View>
    );
  }

  const { value } = result;
  return (
    <View style={[styles.panel, styles.success]}>
      <Text style={styles.operation} testID={testIDs.resultOperation}>
        {result.operation} succeeded
      </Text>
      <Text style={styles.text} testID={testIDs.resultMessage}>
        {result.message}
      </Text>
      {value === undefined ? null : (
        <View style={styles.valueRow}>
          <Text
            style={styles.value}
            testID={testIDs.resultValue}
            accessibilityLabel={revealed ? `Value: ${value}` : 'Value hidden'}
          >
            {revealed ? value : MASK}
          </Text>
          <Button
            label={revealed ? 'Hide' : 'Show'}
            onPress={() => setRevealed(!revealed)}
            testID={testIDs.showValueToggle}
          />
        </View>
      )}
    </View>
  );
}

const styles = StyleSheet.create({
  panel: {
    borderRadius: 6,
    gap: 4,
    padding: 10,
  },
  success: {
    backgroundColor: '#e0f2fe',
  },
  failure: {
    backgroundColor: '#fee2e2',
  },
  operation: {
    color: '#1f2933',
    fontWeight: '600',
  },
  code: {
    color: '#991b1b',
    fontFamily: 'monospace',
    fontWeight: '700',
  },
  text: {
    color: '#1f2933',
  },
  muted: {
    color: '#7b8794',
  },
  valueRow: {
    alignItems: 'center',
    flexDirection: 'row',
    gap: 8,
  },
  value: {
    color: '#1f2933',
    flexShrink: 1,
    fontFamily: 'monospace',
  },
});
