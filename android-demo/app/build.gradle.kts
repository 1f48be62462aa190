plugins {
  alias(libs.plugins.android.application)
}

// What the app ships from the rest of the repository, as assets:
//  - models/: the default encoder of onnx-models' manifest (OnnxEncoder opens files, so the app
//    copies it out of the APK once; see MainActivity.installModel);
//  - demo/: the bundled demo clip (frames and the first frame's mask), for the "Demo clip" button.
val repository: File = rootDir.parentFile
val modelsDir: File = repository.resolve("onnx-models/src/main/resources/org/cropmae/models")
val demoDir: File = repository.resolve("src/main/resources/org/cropmae/app/demo")
val generatedAssets = layout.buildDirectory.dir("generated/cropmae-assets")

/** File name of the manifest's default model. */
val defaultEncoder: String by lazy {
  @Suppress("UNCHECKED_CAST")
  val manifest = groovy.json.JsonSlurper().parse(modelsDir.resolve("manifest.json")) as Map<String, Any?>
  val name = manifest["default"] as String
  @Suppress("UNCHECKED_CAST")
  val models = manifest["models"] as List<Map<String, Any?>>
  models.first { it["name"] == name }["file"] as String
}

val copyCropmaeAssets by tasks.registering(Sync::class) {
  description = "Copies the default encoder and the demo clip into the app's generated assets."
  into(generatedAssets)
  from(modelsDir) {
    include(defaultEncoder)
    into("models")
  }
  from(demoDir) {
    include("frames/**", "masks/00000.png")
    into("demo")
  }
}

android {
  namespace = "org.cropmae.android.demo"
  compileSdk = 34

  defaultConfig {
    applicationId = "org.cropmae.android.demo"
    minSdk = 24
    targetSdk = 34
    versionCode = 1
    versionName = "0.1.0"
  }

  compileOptions {
    sourceCompatibility = JavaVersion.VERSION_17
    targetCompatibility = JavaVersion.VERSION_17
    // The runtime uses java.nio.file (API 26+) and java.time: desugared for Android 7.x.
    isCoreLibraryDesugaringEnabled = true
  }

  buildTypes {
    release {
      isMinifyEnabled = true
      proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
    }
  }

  sourceSets["main"].assets.srcDir(generatedAssets)

  androidResources {
    // Stored, not deflated: the model is copied out byte for byte once and compresses poorly.
    noCompress += "onnx"
  }

  testOptions {
    unitTests.all { it.useJUnitPlatform() }
  }
}

tasks.named("preBuild") {
  dependsOn(copyCropmaeAssets)
}

dependencies {
  implementation(libs.cropmae.runtime) {
    // Not on the app's code path: Jackson (model registry, evaluation reports; 2.14+ would need
    // Android 8.0).
    exclude(group = "com.fasterxml.jackson.core")
  }
  implementation(libs.onnxruntime.android)
  coreLibraryDesugaring(libs.desugar.jdk.libs.nio)

  testImplementation(platform(libs.junit.bom))
  testImplementation(libs.junit.jupiter)
  testRuntimeOnly(libs.junit.platform.launcher)
}
