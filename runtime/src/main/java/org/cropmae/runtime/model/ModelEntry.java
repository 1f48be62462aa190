package org.cropmae.runtime.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One model of the registry manifest.
 *
 * @param name registry name, e.g. {@code cropmae-vits16-in}
 * @param file file name of the ONNX encoder inside the registry's resources, or {@code null} when
 *     the model is not bundled (see {@code obtain})
 * @param architecture e.g. {@code vits16}, or a description of a custom size
 * @param patchSize pixels per patch side
 * @param mean input normalisation mean (RGB, on 0..1 values)
 * @param std input normalisation standard deviation
 * @param training how the weights were trained (recipe and data)
 * @param license licence of the weights
 * @param sha256 lower-case hex SHA-256 of the ONNX file
 * @param size size of the ONNX file in bytes
 * @param card file name of the model card (Markdown) next to the manifest
 * @param obtain for models not bundled: how to get and convert them
 * @param url for models not bundled: an {@code https://} address of the ONNX file, which
 *     {@link ModelRegistry#resolve} downloads into the cache, or {@code null}
 * @param scores measured scores, by benchmark name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelEntry(
    @JsonProperty("name") String name,
    @JsonProperty("file") String file,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("patch_size") int patchSize,
    @JsonProperty("mean") List<Double> mean,
    @JsonProperty("std") List<Double> std,
    @JsonProperty("training") String training,
    @JsonProperty("license") String license,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("size") long size,
    @JsonProperty("card") String card,
    @JsonProperty("obtain") String obtain,
    @JsonProperty("url") String url,
    @JsonProperty("scores") Map<String, Object> scores) {

  /** Whether the ONNX file ships inside the registry jar. */
  public boolean bundled() {
    return file != null && !file.isBlank();
  }
}
