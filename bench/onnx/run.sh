#!/usr/bin/env bash
# The onnx engine on a real model: time to first token and tokens per second, on the GPU (CUDA) or the CPU.
#
# Builds the InferenceWorker (with ONNX Runtime's CUDA build for --device cuda), starts it on a free port serving the
# model folder (Hugging Face Optimum's layout), streams chat completions at each concurrency and prints a markdown
# table, preceded by the device the worker reports in /v1/models (owned_by: aiplatform-onnx-cuda or -cpu: a worker
# asked for CUDA that could not get it says cpu, and its log says why). Needs python3 (standard library only) and curl.
#
# Usage: bench/onnx/run.sh --model <folder> [--device cuda|cpu] [--device-id 0] [--requests 20] [--concurrency 1,4]
#                          [--max-tokens 128] [--sequences 4]
set -euo pipefail

readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT="$(cd "$BENCH_DIR/../.." && pwd)"

model="" device=cpu device_id=0 requests=20 concurrency="1,4" max_tokens=128 sequences=4
while [[ $# -gt 0 ]]; do
    case "$1" in
        --model) model="$2"; shift 2 ;;
        --device) device="$2"; shift 2 ;;
        --device-id) device_id="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --concurrency) concurrency="$2"; shift 2 ;;
        --max-tokens) max_tokens="$2"; shift 2 ;;
        --sequences) sequences="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "Unknown option $1 (bench/onnx/run.sh --help)" >&2; exit 2 ;;
    esac
done
[[ -n "$model" && -d "$model" ]] || { echo "Give the model's folder: --model <folder> (exported with optimum-cli export onnx)." >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is missing: sudo apt-get install -y python3" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing: sudo apt-get install -y curl" >&2; exit 1; }

build="$(mktemp -d)"
log="$build/worker.log"
trap 'kill "${worker_pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$build"' EXIT
gpu=false
[[ "$device" == cuda ]] && gpu=true
echo "Building the InferenceWorker (OnnxRuntimeGpu=$gpu)…" >&2
dotnet build "$ROOT/src/InferenceWorker" -c Release -nologo -clp:ErrorsOnly -p:OnnxRuntimeGpu=$gpu -o "$build/out" >&2

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
name="$(basename "$(realpath "$model")")"
ASPNETCORE_URLS="http://127.0.0.1:$port" Inference__Engine=onnx Inference__Onnx__Device="$device" Inference__Onnx__DeviceId="$device_id" \
    Inference__Onnx__MaxConcurrentSequences="$sequences" Inference__Onnx__Models__0__Name="$name" \
    Inference__Onnx__Models__0__Path="$(realpath "$model")" Inference__Admission__MaxRunning=1024 \
    dotnet "$build/out/AiPlatform.InferenceWorker.dll" >"$log" 2>&1 &
worker_pid=$!
for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    kill -0 "$worker_pid" 2>/dev/null || { echo "The worker stopped:" >&2; tail -40 "$log" >&2; exit 1; }
    sleep 0.5
done

owned_by="$(curl -s "http://127.0.0.1:$port/v1/models" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["owned_by"])')"
echo "Model: $name; device asked: $device; worker reports: $owned_by; $(nproc) cores; $(date -u +%F); commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo
python3 "$BENCH_DIR/measure.py" --url "http://127.0.0.1:$port" --model "$name" --requests "$requests" \
    --concurrency "$concurrency" --max-tokens "$max_tokens"
