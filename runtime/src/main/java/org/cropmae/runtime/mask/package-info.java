/**
 * Segmentation masks: indexed label images with their palette
 * ({@link org.cropmae.runtime.mask.IndexMask}, {@link org.cropmae.runtime.mask.Palette}), an
 * AWT-free palette PNG codec ({@link org.cropmae.runtime.mask.PalettePng}) and the conversions
 * between masks and the soft label maps of label propagation
 * ({@link org.cropmae.runtime.mask.LabelSet}). Runs on Android.
 */
package org.cropmae.runtime.mask;
