# Throwaway: the reference's view pipeline on one JPEG, for ViewPipelineParityTest.
# Pillow does what torchvision's v2 transforms do on the PIL image (crop, resize, flip); the
# float steps of ToDtype(float32, scale=True) and Normalize are written out in numpy float32,
# whose IEEE arithmetic is PyTorch's on CPU. Run with Debian's python3-pil 9.4.0 and numpy.
import sys, numpy as np
from PIL import Image
d = sys.argv[1]
img = Image.open(f'{d}/views_src_120x90.jpg').convert('RGB')
np.save(f'{d}/views_src_decoded.npy', np.asarray(img))
# Boxes and flips scripted in the test: global (top 5, left 20, 77x77), local (top 3, left 17, 35x35)
# of the 64x64 global view; the global view is not flipped, the local one is.
g = img.crop((20, 5, 20 + 77, 5 + 77)).resize((64, 64), resample=Image.BILINEAR)
l = g.crop((17, 3, 17 + 35, 3 + 35)).resize((64, 64), resample=Image.BILINEAR)
l = l.transpose(Image.FLIP_LEFT_RIGHT)
mean = np.array([0.485, 0.456, 0.406], dtype=np.float32)[:, None, None]
std = np.array([0.229, 0.224, 0.225], dtype=np.float32)[:, None, None]
def tensor(v):
    x = np.asarray(v).transpose(2, 0, 1).astype(np.float32) * np.float32(1.0 / 255)
    return (x - mean) / std
np.save(f'{d}/views_expected_64.npy', np.stack([tensor(g), tensor(l)]).astype(np.float32))
