#!/usr/bin/env bash
# Packs the library as npm would publish it and checks that the tarball holds what an app needs
# to build and nothing else; then installs it into a throwaway app next to the pinned
# react-native, runs React Native Codegen over it, and bundles the app with Metro for iOS and
# Android. This proves the published files are complete and that Codegen and Metro resolve the
# library's spec, its TypeScript, the generated bindings and their runtime (`@ubjs/core`).
#
# An app never compiles Rust: CMakeLists.txt links android/src/main/jniLibs/<abi>/
# libkeystore_ffi.a and the podspec vendors build/RustKeystoreFramework.xcframework, both built
# by `ubrn build android|ios --release` before publishing. So the Rust sources are not packed.
# Those archives need the NDK or Xcode; without them this check says so and passes, while
# `--release` (run by `npm publish` through prepublishOnly) fails.
#
#   scripts/check-package.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

release=false
case "${1:-}" in
  --release) release=true ;;
  "") ;;
  *) echo "usage: scripts/check-package.sh [--release]" >&2; exit 2 ;;
esac

fail() { echo "check-package: $*" >&2; exit 1; }

# 1. Pack; prepack emits lib/typescript, the declarations that `types` points at.
app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
tarball=$(npm pack --silent --pack-destination "$app" | tail -n 1)
files=$(tar -tzf "$app/$tarball" | sed 's|^package/||' | sort)

# 2. Everything an app build reads must be there.
required=(
  package.json README.md LICENSE
  src/index.ts src/index.web.ts src/web/api.ts lib/typescript/index.d.ts
  src/generated/jsi/keystore_ffi.ts src/generated/jsi/keystore_ffi-ffi.ts
  src/generated/turbo-module/index.tsx src/generated/turbo-module/NativeRustKeystore.ts
  cpp/generated/keystore_ffi.cpp cpp/generated/keystore_ffi.hpp
  cpp/turbo-module/react-native-rust-keystore.cpp cpp/turbo-module/react-native-rust-keystore.h
  android/build.gradle android/CMakeLists.txt android/cpp-adapter.cpp android/proguard-rules.pro
  android/src/main/AndroidManifest.xml react-native.config.js
  android/src/main/java/com/rustkeystore/android/KeystorePackage.java
  ios/RustKeystore.h ios/RustKeystore.mm RustKeystore.podspec
  app.plugin.js plugin/withRustKeystore.js src/jest/index.ts lib/typescript/jest/index.d.ts
)
for path in "${required[@]}"; do
  grep -qx "$path" <<<"$files" || fail "$path is missing from the package"
done

# 3. Nothing else: every file must be one of these kinds. Tests, the Node bindings and their
# shared library, Rust sources, scripts, docs and build output all fall outside.
allowed='^(package\.json|README\.md|LICENSE|RustKeystore\.podspec|app\.plugin\.js'
allowed+='|react-native\.config\.js'
allowed+='|plugin/[A-Za-z0-9_.-]+\.js'
allowed+='|src/([A-Za-z0-9_-]+/)*[A-Za-z0-9_.-]+\.tsx?'
allowed+='|lib/typescript/([A-Za-z0-9_-]+/)*[A-Za-z0-9_.-]+\.d\.ts'
allowed+='|cpp/(generated|turbo-module)/[A-Za-z0-9_.-]+\.(cpp|hpp|h)'
allowed+='|android/(build\.gradle|CMakeLists\.txt|cpp-adapter\.cpp|proguard-rules\.pro)'
allowed+='|android/src/main/AndroidManifest(New)?\.xml'
allowed+='|android/src/main/java/com/rustkeystore/(android/)?[A-Za-z0-9_]+\.(kt|java)'
allowed+='|android/src/main/jniLibs/(arm64-v8a|armeabi-v7a|x86|x86_64)/libkeystore_ffi\.a'
allowed+='|ios/[A-Za-z0-9_.-]+\.(h|mm)'
allowed+='|build/RustKeystoreFramework\.xcframework/.+)$'
forbidden='(^|/)__tests__/|\.test\.tsx?$|^(src|lib/typescript)/generated/napi/'
forbidden+='|\.(so|dylib|dll)$'
unexpected=$( (grep -Ev "$allowed" <<<"$files"; grep -E "$forbidden" <<<"$files") | sort -u || true)
if [ -n "$unexpected" ]; then
  echo "$unexpected" >&2
  fail "the files above must not be published"
fi

# 4. The native archives: required for a release, reported otherwise.
missing_native=()
for abi in arm64-v8a armeabi-v7a x86 x86_64; do
  path="android/src/main/jniLibs/$abi/libkeystore_ffi.a"
  grep -qx "$path" <<<"$files" || missing_native+=("$path")
done
grep -qx "build/RustKeystoreFramework.xcframework/Info.plist" <<<"$files" ||
  missing_native+=("build/RustKeystoreFramework.xcframework")
if [ "${#missing_native[@]}" -gt 0 ]; then
  if $release; then
    printf '  %s\n' "${missing_native[@]}" >&2
    fail "a release needs the archives above; run \`ubrn build android --release\` and" \
      "\`ubrn build ios --release\` (NDK, Xcode) first"
  fi
  echo "check-package: no native archives packed (${#missing_native[@]} missing); fine for" \
    "this check, but this tarball cannot be published"
fi

# 5. Install into an app; run Codegen as `pod install` would; bundle with Metro.
react_native=$(node -p "require('./package.json').devDependencies['react-native']")
react=$(node -p "require('./package.json').devDependencies.react")
cp scripts/package-probe/*.js "$app/"
(
  cd "$app"
  echo '{"name": "package-probe", "version": "0.0.0", "private": true}' > package.json
  npm install --silent --no-audit --no-fund "./$tarball" "react-native@$react_native" \
    "react@$react" "@react-native/metro-config@$react_native" \
    "@react-native/babel-preset@$react_native"

  # Codegen ends with an error about the missing .xcodeproj of this app-less probe; the
  # library's spec is generated before that, so the check is on its output.
  node node_modules/react-native/scripts/generate-codegen-artifacts.js \
    -p . -o codegen -t ios >codegen.log 2>&1 || true
  spec=codegen/build/generated/ios/ReactCodegen/RNRustKeystoreSpec/RNRustKeystoreSpec.h
  grep -q 'installRustCrate' "$spec" 2>/dev/null ||
    { cat codegen.log >&2; echo "check-package: Codegen produced no $spec" >&2; exit 1; }
  grep -q '@"RustKeystore"' codegen/build/generated/ios/ReactCodegen/RCTModuleProviders.mm ||
    { echo "check-package: Codegen did not register the RustKeystore module provider" >&2; exit 1; }

  mkdir -p out
  node bundle.js ios >/dev/null
  node bundle.js android >/dev/null
  grep -q "getEnforcing('RustKeystore')" out/index.ios.js
  grep -q "UniffiRustCaller" out/index.android.js
)
echo "check-package: $(wc -l <<<"$files") files packed, nothing unexpected;" \
  "Codegen and Metro (iOS, Android) accept the library"
