#!/usr/bin/env bash
# The whole test suite, cheapest checks first: formatting, lints and the type check, then the
# Rust tests and docs, the generated bindings, the JavaScript tests, the web build in headless
# Chromium, the generated C++, the Android Java and Kotlin, the packed library, the
# cross-compile check for iOS and Android, and the link of the Android archive. `npm test` runs
# this; so does CI. Each step prints how long it took, and the end prints the total.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step_name=""
step_started=$SECONDS
finish_step() {
  [ -n "$step_name" ] && printf -- '-- %s: %ds\n' "$step_name" $((SECONDS - step_started))
  return 0
}
step() {
  finish_step
  step_name=$1
  step_started=$SECONDS
  printf '\n== %s\n' "$step_name"
}

step "cargo fmt --check"
cargo fmt --all --check

step "prettier --check (TypeScript, JavaScript, JSON, YAML)"
npx prettier --check --log-level warn .

step "eslint (warnings are errors)"
npx eslint . --max-warnings 0

step "TypeScript type check"
npx tsc -p tsconfig.json

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo clippy for the Node build (feature testing, warnings are errors)"
cargo clippy -p keystore-ffi --all-targets --features testing --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked
cargo test -p keystore-ffi --features testing --locked

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "generated bindings match the Rust (ubrn; the first run compiles its CLI)"
bash scripts/check-generated.sh

step "Jest on the N-API bindings"
npx jest --ci

step "the web build end to end in headless Chromium"
bash scripts/test-web.sh

step "generated C++ compiles and links against JSI and the Rust library"
bash scripts/compile-cpp.sh

step "Android Java and Kotlin compile against the framework and react-android"
bash scripts/check-android.sh

step "the packed library: contents, Codegen, Metro bundles for iOS and Android"
bash scripts/check-package.sh

step "the example app: type checks, Metro bundles for Android and iOS"
bash scripts/check-example.sh

step "cross-compile for iOS and Android"
bash scripts/cross-check.sh

step "the Android archive links into a library that exports the JNI entry point"
bash scripts/check-android-link.sh

finish_step
printf '\n== all checks passed in %ds\n' $((SECONDS - started))
