#!/usr/bin/env python3
"""Streams chat completions from an OpenAI-compatible server and prints one markdown row per concurrency:
time to first token (first content chunk) and tokens per second, per sequence and in total. Standard library only,
so that a GPU host needs nothing but python3."""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse


def one_request(url, model, max_tokens, prompt):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    body = json.dumps({
        "model": model, "stream": True, "max_tokens": max_tokens, "temperature": 0,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": prompt}],
    })
    started = time.perf_counter()
    connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {response.read()[:300]!r}")
    first = None
    tokens = 0
    for raw in response:
        line = raw.decode("utf-8").strip()
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        chunk = json.loads(line[6:])
        if chunk.get("usage"):
            tokens = chunk["usage"]["completion_tokens"]
        elif first is None and any(c.get("delta", {}).get("content") for c in chunk.get("choices", [])):
            first = time.perf_counter()
    ended = time.perf_counter()
    connection.close()
    return first - started, tokens, ended - started, ended - first


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--concurrency", default="1,4")
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    prompt = "Write a short story about a lighthouse keeper who finds a message in a bottle."
    one_request(args.url, args.model, 8, prompt)  # warm-up: first run allocations, kernels
    print("| concurrency | requests | tokens per answer | TTFT p50 ms | TTFT p95 ms | tokens/s per sequence | tokens/s total |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        results, lock, started = [], threading.Lock(), time.perf_counter()

        def worker(count):
            for _ in range(count):
                result = one_request(args.url, args.model, args.max_tokens, prompt)
                with lock:
                    results.append(result)

        share = [args.requests // concurrency + (1 if i < args.requests % concurrency else 0) for i in range(concurrency)]
        threads = [threading.Thread(target=worker, args=(n,)) for n in share if n > 0]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        ttft = sorted(r[0] * 1000 for r in results)
        per_sequence = statistics.median(r[1] / r[3] if r[3] > 0 else 0 for r in results)
        total = sum(r[1] for r in results) / wall
        p95 = ttft[min(len(ttft) - 1, int(round(0.95 * (len(ttft) - 1))))]
        tokens = statistics.mean(r[1] for r in results)
        print(f"| {concurrency} | {len(results)} | {tokens:.0f} | {statistics.median(ttft):.1f} | {p95:.1f} | {per_sequence:.1f} | {total:.1f} |")


if __name__ == "__main__":
    main()
