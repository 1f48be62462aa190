/**
 * {@code cropmae evaluate}: the paper's three propagation benchmarks end to end, as the official
 * {@code downstreams/propagation} pipeline runs them (propagate every validation video with the
 * benchmark's preset, write the results in the official converted layout, score them with the
 * official metric). {@link org.cropmae.app.evaluate.EvaluationRunner} drives a
 * {@link org.cropmae.app.evaluate.BenchmarkSuite} (DAVIS-2017, JHMDB, VIP): videos are done one after
 * another, each staged in {@code <out>/.partial/} and moved into place when complete, so an
 * interrupted run resumes where it stopped and a broken video fails alone.
 */
package org.cropmae.app.evaluate;
