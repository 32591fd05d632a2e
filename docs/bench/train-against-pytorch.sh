#!/usr/bin/env bash
# Training img/s of rotnet-tiny-cpu's network in rotnet (flat-buffer and per-tensor update) and in
# PyTorch, alternated so that a change of load hits every contender: PyTorch, flat, PyTorch,
# per-tensor, twice, then PyTorch. Run from the repository root on an otherwise idle machine.
#   PYTHON: a Python with CPU torch (default python3); ANCHOR: torch_resnet_train.py.
set -euo pipefail
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
python="${PYTHON:-python3}"
anchor="${ANCHOR:-../shared/anchors/torch_resnet_train.py}"
rotnet_small=(bench trainer --preset rotnet-tiny-cpu --rounds 4 --steps 40 --warmup 10 --resnet50-steps 0)

torch_small() {
  echo "## PyTorch (load $(cut -d' ' -f1 /proc/loadavg))"
  "$python" "$anchor" --arch resnet18-w16 --sizes 32 --batch 64 --steps 160 --warmup 10 | grep train
}
rotnet() {
  echo "## rotnet $* (load $(cut -d' ' -f1 /proc/loadavg))"
  ./rotnet "${rotnet_small[@]}" "$@" 2>&1 | grep -E "round 4|median in-memory"
}

for pass in 1 2; do
  torch_small
  rotnet
  torch_small
  rotnet --per-tensor-update
done
torch_small
