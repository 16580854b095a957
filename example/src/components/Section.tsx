import type { ReactNode } from 'react';
import { StyleSheet, Text, View } from 'react-native';

interface Props {
  title: string;
  testID?: string;
  children: ReactNode;
}

/** A titled card; each step of the walkthrough is one. */
export function Section({ title, testID, children }: Props) {
  return (
    <View style={styles.card} testID={testID}>
      <Text style={styles.title} accessibilityRole="header">
        {title}
      </Text>
      {children}
    </View>
  );
}

const styles = StyleSheet.create({
  card: {
    backgroundColor: '#ffffff',
    borderRadius: 8,
    gap: 8,
    padding: 12,
  },
  title: {
    color: '#1f2933',
    fontSize: 17,
    fontWeight: '600',
  },
});
