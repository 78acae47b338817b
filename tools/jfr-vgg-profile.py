#!/usr/bin/env python3
"""Where a VGG training run's main thread spends its native time, from a JFR recording.

Record:  JAVA_OPTS='-Xmx8g -XX:StartFlightRecording=filename=vgg.jfr,settings=profile' \
             ./widenet cifar-bench --divisors 4 --batches 64 --seconds 15 --no-wrappers
Then:    python3 tools/jfr-vgg-profile.py vgg.jfr

Reads `jfr print --events jdk.NativeMethodSample --stack-depth 40` and puts each main-thread sample in the first
group its stack matches: reorders between the caller's layout and oneDNN's (activations, weights) around forward or
backward convolutions, oneDNN convolution forward / backward, max pooling forward / backward, ND4J's conv2d_bp, other
ND4J ops, else the top frame's method. Prints samples and share per group.
"""
import re
import subprocess
import sys
from collections import Counter


def samples(jfr_file):
    text = subprocess.run(["jfr", "print", "--events", "jdk.NativeMethodSample", "--stack-depth", "40", jfr_file],
                          check=True, capture_output=True, text=True).stdout
    for event in text.split("jdk.NativeMethodSample {")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event.split("stackTrace = [", 1)[-1], re.M)
        yield (thread.group(1) if thread else ""), frames


def group(frames):
    joined = " ".join(frames)
    conv_side = "forward" if "DirectConvolutionForward.run" in joined else "backward"
    if "LayoutBridge.reorder" in joined:
        return f"reorders to and from oneDNN's blocked layouts (activations, weights), {conv_side} convolutions"
    if "DirectConvolutionForward.run" in joined:
        return "oneDNN convolution forward (ReLU fused)"
    if "DirectConvolutionBackward.run" in joined:
        return "oneDNN convolution backward (direct: data + weights)"
    for f in frames:
        if "DirectMaxPooling." in f:
            return "max pooling " + ("backward" if "backward" in f.lower() else "forward") + " (oneDNN)"
    if "ConvolutionBackwardChoice.run" in joined or "conv2d_bp" in joined.lower():
        return "ND4J conv2d_bp (layers the rule gives to ND4J)"
    if any(f.startswith("org.nd4j.") for f in frames):
        return "other ND4J ops (ReLU masks, transforms, updater, broadcasts, gemm, softmax)"
    return "other (" + (frames[0].rsplit(".", 1)[-1] if frames else "no stack") + ")"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: jfr-vgg-profile.py RECORDING.jfr")
    counts = Counter(group(frames) for thread, frames in samples(sys.argv[1]) if thread == "main")
    total = sum(counts.values())
    if total == 0:
        sys.exit(sys.argv[1] + ": no native-method samples of the main thread")
    print(" samples  share  where")
    for where, n in counts.most_common():
        print(f"{n:8d} {100.0 * n / total:5.1f}%  {where}")
    print(f"{total:8d} 100.0%  all main-thread samples")


if __name__ == "__main__":
    main()
