#!/usr/bin/env python3
"""Times one CropMAE training step in plain PyTorch on the CPU or a CUDA GPU.

Our own minimal implementation of the architecture the official CropMAE ImageNet run trains
(ViT-S/16 encoder; cross-attention decoder 256 dim, 4 blocks, 8 heads, FFN 2048; mask ratio
0.985; per-patch normalised pixel targets; AdamW betas 0.9/0.95, weight decay 0.05 on matrices
only). It needs only torch (timm is not required) and exists to give `cropmae bench train` a
same-machine baseline. Prints one JSON object.

Usage: python3 torch_train_step.py [--batch-size 8] [--warmup 2] [--steps 5] [--threads 2]
                                  [--device cpu|cuda] [--amp]
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

IMG, PATCH, CH = 224, 16, 3
GRID = IMG // PATCH
TOKENS = GRID * GRID


def sincos_2d(dim, grid, with_cls):
    """Fixed 2-D sine-cosine position table [1, (1+)grid*grid, dim]; half the channels encode
    the column coordinate, half the row coordinate (MAE convention), zeros for the cls slot."""
    quarter = dim // 4
    omega = 1.0 / (10000 ** (torch.arange(quarter, dtype=torch.float64) / quarter))
    coords = torch.arange(grid, dtype=torch.float64)
    rows, cols = torch.meshgrid(coords, coords, indexing="ij")

    def enc(pos):
        angles = pos.reshape(-1, 1) * omega.reshape(1, -1)
        return torch.cat([angles.sin(), angles.cos()], dim=1)

    table = torch.cat([enc(cols), enc(rows)], dim=1)
    if with_cls:
        table = torch.cat([torch.zeros(1, dim, dtype=torch.float64), table], dim=0)
    return table.float().unsqueeze(0)


class SelfAttention(nn.Module):
    """Pre-norm ViT attention: fused qkv projection with bias, softmax(q k^T / sqrt(d)) v."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q * (d // self.heads) ** -0.5) @ k.transpose(-2, -1)
        out = attn.softmax(dim=-1) @ v
        return self.proj(out.transpose(1, 2).reshape(b, n, d))


class EncoderBlock(nn.Module):
    """timm-style ViT block: x + attn(norm1(x)); x + mlp(norm2(x)); GELU MLP ratio 4."""

    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = SelfAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.fc2 = nn.Linear(4 * dim, dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class CrossDecoderBlock(nn.Module):
    """Post-norm decoder block in the official order: cross-attention to the unmasked view's
    tokens, then the feed-forward, then self-attention; dropout 0.1 everywhere (training mode)."""

    def __init__(self, dim, heads, ffn=2048, dropout=0.1):
        super().__init__()
        self.cross = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.self_attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.lin1 = nn.Linear(dim, ffn)
        self.lin2 = nn.Linear(ffn, dim)
        self.norm_cross = nn.LayerNorm(dim, eps=1e-6)
        self.norm_ffn = nn.LayerNorm(dim, eps=1e-6)
        self.norm_self = nn.LayerNorm(dim, eps=1e-6)
        self.p = dropout

    def forward(self, x, memory):
        drop = lambda t: F.dropout(t, self.p, self.training)
        x = self.norm_cross(x + drop(self.cross(x, memory, memory, need_weights=False)[0]))
        ff = self.lin2(drop(F.gelu(self.lin1(x))))
        x = self.norm_ffn(x + drop(ff))
        return self.norm_self(x + drop(self.self_attn(x, x, x, need_weights=False)[0]))


class CropMaeNet(nn.Module):
    def __init__(self, dim=384, depth=12, heads=6, dec_dim=256, dec_depth=4, dec_heads=8,
                 mask_ratio=0.985):
        super().__init__()
        self.mask_ratio = mask_ratio
        self.patch_embed = nn.Conv2d(CH, dim, PATCH, PATCH)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.register_buffer("pos", sincos_2d(dim, GRID, True))
        self.blocks = nn.ModuleList(EncoderBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.dec_embed = nn.Linear(dim, dec_dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dec_dim))
        self.register_buffer("dec_pos", sincos_2d(dec_dim, GRID, True))
        self.dec_blocks = nn.ModuleList(CrossDecoderBlock(dec_dim, dec_heads) for _ in range(dec_depth))
        self.dec_norm = nn.LayerNorm(dec_dim, eps=1e-6)
        self.dec_pred = nn.Linear(dec_dim, PATCH * PATCH * CH)
        self._init()

    def _init(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        w = self.patch_embed.weight.data
        nn.init.xavier_uniform_(w.view(w.shape[0], -1))
        nn.init.normal_(self.cls_token, std=0.02)
        nn.init.normal_(self.mask_token, std=0.02)

    def _encode(self, img, keep_ids=None):
        x = self.patch_embed(img).flatten(2).transpose(1, 2) + self.pos[:, 1:]
        if keep_ids is not None:
            x = torch.gather(x, 1, keep_ids.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        cls = (self.cls_token + self.pos[:, :1]).expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1)
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)

    def _target(self, img):
        b = img.shape[0]
        t = img.reshape(b, CH, GRID, PATCH, GRID, PATCH).permute(0, 2, 4, 3, 5, 1)
        t = t.reshape(b, TOKENS, PATCH * PATCH * CH)
        mean = t.mean(dim=-1, keepdim=True)
        var = t.var(dim=-1, keepdim=True)  # unbiased, as torch.var's default
        return (t - mean) / (var + 1e-6) ** 0.5

    def forward(self, views):
        """views [B, 2, 3, 224, 224]: view 0 is seen whole, view 1 is masked and reconstructed."""
        first, second = views[:, 0], views[:, 1]
        b = views.shape[0]
        keep = int(TOKENS * (1 - self.mask_ratio))
        dev = views.device
        order = torch.argsort(torch.rand(b, TOKENS, device=dev), dim=1)
        restore = torch.argsort(order, dim=1)
        mask = torch.ones(b, TOKENS, device=dev)
        mask[:, :keep] = 0
        mask = torch.gather(mask, 1, restore)

        memory = self.dec_embed(self._encode(first))
        latent = self.dec_embed(self._encode(second, order[:, :keep]))
        fill = self.mask_token.expand(b, TOKENS - keep, -1)
        seq = torch.cat([latent[:, 1:], fill], dim=1)
        seq = torch.gather(seq, 1, restore.unsqueeze(-1).expand(-1, -1, seq.shape[-1]))
        x = torch.cat([latent[:, :1], seq], dim=1) + self.dec_pos
        for blk in self.dec_blocks:
            x = blk(x, memory)
        pred = self.dec_pred(self.dec_norm(x))[:, 1:]
        per_patch = ((pred - self._target(second)) ** 2).mean(dim=-1)
        return (per_patch * mask).sum() / mask.sum()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--amp", action="store_true",
                    help="float16 autocast with a gradient scaler, as the official training loop on GPU")
    args = ap.parse_args()
    dev = torch.device(args.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = CropMaeNet().to(dev).train()
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=1.5e-4, betas=(0.9, 0.95))
    views = torch.randn(args.batch_size, 2, CH, IMG, IMG, device=dev)
    scaler = torch.amp.GradScaler(dev.type, enabled=args.amp)

    times = []
    loss = float("nan")
    for i in range(args.warmup + args.steps):
        sync()
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        with torch.autocast(dev.type, dtype=torch.float16, enabled=args.amp):
            out = model(views)
        scaler.scale(out).backward()
        scaler.step(opt)
        scaler.update()
        loss = out.item()
        sync()
        elapsed = (time.perf_counter() - start) * 1000.0
        if i >= args.warmup:
            times.append(round(elapsed, 1))
    mean = sum(times) / len(times)
    print(json.dumps({
        "framework": "pytorch",
        "device": str(dev) if dev.type == "cpu" else torch.cuda.get_device_name(dev),
        "amp": args.amp,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch_size": args.batch_size,
        "params_m": round(sum(p.numel() for p in model.parameters()) / 1e6, 3),
        "last_loss": round(loss, 4) if math.isfinite(loss) else None,
        "step_ms": times,
        "mean_step_ms": round(mean, 1),
        "images_per_s": round(args.batch_size * 1000.0 / mean, 3),
    }))


if __name__ == "__main__":
    main()
