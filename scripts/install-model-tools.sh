#!/usr/bin/env bash
# Installs the tools used to make and check ONNX test models (idempotent):
#   - Debian: python3-onnx python3-numpy python3-torch python3-torchvision
#     (for /usr/bin/python3), dataset-fashion-mnist (the accuracy example and
#     its test), zlib1g-dev (its evaluator reads the gzip files), plus
#     nodejs + npm unless node and npm are already on PATH;
#   - npm: onnxruntime-node into tools/ort/node_modules, pinned by
#     tools/ort/package.json + package-lock.json. ONNXRUNTIME_NODE_INSTALL=skip
#     makes it use the CPU library shipped inside the npm package and download
#     nothing else.
# Safe to run repeatedly; does nothing when everything is already there.
# Exits non-zero with a message naming the failing step.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

die() {
  echo "install-model-tools: error: $*" >&2
  exit 1
}
log() { echo "install-model-tools: $*"; }

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_install() {
  # Retries while another apt-get/dpkg holds the lock (up to ~10 minutes).
  local tries=0 out
  out=$(mktemp)
  while true; do
    if "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive "$@" 2>&1 | tee "$out"; then
      rm -f "$out"
      return 0
    fi
    tries=$((tries + 1))
    if ((tries >= 20)) || ! grep -qiE 'could not get lock|unable to lock|is locked' "$out"; then
      rm -f "$out"
      return 1
    fi
    log "apt/dpkg is locked by another process; retrying in 30 s"
    sleep 30
  done
}

# --- Debian packages ---------------------------------------------------------
packages=(python3-onnx python3-numpy python3-torch python3-torchvision
  dataset-fashion-mnist zlib1g-dev)
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  log "using node $(node --version) and npm $(npm --version 2>/dev/null) from PATH"
else
  if command -v node >/dev/null 2>&1; then
    # A node without npm that did not come from Debian's nodejs package
    # (e.g. NodeSource) conflicts with Debian's npm.
    if ! installed nodejs || [[ "$(dpkg-query -W -f='${Version}' nodejs)" == *nodesource* ]]; then
      die "node is on PATH ($(command -v node)) but npm is not, and Debian's npm cannot be installed next to this node; install npm for it"
    fi
  fi
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  apt_install apt-get update || die "apt-get update failed"
  apt_install apt-get install -y --no-install-recommends "${missing[@]}" ||
    die "apt-get install ${missing[*]} failed"
else
  log "Debian packages present: ${packages[*]}"
fi

command -v node >/dev/null 2>&1 || die "node is not on PATH after installing nodejs"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH after installing npm"
/usr/bin/python3 -c 'import onnx, numpy, torch, torchvision' ||
  die "/usr/bin/python3 cannot import onnx, numpy, torch and torchvision"

# --- onnxruntime-node ----------------------------------------------------------
ort_dir=$root/tools/ort
ort_version=1.30.0
mkdir -p "$ort_dir"
cd "$ort_dir"
export ONNXRUNTIME_NODE_INSTALL=skip
# Also skip any CUDA/TensorRT download attempt of older install scripts.
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip

check_ort() {
  node -e '
    const ort = require("onnxruntime-node");
    if (!ort.InferenceSession || !ort.Tensor) process.exit(1);
  ' >/dev/null 2>&1
}

if [ -f package.json ] && [ -f package-lock.json ] && check_ort; then
  log "onnxruntime-node present in tools/ort/node_modules"
else
  if [ ! -f package.json ]; then
    log "creating tools/ort/package.json"
    cat >package.json <<EOF
{
  "name": "prom-ort-runner",
  "version": "0.0.0",
  "private": true,
  "description": "Runs ONNX models with ONNX Runtime (CPU) to produce reference outputs for prom's tests",
  "main": "run.js",
  "license": "UNLICENSED",
  "dependencies": {
    "onnxruntime-node": "$ort_version"
  }
}
EOF
  fi
  if [ -f package-lock.json ]; then
    log "npm ci (tools/ort)"
    npm ci --no-audit --no-fund || die "npm ci in tools/ort failed"
  else
    log "npm install (tools/ort), creates package-lock.json"
    npm install --no-audit --no-fund || die "npm install in tools/ort failed"
  fi
  check_ort || die "onnxruntime-node does not load from tools/ort/node_modules"
fi
log "ok: onnxruntime-node $(node -p 'require("onnxruntime-node/package.json").version')"
