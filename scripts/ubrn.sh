#!/usr/bin/env bash
# Runs the uniffi-bindgen-react-native CLI (`ubrn`) of the version pinned in package.json.
#
# `npx ubrn` compiles the CLI with cargo on first use (minutes, several GB of RAM) into
# node_modules/uniffi-bindgen-react-native/target, which every reinstall of that package
# (`npm ci`, an upgrade) throws away. This builds it into target/ubrn-cli instead, so a
# reinstall of the same version costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

manifest=node_modules/uniffi-bindgen-react-native/crates/ubrn_cli/Cargo.toml
if [ ! -f "$manifest" ]; then
  echo "ubrn: $manifest is missing; run npm ci" >&2
  exit 1
fi
exec cargo run --quiet --manifest-path "$manifest" --target-dir target/ubrn-cli -- "$@"
