# VGG-11 for 32x32x3 inputs as the project builds it (cifar-experiment's Vgg.Spec.vgg11): 3x3 convolutions with
# padding 1 and ReLU, 2x2 max pools, widths divided by k, a linear classifier. Shared by the peer scripts here.
import torch.nn as nn

def vgg(k):
    cfg = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']
    layers, c = [], 3
    for v in cfg:
        if v == 'M':
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, v // k, 3, padding=1), nn.ReLU()]
            c = v // k
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(c, 10))
