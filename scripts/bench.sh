#!/usr/bin/env bash
# The main job: installs what is missing, configures and builds the host preset (which
# cross-builds the benchmark firmware for every board), then benchmarks VWW, hotword and
# the convolutional reference model on the emulated SparkFun Edge, next to the TensorFlow
# Lite Micro paper's numbers. Extra arguments go to `ember bench`, e.g.
#   bash scripts/bench.sh --board all --svg bench.svg
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

cmake --preset host
cmake --build --preset host -j "$jobs"
./build/host/ember bench --board sparkfun_edge "$@"
