"""Golden fixtures for CocoEval and Rle, made once with pycocotools.

Run from the repository root:  /work/venv/bin/python dense/src/test/python/make_coco_golden.py
Writes dense/src/test/resources/golden/coco-*.json: the ground truth (COCO instances format),
bbox and segm results, and the 12 numbers COCOeval.summarize() prints for each.
"""
import contextlib
import io
import json
import os

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")


def polygon(rng, cx, cy, rx, ry):
    n = int(rng.integers(3, 9))
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = rng.uniform(0.5, 1.0, n)
    pts = []
    for a, r in zip(angles, radii):
        pts += [float(round(cx + rx * r * np.cos(a), 2)), float(round(cy + ry * r * np.sin(a), 2))]
    return pts


def blob(rng, h, w):
    m = np.zeros((h, w), dtype=np.uint8, order="F")
    for _ in range(int(rng.integers(1, 4))):
        x0, y0 = int(rng.integers(0, w - 4)), int(rng.integers(0, h - 4))
        m[y0:y0 + int(rng.integers(2, h // 2 + 3)), x0:x0 + int(rng.integers(2, w // 2 + 3))] = 1
    return m


def scenario(seed, images, cats, max_dets=None):
    rng = np.random.default_rng(seed)
    gt = {"images": [], "annotations": [], "categories": [{"id": c, "name": "c%d" % c} for c in cats]}
    bbox_res, segm_res = [], []
    ann_id = 1
    for img in range(1, images + 1):
        h, w = int(rng.integers(40, 360)), int(rng.integers(40, 360))
        gt["images"].append({"id": img, "height": h, "width": w, "file_name": "%d.jpg" % img})
        kind = rng.random()
        n_gt = 0 if kind < 0.12 else int(rng.integers(1, 6))
        for _ in range(n_gt):
            cat = int(rng.choice(cats))
            crowd = rng.random() < 0.12
            if crowd:
                m = blob(rng, h, w)
                rle = mask_utils.encode(m)
                seg = {"size": [h, w], "counts": [int(v) for v in rle_counts(m)]}
                area = float(mask_utils.area(rle))
                bb = [float(v) for v in mask_utils.toBbox(rle)]
            else:
                tiny = rng.random() < 0.15
                rx = float(rng.uniform(0.6, 2.0)) if tiny else float(rng.uniform(3, w / 2))
                ry = float(rng.uniform(0.6, 2.0)) if tiny else float(rng.uniform(3, h / 2))
                cx, cy = float(rng.uniform(rx, w - rx)), float(rng.uniform(ry, h - ry))
                polys = [polygon(rng, cx, cy, rx, ry)]
                if rng.random() < 0.2:
                    polys.append(polygon(rng, float(rng.uniform(5, w - 5)), float(rng.uniform(5, h - 5)), 4, 4))
                rle = mask_utils.merge(mask_utils.frPyObjects(polys, h, w))
                seg = polys
                area = float(mask_utils.area(rle))
                xs = [p for poly in polys for p in poly[0::2]]
                ys = [p for poly in polys for p in poly[1::2]]
                bb = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
            gt["annotations"].append({"id": ann_id, "image_id": img, "category_id": cat, "bbox": bb,
                                      "area": area, "iscrowd": int(crowd), "segmentation": seg})
            ann_id += 1
            # detections near this object
            for _ in range(int(rng.integers(0, 4))):
                jitter = rng.normal(0, 0.15, 4) * np.array([bb[2] + 1, bb[3] + 1, bb[2] + 1, bb[3] + 1])
                x, y = bb[0] + jitter[0], bb[1] + jitter[1]
                bw, bh = max(0.5, bb[2] + jitter[2]), max(0.5, bb[3] + jitter[3])
                score = float(round(rng.random(), 1))  # many ties
                det_cat = cat if rng.random() < 0.85 else int(rng.choice(cats))
                bbox_res.append({"image_id": img, "category_id": det_cat, "bbox": [float(x), float(y), float(bw), float(bh)],
                                 "score": score})
                m = np.zeros((h, w), dtype=np.uint8, order="F")
                x0, y0 = int(max(0, round(x))), int(max(0, round(y)))
                x1, y1 = int(min(w, round(x + bw))), int(min(h, round(y + bh)))
                m[y0:y1, x0:x1] = 1
                if rng.random() < 0.5:
                    m &= mask_utils.decode(mask_utils.merge(mask_utils.frPyObjects(seg, h, w))
                                           if not crowd else mask_utils.frPyObjects(seg, h, w))
                enc = mask_utils.encode(np.asfortranarray(m))
                segm_res.append({"image_id": img, "category_id": det_cat, "score": score,
                                 "segmentation": {"size": [h, w], "counts": enc["counts"].decode("ascii")}})
        # background false positives, some images with detections only
        for _ in range(int(rng.integers(0, 3))):
            bw, bh = float(rng.uniform(1, w / 2)), float(rng.uniform(1, h / 2))
            x, y = float(rng.uniform(0, w - bw)), float(rng.uniform(0, h - bh))
            score = float(round(rng.random(), 2))
            cat = int(rng.choice(cats))
            bbox_res.append({"image_id": img, "category_id": cat, "bbox": [x, y, bw, bh], "score": score})
            m = np.zeros((h, w), dtype=np.uint8, order="F")
            m[int(y):int(y + bh), int(x):int(x + bw)] = 1
            enc = mask_utils.encode(np.asfortranarray(m))
            segm_res.append({"image_id": img, "category_id": cat, "score": score,
                             "segmentation": {"size": [h, w], "counts": enc["counts"].decode("ascii")}})
    out = {"gt": gt, "bbox": bbox_res, "segm": segm_res, "maxDets": max_dets or [1, 10, 100]}
    for iou_type, res in (("bbox", bbox_res), ("segm", segm_res)):
        out["stats_" + iou_type] = evaluate(gt, res, iou_type, max_dets)
    return out


def rle_counts(m):
    flat = np.asfortranarray(m).flatten(order="F")
    counts, value, run = [], 0, 0
    for p in flat:
        if p != value:
            counts.append(run)
            run, value = 0, p
        run += 1
    counts.append(run)
    return counts


def evaluate(gt, res, iou_type, max_dets):
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO()
        coco.dataset = json.loads(json.dumps(gt))
        coco.createIndex()
        dt = coco.loadRes(json.loads(json.dumps(res))) if res else COCO()
        ev = COCOeval(coco, dt, iou_type)
        if max_dets:
            ev.params.maxDets = list(max_dets)
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return [float(v) for v in ev.stats]


def polygons_fixture():
    rng = np.random.default_rng(7)
    cases = []
    shapes = [([2.0, 3.0, 12.0, 3.0, 12.0, 9.0, 2.0, 9.0], 20, 16), ([0.0, 0.0, 5.0, 0.0, 5.0, 5.0], 8, 8),
              ([-3.0, -2.0, 30.0, 4.0, 10.0, 40.0], 24, 20), ([1.5, 1.5, 1.6, 1.5, 1.6, 1.6], 4, 4)]
    for _ in range(12):
        h, w = int(rng.integers(5, 60)), int(rng.integers(5, 60))
        shapes.append((polygon(rng, float(rng.uniform(0, w)), float(rng.uniform(0, h)),
                               float(rng.uniform(0.5, w)), float(rng.uniform(0.5, h))), h, w))
    for poly, h, w in shapes:
        rle = mask_utils.frPyObjects([poly], h, w)[0]
        cases.append({"polygon": poly, "height": h, "width": w, "counts": rle["counts"].decode("ascii"),
                      "area": int(mask_utils.area(rle)), "bbox": [float(v) for v in mask_utils.toBbox(rle)]})
    return cases


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    fixtures = {
        "coco-random.json": scenario(1, 30, [1, 2, 5]),
        "coco-dense.json": scenario(2, 12, [3]),
        "coco-mmdet-maxdets.json": scenario(3, 15, [1, 2], [100, 300, 1000]),
    }
    for name, data in fixtures.items():
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, separators=(",", ":"))
        print(name, "bbox", [round(v, 4) for v in data["stats_bbox"]], "segm", [round(v, 4) for v in data["stats_segm"]])
    with open(os.path.join(OUT, "rle-polygons.json"), "w") as f:
        json.dump(polygons_fixture(), f, separators=(",", ":"))
