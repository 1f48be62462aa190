#!/usr/bin/env bash
# Assembles a signed APK of the demo WITHOUT Gradle or the Android SDK, from Debian's Android tools
# and Maven Central, and verifies it; CI runs it (through the apk-check profile of jvm-check, see
# android-demo/README.md). It checks what the JVM check cannot: that aapt2 compiles and links the
# resources and manifest against the Android 14 framework, that the generated R class declares
# exactly what the R stub declares, that the app compiles against that real R, that D8 dexes the app,
# the runtime and the ONNX Runtime Java API for minSdk, and that the signed, aligned APK has the
# manifest values, classes and assets the Gradle build would give it.
#
# NOT an APK to use: it has no ONNX Runtime native libraries (onnxruntime-android is not reachable
# from the machines this was written on; the desktop jar's Java classes stand in for its API) and
# no core library desugaring (java.nio.file/java.time need Android 8.0 in it). Build real APKs with
# Gradle (README.md).
#
# Needs: aapt, aapt2, zipalign, apksigner on the PATH (Debian 12: apt-get install aapt zipalign
# apksigner; aapt2 is in the aapt package), JDK 17, and the jars named below. Through Maven (which
# resolves the jars and compiles the runtime first), from the repository root:
#   ./mvnw -B -P apk-check -pl android-demo/jvm-check -am package -DskipTests
# By hand: ANDROID_ALL_JAR, R8_JAR, ORT_JAR and RUNTIME_JAR default to the ~/.m2 files and to
# runtime/target/classes. Argument: the output directory (default android-demo/build/assemble-check).
# Exit status 0 when every check passes; otherwise 1, with one line "assemble-check: FAIL ..." last
# on standard error.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
STEP=setup
fail() {
  echo "assemble-check: FAIL ($STEP): $*" >&2
  exit 1
}
trap 'rc=$?; echo "assemble-check: FAIL ($STEP): \`$BASH_COMMAND\` exited with status $rc" >&2; exit $rc' ERR

M2=${M2_REPO:-$HOME/.m2/repository}
ANDROID_ALL=${ANDROID_ALL_JAR:-$M2/org/robolectric/android-all/14-robolectric-10818077/android-all-14-robolectric-10818077.jar}
R8=${R8_JAR:-$M2/com/android/tools/r8/8.7.18/r8-8.7.18.jar}
ORT=${ORT_JAR:-$M2/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar}
RUNTIME=${RUNTIME_JAR:-$ROOT/runtime/target/classes}
DEMO=$ROOT/android-demo
APP=$DEMO/app/src/main
MODELS=$ROOT/onnx-models/src/main/resources/org/cropmae/models
CLIP=$ROOT/src/main/resources/org/cropmae/app/demo
OUT=${1:-$DEMO/build/assemble-check}
APK=$OUT/cropmae-demo-check.apk
T0=$SECONDS

STEP=tools
for tool in aapt aapt2 zipalign apksigner zip java javac jar keytool; do
  command -v "$tool" >/dev/null \
    || fail "$tool not found on the PATH (Debian 12: apt-get install -y --no-install-recommends aapt zipalign apksigner zip; and a JDK 17)"
done
for f in "$ANDROID_ALL" "$R8" "$ORT"; do
  [[ -f $f ]] || fail "$f not found (run through Maven: ./mvnw -B -P apk-check -pl android-demo/jvm-check -am package -DskipTests)"
done
[[ -e $RUNTIME ]] || fail "runtime classes $RUNTIME not found (compile the runtime first)"
JDK=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")

# What the Gradle build declares (app/build.gradle.kts is the source of truth).
STEP=gradle-values
gradle_value() { sed -n "s/^ *$1 = \"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" "$DEMO/app/build.gradle.kts" | head -n 1; }
NAMESPACE=$(gradle_value namespace)
APP_ID=$(gradle_value applicationId)
MIN_SDK=$(gradle_value minSdk)
TARGET_SDK=$(gradle_value targetSdk)
VERSION_CODE=$(gradle_value versionCode)
VERSION_NAME=$(gradle_value versionName)
for v in NAMESPACE APP_ID MIN_SDK TARGET_SDK VERSION_CODE VERSION_NAME; do
  [[ -n ${!v} ]] || fail "could not read $v from android-demo/app/build.gradle.kts"
done
[[ $APP_ID == "$NAMESPACE" ]] || fail "applicationId $APP_ID != namespace $NAMESPACE (this script assumes they are equal)"
APP_LABEL=$(sed -n 's|^ *<string name="app_name">\(.*\)</string> *$|\1|p' "$APP/res/values/strings.xml")
[[ -n $APP_LABEL ]] || fail "no app_name in res/values/strings.xml"
# The default encoder of onnx-models' manifest, as copyCropmaeAssets picks it.
DEFAULT_MODEL=$(sed -n 's/^ *"default": *"\([^"]*\)".*/\1/p' "$MODELS/manifest.json")
MODEL_FILE=$(awk -v name="$DEFAULT_MODEL" '
  $0 ~ "\"name\": *\"" name "\"" { found = 1; next }
  found && /"file":/ { sub(/.*"file": *"/, ""); sub(/".*/, ""); print; exit }' "$MODELS/manifest.json")
[[ -n $MODEL_FILE && -f $MODELS/$MODEL_FILE ]] || fail "default model '$DEFAULT_MODEL' of manifest.json has no file in $MODELS"

rm -rf "$OUT"
mkdir -p "$OUT"/{gen,classes,dex,assets/models,assets/demo/frames,assets/demo/masks}

# 1. Resources and manifest. Debian's aapt2 (Android 10) predates <queries> (Android 11), so that
#    element is dropped here; AGP's aapt2 keeps it. The package attribute is what AGP adds from
#    `namespace`. Assets as copyCropmaeAssets lays them out; .onnx stored (noCompress in Gradle).
STEP=aapt2
sed -e '/<queries>/,/<\/queries>/d' \
  -e "s|<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">|<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\" package=\"$NAMESPACE\">|" \
  "$APP/AndroidManifest.xml" >"$OUT/AndroidManifest.xml"
grep -q "package=\"$NAMESPACE\"" "$OUT/AndroidManifest.xml" || fail "could not add package=\"$NAMESPACE\" to the manifest"
! grep -q "<queries" "$OUT/AndroidManifest.xml" || fail "could not drop <queries> from the manifest"
cp "$MODELS/$MODEL_FILE" "$OUT/assets/models/"
cp "$CLIP"/frames/* "$OUT/assets/demo/frames/"
cp "$CLIP/masks/00000.png" "$OUT/assets/demo/masks/"
if ! aapt2 compile --dir "$APP/res" -o "$OUT/res.zip" >"$OUT/aapt2-compile.log" 2>&1; then
  cat "$OUT/aapt2-compile.log" >&2
  fail "aapt2 compile of android-demo/app/src/main/res failed (messages above)"
fi
if ! aapt2 link -I "$ANDROID_ALL" --manifest "$OUT/AndroidManifest.xml" \
    --min-sdk-version "$MIN_SDK" --target-sdk-version "$TARGET_SDK" \
    --version-code "$VERSION_CODE" --version-name "$VERSION_NAME" \
    -A "$OUT/assets" -0 onnx --java "$OUT/gen" -o "$OUT/unsigned.apk" "$OUT/res.zip" >"$OUT/aapt2-link.log" 2>&1; then
  grep -v "Unknown chunk type" "$OUT/aapt2-link.log" >&2 || true
  fail "aapt2 link of the manifest and resources failed (messages above)"
fi
# Debian's aapt2 (2.19) still deflates an asset despite -0 when that saves space (a trained encoder
# does, random weights did not): store the encoder again, as Gradle's noCompress does.
(cd "$OUT" && zip -q -d unsigned.apk "assets/models/$MODEL_FILE" && zip -q -0 -X unsigned.apk "assets/models/$MODEL_FILE") \
  || fail "could not store assets/models/$MODEL_FILE uncompressed in the APK"
R_JAVA=$OUT/gen/${NAMESPACE//.//}/R.java
[[ -f $R_JAVA ]] || fail "aapt2 generated no $R_JAVA"

# 2. The real R class has exactly the stub's names (ResourceStubTest keeps the stub equal to res/).
STEP=r-class
r_names() {
  awk '/public static final class / { c = $5; next }
       /public static (final )?int[] ]*[A-Za-z_]/ && c != "" {
         for (i = 1; i <= NF; i++) if ($i ~ /^int(\[\])?$/) { n = $(i + 1); sub(/[ =;].*/, "", n); print c "." n; break } }' "$1" | sort -u
}
r_names "$R_JAVA" >"$OUT/r-real.txt"
r_names "$DEMO/jvm-check/src/stub/java/${NAMESPACE//.//}/R.java" >"$OUT/r-stub.txt"
[[ -s $OUT/r-real.txt ]] || fail "no resource names found in aapt2's R.java"
if ! diff "$OUT/r-stub.txt" "$OUT/r-real.txt" >"$OUT/r-diff.txt"; then
  cat "$OUT/r-diff.txt" >&2
  fail "the R stub (<) and aapt2's R (>) differ in $(grep -c '^[<>]' "$OUT/r-diff.txt") resource names (see above)"
fi
echo "R stub == aapt2 R ($(wc -l <"$OUT/r-real.txt") resources)"

# 3. Compile the app against the real R; dex app + runtime + ONNX Runtime API for minSdk.
STEP=javac
mapfile -t SOURCES < <(find "$APP/java" -name '*.java')
javac --release 17 -nowarn -d "$OUT/classes" -cp "$ANDROID_ALL:$RUNTIME:$ORT" "${SOURCES[@]}" "$R_JAVA"
jar cf "$OUT/app.jar" -C "$OUT/classes" .
if [[ -d $RUNTIME ]]; then
  jar cf "$OUT/runtime.jar" -C "$RUNTIME" .
else
  cp "$RUNTIME" "$OUT/runtime.jar"
fi
STEP=d8
java -cp "$R8" com.android.tools.r8.D8 --release --min-api "$MIN_SDK" --lib "$JDK" --lib "$ANDROID_ALL" \
  --output "$OUT/dex" "$OUT/app.jar" "$OUT/runtime.jar" "$ORT"
compgen -G "$OUT/dex/classes*.dex" >/dev/null || fail "D8 wrote no classes.dex"

# 4. Add the dex files, align, sign with a throwaway key.
STEP=package
cd "$OUT/dex"
aapt add -v "$OUT/unsigned.apk" classes*.dex >/dev/null
cd "$ROOT"
zipalign -f -p 4 "$OUT/unsigned.apk" "$OUT/aligned.apk"
keytool -genkeypair -keystore "$OUT/check.keystore" -storepass android -keypass android -alias check \
  -keyalg RSA -keysize 2048 -validity 30 -dname "CN=CropMAE demo check" >/dev/null 2>&1
apksigner sign --ks "$OUT/check.keystore" --ks-pass pass:android --out "$APK" "$OUT/aligned.apk"

# 5. Verify the APK.
STEP=verify-signature
apksigner verify --min-sdk-version "$MIN_SDK" -v "$APK" >"$OUT/apksigner.log" 2>&1 \
  || { cat "$OUT/apksigner.log" >&2; fail "apksigner verify rejected $APK"; }
grep -q "^Verified using v2 scheme (APK Signature Scheme v2): true" "$OUT/apksigner.log" \
  || fail "$APK is not signed with APK Signature Scheme v2"
echo "apksigner: $(grep -c '^Verified using .*: true' "$OUT/apksigner.log") signature schemes verified"
STEP=verify-alignment
zipalign -c -p 4 "$APK" >"$OUT/zipalign.log" 2>&1 || { tail -n 5 "$OUT/zipalign.log" >&2; fail "zipalign -c -p 4: $APK is not aligned"; }
echo "zipalign: aligned (4 bytes, .so pages)"

STEP=verify-manifest
aapt dump badging "$APK" 2>/dev/null >"$OUT/badging.txt" || fail "aapt dump badging cannot read $APK"
expect_line() { # regex, description
  grep -Eq "$1" "$OUT/badging.txt" || fail "aapt dump badging: expected $2, got: $(grep -E "^${1%%:*}" "$OUT/badging.txt" | head -n 1)"
}
expect_line "^package: name='$NAMESPACE' versionCode='$VERSION_CODE' versionName='$VERSION_NAME'" "package $NAMESPACE $VERSION_CODE/$VERSION_NAME"
expect_line "^sdkVersion:'$MIN_SDK'\$" "sdkVersion $MIN_SDK"
expect_line "^targetSdkVersion:'$TARGET_SDK'\$" "targetSdkVersion $TARGET_SDK"
expect_line "^launchable-activity: name='$NAMESPACE.MainActivity'" "launchable activity $NAMESPACE.MainActivity"
expect_line "^application-label:'$APP_LABEL'\$" "application label '$APP_LABEL'"
! grep -q "^uses-permission" "$OUT/badging.txt" \
  || fail "the app must declare no permission, badging lists: $(grep '^uses-permission' "$OUT/badging.txt" | tr '\n' ' ')"
grep -E "^(package|sdkVersion|targetSdkVersion|launchable-activity|application-label):" "$OUT/badging.txt"

STEP=verify-contents
[[ $MIN_SDK -lt 26 ]] && MAX_DEX=037 || { [[ $MIN_SDK -lt 28 ]] && MAX_DEX=038 || MAX_DEX=039; }
CHECK_ARGS=(--max-dex-version "$MAX_DEX"
  --classes-of "$OUT/app.jar" --classes-of "$OUT/runtime.jar" --classes-of "$ORT"
  --class "L${NAMESPACE//.//}/MainActivity;" --class "L${NAMESPACE//.//}/R;"
  --class "Lorg/cropmae/runtime/video/MaskPropagator;" --class "Lorg/cropmae/runtime/propagation/LabelPropagator;"
  --class "Lorg/cropmae/runtime/onnx/OnnxEncoder;" --class "Lai/onnxruntime/OrtSession;"
  --stored-asset "assets/models/$MODEL_FILE=$MODELS/$MODEL_FILE"
  --asset "assets/demo/masks/00000.png=$CLIP/masks/00000.png")
for f in "$CLIP"/frames/*; do
  CHECK_ARGS+=(--asset "assets/demo/frames/${f##*/}=$f")
done
java "$DEMO/tools/ApkCheck.java" "$APK" "${CHECK_ARGS[@]}" >"$OUT/apk-check.log" 2>"$OUT/apk-check.err" \
  || fail "$(tail -n 1 "$OUT/apk-check.err")"
grep -v "^asset assets/demo/frames/" "$OUT/apk-check.log"
echo "asset assets/demo/frames/: $(grep -c '^asset assets/demo/frames/' "$OUT/apk-check.log") frames, equal to the source"

trap - ERR
echo "assemble-check: OK in $((SECONDS - T0)) s: $APK ($(wc -c <"$APK") bytes; smoke test: no ONNX Runtime natives, no desugaring)"
