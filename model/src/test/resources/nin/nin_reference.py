"""The reference network-in-network (gidariss/FeatureLearningRotNet, architectures/NetworkInNetwork.py,
num_stages=4, num_classes=4), restated with torch.nn, to print its parameter count and tap shapes
at 32 px. NetworkInNetworkTest pins the same figures. Run: /work/venv/bin/python nin_reference.py"""
import torch
import torch.nn as nn


def basic(cin, cout, k):
    return [nn.Conv2d(cin, cout, k, 1, (k - 1) // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


def nin(stages=4, classes=4, c1=192, c2=160, c3=96):
    blocks = [
        nn.Sequential(*basic(3, c1, 5), *basic(c1, c2, 1), *basic(c2, c3, 1), nn.MaxPool2d(3, 2, 1)),
        nn.Sequential(*basic(c3, c1, 5), *basic(c1, c1, 1), *basic(c1, c1, 1), nn.AvgPool2d(3, 2, 1)),
        nn.Sequential(*basic(c1, c1, 3), *basic(c1, c1, 1), *basic(c1, c1, 1),
                      *([nn.AvgPool2d(3, 2, 1)] if stages > 3 else [])),
    ]
    for _ in range(3, stages):
        blocks.append(nn.Sequential(*basic(c1, c1, 3), *basic(c1, c1, 1), *basic(c1, c1, 1)))
    return nn.ModuleList(blocks), nn.Linear(c1, classes)


for width in (1, 4):
    blocks, fc = nin(c1=192 // width, c2=160 // width, c3=96 // width)
    x = torch.zeros(2, 3, 32, 32)
    shapes = []
    for b in blocks:
        x = b(x)
        shapes.append(tuple(x.shape[1:]))
    params = sum(p.numel() for p in blocks.parameters())
    print(f"width/{width}: backbone {params} parameters, classifier {sum(p.numel() for p in fc.parameters())}, taps {shapes}")
