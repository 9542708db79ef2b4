"""Child process that draws one already-checked SVG: SVG text on stdin, PNG on stdout.

Run by qrapp.services.codes.svg_raster as `python -I svg_worker.py`, so it imports nothing of
qrapp (only the standard library and resvg_py). It caps its own address space, CPU time
and file writes before it reads the SVG: whatever the drawing costs, the kernel ends this
process and not the web server that asked for it.

Exit codes: 0 PNG written; 2 resvg could not read the SVG (reason on stderr); anything
else (killed by SIGXCPU or SIGKILL, aborted on a failed allocation) means too costly.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile

import resvg_py


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    # Address space on top of what the interpreter and resvg already mapped (~30 MB):
    # a 512 x 512 canvas is 1 MB, so even filters and masks stay far below the cap.
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (mapped + memory_bytes, mapped + memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no files written (pipes are fine)


def main() -> int:
    memory_bytes, cpu_seconds = int(sys.argv[1]), int(sys.argv[2])
    # An empty folder as the base for relative references (the checker refuses them
    # already; this keeps a miss from reaching the server's files). Made before the
    # limits: tempfile probes its folder by writing a file, which RLIMIT_FSIZE forbids.
    with tempfile.TemporaryDirectory() as empty:
        os.chdir(empty)
        _limit(memory_bytes, cpu_seconds)
        text = sys.stdin.buffer.read().decode("utf-8")
        try:
            png = resvg_py.svg_to_bytes(
                svg_string=text, resources_dir=empty, skip_system_fonts=True
            )
        except ValueError as exc:
            sys.stderr.write(str(exc)[:500])
            return 2
    sys.stdout.buffer.write(bytes(png))
    return 0


if __name__ == "__main__":
    sys.exit(main())
