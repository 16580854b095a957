#!/usr/bin/env bash
# Checks the example app (example/) as far as this machine can: its TypeScript, the app's and
# the Detox tests', type-checks in strict mode, and Metro bundles it for Android and iOS as a
# release build would (`--dev false`), so a broken import or a missing file in the library or
# the app fails here. Each bundle must hold the library's native module lookup and a single copy
# of react and react-native, the app's. Building and running the app needs Gradle and the NDK,
# or Xcode: .github/workflows/android.yml and ios.yml do that.
#
# Needs the repository's packages (`npm ci`) and the example's (`npm ci --prefix example
# --ignore-scripts`); ESLint and Prettier check example/ with the rest of the repository.
#
#   scripts/check-example.sh
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-example: $*" >&2; exit 1; }

[ -d example/node_modules/react-native ] ||
  fail "example/node_modules is missing; run \`npm ci --prefix example --ignore-scripts\` first"

started=$SECONDS
step_started=$SECONDS
done_step() { printf -- '-- %s: %ds\n' "$1" $((SECONDS - step_started)); step_started=$SECONDS; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# 1. Types: the app against the library's TypeScript source, then the Detox tests.
(cd example && npx tsc -p tsconfig.json && npx tsc -p e2e/tsconfig.json)
done_step "type check (app, e2e)"

# 2. Release bundles. A fresh cache, so a file deleted since the last run cannot hide in it.
for platform in android ios; do
  (
    cd example
    npx react-native bundle --platform "$platform" --dev false --entry-file index.js \
      --bundle-output "$out/index.$platform.bundle" --sourcemap-output "$out/$platform.map" \
      --assets-dest "$out/assets-$platform" --reset-cache >"$out/$platform.log" 2>&1
  ) || { cat "$out/$platform.log" >&2; fail "Metro could not bundle the app for $platform"; }

  grep -q 'RustKeystore' "$out/index.$platform.bundle" ||
    fail "the $platform bundle does not contain the library's native module"
  node -e '
    const { sources } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const copies = new Set();
    for (const source of sources) {
      const match = /^(.*\/node_modules\/(react|react-native))\//.exec(source);
      if (match) copies.add(match[1]);
    }
    const app = new Set([...copies].filter((dir) => dir.includes("/example/node_modules/")));
    if (copies.size !== 2 || app.size !== 2) {
      console.error(`react and react-native must come from example/ once each: ${[...copies]}`);
      process.exit(1);
    }
  ' "$out/$platform.map" || fail "the $platform bundle has the wrong react or react-native"
  done_step "Metro bundle for $platform ($(wc -c <"$out/index.$platform.bundle") bytes)"
done

printf 'check-example: the example type-checks and bundles for Android and iOS in %ds\n' \
  $((SECONDS - started))
