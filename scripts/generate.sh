#!/usr/bin/env bash
# Regenerates every file that uniffi-bindgen-react-native derives from rust/keystore-ffi:
#
#   src/generated/jsi, cpp/generated     JSI bindings (from the app build of the library)
#   src/generated/napi                   N-API bindings (from the host build with `testing`)
#   src/generated/turbo-module,          TurboModule glue: installer, Codegen spec, C++
#   cpp/turbo-module, android, ios,      install code, Android and iOS build files
#   RustKeystore.podspec
#
# None of these files is edited by hand; change the Rust or ubrn.config.yaml and run this.
# Formatting is off (`--no-format`) so the output does not depend on which prettier or
# clang-format a machine has. scripts/check-generated.sh runs this in CI and fails on a diff.
set -euo pipefail
cd "$(dirname "$0")/.."

lib=target/debug/libkeystore_ffi.so

# The JSI flavour ships in apps, so it is generated from a build without the testing hooks.
cargo build --locked --quiet -p keystore-ffi
bash scripts/ubrn.sh generate jsi bindings --library --no-format \
  --ts-dir src/generated/jsi --cpp-dir cpp/generated "$lib"
bash scripts/ubrn.sh generate jsi turbo-module --config ubrn.config.yaml keystore_ffi

# The N-API flavour runs the JavaScript tests, so it includes them.
cargo build --locked --quiet -p keystore-ffi --features testing
bash scripts/ubrn.sh generate napi bindings --library --no-format --lib-colocated \
  --ts-dir src/generated/napi "$lib"
cp "$lib" src/generated/napi/
