/**
 * CropMAE's training data pipeline, faithful to the official {@code CropMAE_Image_Pipe}: an
 * {@link org.cropmae.trainer.data.ImageFolderDataset} of JPEG/PNG files, two views per image made
 * by a {@link org.cropmae.trainer.data.ViewSampler} according to a
 * {@link org.cropmae.trainer.data.ViewConfig} ({@link org.cropmae.trainer.data.CropStrategy},
 * {@link org.cropmae.trainer.data.RandomResizedCrop} sampling, Pillow-exact
 * {@link org.cropmae.trainer.data.PillowResize}, flips, ImageNet normalisation), and
 * {@link org.cropmae.trainer.data.TrainingBatches}, the multi-threaded, deterministic loader
 * producing {@code [B, 2, 3, S, S]} float batches ({@link org.cropmae.trainer.data.Batch}).
 * {@link org.cropmae.trainer.data.DataPipelineBenchmark} measures it.
 *
 * <p>Given the same crop boxes and flip decisions, views are bit-identical to the reference's
 * (decoded pixels included, for baseline JPEGs); the random draws themselves come from
 * {@link java.util.SplittableRandom} streams, not PyTorch's generator. DJL-free: batches are plain
 * {@code float[]} with a shape.
 */
package org.cropmae.trainer.data;
