package org.cropmae.android.demo;

/** Placeholder; regenerated below. */
public final class R {
  private R() {}
}
