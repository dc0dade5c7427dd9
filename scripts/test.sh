#!/usr/bin/env bash
# The one test command: installs what is missing, builds, and runs every test.
#   1. host build (RelWithDebInfo): all CTest tests (host, emulated boards)
#   2. sanitizer build (ASan + UBSan): the host-labelled tests
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

cmake --preset host
cmake --build --preset host -j "$jobs"
ctest --preset host

if [ "${EMBER_SKIP_SANITIZERS:-0}" != "1" ]; then
  cmake --preset asan
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan
fi
