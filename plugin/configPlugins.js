// `@expo/config-plugins` as the app has it. Expo apps get it through the `expo` package, whose
// `expo/config-plugins` re-export is what Expo asks plugins to use; the direct package is the
// fallback for setups without `expo` (and for this repository's tests).
function load() {
  try {
    return require('expo/config-plugins');
  } catch {
    return require('@expo/config-plugins');
  }
}

module.exports = load();
