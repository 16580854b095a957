#!/usr/bin/env bash
# Compiles the generated JSI bindings and TurboModule C++ with the host g++ against the JSI and
# ReactCommon headers of the pinned react-native package, then links them with JSI itself and
# the Rust static library into a shared object with no undefined symbols. This proves on Linux
# that the C++ compiles and that every FFI symbol it calls exists in the Rust library; the
# real builds happen in Xcode and the Android NDK (CMake).
set -euo pipefail
cd "$(dirname "$0")/.."

rc=node_modules/react-native/ReactCommon
ubrn_includes=node_modules/uniffi-bindgen-react-native/cpp/includes
out=target/cpp-check
mkdir -p "$out"

cxxflags=(-std=c++20 -fPIC -Wall -I "$ubrn_includes" -I "$rc/jsi" -I "$rc/callinvoker" -I "$rc")
sources=(
  cpp/generated/keystore_ffi.cpp
  cpp/turbo-module/react-native-rust-keystore.cpp
  "$rc/jsi/jsi/jsi.cpp"
)

objects=()
for source in "${sources[@]}"; do
  object="$out/$(basename "${source%.cpp}").o"
  echo "compile-cpp: $source"
  g++ "${cxxflags[@]}" -c "$source" -o "$object"
  objects+=("$object")
done

# The app build of the library: what the NDK and Xcode link into the app.
cargo build --locked --quiet -p keystore-ffi
g++ -shared -o "$out/libreact-native-rust-keystore.so" "${objects[@]}" \
  target/debug/libkeystore_ffi.a -Wl,--no-undefined -lpthread -ldl -lm
echo "compile-cpp: linked $out/libreact-native-rust-keystore.so with no undefined symbols"
