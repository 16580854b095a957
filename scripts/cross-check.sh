#!/usr/bin/env bash
# Compiles the Rust crates for every iOS and Android target this library ships, on a Linux
# machine without Xcode or the NDK.
#
# rustup here has only the host target, so this uses Debian's second toolchain (rustc-web,
# with its standard library source in rust-web-src) and builds std for each target with
# -Zbuild-std. RUSTC_BOOTSTRAP enables that nightly flag for this check only; release builds
# use the normal toolchains on a Mac or with the NDK. `cargo check` runs no linker, so no
# platform SDK is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(
  aarch64-apple-ios
  aarch64-apple-ios-sim
  x86_64-apple-ios
  aarch64-linux-android
  armv7-linux-androideabi
  x86_64-linux-android
  i686-linux-android
)
packages=(keystore-core keystore-apple keystore-android keystore-ffi)

if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
  echo "cross-check: Debian's rustc-web and rust-web-src are missing; run scripts/setup.sh" >&2
  exit 1
fi

target_args=()
for target in "${targets[@]}"; do target_args+=(--target "$target"); done
package_args=()
for package in "${packages[@]}"; do package_args+=(-p "$package"); done

echo "cross-check: $(/usr/bin/rustc --version) for ${targets[*]}"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo check --locked \
  -Zbuild-std=std,panic_abort --target-dir target/cross \
  "${package_args[@]}" "${target_args[@]}"
echo "cross-check: ${#targets[@]} targets compiled"
