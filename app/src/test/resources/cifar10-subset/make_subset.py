"""Copies a small CIFAR-10 subset (the first 40 train and 10 test images of each class, as JPEG
files) out of ../shared/datasets/cifar10/cifar10-jpg.tar.gz for the fidelity test. Run from this
directory: /work/venv/bin/python make_subset.py /path/to/cifar10-jpg.tar.gz"""
import sys
import tarfile
from pathlib import Path

PER_SPLIT = {"train": 40, "test": 10}
here = Path(__file__).parent
with tarfile.open(sys.argv[1]) as tar:
    for member in tar.getmembers():
        parts = Path(member.name).parts  # cifar10/<split>/<class>/NNNN.jpg
        if len(parts) != 4 or not member.isfile():
            continue
        _, split, cls, name = parts
        if int(Path(name).stem) < PER_SPLIT[split]:
            out = here / split / cls / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(tar.extractfile(member).read())
