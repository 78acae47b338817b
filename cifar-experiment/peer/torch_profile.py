# PyTorch counterpart of ./widenet cifar-profile: per-op time of one VGG-11 training step (SGD momentum 0.9) on CPU,
# from torch.autograd.profiler. Usage: /usr/bin/python3 cifar-experiment/peer/torch_profile.py [divisor] [batch] [threads]
import os, sys, torch, torch.nn as nn
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vgg import vgg
k = int(sys.argv[1]) if len(sys.argv) > 1 else 4
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
torch.manual_seed(0)
model = vgg(k)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.rand(batch, 3, 32, 32); y = torch.randint(0, 10, (batch,))
loss_fn = nn.CrossEntropyLoss()
def step():
    opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
for _ in range(3):
    step()
with torch.autograd.profiler.profile() as prof:
    for _ in range(10):
        step()
print(f"torch vgg11 width/{k} batch {batch}: per-op time over 10 steps")
print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25))
