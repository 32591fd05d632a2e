"""Golden fixtures for the detection ops: mmdet 2.x anchors and DeltaXYWH coding, mmcv RoIAlign.

The formulas are written out from mmdet 2.x (mmdet/core/anchor/anchor_generator.py,
mmdet/core/bbox/coder/delta_xywh_bbox_coder.py) and mmcv (mmcv/ops/csrc/pytorch/cpu/roi_align.cpp),
in torch float32. Run with /work/venv/bin/python; it writes
../resources/detection/fixtures.json.
"""
import json
import math
import os

import numpy as np
import torch


def base_anchors(base_size, scales, ratios, center_offset=0.0):
    w = h = base_size
    x_center = center_offset * w
    y_center = center_offset * h
    ratios = torch.tensor(ratios, dtype=torch.float32)
    scales = torch.tensor(scales, dtype=torch.float32)
    h_ratios = torch.sqrt(ratios)
    w_ratios = 1 / h_ratios
    ws = (w * w_ratios[:, None] * scales[None, :]).view(-1)
    hs = (h * h_ratios[:, None] * scales[None, :]).view(-1)
    return torch.stack([x_center - 0.5 * ws, y_center - 0.5 * hs,
                        x_center + 0.5 * ws, y_center + 0.5 * hs], dim=-1)


def grid_anchors(base, featmap_size, stride):
    feat_h, feat_w = featmap_size
    shift_x = torch.arange(0, feat_w) * stride
    shift_y = torch.arange(0, feat_h) * stride
    xx = shift_x.repeat(len(shift_y))
    yy = shift_y.view(-1, 1).repeat(1, len(shift_x)).view(-1)
    shifts = torch.stack([xx, yy, xx, yy], dim=-1).type_as(base)
    return (base[None, :, :] + shifts[:, None, :]).view(-1, 4)


def bbox2delta(proposals, gt, means, stds):
    px = (proposals[..., 0] + proposals[..., 2]) * 0.5
    py = (proposals[..., 1] + proposals[..., 3]) * 0.5
    pw = proposals[..., 2] - proposals[..., 0]
    ph = proposals[..., 3] - proposals[..., 1]
    gx = (gt[..., 0] + gt[..., 2]) * 0.5
    gy = (gt[..., 1] + gt[..., 3]) * 0.5
    gw = gt[..., 2] - gt[..., 0]
    gh = gt[..., 3] - gt[..., 1]
    deltas = torch.stack([(gx - px) / pw, (gy - py) / ph, torch.log(gw / pw), torch.log(gh / ph)], dim=-1)
    return (deltas - deltas.new_tensor(means)) / deltas.new_tensor(stds)


def delta2bbox(rois, deltas, means, stds, max_shape=None, wh_ratio_clip=16 / 1000):
    denorm = deltas * deltas.new_tensor(stds) + deltas.new_tensor(means)
    dxy = denorm[:, :2]
    dwh = denorm[:, 2:]
    pxy = (rois[:, :2] + rois[:, 2:]) * 0.5
    pwh = rois[:, 2:] - rois[:, :2]
    dxy_wh = pwh * dxy
    max_ratio = np.abs(np.log(wh_ratio_clip))
    dwh = dwh.clamp(min=-max_ratio, max=max_ratio)
    gxy = pxy + dxy_wh
    gwh = pwh * dwh.exp()
    bboxes = torch.cat([gxy - gwh * 0.5, gxy + gwh * 0.5], dim=-1)
    if max_shape is not None:
        bboxes[..., 0::2].clamp_(min=0, max=max_shape[1])
        bboxes[..., 1::2].clamp_(min=0, max=max_shape[0])
    return bboxes


def bilinear(feat, height, width, y, x):
    if y < -1.0 or y > height or x < -1.0 or x > width:
        return np.float32(0)
    y = np.float32(max(y, 0))
    x = np.float32(max(x, 0))
    y_low, x_low = int(y), int(x)
    if y_low >= height - 1:
        y_high = y_low = height - 1
        y = np.float32(y_low)
    else:
        y_high = y_low + 1
    if x_low >= width - 1:
        x_high = x_low = width - 1
        x = np.float32(x_low)
    else:
        x_high = x_low + 1
    ly, lx = np.float32(y - y_low), np.float32(x - x_low)
    hy, hx = np.float32(1) - ly, np.float32(1) - lx
    return (hy * hx * feat[y_low, x_low] + hy * lx * feat[y_low, x_high]
            + ly * hx * feat[y_high, x_low] + ly * lx * feat[y_high, x_high])


def roi_align(features, rois, out_h, out_w, scale, sampling_ratio):
    """mmcv ROIAlignForward (CPU), aligned=True, avg pooling; rois rows are (batch, x1, y1, x2, y2)."""
    f32 = np.float32
    n, c, height, width = features.shape
    out = np.zeros((len(rois), c, out_h, out_w), dtype=np.float32)
    for r, roi in enumerate(rois):
        b = int(roi[0])
        sw = f32(roi[1]) * f32(scale) - f32(0.5)
        sh = f32(roi[2]) * f32(scale) - f32(0.5)
        ew = f32(roi[3]) * f32(scale) - f32(0.5)
        eh = f32(roi[4]) * f32(scale) - f32(0.5)
        rw, rh = f32(ew - sw), f32(eh - sh)
        bh, bw = f32(rh / f32(out_h)), f32(rw / f32(out_w))
        gh = sampling_ratio if sampling_ratio > 0 else int(math.ceil(rh / f32(out_h)))
        gw = sampling_ratio if sampling_ratio > 0 else int(math.ceil(rw / f32(out_w)))
        count = max(gh * gw, 1)
        for ch in range(c):
            for ph in range(out_h):
                for pw in range(out_w):
                    acc = f32(0)
                    for iy in range(gh):
                        y = f32(sh + f32(ph) * bh + f32(iy + 0.5) * bh / f32(gh))
                        for ix in range(gw):
                            x = f32(sw + f32(pw) * bw + f32(ix + 0.5) * bw / f32(gw))
                            acc = f32(acc + bilinear(features[b, ch], height, width, y, x))
                    out[r, ch, ph, pw] = acc / f32(count)
    return out


def main():
    fixtures = {}
    c4 = base_anchors(16, [2, 4, 8, 16, 32], [0.5, 1.0, 2.0])
    fixtures["anchors_c4"] = {"stride": 16, "scales": [2, 4, 8, 16, 32], "ratios": [0.5, 1.0, 2.0],
                              "height": 3, "width": 4,
                              "anchors": grid_anchors(c4, (3, 4), 16).flatten().tolist()}
    p3 = base_anchors(8, [8], [0.5, 1.0, 2.0])
    fixtures["anchors_p3"] = {"stride": 8, "scales": [8], "ratios": [0.5, 1.0, 2.0],
                              "height": 2, "width": 3,
                              "anchors": grid_anchors(p3, (2, 3), 8).flatten().tolist()}

    g = torch.Generator().manual_seed(0)
    xy = torch.rand(12, 2, generator=g) * 200
    wh = torch.rand(12, 2, generator=g) * 150 + 4
    refs = torch.cat([xy, xy + wh], dim=1)
    xy2 = xy + (torch.rand(12, 2, generator=g) - 0.5) * 40
    wh2 = wh * (torch.rand(12, 2, generator=g) * 1.5 + 0.5)
    targets = torch.cat([xy2, xy2 + wh2], dim=1)
    stds = [0.1, 0.1, 0.2, 0.2]
    deltas = torch.randn(12, 4, generator=g) * 3  # large enough that some dw, dh are clamped
    fixtures["coder"] = {
        "stds": stds, "references": refs.flatten().tolist(), "targets": targets.flatten().tolist(),
        "encoded": bbox2delta(refs, targets, [0, 0, 0, 0], stds).flatten().tolist(),
        "deltas": deltas.flatten().tolist(), "image_height": 240, "image_width": 300,
        "decoded": delta2bbox(refs, deltas, [0, 0, 0, 0], stds, (240, 300)).flatten().tolist(),
        "decoded_unclipped": delta2bbox(refs, deltas, [0, 0, 0, 0], stds).flatten().tolist(),
    }

    feats = torch.randn(2, 3, 9, 11, generator=g).numpy().astype(np.float32)
    rois = np.array([
        [0, 1.0, 2.0, 15.0, 12.0],
        [1, -6.0, -3.0, 8.0, 9.5],     # crosses the top-left border
        [0, 10.0, 6.0, 30.0, 21.0],    # crosses the bottom-right border
        [1, 4.2, 4.7, 5.1, 5.3],       # tiny
        [0, -10.0, -10.0, 40.0, 40.0], # larger than the map
        [1, 30.0, 25.0, 44.0, 36.0],   # outside the map
    ], dtype=np.float32)
    for ratio in (0, 2):
        fixtures["roi_align_s%d" % ratio] = {
            "features_shape": list(feats.shape), "features": feats.flatten().tolist(),
            "rois": rois.flatten().tolist(), "pooled_h": 4, "pooled_w": 3, "scale": 0.5,
            "sampling_ratio": ratio,
            "output": roi_align(feats, rois, 4, 3, 0.5, ratio).flatten().tolist(),
        }
    out = os.path.join(os.path.dirname(__file__), "..", "resources", "detection", "fixtures.json")
    with open(out, "w") as f:
        json.dump(fixtures, f)


if __name__ == "__main__":
    main()
