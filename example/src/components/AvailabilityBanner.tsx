import { StyleSheet, Text, View } from 'react-native';

import type { Availability } from '../keystore';
import { testIDs } from '../testIDs';

interface Props {
  availability: Availability;
}

/**
 * The result of the availability check. When the key store cannot be used, the banner says
 * why (the library's code and message) and the rest of the screen stays disabled.
 */
export function AvailabilityBanner({ availability }: Props) {
  if (!availability.available) {
    const { code, message } = availability.reason;
    return (
      <View
        style={[styles.banner, styles.unavailable]}
        testID={testIDs.availabilityBanner}
        accessibilityRole="alert"
        accessibilityLabel={`Secure storage is unavailable: ${code}. ${message}`}
      >
        <Text style={styles.heading}>Secure storage is unavailable</Text>
        <Text style={styles.text} testID={testIDs.availabilityReason}>
          {code}: {message}
        </Text>
      </View>
    );
  }

  return (
    <View
      style={[styles.banner, styles.available]}
      testID={testIDs.availabilityBanner}
      accessibilityLabel="Secure storage is available"
    >
      <Text style={styles.heading}>Secure storage is available</Text>
      <Text style={styles.text} testID={testIDs.securityLevel}>
        Security level: {availability.securityLevel}
      </Text>
      <Text style={styles.text} testID={testIDs.canAuthenticate}>
        Entries with authentication: {availability.canAuthenticate ? 'supported' : 'not supported'}
      </Text>
    </View>
  );
}

const styles = StyleSheet.create({
  banner: {
    borderRadius: 8,
    gap: 4,
    padding: 12,
  },
  available: {
    backgroundColor: '#dcfce7',
  },
  unavailable: {
    backgroundColor: '#fee2e2',
  },
  heading: {
    color: '#1f2933',
    fontSize: 16,
    fontWeight: '600',
  },
  text: {
    color: '#1f2933',
  },
});
