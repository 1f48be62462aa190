// Android Studio project of the CropMAE demo app. The app depends on this repository's runtime
// library (org.cropmae:cropmae-runtime), which Maven builds: install it into the local Maven
// repository first (see README.md, "Build"):
//   (repository root) ./mvnw -q install -pl runtime -am -DskipTests
pluginManagement {
  repositories {
    google()
    mavenCentral()
    gradlePluginPortal()
  }
}

dependencyResolutionManagement {
  repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
  repositories {
    google()
    mavenCentral()
    // Only the project's own artifacts come from ~/.m2, so that nothing else resolves differently
    // from one machine to the next.
    mavenLocal {
      content {
        includeGroup("org.cropmae")
      }
    }
  }
}

rootProject.name = "cropmae-android-demo"
include(":app")
