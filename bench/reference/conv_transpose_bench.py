"""The U-Net's 2×2/2 up-sampling, two ways, in PyTorch 1.13 (Debian's python3-torch, the libtorch skd links):
libtorch's conv_transpose2d (its CPU kernel is slow_conv_transpose2d, im2col + GEMM) against a 1×1 convolution to
C_out·k² channels and a pixel shuffle of factor k, which is what skd's shim runs when kernel = stride (native/nn.cpp).
Both compute y[n, o, k·h + i, k·w + j] = b[o] + Σ_c x[n, c, h, w]·W[c, o, i, j]; this script checks that they agree,
then times forward, forward + backward, and inference, in both memory formats, at the four decoder stages of the
width-16, depth-4 U-Net (training batch 8 at 256²) and its top stage at inference (batch 1, 512²).
    /usr/bin/python3 bench/reference/conv_transpose_bench.py [--threads N] [--repeats R]
Prints one row per stage and format: milliseconds (median of R), native then 1×1 + shuffle, and their ratio."""
import argparse

import torch
import torch.nn.functional as F

from torch_bench import median_seconds


def native(x, w, b):
    return F.conv_transpose2d(x, w, b, stride=w.shape[2])


def pointwise_shuffle(x, w, b):
    k = w.shape[2]
    pointwise = w.permute(1, 2, 3, 0).reshape(w.shape[1] * k * k, w.shape[0], 1, 1)
    return F.pixel_shuffle(F.conv2d(x, pointwise, b.repeat_interleave(k * k)), k)


def median_ms(fn, repeats):
    for _ in range(2):   # warm-up: the allocator's and oneDNN's first-call costs
        fn()
    return 1000 * median_seconds(fn, repeats)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    stages = [(8, 32, 16, 128), (8, 64, 32, 64), (8, 128, 64, 32), (8, 256, 128, 16), (1, 32, 16, 256)]
    formats = {"contiguous": torch.contiguous_format, "channels-last": torch.channels_last}
    print(f"threads {args.threads}; ms, median of {args.repeats}: native / 1x1 conv + pixel shuffle (ratio)")
    print(f"{'batch x C_in -> C_out @ size':30} {'format':14} {'forward':>22} {'forward+backward':>22} {'inference':>22}")
    for batch, cin, cout, size in stages:
        for name, fmt in formats.items():
            x = torch.randn(batch, cin, size, size).contiguous(memory_format=fmt).requires_grad_()
            w = torch.randn(cin, cout, 2, 2).contiguous(memory_format=fmt).requires_grad_()
            b = torch.randn(cout, requires_grad=True)
            reference = native(x, w, b)
            assert torch.allclose(pointwise_shuffle(x, w, b), reference, atol=1e-4), "the two paths disagree"
            grad = torch.randn_like(reference)
            cells = []
            for measure in (lambda f: f(x, w, b),
                            lambda f: f(x, w, b).backward(grad),
                            lambda f: torch.inference_mode()(f)(x.detach(), w.detach(), b.detach())):
                slow, fast = (median_ms(lambda: measure(f), args.repeats) for f in (native, pointwise_shuffle))
                cells.append(f"{slow:7.1f} / {fast:6.1f} ({fast / slow:4.2f})")
            label = f"{batch} x {cin} -> {cout} @ {size}²"
            print(f"{label:30} {name:14} " + " ".join(f"{c:>22}" for c in cells))


if __name__ == "__main__":
    main()
