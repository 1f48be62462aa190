# Builds small seeded synthetic DAVIS-2017 / JHMDB / VIP datasets and runs the OFFICIAL CropMAE
# label-propagation evaluation (https://github.com/alexandre-eymael/CropMAE, commit
# 5d0dab2e4d202a65ab54860f51fa1145e6f3c315, downstreams/propagation) on them, writing the expected
# outputs next to this file (davis_expected/, jhmdb_expected/, vip_expected/) for the Java tests.
# Rerun (from the repository root, Debian's python with torch 1.13 / opencv 4.6 / timm):
#   mkdir -p /tmp/official && git --git-dir=/work/.mirror/alexandre-eymael+CropMAE/repo archive \
#       5d0dab2e4d202a65ab54860f51fa1145e6f3c315 | tar -x -C /tmp/official
#   /usr/bin/python3 src/test/resources/reference/evaluate/generate.py --official /tmp/official
# Nothing from the official tree is copied here: its modules are imported from --official
# (or $CROPMAE_OFFICIAL); only the model size is changed (tiny ViT matching the checkpoint).
import argparse
import hashlib
import json
import math
import os
import shutil
import sys
import types
from functools import partial

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..', '..'))
DEFAULT_CKPT = os.path.join(REPO, 'trainer', 'src', 'test', 'resources', 'reference', 'checkpoint.pth')

# ----------------------------------------------------------------------------------------------
# Synthetic data helpers (all seeded)
# ----------------------------------------------------------------------------------------------


def smooth_texture(rng, h, w, cells, contrast=1.0):
    """Low-frequency colour noise (bicubic-upsampled random grid) plus a faint stripe pattern."""
    import cv2
    gh, gw = max(2, h // cells), max(2, w // cells)
    base = rng.uniform(0, 1, size=(gh, gw, 3)).astype(np.float32)
    up = cv2.resize(base, (w, h), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    f = rng.uniform(0.05, 0.15, size=2)
    stripes = 0.12 * np.sin(f[0] * xx + f[1] * yy)[..., None]
    tint = rng.uniform(0.25, 0.75, size=3).astype(np.float32)
    img = tint + contrast * 0.45 * (up - 0.5) + stripes
    return np.clip(img, 0, 1)


def shape_mask(h, w, cx, cy, rx, ry, angle, kind):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    ca, sa = math.cos(angle), math.sin(angle)
    u = ((xx - cx) * ca + (yy - cy) * sa) / rx
    v = (-(xx - cx) * sa + (yy - cy) * ca) / ry
    if kind == 'ellipse':
        m = u * u + v * v <= 1.0
    else:
        m = (np.abs(u) <= 1.0) & (np.abs(v) <= 1.0)
    return m, u, v


def object_texture(u, v, col_a, col_b, freq, kind):
    if kind == 'stripes':
        t = (np.sin(freq * (u + 0.5 * v)) > 0)[..., None]
    else:
        t = ((np.floor(freq * u / 3.0) + np.floor(freq * v / 3.0)) % 2 == 0)[..., None]
    return np.where(t, col_a, col_b)


def pascal_palette():
    """Standard DAVIS / PASCAL-VOC colour map (256 x 3, RGB)."""
    pal = np.zeros((256, 3), dtype=np.uint8)
    for i in range(256):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal[i] = (r, g, b)
    return pal


def save_jpeg(path, rgb01):
    from PIL import Image
    arr = np.uint8(np.round(np.clip(rgb01, 0, 1) * 255))
    # 4:4:4 (no chroma subsampling) so that decoders agree as far as possible.
    Image.fromarray(arr).save(path, format='JPEG', quality=88, subsampling=0)


def save_png_rgb(path, rgb01):
    from PIL import Image
    Image.fromarray(np.uint8(np.round(np.clip(rgb01, 0, 1) * 255))).save(path, format='PNG', optimize=True)


def decoded_sha256(path):
    """sha256 of the BGR uint8 pixels cv2.imread (what the official loader uses) decodes."""
    import cv2
    a = cv2.imread(path)
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


# ----------------------------------------------------------------------------------------------
# DAVIS
# ----------------------------------------------------------------------------------------------

DAVIS_H, DAVIS_W, DAVIS_T = 120, 216, 24
DAVIS_SEQS = ['synth-crossing', 'synth-triple', 'synth-exit']


def davis_objects(seq, t, T):
    s = t / (T - 1)
    if seq == 'synth-crossing':
        return [  # (kind, cx, cy, rx, ry, angle, texture, colA, colB, freq)  in z-order, later on top
            ('rect', 196 - 120 * s, 70 + 6 * math.sin(4 * s), 26 - 8 * s, 18, 0.3 * s, 'checker',
             (0.9, 0.8, 0.1), (0.6, 0.2, 0.1), 6.0),
            ('ellipse', 30 + 130 * s, 58 + 10 * math.sin(6 * s), 16 + 12 * s, 22 + 4 * s, 0.5, 'stripes',
             (0.1, 0.3, 0.9), (0.8, 0.9, 1.0), 9.0),
        ]
    if seq == 'synth-triple':
        return [
            ('ellipse', 50 + 20 * math.sin(3 * s), 40 + 40 * s, 20, 14, 0.0, 'stripes',
             (0.95, 0.3, 0.3), (0.3, 0.05, 0.05), 8.0),
            ('rect', 110 + 15 * s, 60 - 10 * math.cos(5 * s), 24 - 12 * s, 24 - 12 * s, 1.2 * s, 'checker',
             (0.2, 0.9, 0.3), (0.0, 0.3, 0.1), 7.0),
            ('ellipse', 175 - 50 * s, 85 - 30 * s, 14 + 10 * s, 10 + 8 * s, -0.4, 'checker',
             (0.9, 0.9, 0.9), (0.2, 0.2, 0.6), 5.0),
        ]
    if seq == 'synth-exit':
        # object 2 drifts out through the right border (frames ~13-19 fully outside), then returns.
        if t <= 19:
            cx2 = 150 + 10.0 * t
        else:
            cx2 = 340 - 45.0 * (t - 19)
        return [
            ('ellipse', 60 + 40 * s, 62 + 15 * math.sin(5 * s), 30 - 10 * s, 26 - 6 * s, 0.2 * t, 'checker',
             (0.95, 0.55, 0.1), (0.35, 0.1, 0.5), 6.0),
            ('rect', cx2, 50 + 20 * s, 20, 14, 0.0, 'stripes', (0.1, 0.8, 0.8), (0.05, 0.25, 0.3), 10.0),
        ]
    raise KeyError(seq)


def make_davis(root, seed):
    from PIL import Image
    rng = np.random.default_rng(seed)
    pal = pascal_palette()
    seqs_info = {}
    for si, seq in enumerate(DAVIS_SEQS):
        bg_big = smooth_texture(rng, DAVIS_H + 40, DAVIS_W + 60, 12)
        jd = os.path.join(root, 'JPEGImages', '480p', seq)
        ad = os.path.join(root, 'Annotations', '480p', seq)
        os.makedirs(jd, exist_ok=True)
        os.makedirs(ad, exist_ok=True)
        hashes = []
        for t in range(DAVIS_T):
            ox, oy = int(2 * t) % 60, int(round(8 + 6 * math.sin(t / 5)))
            img = bg_big[oy:oy + DAVIS_H, ox:ox + DAVIS_W].copy()
            lbl = np.zeros((DAVIS_H, DAVIS_W), np.uint8)
            for k, (kind, cx, cy, rx, ry, ang, tex, ca, cb, fr) in enumerate(davis_objects(seq, t, DAVIS_T)):
                m, u, v = shape_mask(DAVIS_H, DAVIS_W, cx, cy, rx, ry, ang, kind)
                col = object_texture(u * rx / 10.0, v * ry / 10.0, np.array(ca), np.array(cb), fr, tex)
                img[m] = col[m]
                lbl[m] = k + 1
            p = os.path.join(jd, '%05d.jpg' % t)
            save_jpeg(p, img)
            hashes.append(decoded_sha256(p))
            im = Image.fromarray(lbl, mode='P')
            im.putpalette(pal.ravel().tolist())
            im.save(os.path.join(ad, '%05d.png' % t), format='PNG')
        seqs_info[seq] = {'frames': DAVIS_T, 'objects': int(len(davis_objects(seq, 0, DAVIS_T))),
                          'cv2_decoded_bgr_sha256': hashes}
    os.makedirs(os.path.join(root, 'ImageSets', '2017'), exist_ok=True)
    with open(os.path.join(root, 'ImageSets', '2017', 'val.txt'), 'w') as f:
        for seq in DAVIS_SEQS:
            f.write(seq + '\n')
    with open(os.path.join(root, 'davis_vallist_480_880.txt'), 'w') as f:
        for seq in DAVIS_SEQS:
            f.write('JPEGImages/480p/%s Annotations/480p/%s\n' % (seq, seq))
    return seqs_info


# ----------------------------------------------------------------------------------------------
# JHMDB
# ----------------------------------------------------------------------------------------------

JH_H, JH_W, JH_T = 120, 160, 24
JH_VIDEOS = [('synth_wave', 'synthwave_a_f_nm_np1_fr_med_0'),
             ('synth_wave', 'synthwave_b_f_cm_np1_le_bad_0'),
             ('synth_walk', 'synthwalk_c_f_nm_np1_ri_goo_0')]
# JHMDB joint order: 0 neck, 1 belly, 2 face, 3 r-shoulder, 4 l-shoulder, 5 r-hip, 6 l-hip,
# 7 r-elbow, 8 l-elbow, 9 r-knee, 10 l-knee, 11 r-wrist, 12 l-wrist, 13 r-ankle, 14 l-ankle
LIMBS = [(0, 1), (0, 2), (0, 3), (0, 4), (3, 7), (7, 11), (4, 8), (8, 12), (1, 5), (1, 6), (5, 9), (9, 13),
         (6, 10), (10, 14)]


def skeleton(v, t, T):
    s = t / (T - 1)
    if v == 0:   # waving figure, right wrist leaves the frame through the top (frames ~9-15)
        nx, ny, sc = 70 + 20 * s, 32, 1.0 + 0.2 * s
        arm_r = -2.5 + 0.95 * math.sin(math.pi * min(1.0, max(0.0, (t - 4) / 16.0)))
        arm_l = 2.0 + 0.5 * math.sin(0.7 * t)
        leg_r, leg_l = 1.45 + 0.15 * math.sin(0.5 * t), 1.7 - 0.15 * math.sin(0.5 * t)
    elif v == 1:  # figure moving left and shrinking, arms swinging
        nx, ny, sc = 110 - 40 * s, 34 + 6 * s, 1.15 - 0.3 * s
        arm_r, arm_l = 2.4 + 0.6 * math.sin(0.6 * t), 0.7 - 0.6 * math.sin(0.6 * t)
        leg_r, leg_l = 1.35 + 0.25 * math.sin(0.6 * t), 1.8 - 0.25 * math.sin(0.6 * t)
    else:         # walker crossing to the right, strong leg swing; left ankle below the frame at the end
        nx, ny, sc = 35 + 80 * s, 36 + 14 * s, 1.05 + 0.1 * s
        arm_r, arm_l = 1.9 + 0.5 * math.sin(0.9 * t), 1.2 - 0.5 * math.sin(0.9 * t)
        leg_r, leg_l = 1.3 + 0.35 * math.sin(0.9 * t), 1.85 - 0.35 * math.sin(0.9 * t)
    L = lambda a: 14.0 * sc * a
    P = np.zeros((15, 2))
    P[0] = (nx, ny)
    P[1] = (nx + 1.5 * sc, ny + L(2.1))
    P[2] = (nx - 0.5 * sc, ny - L(0.85))
    P[3] = (nx - L(0.8), ny + L(0.15))
    P[4] = (nx + L(0.8), ny + L(0.15))
    P[5] = (P[1][0] - L(0.55), P[1][1] + L(0.2))
    P[6] = (P[1][0] + L(0.55), P[1][1] + L(0.2))
    P[7] = P[3] + L(1.0) * np.array([math.cos(arm_r), math.sin(arm_r)])
    P[11] = P[7] + L(0.95) * np.array([math.cos(arm_r + 0.25), math.sin(arm_r + 0.25)])
    P[8] = P[4] + L(1.0) * np.array([math.cos(arm_l), math.sin(arm_l)])
    P[12] = P[8] + L(0.95) * np.array([math.cos(arm_l - 0.25), math.sin(arm_l - 0.25)])
    P[9] = P[5] + L(1.25) * np.array([math.cos(leg_r), math.sin(leg_r)])
    P[13] = P[9] + L(1.2) * np.array([math.cos(leg_r + 0.1), math.sin(leg_r + 0.1)])
    P[10] = P[6] + L(1.25) * np.array([math.cos(leg_l), math.sin(leg_l)])
    P[14] = P[10] + L(1.2) * np.array([math.cos(leg_l - 0.1), math.sin(leg_l - 0.1)])
    if v == 0 and 9 <= t <= 15:
        P[11][1] -= 14.0             # raised right wrist above the top border
    if v == 2 and t >= 18:
        P[14][1] += 4.0 * (t - 17)   # pushed below the bottom border
    return P, sc


def make_jhmdb(root, seed):
    import cv2
    from scipy.io import savemat
    rng = np.random.default_rng(seed + 1)
    lines, info = [], {}
    for v, (cls, vid) in enumerate(JH_VIDEOS):
        fd = os.path.join(root, 'Rename_Images', cls, vid)
        md = os.path.join(root, 'joint_positions', cls, vid)
        os.makedirs(fd, exist_ok=True)
        os.makedirs(md, exist_ok=True)
        bg = smooth_texture(rng, JH_H, JH_W + 40, 16, contrast=0.8)
        limb_cols = rng.uniform(0.05, 0.95, size=(len(LIMBS), 3))
        torso_col = rng.uniform(0.1, 0.9, size=3)
        pos = np.zeros((2, 15, JH_T))
        scales = np.zeros((1, JH_T))
        for t in range(JH_T):
            P, sc = skeleton(v, t, JH_T)
            ox = int(t) % 40
            img = np.ascontiguousarray(bg[:, ox:ox + JH_W].copy())
            q = lambda p: (int(round(p[0] * 4)), int(round(p[1] * 4)))   # 2 fractional bits
            torso = np.array([q(P[3]), q(P[4]), q(P[6]), q(P[5])], np.int32)
            cv2.fillPoly(img, [torso], tuple(float(c) for c in torso_col), lineType=cv2.LINE_AA, shift=2)
            for li, (a, b) in enumerate(LIMBS):
                cv2.line(img, q(P[a]), q(P[b]), tuple(float(c) for c in limb_cols[li]),
                         thickness=max(3, int(round(5 * sc))), lineType=cv2.LINE_AA, shift=2)
            cv2.circle(img, q(P[2]), int(round(7 * sc * 4)), (0.95, 0.8, 0.65), -1, lineType=cv2.LINE_AA, shift=2)
            cv2.circle(img, q(P[2] + np.array([2.0, -1.0]) * sc), int(round(2 * sc * 4)), (0.1, 0.1, 0.1), -1,
                       lineType=cv2.LINE_AA, shift=2)
            save_png_rgb(os.path.join(fd, '%05d.png' % (t + 1)), img)
            pos[:, :, t] = P.T + 1.0          # MATLAB 1-based pixel coordinates
            scales[0, t] = 14.0 * sc
        world = (pos - np.array([JH_W / 2.0, JH_H / 2.0])[:, None, None]) / scales[None]
        mp = os.path.join(md, 'joint_positions.mat')
        savemat(mp, {'pos_img': pos, 'pos_world': world, 'scale': scales,
                     'viewpoint': np.array(['E'] * JH_T, dtype=object).reshape(JH_T, 1)})
        lines.append('joint_positions/%s/%s/joint_positions.mat Rename_Images/%s/%s' % (cls, vid, cls, vid))
        out = ((pos - 1) < 0) | ((pos[0] - 1) > JH_W - 1)[None] | ((pos[1] - 1) > JH_H - 1)[None]
        info[vid] = {'class': cls, 'frames': JH_T,
                     'joints_outside_frame': [[int(j), int(t)] for j in range(15) for t in range(JH_T)
                                              if out[:, j, t].any()]}
    with open(os.path.join(root, 'jhmdb_vallist.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return info


# ----------------------------------------------------------------------------------------------
# VIP
# ----------------------------------------------------------------------------------------------

VIP_H, VIP_W, VIP_T = 180, 320, 24
VIP_VIDEOS = ['videos7', 'videos23', 'videos101']
# VIP category ids: 0 background, 1 hat, 2 hair, 3 sun-glasses, 4 upper-clothes, 5 dress, 6 coat, 7 socks,
# 8 pants, 9 gloves, 10 scarf, 11 skirt, 12 torso-skin, 13 face, 14 right-arm, 15 left-arm, 16 right-leg,
# 17 left-leg, 18 right-shoe, 19 left-shoe


def person_parts(style, cx, top, sc, phase):
    """List of (class_id, kind, cx, cy, rx, ry, angle) drawn in order."""
    S = lambda a: a * sc
    sw = math.sin(phase)
    parts = []
    if style == 'a':   # jeans + t-shirt person
        parts += [(16, 'rect', cx - S(7) + S(4) * sw, top + S(92), S(6), S(22), 0.15 * sw),
                  (17, 'rect', cx + S(7) - S(4) * sw, top + S(92), S(6), S(22), -0.15 * sw),
                  (8, 'rect', cx, top + S(70), S(15), S(12), 0.0),
                  (18, 'ellipse', cx - S(8) + S(7) * sw, top + S(116), S(8), S(4), 0.0),
                  (19, 'ellipse', cx + S(8) - S(7) * sw, top + S(116), S(8), S(4), 0.0),
                  (14, 'rect', cx - S(22), top + S(45) + S(3) * sw, S(5), S(20), 0.25 + 0.3 * sw),
                  (15, 'rect', cx + S(22), top + S(45) - S(3) * sw, S(5), S(20), -0.25 - 0.3 * sw),
                  (4, 'rect', cx, top + S(42), S(16), S(20), 0.0),
                  (13, 'ellipse', cx, top + S(12), S(9), S(11), 0.0),
                  (2, 'ellipse', cx, top + S(4), S(10), S(6), 0.0)]
    elif style == 'b':  # coat + skirt, scarf
        parts += [(17, 'rect', cx + S(6), top + S(95), S(5), S(20), -0.1 * sw),
                  (16, 'rect', cx - S(6), top + S(95), S(5), S(20), 0.1 * sw),
                  (11, 'ellipse', cx, top + S(70), S(18), S(12), 0.0),
                  (6, 'rect', cx, top + S(42), S(18), S(22), 0.05 * sw),
                  (15, 'rect', cx + S(24), top + S(46), S(5), S(19), -0.2 + 0.35 * sw),
                  (14, 'rect', cx - S(24), top + S(46), S(5), S(19), 0.2 + 0.35 * sw),
                  (10, 'rect', cx, top + S(24), S(11), S(4), 0.0),
                  (13, 'ellipse', cx, top + S(11), S(9), S(10), 0.0),
                  (2, 'ellipse', cx, top + S(2), S(10), S(5), 0.0)]
    else:  # style 'c': frame-0 classes 0..5 only (consecutive ids) -> legs/shoes appear later
        parts += [(16, 'rect', cx - S(6), top + S(100), S(5), S(18), 0.0),
                  (17, 'rect', cx + S(6), top + S(100), S(5), S(18), 0.0),
                  (5, 'ellipse', cx, top + S(62), S(20), S(30), 0.0),
                  (4, 'rect', cx, top + S(36), S(15), S(12), 0.0),
                  (2, 'ellipse', cx, top + S(8), S(10), S(11), 0.0),
                  (3, 'rect', cx, top + S(12), S(8), S(2.5), 0.0),
                  (1, 'rect', cx, top - S(2), S(12), S(4), 0.1 * sw)]
    return parts


def vip_scene(vi, t, T):
    s = t / (T - 1)
    if vi == 0:
        return [('a', 60 + 160 * s, 28, 1.05 + 0.2 * s, 0.8 * t)]
    if vi == 1:
        return [('b', 250 - 120 * s, 24 + 10 * s, 1.1 - 0.15 * s, 0.7 * t),
                ('a', 90 + 50 * s, 36, 0.95 + 0.1 * s, 0.9 * t + 1.0)]
    # style c walks down so the legs (classes 16/17, absent in frame 0) enter the image
    return [('c', 150 + 40 * math.sin(2 * s), 100 - 45 * s, 1.0 + 0.2 * s, 0.0)]


def make_vip(root, seed):
    rng = np.random.default_rng(seed + 2)
    lines, info = [], {}
    class_cols = rng.uniform(0.05, 0.95, size=(20, 2, 3))
    for vi, vid in enumerate(VIP_VIDEOS):
        idir = os.path.join(root, 'Images', vid)
        adir = os.path.join(root, 'Annotations', 'Category_ids', vid)
        os.makedirs(idir, exist_ok=True)
        os.makedirs(adir, exist_ok=True)
        bg_big = smooth_texture(rng, VIP_H, VIP_W + 50, 20)
        hashes, names = [], []
        for t in range(VIP_T):
            # VIP val frames are the annotated ones, one every 25 video frames, 12-digit names
            name = '%012d' % (1 + 25 * t + 25 * vi)
            ox = (2 * t) % 50
            img = bg_big[:, ox:ox + VIP_W].copy()
            lbl = np.zeros((VIP_H, VIP_W), np.uint8)
            for pi, (style, cx, top, sc, ph) in enumerate(vip_scene(vi, t, VIP_T)):
                for (cid, kind, pcx, pcy, rx, ry, ang) in person_parts(style, cx, top, sc, ph):
                    m, u, v = shape_mask(VIP_H, VIP_W, pcx, pcy, rx, ry, ang, kind)
                    ca, cb = class_cols[cid, 0] * (0.8 + 0.2 * pi), class_cols[cid, 1]
                    col = object_texture(u * rx / 8.0, v * ry / 8.0, ca, cb, 6.0 + cid % 4, 'stripes'
                                         if cid % 2 else 'checker')
                    img[m] = col[m]
                    lbl[m] = cid
            p = os.path.join(idir, name + '.jpg')
            save_jpeg(p, img)
            hashes.append(decoded_sha256(p))
            names.append(name)
            from PIL import Image
            Image.fromarray(lbl, mode='L').save(os.path.join(adir, name + '.png'), format='PNG')
        lines.append('Images/%s Annotations/Category_ids/%s' % (vid, vid))
        info[vid] = {'frames': VIP_T, 'frame_names': names, 'cv2_decoded_bgr_sha256': hashes}
    with open(os.path.join(root, 'vip_vallist.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return info


# ----------------------------------------------------------------------------------------------
# Official pipeline
# ----------------------------------------------------------------------------------------------


def import_official(official_root):
    """Import downstreams.propagation.* without running its __init__ (which imports start.py -> wandb)."""
    prop_dir = os.path.join(official_root, 'downstreams', 'propagation')
    assert os.path.isdir(prop_dir), prop_dir
    sys.path.insert(0, official_root)
    pkg = types.ModuleType('downstreams.propagation')
    pkg.__path__ = [prop_dir]
    sys.modules['downstreams.propagation'] = pkg
    import importlib
    mods = {}
    for name in ['src.test', 'src.models_mae', 'src.utils.test_utils', 'src.eval.convert_davis',
                 'src.eval.eval_pck', 'src.eval.eval_vip', 'davis_evaluation.evaluation_method']:
        mods[name] = importlib.import_module('downstreams.propagation.' + name)
    return mods


def patch_tiny_model(mods):
    """The official test.main() builds models_mae.vits16 (ViT-S/16). Make it the official
    MaskedAutoencoderViT at the checkpoint's size; weights still load via its load_pretrain_weight."""
    import torch.nn as nn
    mm = mods['src.models_mae']

    def tiny_vits16(**kwargs):
        return mm.MaskedAutoencoderViT(patch_size=16, embed_dim=128, depth=3, num_heads=2, mlp_ratio=4,
                                       norm_layer=partial(nn.LayerNorm, eps=1e-6), **kwargs)
    mm.vits16 = tiny_vits16


def call_capturing_locals(func, code, *args):
    """Run func(*args); return (result, locals of the last frame of `code` at its return)."""
    captured = {}

    def prof(frame, event, arg):
        if event == 'return' and frame.f_code is code:
            captured.update(frame.f_locals)
    old = sys.getprofile()
    sys.setprofile(prof)
    try:
        res = func(*args)
    finally:
        sys.setprofile(old)
    return res, captured


def prop_namespace(ckpt, save_path, filelist, temperature, topk, radius, video_len, crop_size, workers):
    # Same fields and defaults as downstreams/propagation/start.py::_label_propagation
    from argparse import Namespace
    import torch
    a = Namespace(model_type='vits16', resume=ckpt, save_path=save_path, temperature=temperature, topk=topk,
                  radius=radius, video_len=video_len, crop_size=crop_size, filelist=filelist, batch_size=5,
                  workers=workers, seed=0, no_l2=False, norm_mask=False, long_mem=[0],
                  device='cuda' if torch.cuda.is_available() else 'cpu')
    a.img_size = a.crop_size
    return a


def clean(x):
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return None if math.isnan(x) else x
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.ndarray):
        return clean(x.tolist())
    return x


def run_davis(mods, ckpt, work, out, workers):
    from argparse import Namespace
    import csv
    droot = os.path.join(work, 'davis')
    res = os.path.join(work, 'results')
    os.chdir(droot)
    captured_soft = {}
    tu = mods['src.utils.test_utils']
    orig_dump = tu.dump_predictions

    def dump_wrapper(pred, lbl_set, img, prefix):
        vid, t = os.path.basename(prefix).split('_')
        if int(t) in (0, DAVIS_T - 1):
            captured_soft[(int(vid), int(t))] = np.array(pred, dtype=np.float32)
        return orig_dump(pred, lbl_set, img, prefix)
    tu.dump_predictions = dump_wrapper
    try:
        args = prop_namespace(ckpt, res + '/davis/in/', 'davis_vallist_480_880.txt', 0.7, 7, 20, 20, [480, 880],
                              workers)
        mods['src.test'].main(args)
    finally:
        tu.dump_predictions = orig_dump
    # convert_davis (start.py::_convert_davis)
    mods['src.eval.convert_davis'].main(Namespace(out_folder=res + '/davis/out/', in_folder=res + '/davis/in/',
                                                 dataset=droot, set='val'))
    # davis2017 evaluation (start.py::_evaluation_davis)
    em = mods['davis_evaluation.evaluation_method']
    gpath, loc = call_capturing_locals(em.main, em.main.__code__,
                                       Namespace(davis_path=droot, set='val', task='semi-supervised',
                                                 results_path=res + '/davis/out/'))
    with open(gpath) as f:
        rows = list(csv.reader(f))
    global_csv = {k: float(v) for k, v in zip(rows[0], rows[1])}
    J, F = loc['J'], loc['F']
    exact = {'J&F-Mean': (np.mean(J['M']) + np.mean(F['M'])) / 2.0, 'J-Mean': np.mean(J['M']),
             'J-Recall': np.mean(J['R']), 'J-Decay': np.mean(J['D']), 'F-Mean': np.mean(F['M']),
             'F-Recall': np.mean(F['R']), 'F-Decay': np.mean(F['D'])}
    per_obj = {k: {'J-Mean': J['M_per_object'][k], 'F-Mean': F['M_per_object'][k]} for k in J['M_per_object']}
    # per object J/F statistics (M, R, D), in the order evaluated
    names = list(J['M_per_object'].keys())
    per_obj_stats = {n: {'J': [J['M'][i], J['R'][i], J['D'][i]], 'F': [F['M'][i], F['R'][i], F['D'][i]]}
                     for i, n in enumerate(names)}
    ed = os.path.join(out, 'davis_expected')
    if os.path.exists(ed):
        shutil.rmtree(ed)
    os.makedirs(ed)
    for seq in DAVIS_SEQS:
        shutil.copytree(os.path.join(res, 'davis', 'out', seq), os.path.join(ed, seq))
    for c in ['global_results-val.csv', 'per-sequence_results-val.csv']:
        shutil.copy(os.path.join(res, 'davis', 'out', c), os.path.join(ed, c))
    dbg = {}
    for (vid, t), arr in sorted(captured_soft.items()):
        fn = '%s_soft_t%02d.npy' % (DAVIS_SEQS[vid], t)
        np.save(os.path.join(ed, fn), arr)
        dbg[fn] = list(arr.shape)
    js = {'global_csv_rounded': global_csv, 'global': exact, 'per_object': per_obj,
          'per_object_M_R_D': per_obj_stats, 'sequences': DAVIS_SEQS,
          'soft_label_npy': dbg,
          'soft_label_note': 't00 = the frame-0 label grid propagated from (lbls[0], H/16 x W/16 x (K+1)), '
                             't23 = soft label predicted for the last frame, before upsampling/argmax'}
    with open(os.path.join(ed, 'davis_expected.json'), 'w') as f:
        json.dump(clean(js), f, indent=1, sort_keys=True)
    return js


def run_jhmdb(mods, ckpt, work, out, workers):
    from argparse import Namespace
    jroot = os.path.join(work, 'jhmdb')
    res = os.path.join(work, 'results')
    os.chdir(jroot)
    args = prop_namespace(ckpt, res + '/jhmdb/', 'jhmdb_vallist.txt', 0.7, 7, 20, 20, [320, 320], workers)
    # Record (only) the soft label maps the official decoder receives: video 0, frames 0..7.
    tu = mods['src.utils.test_utils']
    orig_pose = tu.process_pose
    soft = []

    def pose_wrapper(pred, lbl_set, topk=5):
        if len(soft) < 8:
            soft.append(pred.detach().cpu().numpy().astype(np.float32).copy())
        return orig_pose(pred, lbl_set, topk)
    tu.process_pose = pose_wrapper
    try:
        mods['src.test'].main(args)
    finally:
        tu.process_pose = orig_pose
    ep = mods['src.eval.eval_pck']
    PCK, loc = call_capturing_locals(ep.main, ep.main.__code__,
                                     Namespace(filelist='jhmdb_vallist.txt', src_folder=res + '/jhmdb/',
                                               feat_res=[20, 20]))
    per_joint = {}
    for thr in [0.1, 0.2, 0.3, 0.4, 0.5]:
        per_joint[str(thr)] = loc['computePCK'](loc['distAll'], thr)[:, 0].tolist()  # 15 joints + mean
    n_dist = [int(len(loc['distAll'][j])) for j in range(15)]
    ed = os.path.join(out, 'jhmdb_expected')
    if os.path.exists(ed):
        shutil.rmtree(ed)
    os.makedirs(ed)
    shapes = {}
    for i in range(len(JH_VIDEOS)):
        a = np.load(os.path.join(res, 'jhmdb', '%d.dat' % i), allow_pickle=True)
        shapes['%d.npy' % i] = [list(a.shape), str(a.dtype)]
        np.save(os.path.join(ed, '%d.npy' % i), a.astype(np.float32))
    np.save(os.path.join(ed, '0_soft_t00-07.npy'), np.ascontiguousarray(np.stack(soft)))
    js = {'PCK': {str(k): float(v[0]) for k, v in PCK.items()}, 'PCK_per_joint_then_mean': per_joint,
          'distances_per_joint_count': n_dist, 'videos': [v for _, v in JH_VIDEOS], 'dat_shapes_dtype': shapes}
    with open(os.path.join(ed, 'jhmdb_expected.json'), 'w') as f:
        json.dump(clean(js), f, indent=1, sort_keys=True)
    return js


def run_vip(mods, ckpt, work, out, workers):
    from argparse import Namespace
    vroot = os.path.join(work, 'vip')
    res = os.path.join(work, 'results')
    os.chdir(vroot)
    args = prop_namespace(ckpt, res + '/vip/', 'vip_vallist.txt', 0.7, 10, 20, 20, [880], workers)
    mods['src.test'].main(args)
    ev = mods['src.eval.eval_vip']
    miou, loc = call_capturing_locals(ev.main, ev.show_result.__code__,
                                      Namespace(gt_dir=vroot + '/Annotations/Category_ids/', pre_dir=res + '/vip/'))
    ed = os.path.join(out, 'vip_expected')
    if os.path.exists(ed):
        shutil.rmtree(ed)
    os.makedirs(ed)
    for vid in VIP_VIDEOS:
        os.makedirs(os.path.join(ed, vid))
        for fn in sorted(os.listdir(os.path.join(res, 'vip', vid))):
            if fn.endswith('_mask.png'):
                shutil.copy(os.path.join(res, 'vip', vid, fn), os.path.join(ed, vid, fn))
    hist = loc['hist']
    js = {'mIoU': float(miou), 'per_class_IoU': clean(loc['iu']), 'classes': list(ev.CLASSES),
          'pixel_accuracy': float(np.diag(hist).sum() / hist.sum()), 'hist': clean(hist.astype(np.int64)),
          'videos': VIP_VIDEOS}
    with open(os.path.join(ed, 'vip_expected.json'), 'w') as f:
        json.dump(clean(js), f, indent=1, sort_keys=True)
    return js


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--official', default=os.environ.get('CROPMAE_OFFICIAL', '/tmp/official'))
    ap.add_argument('--checkpoint', default=DEFAULT_CKPT)
    ap.add_argument('--out', default=HERE)
    ap.add_argument('--work', default='/tmp/cropmae_eval_work', help='scratch copy (official caches land here)')
    ap.add_argument('--workers', type=int, default=4, help='DataLoader workers (start.py uses 4)')
    ap.add_argument('--seed', type=int, default=2024)
    ap.add_argument('--only', default='davis,jhmdb,vip')
    a = ap.parse_args()
    import torch
    torch.set_num_threads(2)
    torch.manual_seed(0)
    out, work, ckpt = os.path.abspath(a.out), os.path.abspath(a.work), os.path.abspath(a.checkpoint)
    assert '.' not in work, 'vos.py splits label paths on "." - keep dots out of --work'
    only = a.only.split(',')
    meta = {}
    makers = {'davis': make_davis, 'jhmdb': make_jhmdb, 'vip': make_vip}
    for b in only:
        d = os.path.join(out, b)
        if os.path.exists(d):
            shutil.rmtree(d)
        meta[b] = makers[b](d, a.seed)
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    for b in only:
        shutil.copytree(os.path.join(out, b), os.path.join(work, b))
    mods = import_official(os.path.abspath(a.official))
    patch_tiny_model(mods)
    runners = {'davis': run_davis, 'jhmdb': run_jhmdb, 'vip': run_vip}
    results = {}
    for b in only:
        results[b] = runners[b](mods, ckpt, work, out, a.workers)
    import cv2
    import timm
    import PIL
    import scipy
    import skimage
    versions = {'python': sys.version.split()[0], 'torch': torch.__version__, 'opencv': cv2.__version__,
                'timm': timm.__version__, 'numpy': np.__version__, 'pillow': PIL.__version__,
                'scipy': scipy.__version__, 'skimage': skimage.__version__}
    mp = os.path.join(out, 'datasets_meta.json')
    old = json.load(open(mp)) if os.path.exists(mp) else {}
    old.update(meta)
    old['versions'] = versions
    old['seed'] = a.seed
    with open(mp, 'w') as f:
        json.dump(clean(old), f, indent=1, sort_keys=True)
    summary = {}
    if 'davis' in results:
        summary['davis'] = results['davis']['global']
    if 'jhmdb' in results:
        summary['jhmdb'] = results['jhmdb']['PCK']
    if 'vip' in results:
        summary['vip'] = results['vip']['mIoU']
    print(json.dumps(clean({'summary': summary, 'versions': versions}), indent=1))


if __name__ == '__main__':
    main()
