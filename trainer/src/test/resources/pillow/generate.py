# Throwaway: reference outputs of Pillow's resize (Debian python3-pil 9.4.0) for the data tests.
import numpy as np, os, sys
from PIL import Image
out = sys.argv[1]
rng = np.random.default_rng(20240611)
src = rng.integers(0, 256, size=(23, 37, 3), dtype=np.uint8)
np.save(os.path.join(out, 'pil_src_23x37.npy'), src)
big = rng.integers(0, 256, size=(140, 180, 3), dtype=np.uint8)
# smooth-ish content so that rounding matters on gradients too
yy, xx = np.mgrid[0:140, 0:180]
big[..., 0] = (xx * 255 // 179).astype(np.uint8)
np.save(os.path.join(out, 'pil_src_140x180.npy'), big)
cases = [
  # name, source, (left, top, width, height), (outW, outH), filter
  ('bilinear_down', src, (0, 0, 37, 23), (13, 7), Image.BILINEAR),
  ('bilinear_up', src, (0, 0, 37, 23), (61, 50), Image.BILINEAR),
  ('bilinear_vertical_only', src, (0, 0, 37, 23), (37, 11), Image.BILINEAR),
  ('bilinear_horizontal_only', src, (0, 0, 37, 23), (20, 23), Image.BILINEAR),
  ('bilinear_crop_mixed', src, (5, 3, 25, 17), (40, 9), Image.BILINEAR),
  ('bicubic_down', src, (0, 0, 37, 23), (13, 7), Image.BICUBIC),
  ('bicubic_crop_up', src, (5, 3, 25, 17), (40, 30), Image.BICUBIC),
  ('bilinear_big_crop', big, (17, 9, 151, 120), (64, 64), Image.BILINEAR),
  ('bilinear_big_crop_up', big, (60, 40, 41, 33), (64, 64), Image.BILINEAR),
]
for name, s, (l, t, w, h), (ow, oh), f in cases:
    im = Image.fromarray(s, 'RGB').crop((l, t, l + w, t + h))
    r = np.asarray(im.resize((ow, oh), resample=f))
    np.save(os.path.join(out, f'pil_{name}.npy'), r)
    print(name, r.shape, l, t, w, h, ow, oh)
