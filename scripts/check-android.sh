#!/usr/bin/env bash
# Compiles the module's Android sources without Gradle or the Android SDK: the Java spec that
# React Native Codegen generates from the library's TurboModule spec, the Kotlin module and
# package that ubrn generates, and the hand-written Java under android/src/main/java. They are
# compiled against the Android 14 framework classes, react-android and the Kotlin standard
# library that scripts/android-deps.sh downloads, for Java 8 as android/build.gradle sets.
#
# Our Java is compiled with warnings as errors, every javac lint but `classfile` (it reports
# annotations that the framework's and React Native's class files name but do not ship) and
# doclint on public and protected items but its `missing` group (it wants @param and @return
# tags, which the summary sentences here make redundant). The generated sources only have to
# compile. This proves the sources agree with the APIs they call; Android Lint's API-level
# checks, the NDK build and the app itself are left to .github/workflows/android.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

deps=target/android-deps
fail() { echo "check-android: $*" >&2; exit 1; }

# What the sources compile against, and what runs the Kotlin compiler (its POM's runtime
# dependencies).
compile_jars=(android-all react-android kotlin-stdlib annotations jsr305 proguard-annotations
  infer-annotation kotlin-annotations-jvm)
kotlinc_jars=(kotlin-compiler-embeddable kotlin-stdlib kotlin-script-runtime kotlin-reflect
  kotlin-daemon-embeddable trove4j kotlinx-coroutines-core-jvm annotations)
for jar in "${compile_jars[@]}" "${kotlinc_jars[@]}"; do
  [ -f "$deps/$jar.jar" ] || fail "$deps/$jar.jar is missing; run scripts/android-deps.sh"
done
react_native=$(node -p "require('./package.json').devDependencies['react-native']")
grep -q "/react-android/$react_native/" scripts/android-deps.txt ||
  fail "scripts/android-deps.txt pins another react-android than react-native $react_native"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# A class path of the named jars.
jars() {
  local IFS=:
  local paths=("${@/#/$deps/}")
  echo "${paths[*]/%/.jar}"
}
classpath=$(jars "${compile_jars[@]}")
kotlinc=$(jars "${kotlinc_jars[@]}")

# 1. Codegen's Java spec, generated as the React Native Gradle plugin does: the spec files to a
# schema, the schema to Java, with the names from package.json's codegenConfig.
read -r library js_dir java_package < <(node -p "const c = require('./package.json').codegenConfig;
  [c.name, c.jsSrcsDir, c.android.javaPackageName].join(' ')")
node node_modules/@react-native/codegen/lib/cli/combine/combine-js-to-schema-cli.js \
  "$out/schema.json" "$js_dir" --platform android --libraryName "$library"
node node_modules/react-native/scripts/generate-specs-cli.js --platform android \
  --schemaPath "$out/schema.json" --outputDir "$out/codegen" --libraryName "$library" \
  --javaPackageName "$java_package" --libraryType modules >/dev/null
spec="$out/codegen/java/${java_package//.//}/NativeRustKeystoreSpec.java"
[ -f "$spec" ] || fail "Codegen produced no $spec"
javac --release 8 -nowarn -cp "$classpath" -d "$out/spec" "$spec"

# 2. The generated Kotlin, which extends the spec.
kotlin_sources=(android/src/main/java/com/rustkeystore/*.kt)
java -cp "$kotlinc" org.jetbrains.kotlin.cli.jvm.K2JVMCompiler -no-stdlib -no-reflect \
  -jvm-target 1.8 -cp "$classpath:$out/spec" -d "$out/kotlin" "${kotlin_sources[@]}"

# 3. Our Java, which wraps the generated package.
java_sources=()
while IFS= read -r -d '' source; do java_sources+=("$source"); done \
  < <(find android/src/main/java -name '*.java' -print0 | sort -z)
[ "${#java_sources[@]}" -gt 0 ] || fail "no Java sources under android/src/main/java"
javac --release 8 -Xlint:all,-classfile -Xdoclint:all/protected -Xdoclint:-missing -Werror \
  -cp "$classpath:$out/spec:$out/kotlin" -d "$out/java" "${java_sources[@]}"

echo "check-android: Codegen's spec, ${#kotlin_sources[@]} generated Kotlin and" \
  "${#java_sources[@]} Java files compile against Android API 34 and react-android"
