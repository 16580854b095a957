import { Pressable, StyleSheet, Text } from 'react-native';

interface Props {
  label: string;
  onPress: () => void;
  testID: string;
  disabled?: boolean;
  /** A destructive action is drawn in red. */
  destructive?: boolean;
}

/** A labelled button that screen readers announce as one, with its disabled state. */
export function Button({ label, onPress, testID, disabled = false, destructive = false }: Props) {
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={label}
      accessibilityState={{ disabled }}
      disabled={disabled}
      onPress={onPress}
      testID={testID}
      style={({ pressed }) => [
        styles.button,
        destructive && styles.destructive,
        (pressed || disabled) && styles.dimmed,
      ]}
    >
      <Text style={styles.label}>{label}</Text>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  button: {
    alignItems: 'center',
    backgroundColor: '#2563eb',
    borderRadius: 6,
    flexGrow: 1,
    paddingHorizontal: 12,
    paddingVertical: 10,
  },
  destructive: {
    backgroundColor: '#b91c1c',
  },
  dimmed: {
    opacity: 0.5,
  },
  label: {
    color: '#ffffff',
    fontWeight: '600',
  },
});
