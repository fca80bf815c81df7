"""Shared driver for glassnet's fuzz targets.

With atheris installed (``pip install -e ".[fuzz]"``) a target runs under
libFuzzer's coverage-guided mutation; without it, ``--plain`` mutates the
seed inputs at random (byte flips, cuts, splices, inserted bytes) so the
targets also run on machines where atheris does not build. Either way an
input that makes the target raise anything but its documented errors is a
bug, and the run stops with the input's bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time


def instrumented():
    """A context for the target's imports: with atheris, glassnet's own code
    is instrumented so that coverage guides the fuzzer (instrumenting NumPy
    and scikit-learn too would take minutes); without it, nothing."""
    if "--plain" in sys.argv:
        return contextlib.nullcontext()
    try:
        import atheris
    except ImportError:
        return contextlib.nullcontext()
    return atheris.instrument_imports(include=["glassnet"])


def mutate(data: bytes, rng: random.Random, seeds: list[bytes]) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        action = rng.randrange(5)
        if action == 0 and buffer:  # flip a byte
            buffer[rng.randrange(len(buffer))] ^= 1 << rng.randrange(8)
        elif action == 1 and buffer:  # cut the tail
            del buffer[rng.randrange(len(buffer)):]
        elif action == 2:  # insert random bytes
            at = rng.randrange(len(buffer) + 1)
            buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif action == 3 and buffer:  # overwrite with an interesting value
            at = rng.randrange(len(buffer))
            buffer[at:at + 4] = rng.choice([b"\xff\xff\xff\x7f", b"\x00\x00\x00\x00", b"\xff", b"9" * 4, b"\"", b","])
        else:  # splice in part of another seed
            other = rng.choice(seeds)
            at = rng.randrange(len(other) + 1)
            buffer[rng.randrange(len(buffer) + 1):] = other[at:]
    return bytes(buffer)


def run(target, seeds: list[bytes], description: str, argv=None) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--plain", action="store_true", help="random mutation without atheris")
    parser.add_argument("--quick", action="store_true", help="a bounded run: 10 seconds")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    parser.add_argument("--runs", type=int, default=None, help="stop after this many inputs")
    parser.add_argument("--seed", type=int, default=0, help="random seed of --plain")
    args, rest = parser.parse_known_args(argv)
    seconds = 10.0 if args.quick and args.seconds is None else args.seconds
    if not args.plain:
        try:
            import atheris
        except ImportError:
            print("atheris is not installed; using --plain mutation", file=sys.stderr)
        else:
            limits = [f"-max_total_time={int(seconds)}"] if seconds else []
            limits += [f"-runs={args.runs}"] if args.runs else []
            # the seeds start libFuzzer's corpus; glassnet's code, imported
            # under instrumented(), reports coverage
            corpus = tempfile.mkdtemp(prefix="glassnet-corpus-")
            for index, seed in enumerate(seeds):
                with open(os.path.join(corpus, f"seed{index}"), "wb") as handle:
                    handle.write(seed)
            atheris.Setup([sys.argv[0], *limits, *rest, corpus], target)
            atheris.Fuzz()
            return 0
    rng = random.Random(args.seed)
    deadline = time.monotonic() + (seconds if seconds else float("inf"))
    count = 0
    while time.monotonic() < deadline and (args.runs is None or count < args.runs):
        data = mutate(rng.choice(seeds), rng, seeds)
        try:
            target(data)
        except BaseException:
            print(f"crashing input after {count} runs: {data!r}", file=sys.stderr)
            raise
        count += 1
    print(f"{count} inputs, no crash")
    return 0
