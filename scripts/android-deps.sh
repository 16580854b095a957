#!/usr/bin/env bash
# Downloads the jars that scripts/check-android.sh compiles against into target/android-deps/,
# each checked against its SHA-256 in scripts/android-deps.txt. A file already there with the
# right hash is kept; one with another hash is downloaded again. A download whose hash differs
# from the list stops the script, and nothing of it is kept. An .aar also gets its classes.jar
# extracted beside it, as <name>.jar. Quiet unless something fails. Needs curl, sha256sum, unzip.
set -euo pipefail
cd "$(dirname "$0")/.."

list=scripts/android-deps.txt
dir=target/android-deps
mkdir -p "$dir"

fail() { echo "android-deps: $*" >&2; exit 1; }
sha256_of() { sha256sum "$1" | cut -d ' ' -f 1; }

while read -r sha name url extra; do
  case "$sha" in "" | "#"*) continue ;; esac
  [[ "$sha" =~ ^[0-9a-f]{64}$ && -n "$url" && -z "$extra" ]] ||
    fail "$list: expected \"sha256 name url\", got: $sha $name $url $extra"
  path="$dir/$name"

  # 1. Download unless the file is there with the listed hash.
  if ! [ -f "$path" ] || [ "$(sha256_of "$path")" != "$sha" ]; then
    curl -sSfL --retry 2 -o "$path.part" "$url" ||
      { rm -f "$path.part"; fail "could not download $url"; }
    actual=$(sha256_of "$path.part")
    if [ "$actual" != "$sha" ]; then
      rm -f "$path.part"
      fail "$name from $url has SHA-256 $actual, but $list expects $sha;" \
        "the download is corrupt or was tampered with, or the list is out of date"
    fi
    mv "$path.part" "$path"
  fi

  # 2. An Android library: the compilers read the classes.jar inside it.
  if [[ "$name" == *.aar ]]; then
    jar="$dir/${name%.aar}.jar"
    if ! [ -f "$jar" ] || [ "$path" -nt "$jar" ]; then
      unzip -p "$path" classes.jar >"$jar.part" || fail "$name holds no classes.jar"
      mv "$jar.part" "$jar"
    fi
  fi
done <"$list"
