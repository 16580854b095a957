#!/usr/bin/env bash
# Proves that the Android app's shared library exports the JNI entry point the Java side needs.
#
# `KeystoreBridge.nativeStart` is implemented in Rust as
# `Java_com_rustkeystore_android_KeystoreBridge_nativeStart`, and the JVM finds it by name in
# `libreact-native-rust-keystore.so`. CMake links that library from the generated C++ and the
# Rust static archive; a linker takes an archive member only when something refers to it, and
# no C++ refers to the JNI function. Today other code of its member pulls it in, and
# keystore-ffi's android module names the function too, in case it ever sits in a member nothing
# else needs. This script checks the result, on Linux without the NDK: it builds
# the aarch64-linux-android archive with Debian's second toolchain (see scripts/cross-check.sh),
# links it with ld.lld as the app's link would (rooted at the FFI functions the generated C++
# calls, --gc-sections, no --whole-archive), and reads the result's dynamic symbol table.
#
# Usage: scripts/check-android-link.sh [--debug]
#   Checks the release archive apps ship (thin LTO, one codegen unit) unless --debug is given.
set -euo pipefail
cd "$(dirname "$0")/.."

target=aarch64-linux-android
symbol=Java_com_rustkeystore_android_KeystoreBridge_nativeStart
profile=release
profile_args=(--release)
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  profile_args=()
fi

if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
  echo "check-android-link: Debian's rustc-web and rust-web-src are missing;" \
    "run scripts/setup.sh" >&2
  exit 1
fi
if ! command -v ld.lld >/dev/null; then
  echo "check-android-link: ld.lld is missing; run scripts/setup.sh (Debian package lld)" >&2
  exit 1
fi

# Only the static archive: the crate's cdylib would need the NDK's linker.
echo "check-android-link: building the $target $profile archive of keystore-ffi"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo rustc --locked --quiet "${profile_args[@]}" \
  -p keystore-ffi --lib --crate-type staticlib -Zbuild-std=std,panic_abort \
  --target-dir target/cross --target "$target"
archive=target/cross/$target/$profile/libkeystore_ffi.a

# The link's roots are the Rust functions the generated C++ calls, as in the app.
mapfile -t roots < <(grep -oE '\b(uniffi|ffi)_keystore_ffi_[A-Za-z0-9_]+' \
  cpp/generated/keystore_ffi.cpp | sort -u)
if [ "${#roots[@]}" -eq 0 ]; then
  echo "check-android-link: no FFI functions found in cpp/generated/keystore_ffi.cpp" >&2
  exit 1
fi
undefined_args=()
for root in "${roots[@]}"; do undefined_args+=("--undefined=$root"); done

# The NDK links with --gc-sections; -z max-page-size comes from android/CMakeLists.txt. Without
# the NDK's libc, libc symbols stay undefined, which -shared allows.
out=target/cross/android-link
mkdir -p "$out"
library=$out/libreact-native-rust-keystore.so
ld.lld -m aarch64linux -shared --gc-sections -z max-page-size=16384 -z undefs \
  "${undefined_args[@]}" -o "$library" "$archive"

# readelf columns: Num Value Size Type Bind Vis Ndx Name. Exported means a defined, global,
# default-visibility function in the dynamic symbol table.
entry=$(readelf --dyn-syms --wide "$library" | awk -v name="$symbol" '$8 == name')
if ! awk '$4 == "FUNC" && $5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" { found = 1 }
    END { exit !found }' <<<"$entry"; then
  echo "check-android-link: $library does not export $symbol" >&2
  echo "check-android-link: its dynamic symbol entry: ${entry:-none}" >&2
  exit 1
fi
echo "check-android-link: $symbol exported by a --gc-sections link of the $target" \
  "$profile archive rooted at ${#roots[@]} FFI functions"
