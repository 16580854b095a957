#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust tests and docs, and the cross-compile check
# for iOS and Android. `npm test` runs this; so does CI.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "cross-compile for iOS and Android"
bash scripts/cross-check.sh
