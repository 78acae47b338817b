# PyTorch counterpart of ./widenet cifar-profile: per-op time of one VGG-11 training step (SGD momentum 0.9) on CPU,
# from torch.autograd.profiler. Usage: /usr/bin/python3 cifar-experiment/peer/torch_profile.py [divisor] [batch] [threads]
import sys, torch, torch.nn as nn
k = int(sys.argv[1]) if len(sys.argv) > 1 else 4
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
torch.manual_seed(0)
cfg = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']
layers, c = [], 3
for v in cfg:
    if v == 'M':
        layers.append(nn.MaxPool2d(2))
    else:
        layers += [nn.Conv2d(c, v // k, 3, padding=1), nn.ReLU()]
        c = v // k
model = nn.Sequential(*layers, nn.Flatten(), nn.Linear(c, 10))
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
