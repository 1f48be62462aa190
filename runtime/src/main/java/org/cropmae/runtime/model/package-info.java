/**
 * The model registry: encoders known by name (the bundled default, the paper's released
 * checkpoints once converted), described by a JSON manifest with their SHA-256, resolved to a local
 * file that ONNX Runtime can open.
 */
package org.cropmae.runtime.model;
