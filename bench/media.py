"""Benchmark: uploaded media (issue 11).

    .venv/bin/python bench/media.py [--seconds 8] [--rounds 3] [--photos 12] [--assets 1000]

Three measurements, everything on 127.0.0.1 in a temp folder, the embedded default
(SQLite, media in a local folder) as `python -m qrapp.edge` serves it:

1. Range requests on a 10 MB video: the edge (/m/<id>/original) against nginx serving
   the same file from disk, wrk -t2 -c16 with a 1 MB `Range` (a phone seeking), the two
   alternating for several rounds; medians with the ratio to nginx. Target >= 0.5x.
2. Upload of a 12-megapixel photo (4000 x 3000 JPEG with EXIF) through the upload
   service until every variant (re-encoded original, 480/960/1920 wide, their WebP) is
   stored: p50 / p95 over N uploads. Target p95 <= 1.5 s.
3. The edge's RSS while serving 1,000 different assets, three passes over all of them:
   RSS after each pass. Target: flat (the growth after the first pass is the metadata
   cache, then nothing).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))

from bench._env import bench_env, need_commands  # noqa: E402
from bench.edge import PHONE, cpu_seconds, start, stop, wait_port  # noqa: E402
from bench.ingest import free_port  # noqa: E402

VIDEO_BYTES = 10 * 1024 * 1024
RANGE = "bytes=2097152-3145727"  # 1 MB from 2 MB on

NGINX_CONF = """
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  client_body_temp_path {tmp}/nb; proxy_temp_path {tmp}/np; fastcgi_temp_path {tmp}/nf;
  uwsgi_temp_path {tmp}/nu; scgi_temp_path {tmp}/ns;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
    location / {{ default_type video/mp4; }}
  }}
}}
"""

SETUP = r"""
import json, os, struct, sys, time
from qrapp.migrations import upgrade; upgrade('head')
from qrapp.services.accounts import accounts
from qrapp.services.operator import operator_actor
from qrapp.services.workspaces import workspaces
from qrapp.services.media import uploads
from qrapp.services.media.storage import get_storage
accounts.create_user_cli(email='bench@example.com', password='bench password 123', name='Bench')
actor = operator_actor(str(workspaces.list_all()[0][0].id))
def up(name, data):
    return uploads.upload(actor=actor, workspace_id=actor.workspace_id, filename=name, data=data)
head = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
video = up("bench.mp4", head + os.urandom({video_bytes} - len(head)))
open({video_copy!r}, "wb").write(get_storage().get(f"{{video.id}}/original"))
ids = []
for n in range({assets}):
    mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + os.urandom(20000)
    ids.append(str(up(f"clip-{{n}}.mp3", mp3).id))
print(json.dumps({{"video": str(video.id), "assets": ids}}))
"""

UPLOADS = r"""
import io, json, time
from PIL import Image
from qrapp.services.media import uploads
from qrapp.services.operator import operator_actor
from qrapp.services.workspaces import workspaces
actor = operator_actor(str(workspaces.list_all()[0][0].id))
# A photo-like 12-megapixel picture: smooth gradients with sensor noise (what JPEG and
# WebP encoders meet in a phone photo; pure noise or flat colour would flatter or punish).
w, h = 4000, 3000
base = Image.merge("RGB", [
    Image.linear_gradient("L").resize((w, h)),
    Image.radial_gradient("L").resize((w, h)),
    Image.linear_gradient("L").rotate(90).resize((w, h)),
])
noise = Image.effect_noise((w, h), 24).convert("RGB")
photo = Image.blend(base, noise, 0.25)
exif = Image.Exif(); exif[0x010F] = "BenchCam"; exif[0x8825] = {{1: "N", 2: (59.0, 19.0, 46.0)}}
buf = io.BytesIO(); photo.save(buf, "JPEG", quality=90, exif=exif); data = buf.getvalue()
times = []
cpu = []
for n in range({photos}):
    t = time.perf_counter()
    c = time.process_time()
    asset = uploads.upload(
        actor=actor, workspace_id=actor.workspace_id, filename=f"p{{n}}.jpg", data=data
    )
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
    assert len(asset.variants) == 7, asset.variants
print(json.dumps({{"bytes": len(data), "times": times, "cpu": cpu}}))
"""


def wrk_range(url: str, seconds: int, pid: int) -> dict:
    """wrk's figures and the server's CPU time per request (see bench/edge.py)."""
    cpu0 = cpu_seconds(pid)
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", *PHONE, "-H", f"Range: {RANGE}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(pid) - cpu0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    mb = float(transfer.group(1)) * {"KB": 1 / 1024, "MB": 1, "GB": 1024}.get(transfer.group(2), 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return {
        "rps": rps,
        "mbps": mb,
        "p99": p99_ms,
        "cpu_us": cpu / max(total, 1) * 1e6,
        "bad": int(bad.group(1)) if bad else 0,
    }


def rss_kb(pid: int) -> int:
    """RSS of the process and its children (uvicorn runs the app in the started one)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def check_range(url: str, expected: bytes) -> None:
    import httpx

    r = httpx.get(url, headers={"range": RANGE}, timeout=30)
    first, last = (int(x) for x in RANGE.split("=")[1].split("-"))
    if r.status_code != 206 or r.content != expected[first : last + 1]:
        sys.exit(f"{url}: wrong answer to a range request ({r.status_code})")


def serving(args, env: dict, tmp: Path, made: dict, video: bytes, procs: list) -> bool:
    """Measurements 1 (ranges beside nginx) and 3 (RSS over many assets)."""
    ok = True
    edge_port, nginx_port = free_port(), free_port()
    (tmp / "nginx.conf").write_text(
        NGINX_CONF.format(tmp=tmp, port=nginx_port, workers=args.workers)
    )
    nginx = start(
        ["nginx", "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"], env, tmp / "nginx.log"
    )
    procs.append(nginx)
    edge = start(
        [PY, "-m", "qrapp.edge", "--port", str(edge_port), "--workers", str(args.workers)],
        env,
        tmp / "edge.log",
    )
    procs.append(edge)
    wait_port(nginx_port)
    wait_port(edge_port)
    urls = {
        "edge /m/<id>/original": f"http://127.0.0.1:{edge_port}/m/{made['video']}/original",
        "nginx static file": f"http://127.0.0.1:{nginx_port}/video.mp4",
    }
    pids = {"edge /m/<id>/original": edge.pid, "nginx static file": nginx.pid}
    for url in urls.values():
        check_range(url, video)
    idle_rss = rss_kb(edge.pid)

    # 1. Range requests.
    print(
        f"\n1. 10 MB video, Range {RANGE} (1 MB), wrk -t2 -c16, "
        f"{args.rounds} x {args.seconds} s each, alternating",
        flush=True,
    )
    results: dict[str, list[dict]] = {k: [] for k in urls}
    for _ in range(args.rounds):
        for label, url in urls.items():
            results[label].append(wrk_range(url, args.seconds, pids[label]))
    nginx_rps = statistics.median(r["rps"] for r in results["nginx static file"])
    for label, runs in results.items():
        rps = statistics.median(r["rps"] for r in runs)
        mbps = statistics.median(r["mbps"] for r in runs)
        p99 = statistics.median(r["p99"] for r in runs)
        bad = sum(r["bad"] for r in runs)
        cpu = statistics.median(r["cpu_us"] for r in runs)
        print(
            f"  {label:<24} {rps:8,.0f} req/s {mbps:8,.0f} MB/s  p99 {p99:6.1f} ms  "
            f"{rps / nginx_rps:5.2f}x nginx  CPU {cpu:5.0f} us/req  non-2xx {bad}"
        )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  edge RSS: {idle_rss / 1024:.1f} MB before, {rss_kb(edge.pid) / 1024:.1f} MB after")
    ratio = statistics.median(r["rps"] for r in results["edge /m/<id>/original"]) / nginx_rps
    ok &= ratio >= 0.5
    print(f"  target >= 0.50x nginx: {'met' if ratio >= 0.5 else 'NOT met'} ({ratio:.2f}x)")

    # 3. RSS over 1,000 assets (before the uploads, which compete for the CPU).
    import httpx

    print(f"\n3. edge RSS serving {len(made['assets'])} different assets, 3 passes", flush=True)
    rss = [rss_kb(edge.pid)]
    with httpx.Client(base_url=f"http://127.0.0.1:{edge_port}", timeout=30) as client:
        for _ in range(3):
            for asset_id in made["assets"]:
                r = client.get(f"/m/{asset_id}/original")
                if r.status_code != 200 or len(r.content) != 20010:
                    sys.exit(f"asset {asset_id}: {r.status_code}")
            rss.append(rss_kb(edge.pid))
    print(
        "  RSS (MB): before {:.1f}, after pass 1 {:.1f}, pass 2 {:.1f}, pass 3 {:.1f}".format(
            *(k / 1024 for k in rss)
        )
    )
    growth = (rss[3] - rss[1]) / 1024
    flat = growth <= 2.0
    ok &= flat
    print(f"  growth pass 1 -> 3: {growth:+.1f} MB ({'flat' if flat else 'NOT flat'}, limit +2 MB)")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--photos", type=int, default=12)
    ap.add_argument("--assets", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn (and nginx) workers")
    ap.add_argument("--uploads-only", action="store_true", help="measurement 2 alone")
    ap.add_argument("--serving-only", action="store_true", help="measurements 1 and 3 alone")
    args = ap.parse_args()
    need_commands({"wrk": "wrk", "nginx": "nginx-light"})
    tmp = Path(tempfile.mkdtemp(prefix="qrapp-bench-media-"))
    tmp.chmod(0o755)  # nginx's workers (nobody, when started as root) read www/ below it
    procs: list[subprocess.Popen] = []
    ok = True
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS", "DATABASE"))}
        env |= bench_env()
        env |= {
            "QRAPP_ENV": "test",
            "SECRET_KEY": "bench-secret-" + "x" * 24,
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
            "SCAN_QUEUE_PATH": str(tmp / "queue.sqlite"),
            "REDIS_URL": "",
            "MEDIA_STORAGE": "local",
            "MEDIA_DIR": str(tmp / "media"),
            "MEDIA_QUOTA_BYTES": str(10 * 1024**3),
        }
        www = tmp / "www"
        www.mkdir()
        video_copy = www / "video.mp4"
        if args.uploads_only:
            args.assets = 0
        print(f"setting up: a 10 MB video and {args.assets} small assets ...", flush=True)
        t = time.perf_counter()
        out = subprocess.run(
            [
                PY,
                "-c",
                SETUP.format(
                    video_bytes=VIDEO_BYTES, video_copy=str(video_copy), assets=args.assets
                ),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(f"set-up failed:\n{out.stderr[-3000:]}")
        made = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  done in {time.perf_counter() - t:.1f} s", flush=True)
        video_copy.chmod(0o644)
        video = video_copy.read_bytes()

        if not args.uploads_only:
            ok &= serving(args, env, tmp, made, video, procs)
            for p in procs:
                stop(p)
            procs.clear()

        if args.serving_only:
            sys.exit(0 if ok else 1)  # the finally below stops and removes everything
        # 2. Uploads of a 12-megapixel photo.
        print(
            f"\n2. upload of a 12-megapixel JPEG to all 7 variants, {args.photos} times", flush=True
        )
        out = subprocess.run(
            [PY, "-c", UPLOADS.format(photos=args.photos)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(f"uploads failed:\n{out.stderr[-3000:]}")
        up = json.loads(out.stdout.strip().splitlines()[-1])
        times = sorted(up["times"])
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
        print(
            f"  photo {up['bytes'] / 1e6:.1f} MB; p50 {statistics.median(times):.2f} s, "
            f"p95 {p95:.2f} s, max {times[-1]:.2f} s"
        )
        print(
            f"  CPU time per upload (all threads): p50 {statistics.median(up['cpu']):.2f} s; "
            f"load average during the run {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        ok &= p95 <= 1.5
        print(f"  target p95 <= 1.5 s: {'met' if p95 <= 1.5 else 'NOT met'}")
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
