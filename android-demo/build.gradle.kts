// Plugins are declared here once and applied by the modules (app/build.gradle.kts).
plugins {
  alias(libs.plugins.android.application) apply false
}
