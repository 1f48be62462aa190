# Makes the JPEG decoding fixtures of JpegSamplesTest: small crops of two public-domain photos
# shipped by Debian (skimage's rocket.jpg, a NASA photo that embeds an ICC profile; matplotlib's
# grace_hopper.jpg, a U.S. Navy photo), saved by Pillow in the variants JPEG files come in, and each
# file's pixels as OpenCV decodes them (cv2.imread, BGR flipped to RGB) -- the decoder the official
# CropMAE evaluation reads frames with.
# Run from this folder with Debian's python3-opencv, python3-pil and python3-skimage:
#   /usr/bin/python3 generate.py
import os
import cv2
import numpy as np
from PIL import Image

ROCKET = '/usr/lib/python3/dist-packages/skimage/data/rocket.jpg'
HOPPER = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg'

rocket = Image.open(ROCKET)
icc = rocket.info['icc_profile']
rocket_crop = rocket.convert('RGB').crop((200, 100, 328, 196))  # 128x96
hopper_crop = Image.open(HOPPER).convert('RGB').crop((150, 100, 278, 196))

files = {
    'rocket-icc-420.jpg': lambda p: rocket_crop.save(p, quality=90, subsampling=2, icc_profile=icc),
    'rocket-icc-444-progressive.jpg': lambda p: rocket_crop.save(p, quality=85, subsampling=0, progressive=True, icc_profile=icc),
    'hopper-420.jpg': lambda p: hopper_crop.save(p, quality=90, subsampling=2),
    'hopper-422.jpg': lambda p: hopper_crop.save(p, quality=75, subsampling=1),
    'hopper-444.jpg': lambda p: hopper_crop.save(p, quality=95, subsampling=0),
    'hopper-progressive.jpg': lambda p: hopper_crop.save(p, quality=80, progressive=True),
    'hopper-grey.jpg': lambda p: hopper_crop.convert('L').save(p, quality=90),
}
for name, save in files.items():
    save(name)
    decoded = cv2.imread(name, cv2.IMREAD_COLOR)[:, :, ::-1]
    np.save(name.replace('.jpg', '.cv2.npy'), np.ascontiguousarray(decoded))
    print(name, decoded.shape)
print('opencv', cv2.__version__)
