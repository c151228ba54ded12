#!/usr/bin/env python3
"""Checks that the emulator works with the official OpenAI Python SDK (pip install openai).

openai_sdk_check.py BASE_URL SHARD.jsonl

Against a running `wordbench emulator` (fast: --speed 10000): files.create, batches.create, batches.retrieve until
completed, batches.list, files.content, then a second batch cancelled with batches.cancel. Prints one line per step
and exits non-zero on the first surprise. The test suite runs it; so can anyone with the SDK installed.
"""
import json
import sys
import time

from openai import OpenAI


def main(base_url, shard):
    client = OpenAI(base_url=base_url, api_key="sk-sdk-check", max_retries=2)
    with open(shard, "rb") as handle:
        uploaded = client.files.create(file=handle, purpose="batch")
    print(f"files.create {uploaded.id} {uploaded.bytes} bytes")
    batch = client.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h",
        metadata={"check": "sdk"})
    print(f"batches.create {batch.id} {batch.status}")
    for _ in range(200):
        batch = client.batches.retrieve(batch.id)
        if batch.status in ("completed", "failed", "expired", "cancelled"):
            break
        time.sleep(0.05)
    assert batch.status == "completed", batch.status
    print(f"batches.retrieve {batch.status} {batch.request_counts.completed}/{batch.request_counts.total}")
    listed = [b.id for b in client.batches.list(limit=10)]
    assert batch.id in listed, listed
    print(f"batches.list {len(listed)}")
    content = client.files.content(batch.output_file_id).text
    lines = [json.loads(line) for line in content.splitlines() if line]
    assert len(lines) == batch.request_counts.completed
    assert all(line["response"]["status_code"] == 200 for line in lines)
    print(f"files.content {len(lines)} lines")
    second = client.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h")
    cancelled = client.batches.cancel(second.id)
    assert cancelled.status in ("cancelling", "cancelled"), cancelled.status
    print(f"batches.cancel {cancelled.status}")
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
