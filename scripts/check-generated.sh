#!/usr/bin/env bash
# Fails when a generated file differs from what the current Rust and ubrn.config.yaml produce:
# regenerates everything in place, then asks git for changed or new files under the generated
# paths. Run on a clean checkout (CI); locally it also reports uncommitted regeneration.
set -euo pipefail
cd "$(dirname "$0")/.."

generated=(src/generated cpp/generated cpp/turbo-module android ios RustKeystore.podspec)

bash scripts/generate.sh
changes=$(git status --porcelain --untracked-files=all -- "${generated[@]}")
if [ -n "$changes" ]; then
  echo "check-generated: generated files are stale; run scripts/generate.sh and commit:" >&2
  echo "$changes" >&2
  git --no-pager diff --stat -- "${generated[@]}" >&2
  exit 1
fi
echo "check-generated: generated files match their sources"
