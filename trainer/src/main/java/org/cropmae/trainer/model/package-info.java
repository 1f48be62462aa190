/**
 * The CropMAE pre-training model on DJL's PyTorch engine.
 *
 * <p>{@link org.cropmae.trainer.model.CropMaeModel} is the official {@code SiameseMAE}: a ViT encoder
 * applied to both views, the local view masked by {@link org.cropmae.trainer.model.CropMaeConfig#maskRatio()},
 * a post-norm cross-attention decoder and the per-patch normalised pixel loss. Parameters carry the
 * official {@code state_dict()} names, so weights move between this model and PyTorch checkpoints
 * unchanged. {@link org.cropmae.trainer.model.CropMaeConfig} holds the architecture (presets for
 * ViT-S/B/L and the reference fixtures' tiny model), {@link org.cropmae.trainer.model.ComputeDevice}
 * turns {@code auto|cpu|gpu[:N]} into a DJL device.
 */
package org.cropmae.trainer.model;
