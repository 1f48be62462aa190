# Times the OFFICIAL CropMAE DAVIS evaluation (github.com/alexandre-eymael/CropMAE at
# 5d0dab2e4d202a65ab54860f51fa1145e6f3c315, downstreams/propagation) end to end on a DAVIS folder:
# label propagation (test.main, the paper's DAVIS preset at 480x880), conversion (convert_davis)
# and scoring (davis2017-evaluation, semi-supervised), as start.py chains them, with a random
# ViT-S/16 checkpoint that it also writes for `cropmae bench evaluate --model` so both time the
# same weights. Prints JSON with seconds per frame (frames = the dataset's frames, not counting the
# 20 copies of frame 0 the official loader prepends and encodes).
#
#   git --git-dir=<mirror of alexandre-eymael/CropMAE> archive 5d0dab2 | tar -x -C /tmp/official
#   /usr/bin/python3 docs/bench/official_evaluate.py --official /tmp/official \
#       --root src/test/resources/reference/evaluate/davis --checkpoint /tmp/vits16-random.pth
#   ./cropmae bench evaluate --root src/test/resources/reference/evaluate/davis --model /tmp/vits16-random.pth
#
# Debian packages: python3-torch python3-opencv python3-scipy python3-skimage python3-pandas
# python3-matplotlib python3-imageio, plus timm (only its Block is used).
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import types
from argparse import Namespace


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--official', required=True, help='exported official repository')
    ap.add_argument('--root', required=True, help='DAVIS folder (JPEGImages/480p, Annotations/480p, ImageSets/2017/val.txt)')
    ap.add_argument('--checkpoint', required=True, help='random ViT-S/16 checkpoint to write (and time)')
    ap.add_argument('--workers', type=int, default=4, help="DataLoader workers (start.py's default)")
    ap.add_argument('--threads', type=int, default=os.cpu_count(),
                    help="torch threads (default: every processor; Debian's torch otherwise starts with 1)")
    a = ap.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    prop_dir = os.path.join(a.official, 'downstreams', 'propagation')
    sys.path.insert(0, a.official)
    pkg = types.ModuleType('downstreams.propagation')  # skip its __init__ (start.py needs wandb)
    pkg.__path__ = [prop_dir]
    sys.modules['downstreams.propagation'] = pkg
    import importlib
    test = importlib.import_module('downstreams.propagation.src.test')
    mm = importlib.import_module('downstreams.propagation.src.models_mae')
    convert = importlib.import_module('downstreams.propagation.src.eval.convert_davis')
    evaluation = importlib.import_module('downstreams.propagation.davis_evaluation.evaluation_method')

    # A random ViT-S/16 in the official trainer's checkpoint layout ({'model': state_dict}).
    load = mm.MaskedAutoencoderViT.load_pretrain_weight
    mm.MaskedAutoencoderViT.load_pretrain_weight = lambda self, path: None
    torch.manual_seed(0)
    model = mm.vits16(ckpt_path=None)
    mm.MaskedAutoencoderViT.load_pretrain_weight = load
    torch.save({'model': model.state_dict()}, a.checkpoint)

    root = os.path.abspath(a.root)
    work = tempfile.mkdtemp(prefix='official-evaluate')
    data = os.path.join(work, 'davis')
    shutil.copytree(root, data)  # vos.py writes label caches next to the annotations
    seqs = [s.strip() for s in open(os.path.join(data, 'ImageSets/2017/val.txt')) if s.strip()]
    listfile = os.path.join(work, 'davis_vallist.txt')
    with open(listfile, 'w') as f:
        for s in seqs:
            f.write('%s/JPEGImages/480p/%s %s/Annotations/480p/%s\n' % (data, s, data, s))
    frames = sum(len(os.listdir(os.path.join(data, 'JPEGImages/480p', s))) for s in seqs)
    res = os.path.join(work, 'results')
    args = Namespace(model_type='vits16', resume=a.checkpoint, save_path=res + '/in/', temperature=0.7, topk=7,
                     radius=20, video_len=20, crop_size=[480, 880], filelist=listfile, batch_size=5,
                     workers=a.workers, seed=0, no_l2=False, norm_mask=False, long_mem=[0], device='cpu')
    args.img_size = args.crop_size
    t0 = time.time()
    test.main(args)
    t1 = time.time()
    convert.main(Namespace(out_folder=res + '/out/', in_folder=res + '/in/', dataset=data, set='val'))
    t2 = time.time()
    evaluation.main(Namespace(davis_path=data, set='val', task='semi-supervised', results_path=res + '/out/'))
    t3 = time.time()
    shutil.rmtree(work)
    print(json.dumps({'benchmark': 'official DAVIS evaluation', 'model': 'vits16 (random weights)',
                      'frames': frames, 'seconds': t3 - t0, 'seconds_per_frame': (t3 - t0) / frames,
                      'propagation_seconds': t1 - t0, 'conversion_seconds': t2 - t1, 'scoring_seconds': t3 - t2,
                      'torch': torch.__version__, 'torch_threads': torch.get_num_threads()}, indent=1))


if __name__ == '__main__':
    main()
