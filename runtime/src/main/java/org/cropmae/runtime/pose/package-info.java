/**
 * Pose (keypoint) propagation as the paper evaluates it on JHMDB: joints become heat-map label
 * channels on the feature grid ({@link PoseLabels#heatmaps}), the label propagator carries them
 * through the video like mask labels, and each propagated map is turned back into one coordinate per
 * joint ({@link PoseLabels#decode}). Android-safe: no AWT, no file formats.
 */
package org.cropmae.runtime.pose;
