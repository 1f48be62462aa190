/**
 * Desktop/server-only file decoding (uses {@code javax.imageio} and AWT, which Android lacks):
 * {@link org.cropmae.runtime.io.desktop.ImageFiles} reads JPEG/PNG frames into
 * {@link org.cropmae.runtime.image.RgbImage}. Android apps decode with {@code BitmapFactory}
 * instead; nothing else in {@code org.cropmae.runtime} depends on this package.
 */
package org.cropmae.runtime.io.desktop;
