import { Pressable, StyleSheet, Text, View } from 'react-native';

import type { Failure } from '../failure';
import { testIDs } from '../testIDs';

/** The keys of the store in the form, as `listKeys` returned them. */
export type KeyListing = { kind: 'keys'; keys: string[] } | { kind: 'failure'; failure: Failure };

interface Props {
  listing: KeyListing;
  selected: string;
  onSelect: (key: string) => void;
}

/** The store's keys in the order they were first set; tapping one selects it in the form. */
export function KeyList({ listing, selected, onSelect }: Props) {
  if (listing.kind === 'failure') {
    return (
      <Text style={styles.error} testID={testIDs.keyList}>
        listKeys failed: {listing.failure.code}: {listing.failure.message}
      </Text>
    );
  }

  if (listing.keys.length === 0) {
    return (
      <Text style={styles.muted} testID={testIDs.keyListEmpty}>
        This store has no entries.
      </Text>
    );
  }

  return (
    <View style={styles.list} testID={testIDs.keyList}>
      {listing.keys.map((key) => (
        <Pressable
          key={key}
          onPress={() => onSelect(key)}
          accessibilityRole="button"
          accessibilityLabel={`Select key ${key}`}
          accessibilityState={{ selected: key === selected }}
          testID={testIDs.keyListItem(key)}
          style={[styles.item, key === selected && styles.selected]}
        >
          <Text style={styles.text}>{key}</Text>
        </Pressable>
      ))}
    </View>
  );
}

const styles = StyleSheet.create({
  list: {
    gap: 4,
  },
  item: {
    borderColor: '#cbd2d9',
    borderRadius: 6,
    borderWidth: 1,
    paddingHorizontal: 8,
    paddingVertical: 6,
  },
  selected: {
    backgroundColor: '#e0f2fe',
    borderColor: '#2563eb',
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
