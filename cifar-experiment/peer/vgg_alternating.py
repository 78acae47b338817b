#!/usr/bin/env python3
"""VGG-11 training images/s, ours against PyTorch, in alternating short runs.

The VM's speed drifts by up to 2x within minutes, so a PyTorch run before and after ours brackets a ratio only
loosely. This script alternates, per configuration and round, a PyTorch run (torch_vgg_bench.py) and ours
(./widenet cifar-bench, one configuration, no wrappers) of the same length, and prints each round's ratio and the
median over rounds. Run from the repository root after building (WIDENET_NO_BUILD=1 is set for the rounds):

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 cifar-experiment/peer/vgg_alternating.py [rounds] [seconds] [divisors] [batches]
        [layout] [warmup]

defaults: 3 rounds of 10 s, divisors 4,1, batches 64,128, layout nhwc (ours; PyTorch runs NCHW, its default), 3 s of
warm-up training before each of our timed runs (cifar-bench --warmup; each of our runs is a fresh JVM).
"""
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_LINE = re.compile(r"torch vgg11 width/(\d+) batch (\d+): ([0-9.]+) images/s")
OURS_LINE = re.compile(r"^VGG-11\S*(?: NHWC)?\s+(\d+)\s+([0-9.]+)\s", re.M)


def torch_rate(divisor, batch, seconds):
    out = subprocess.run([sys.executable, os.path.join(HERE, "torch_vgg_bench.py"), "2", str(divisor), str(batch),
                          str(seconds)], check=True, capture_output=True, text=True).stdout
    m = TORCH_LINE.search(out)
    if not m:
        sys.exit("no PyTorch figure in:\n" + out)
    return float(m.group(3))


def our_rate(divisor, batch, seconds, layout, warmup):
    env = dict(os.environ, WIDENET_NO_BUILD="1")
    out = subprocess.run(["./widenet", "cifar-bench", "--divisors", str(divisor), "--batches", str(batch),
                          "--seconds", str(seconds), "--no-wrappers", "--formats", layout, "--warmup", str(warmup)],
                         check=True, capture_output=True, text=True, env=env).stdout
    m = OURS_LINE.search(out)
    if not m:
        sys.exit("no cifar-bench figure in:\n" + out)
    return float(m.group(2))


def main():
    a = sys.argv[1:]
    rounds = int(a[0]) if len(a) > 0 else 3
    seconds = float(a[1]) if len(a) > 1 else 10.0
    divisors = [int(v) for v in (a[2] if len(a) > 2 else "4,1").split(",")]
    batches = [int(v) for v in (a[3] if len(a) > 3 else "64,128").split(",")]
    layout = a[4] if len(a) > 4 else "nhwc"
    warmup = float(a[5]) if len(a) > 5 else 3.0
    if rounds < 1 or seconds <= 0 or layout not in ("nhwc", "nchw") or warmup < 0:
        sys.exit("usage: vgg_alternating.py [rounds >= 1] [seconds > 0] [divisors] [batches] [nhwc|nchw] [warmup >= 0]")
    print(f"VGG-11 training images/s, ours ({layout.upper()}, {warmup:g} s warm-up) and PyTorch alternating, {rounds} "
          f"rounds of {seconds:g} s per configuration; ratio = ours / PyTorch of the same round")
    print(f"{'model':<10} {'batch':>5} {'round':>5} {'PyTorch':>9} {'ours':>9} {'ratio':>7}")
    summary = []
    for k in divisors:
        for b in batches:
            ratios = []
            for r in range(1, rounds + 1):
                t = torch_rate(k, b, seconds)
                o = our_rate(k, b, seconds, layout, warmup)
                ratios.append(o / t)
                name = "VGG-11" + ("" if k == 1 else f"/{k}")
                print(f"{name:<10} {b:>5} {r:>5} {t:>9.1f} {o:>9.1f} {o / t:>6.2f}x", flush=True)
            summary.append((k, b, ratios))
    print("median ratio over rounds (min-max):")
    for k, b, ratios in summary:
        name = "VGG-11" + ("" if k == 1 else f"/{k}")
        print(f"  {name:<10} batch {b:>4}: {statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}x)")


if __name__ == "__main__":
    main()
