# PyTorch counterpart of ./widenet cifar-bench: VGG-11 training images/s on CPU (float32, SGD momentum 0.9, random
# 32x32x3 batches) per width divisor and batch size, timed like the peer script ../shared/peer/torch_bench.py.
# Usage: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 cifar-experiment/peer/torch_vgg_bench.py [threads] [divisors] [batches] [seconds]
# Prints e.g. "torch vgg11 width/4 batch 128: 2218.5 images/s" (read by cifar-bench --peer).
import os, sys, time, torch, torch.nn as nn
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vgg import vgg
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
divisors = [int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "4,1").split(",")]
batches = [int(v) for v in (sys.argv[3] if len(sys.argv) > 3 else "64,128").split(",")]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0
torch.set_num_threads(threads)
torch.manual_seed(0)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, mkldnn {torch.backends.mkldnn.is_available()}")

for k in divisors:
    for b in batches:
        model = vgg(k)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        x = torch.randn(b, 3, 32, 32); y = torch.randint(0, 10, (b,))
        loss_fn = nn.CrossEntropyLoss()
        def step():
            opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
        for _ in range(2):
            step()
        steps, t0 = 0, time.perf_counter()
        while steps < 3 or time.perf_counter() - t0 < seconds:
            step(); steps += 1
        print(f"torch vgg11 width/{k} batch {b}: {b * steps / (time.perf_counter() - t0):.1f} images/s", flush=True)
