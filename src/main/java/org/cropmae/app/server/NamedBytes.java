package org.cropmae.app.server;

/**
 * One uploaded file held in memory.
 *
 * @param name how messages name it, e.g. {@code frames/00012.jpg} (the part or zip entry it came from)
 * @param fileName its base name, without any folder, used to name the matching output
 * @param bytes its content
 */
record NamedBytes(String name, String fileName, byte[] bytes) {}
