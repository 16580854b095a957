#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine, then fetches the
# project's dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian's second Rust toolchain ships its standard library source, which lets
# scripts/cross-check.sh compile the crates for iOS and Android with -Zbuild-std. Chromium runs
# the end-to-end tests of the web build (scripts/test-web.sh); playwright-core drives it, as
# `npx playwright install` would need to download a browser. A JDK, curl and unzip let
# scripts/android-deps.sh and scripts/check-android.sh compile the Android sources. lld links
# the Android archive in scripts/check-android-link.sh (readelf comes with rustc-web's binutils).
debian_packages=(rustc-web rust-web-src cargo-web chromium openjdk-17-jdk-headless curl unzip lld)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: fetching Rust crates"
cargo fetch --locked

echo "setup: installing npm packages"
npm ci --no-audit --no-fund

# The Android framework classes, react-android and the Kotlin compiler that
# scripts/check-android.sh compiles the module's Android sources with (no SDK or Gradle needed).
echo "setup: fetching the jars for the Android compile check"
bash scripts/android-deps.sh

# The example app has its own dependencies; its lint and type check read them. Detox's
# postinstall builds device tooling that is only needed on a machine that runs the app.
echo "setup: installing the example app's npm packages"
npm ci --prefix example --ignore-scripts --no-audit --no-fund

echo "setup: done"
