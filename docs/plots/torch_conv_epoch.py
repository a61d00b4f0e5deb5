#!/usr/bin/env python3
"""PyTorch twin of DEKM's convolutional autoencoder as this library builds it (docs/algorithms/conv-autoencoder.md):
Conv(32,5,s2) - Conv(64,5,s2) - Conv(128,3,s2), 'same' sizes 28 -> 14 -> 7 -> 4, ReLU, linear Dense(10); mirrored
decoder with transposed convolutions back to 28x28, linear output; MSE, Adam 1e-3, batch 256, reshuffled every epoch.
Prints the seconds of each epoch as one JSON line. Used by docs/plots/conv-vs-torch.sh for the speed ratio.

    /usr/bin/python3 docs/plots/torch_conv_epoch.py ../shared/data/mnist-10k.arff.gz EPOCHS TORCH_THREADS
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/reference/pytorch"))
from arffio import read_arff  # noqa: E402


def model():
    enc = nn.Sequential(
        nn.Conv2d(1, 32, 5, 2, 2), nn.ReLU(), nn.Conv2d(32, 64, 5, 2, 2), nn.ReLU(),
        nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU(), nn.Flatten(), nn.Linear(128 * 4 * 4, 10))
    dec = nn.Sequential(
        nn.Linear(10, 128 * 4 * 4), nn.ReLU(), nn.Unflatten(1, (128, 4, 4)),
        nn.ConvTranspose2d(128, 64, 3, 2, 1, output_padding=0), nn.ReLU(),
        nn.ConvTranspose2d(64, 32, 5, 2, 2, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(32, 1, 5, 2, 2, output_padding=1))
    return nn.Sequential(enc, dec)


def main(path, epochs, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy(read_arff(path)["X"].astype(np.float32)).reshape(-1, 1, 28, 28)
    m = model()
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    g = torch.Generator().manual_seed(0)
    times, losses = [], []
    for _ in range(epochs):
        t0 = time.time()
        perm = torch.randperm(len(x), generator=g)
        tot = 0.0
        for i in range(0, len(x), 256):
            xb = x[perm[i:i + 256]]
            loss = F.mse_loss(m(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        times.append(time.time() - t0)
        losses.append(tot / len(x))
    print(json.dumps({"torch_conv_s_per_epoch": times, "mse": losses, "threads": threads,
                      "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS")}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
