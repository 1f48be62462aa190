/**
 * Platform-neutral in-memory images ({@link org.cropmae.runtime.image.RgbImage}). Nothing here
 * uses AWT, so it runs on Android; file decoding lives in {@code org.cropmae.runtime.io.desktop}
 * (desktop/server) or in the Android app ({@code BitmapFactory}).
 */
package org.cropmae.runtime.image;
