package org.cropmae.app.server;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@code multipart/form-data} body read into memory: file parts (those with a file name) and
 * text fields, in the order they came. Parts are kept in memory up to the request limit, so the
 * servlet container never spools an upload to disk.
 */
final class MultipartForm {
  /** Jetty's request attribute for the multipart settings of a request. */
  private static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
  private static final int MAX_FIELD_CHARS = 100;
  /**
   * The spool folder the container is given, which is never created: every part stays in memory
   * (threshold = the request limit), and should that ever change, spooling fails loudly or leaves
   * this folder behind for a test to see, rather than quietly writing uploads to disk.
   */
  static final Path SPOOL_GUARD = Path.of(System.getProperty("java.io.tmpdir"), "cropmae-server-never-spooled");

  private final Map<String, List<NamedBytes>> files;
  private final Map<String, String> fields;

  private MultipartForm(Map<String, List<NamedBytes>> files, Map<String, String> fields) {
    this.files = files;
    this.fields = fields;
  }

  /**
   * Reads the parts of {@code request}.
   *
   * @param fileFields names of the file fields the endpoint takes
   * @param textFields names of the text fields the endpoint takes
   * @param reading when the body must have arrived by
   * @throws HttpError 408 when the deadline passes while the body is read, 415 when the body is not multipart (see {@link #requireMultipart}), 413 when it is over the size limit, 400
   *     when it is malformed, a field is unknown or repeated, or a file name is unsafe
   */
  static MultipartForm read(HttpServletRequest request, ServerLimits limits, Set<String> fileFields, Set<String> textFields,
      BodyReading reading) {
    try (BodyDeadline deadline = reading.start(request)) {
      try {
        return read(request, limits, fileFields, textFields);
      } catch (HttpError e) {
        if (deadline.fired()) {
          throw reading.timedOut();
        }
        throw e;
      }
    }
  }

  /** When the body must be read by: a timer and the time left. */
  record BodyReading(java.util.concurrent.ScheduledExecutorService timer, WorkPool.Deadline deadline) {
    BodyDeadline start(HttpServletRequest request) {
      return BodyDeadline.start(request, timer, deadline.remainingNanos());
    }

    HttpError timedOut() {
      return new HttpError(408, "the request body was not received within the server's timeout of "
          + deadline.timeout().toMillis() + " ms; send it faster or in a smaller request", java.util.Map.of("Connection", "close"));
    }
  }

  private static MultipartForm read(HttpServletRequest request, ServerLimits limits, Set<String> fileFields,
      Set<String> textFields) {
    requireMultipart(request);
    long max = limits.maxRequestBytes();
    request.setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement(SPOOL_GUARD.toString(), max, max, (int) max));
    Map<String, List<NamedBytes>> files = new LinkedHashMap<>();
    Map<String, String> fields = new LinkedHashMap<>();
    try {
      for (Part part : request.getParts()) {
        String name = part.getName();
        String fileName = part.getSubmittedFileName();
        if (fileName != null) {
          if (!fileFields.contains(name)) {
            throw unknown(name, fileFields, textFields);
          }
          List<NamedBytes> list = files.computeIfAbsent(name, k -> new ArrayList<>());
          String safe = fileName.isEmpty() ? "" : baseName(fileName, name);
          String label = safe.isEmpty() ? name + "[" + list.size() + "]" : name + "/" + safe;
          list.add(new NamedBytes(label, safe, readAll(part)));
        } else {
          if (!textFields.contains(name)) {
            throw unknown(name, fileFields, textFields);
          }
          byte[] value = readAll(part);
          if (value.length > MAX_FIELD_CHARS) {
            throw HttpError.badRequest("field " + name + ": longer than " + MAX_FIELD_CHARS + " bytes");
          }
          if (fields.put(name, new String(value, StandardCharsets.UTF_8).strip()) != null) {
            throw HttpError.badRequest("field " + name + " is given twice");
          }
        }
      }
    } catch (IOException | ServletException | IllegalStateException e) {
      String why = causeChain(e);
      // Jetty's parser says "max length exceeded" / "max file size exceeded" for the limits set above.
      if (why.contains("max") && why.contains("exceeded")) {
        throw HttpError.tooLarge("request body exceeds the limit of " + max + " bytes");
      }
      throw HttpError.badRequest("malformed multipart/form-data body (" + why + ")");
    }
    return new MultipartForm(files, fields);
  }

  /**
   * Checks the {@code Content-Type} header, before anything is read.
   *
   * @throws HttpError 415 unless it is {@code multipart/form-data}
   */
  static void requireMultipart(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new HttpError(415, "expected a multipart/form-data body, got " + (type == null ? "no Content-Type" : "'" + type + "'"),
          Map.of());
    }
  }

  /** The files sent as {@code name}, in order; empty when none. */
  List<NamedBytes> files(String name) {
    return files.getOrDefault(name, List.of());
  }

  /** The text field {@code name}, or {@code null}. */
  String field(String name) {
    return fields.get(name);
  }

  /** An integer field, or {@code null} when absent. */
  Integer intField(String name) {
    String v = field(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("field " + name + ": expected an integer, got '" + ZipUploads.printable(v) + "'");
    }
  }

  /** A number field, or {@code null} when absent. */
  Double doubleField(String name) {
    String v = field(name);
    if (v == null) {
      return null;
    }
    try {
      return Double.valueOf(v);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("field " + name + ": expected a number, got '" + ZipUploads.printable(v) + "'");
    }
  }

  /** The submitted file name, which must be a plain name (no folders, no '..'). */
  private static String baseName(String fileName, String field) {
    ZipUploads.checkName(fileName, field);
    return fileName.substring(fileName.lastIndexOf('/') + 1);
  }

  private static byte[] readAll(Part part) throws IOException {
    try (InputStream in = part.getInputStream()) {
      return in.readAllBytes();
    } finally {
      part.delete(); // frees a spooled copy should the container ever have made one
    }
  }

  private static HttpError unknown(String name, Set<String> fileFields, Set<String> textFields) {
    return HttpError.badRequest("unknown form field '" + ZipUploads.printable(name) + "' (file fields: "
        + fileFields.stream().sorted().toList() + ", text fields: " + textFields.stream().sorted().toList() + ")");
  }

  private static String causeChain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
      if (t.getMessage() != null) {
        sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString().replaceAll("\\s+", " ").strip();
  }
}
