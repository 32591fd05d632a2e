"""Makes the golden fixture of the VOC07 SVM and low-shot SVM benchmarks with scikit-learn.

Input: the feature cache of one checkpoint (``<cache>/<checkpoint>/<dataset>/{train,test}/featureN.feat``,
the project's feature files) of an ImageFolder dataset with the same number of images per class.
Output, in ``--out``:

- ``{train,test}-featureN.bf16.gz``: the features rounded to bfloat16 (little-endian, row-major),
  the values both this script and the Java tests compute on;
- ``lowshot/train_targets_sample{S}_k{K}.json``: low-shot draws in the layout of MMSelfSup's
  ``create_voc_low_shot_challenge_samples.py`` (image id -> class -> 1 positive, 0 negative, -1 unused);
- ``reference.json``: per tap, per class, the cross-validation AP of every cost, the chosen cost,
  the test AP and decision values, the mAP, the iterations liblinear took; the low-shot statistics;
  AP formula checks. Everything twice: with the reference's ``max_iter=2000`` (``svm``,
  ``lowShot``) and with liblinear run until it converges (``svmConverged``, ``lowShotConverged``),
  so that a difference that comes from ``max_iter`` stopping liblinear early can be told apart.

The protocol is MMSelfSup 0.x's ``tools/benchmarks/classification/svm_voc07``: features divided by
(L2 norm + 1e-5); ``LinearSVC(C, class_weight={1: 2, -1: 1}, intercept_scaling=1, penalty='l2',
loss='squared_hinge', tol=1e-4, dual=True, max_iter=2000)``; costs 1, 10, 100 and 0.5^4..0.5^19;
3-fold ``cross_val_score(scoring='average_precision')`` (StratifiedKFold, no shuffle) chooses each
class's cost by argmax; test AP by the benchmark's ``calculate_ap`` (all points, VOC 2010+).

With ``--time``, it only times the full SVM sweep (cross-validation and final fits, every tap) on
the given features, for the P9 ratio, and prints the wall and CPU seconds and the mAP per tap as JSON
(``rotnet bench evaluator --parts svm-sklearn`` runs it between its own rounds).

    /work/venv/bin/python evaluator/src/test/python/svm_golden.py --features DIR --out DIR
"""
import argparse
import gzip
import json
import os
import random
import struct
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

TAPS = ["feature1", "feature2", "feature3", "feature4", "feature5"]
COSTS = [1.0, 10.0, 100.0] + [0.5 ** p for p in range(4, 20)]
MAX_ITER = 2000
# a second run lets liblinear converge, to tell the optimum from where max_iter stopped it
CONVERGED_ITER = 1_000_000


def read_feature_file(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"RNFEAT01", path
    rows, dims = struct.unpack("<ii", data[8:16])
    return np.frombuffer(data[16:16 + 4 * rows * dims], dtype="<f4").reshape(rows, dims).copy()


def to_bf16(x):
    bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return bits.astype(np.uint16)


def from_bf16(b):
    return (b.astype(np.uint32) << 16).view(np.float32)


def normalize(x):
    norms = np.linalg.norm(x, axis=1)
    return x / (norms + 1e-5)[:, np.newaxis]


def svc(cost, max_iter):
    return LinearSVC(C=cost, class_weight={1: 2, -1: 1}, intercept_scaling=1.0, penalty="l2",
                     loss="squared_hinge", tol=1e-4, dual=True, max_iter=max_iter)


def fit(cost, x, y, max_iter=MAX_ITER):
    clf = svc(cost, max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y)
    return clf, int(np.max(clf.n_iter_))


def voc_ap(targets, scores):
    """The benchmark's get_precision_recall + calculate_ap: all-points AP, one point per example."""
    order = np.argsort(-scores, kind="stable")
    tp = (targets[order] > 0).astype(np.float64)
    fp = 1.0 - tp
    precision = np.cumsum(tp) / (np.cumsum(tp) + np.cumsum(fp))
    recall = np.cumsum(tp) / np.sum(tp)
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([0.0], precision, [0.0]))
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    idx = np.where(mrec[1:] != mrec[:-1])[0] + 1
    return float(np.sum((mrec[idx] - mrec[idx - 1]) * mpre[idx]))


def svm_tap(xtr, ytr, xte, yte, classes, max_iter=MAX_ITER):
    out = {"classes": []}
    for c in range(classes):
        y = np.where(ytr == c, 1, -1)
        yt = np.where(yte == c, 1, -1)
        folds = list(StratifiedKFold(n_splits=3).split(xtr, y))
        cv, iters = [], []
        for cost in COSTS:
            aps = []
            for fit_idx, held_idx in folds:
                clf, it = fit(cost, xtr[fit_idx], y[fit_idx], max_iter)
                iters.append(it)
                aps.append(average_precision_score(y[held_idx], clf.decision_function(xtr[held_idx])))
            cv.append(float(np.mean(aps)))
        chosen = COSTS[int(np.argmax(cv))]
        clf, it = fit(chosen, xtr, y, max_iter)
        decisions = clf.decision_function(xte)
        out["classes"].append({
            "cvAp": cv, "chosenCost": chosen, "testAp": voc_ap(yt, decisions),
            "testDecisions": decisions.tolist(), "cvMaxIterations": int(max(iters)),
            "cvUnconverged": int(sum(i >= max_iter for i in iters)), "finalIterations": it})
    out["mAP"] = float(np.mean([c["testAp"] for c in out["classes"]]))
    return out


def low_shot_samples(ytr, classes, ks, samples, ids, names, out_dir):
    """create_voc_low_shot_challenge_samples.py on the one-vs-rest targets (1 positive, 0 negative)."""
    targets = np.zeros((len(ytr), classes), dtype=np.int32)
    targets[np.arange(len(ytr)), ytr] = 1
    random.seed(0)
    draws = {}
    os.makedirs(out_dir, exist_ok=True)
    for s in range(samples):
        for k in ks:
            output = np.ones(targets.shape, dtype=np.int32) * -1
            for symbol, num in ((1, k), (0, (classes - 1) * k)):
                for c in range(classes):
                    for index in random.sample(list(np.where(targets[:, c] == symbol)[0]), num):
                        output[index, c] = symbol
            draws[(s, k)] = output
            data = {ids[i]: {names[c]: int(output[i, c]) for c in range(classes)} for i in range(len(ids))}
            with open(os.path.join(out_dir, "train_targets_sample%d_k%d.json" % (s + 1, k)), "w") as f:
                json.dump(data, f, sort_keys=True)
    return draws


def low_shot_tap(xtr, xte, yte, classes, ks, samples, draws, max_iter=MAX_ITER):
    out = []
    for k in ks:
        sample_maps = np.zeros((samples, len(COSTS)))
        unconverged = 0
        for s in range(samples):
            output = draws[(s, k)]
            for j, cost in enumerate(COSTS):
                aps = []
                for c in range(classes):
                    rows = np.where(output[:, c] != -1)[0]
                    y = np.where(output[rows, c] == 1, 1, -1)
                    clf, it = fit(cost, xtr[rows], y, max_iter)
                    unconverged += it >= max_iter
                    aps.append(voc_ap(np.where(yte == c, 1, -1), clf.decision_function(xte)))
                sample_maps[s, j] = np.mean(aps)
        mean = sample_maps.mean(axis=0)
        best = int(np.argmax(mean))
        values = sample_maps[:, best]
        out.append({"k": k, "cost": COSTS[best], "mean": float(values.mean()), "min": float(values.min()),
                    "max": float(values.max()), "std": float(values.std()),
                    "sampleMaps": values.tolist(), "unconverged": int(unconverged)})
    return out


def ap_checks(svm, yte, classes, rng):
    checks = []
    for c in range(classes):
        scores = np.array(svm["feature3"]["classes"][c]["testDecisions"])
        y = np.where(yte == c, 1, -1)
        tied = np.round(scores * 4) / 4  # a few values only: ties everywhere
        shuffled = rng.permutation(len(scores))
        checks.append({"scores": scores.tolist(), "positive": (y > 0).tolist(),
                       "sklearnAp": float(average_precision_score(y, scores)), "vocAp": voc_ap(y, scores)})
        checks.append({"scores": tied[shuffled].tolist(), "positive": (y[shuffled] > 0).tolist(),
                       "sklearnAp": float(average_precision_score(y[shuffled], tied[shuffled]))})
    return checks


def load(features_dir, split, tap):
    return read_feature_file(os.path.join(features_dir, split, tap + ".feat"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", required=True, help="cache directory with train/ and test/ feature files")
    parser.add_argument("--out", help="fixture directory to write")
    parser.add_argument("--train-per-class", type=int, default=25)
    parser.add_argument("--test-per-class", type=int, default=10)
    parser.add_argument("--classes", default="airplane,automobile,bird,cat,deer,dog,frog,horse,ship,truck")
    parser.add_argument("--ks", default="1,4")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--time", action="store_true", help="only time the SVM sweep (P9)")
    parser.add_argument("--labels", help='with --time: JSON {"train": [...], "test": [...], "classes": N}')
    opts = parser.parse_args()
    # LinearSVC(random_state=None) seeds liblinear's visiting order from numpy's global generator
    np.random.seed(0)
    names = opts.classes.split(",")
    classes = len(names)
    ntr, nte = classes * opts.train_per_class, classes * opts.test_per_class
    ytr = np.repeat(np.arange(classes), opts.train_per_class)
    yte = np.repeat(np.arange(classes), opts.test_per_class)

    if opts.time:
        if opts.labels:
            with open(opts.labels) as f:
                labels = json.load(f)
            ytr, yte, classes = np.array(labels["train"]), np.array(labels["test"]), labels["classes"]
        feats = {t: (normalize(load(opts.features, "train", t)), normalize(load(opts.features, "test", t))) for t in TAPS}
        start, cpu = time.perf_counter(), time.process_time()
        maps = {t: svm_tap(feats[t][0], ytr, feats[t][1], yte, classes)["mAP"] for t in TAPS}
        print(json.dumps({"seconds": time.perf_counter() - start, "cpuSeconds": time.process_time() - cpu, "mAP": maps}))
        return

    os.makedirs(opts.out, exist_ok=True)
    data, dims = {}, {}
    for t in TAPS:
        for split, n in (("train", ntr), ("test", nte)):
            raw = load(opts.features, split, t)
            assert raw.shape[0] == n, (split, t, raw.shape)
            b = to_bf16(raw)
            with gzip.open(os.path.join(opts.out, "%s-%s.bf16.gz" % (split, t)), "wb", compresslevel=9) as f:
                f.write(b.astype("<u2").tobytes())
            data[(split, t)] = from_bf16(b)
            dims[t] = int(raw.shape[1])
    ids = ["%s_%04d" % (names[c], i) for c in range(classes) for i in range(opts.train_per_class)]
    ks = [int(k) for k in opts.ks.split(",")]
    draws = low_shot_samples(ytr, classes, ks, opts.samples, ids, names, os.path.join(opts.out, "lowshot"))
    svm, low, svm_converged, low_converged = {}, {}, {}, {}
    for t in TAPS:
        xtr, xte = normalize(data[("train", t)]), normalize(data[("test", t)])
        svm[t] = svm_tap(xtr, ytr, xte, yte, classes)
        low[t] = low_shot_tap(xtr, xte, yte, classes, ks, opts.samples, draws)
        svm_converged[t] = svm_tap(xtr, ytr, xte, yte, classes, CONVERGED_ITER)
        low_converged[t] = low_shot_tap(xtr, xte, yte, classes, ks, opts.samples, draws, CONVERGED_ITER)
        print(t, "mAP %.4f / converged %.4f" % (svm[t]["mAP"], svm_converged[t]["mAP"]),
              [(s["k"], round(s["mean"], 4)) for s in low[t]], file=sys.stderr)
    reference = {
        "generator": "evaluator/src/test/python/svm_golden.py", "sklearn": __import__("sklearn").__version__,
        "classes": names, "trainLabels": ytr.tolist(), "testLabels": yte.tolist(), "trainIds": ids,
        "dims": dims, "costs": COSTS, "maxIter": MAX_ITER, "ks": ks, "samples": opts.samples,
        "svm": svm, "lowShot": low, "convergedMaxIter": CONVERGED_ITER, "svmConverged": svm_converged,
        "lowShotConverged": low_converged, "apChecks": ap_checks(svm, yte, classes, np.random.default_rng(0))}
    with open(os.path.join(opts.out, "reference.json"), "w") as f:
        json.dump(reference, f)


if __name__ == "__main__":
    main()
