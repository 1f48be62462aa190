#!/usr/bin/env bash
# Assembles a smoke-test APK of the demo WITHOUT Gradle or the Android SDK, from Debian's Android
# tools and Maven Central, to check what the JVM check cannot: that aapt2 compiles and links the
# resources and manifest against the Android 14 framework, that the generated R class declares
# exactly what the R stub declares, and that D8 dexes the app and the runtime for minSdk 24.
#
# NOT an APK to use: it has no ONNX Runtime native libraries (onnxruntime-android is not reachable
# from the machines this was written on; the desktop jar's Java classes stand in for its API) and
# no core library desugaring (java.nio.file/java.time need Android 8.0 in it). Build real APKs with
# Gradle (README.md).
#
# Needs: apt-get install aapt zipalign apksigner (Debian 12: aapt2 of Android 10), Java 17, and in
# ~/.m2 (./mvnw dependency:get -Dartifact=... once): org.robolectric:android-all:14-robolectric-10818077,
# com.android.tools:r8:8.7.18, com.microsoft.onnxruntime:onnxruntime:1.23.2. Run from the
# repository root after `./mvnw -q -pl android-demo/jvm-check -am test-compile`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
M2=${M2_REPO:-$HOME/.m2/repository}
ANDROID_ALL=$M2/org/robolectric/android-all/14-robolectric-10818077/android-all-14-robolectric-10818077.jar
R8=$M2/com/android/tools/r8/8.7.18/r8-8.7.18.jar
ORT=$M2/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar
APP=$ROOT/android-demo/app/src/main
OUT=${1:-$ROOT/android-demo/build/assemble-check}
JDK=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
rm -rf "$OUT" && mkdir -p "$OUT"/{flat,gen,classes,dex,stage/assets/models,stage/assets/demo/masks}

# 1. Resources and manifest. Debian's aapt2 (Android 10) predates <queries> (Android 11), so that
#    element is dropped here; AGP's aapt2 keeps it. The package attribute is what AGP adds from
#    `namespace`.
aapt2 compile --dir "$APP/res" -o "$OUT/flat/res.zip"
python3 - "$APP/AndroidManifest.xml" "$OUT/AndroidManifest.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'\s*<queries>.*?</queries>', '', s, flags=re.S)
s = s.replace('<manifest xmlns:android="http://schemas.android.com/apk/res/android">',
              '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.cropmae.android.demo">', 1)
open(sys.argv[2], 'w').write(s)
PY
aapt2 link -I "$ANDROID_ALL" --manifest "$OUT/AndroidManifest.xml" --min-sdk-version 24 --target-sdk-version 34 \
  --version-code 1 --version-name 0.1.0 --java "$OUT/gen" -o "$OUT/base.apk" "$OUT/flat/res.zip" 2>&1 \
  | grep -v "Unknown chunk type" || true
test -f "$OUT/base.apk"

# 2. The real R class has the stub's names.
python3 - "$OUT/gen/org/cropmae/android/demo/R.java" "$ROOT/android-demo/jvm-check/src/stub/java/org/cropmae/android/demo/R.java" <<'PY'
import re, sys
def names(path):
    out, cur = {}, None
    for line in open(path):
        m = re.search(r'public static final class (\w+)', line)
        if m:
            cur = m.group(1); out.setdefault(cur, set()); continue
        m = re.search(r'public static (?:final )?int (\w+)\s*=', line)
        if m and cur:
            out[cur].add(m.group(1))
    return out
real, stub = names(sys.argv[1]), names(sys.argv[2])
if real != stub:
    sys.exit("R stub differs from aapt2's R: " + str({k: (sorted(real.get(k, set()) ^ stub.get(k, set()))) for k in set(real) | set(stub)}))
print("R stub == aapt2 R (%d resources)" % sum(len(v) for v in real.values()))
PY

# 3. Compile the app against the real R, dex app + runtime for API 24.
javac --release 17 -nowarn -d "$OUT/classes" -cp "$ANDROID_ALL:$ROOT/runtime/target/classes:$ORT" \
  $(find "$APP/java" -name '*.java') "$OUT/gen/org/cropmae/android/demo/R.java"
(cd "$OUT/classes" && jar cf "$OUT/app.jar" .)
(cd "$ROOT/runtime/target/classes" && jar cf "$OUT/runtime.jar" .)
java -cp "$R8" com.android.tools.r8.D8 --release --min-api 24 --lib "$JDK" --lib "$ANDROID_ALL" \
  --output "$OUT/dex" "$OUT/app.jar" "$OUT/runtime.jar" "$ORT"

# 4. Package as the Gradle build would (encoder stored uncompressed), align, sign with a throwaway key.
cp "$ROOT/onnx-models/src/main/resources/org/cropmae/models/cropmae-reference-tiny.onnx" "$OUT/stage/assets/models/"
cp -r "$ROOT/src/main/resources/org/cropmae/app/demo/frames" "$OUT/stage/assets/demo/"
cp "$ROOT/src/main/resources/org/cropmae/app/demo/masks/00000.png" "$OUT/stage/assets/demo/masks/"
cp "$OUT/dex/classes.dex" "$OUT/stage/"
cp "$OUT/base.apk" "$OUT/unsigned.apk"
(cd "$OUT/stage" && zip -q -0 -r ../unsigned.apk assets/models && zip -q -r ../unsigned.apk assets/demo classes.dex)
zipalign -f -p 4 "$OUT/unsigned.apk" "$OUT/aligned.apk"
keytool -genkeypair -keystore "$OUT/check.keystore" -storepass android -keypass android -alias check \
  -keyalg RSA -keysize 2048 -validity 30 -dname "CN=CropMAE demo check" >/dev/null 2>&1
apksigner sign --ks "$OUT/check.keystore" --ks-pass pass:android --out "$OUT/cropmae-demo-check.apk" "$OUT/aligned.apk"
apksigner verify "$OUT/cropmae-demo-check.apk"
aapt dump badging "$OUT/cropmae-demo-check.apk" 2>/dev/null | grep -E "^(package|sdkVersion|targetSdkVersion|launchable-activity)"
echo "smoke-test APK (no ONNX Runtime natives): $OUT/cropmae-demo-check.apk"
