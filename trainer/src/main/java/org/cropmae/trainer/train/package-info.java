/**
 * CropMAE pre-training: {@link org.cropmae.trainer.train.Trainer} runs the official loop
 * ({@code train_cropmae_in.py}) configured by an immutable
 * {@link org.cropmae.trainer.train.TrainingConfig}, with {@link org.cropmae.trainer.train.AdamW}
 * (torch's algorithm, timm's parameter groups), the official
 * {@link org.cropmae.trainer.train.LearningRateSchedule}, PyTorch-format checkpoints with exact
 * resume, a JSON-lines log, a loss plot, reconstruction samples and ONNX export of the encoder.
 * Progress goes to a {@link org.cropmae.trainer.train.TrainingListener}; the library prints nothing.
 */
package org.cropmae.trainer.train;
