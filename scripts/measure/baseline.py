"""The Rasa-default baseline of `make eval`, trained once for each set of inputs and then kept.

Training it takes most of `make eval`'s time, so a trained model is kept in a cache outside the
checkout, named by a key of everything that changes it: the config, the NLU training data, the
version of every installed package and of Python, the processor architecture, and the numeric
settings (evaluate.SETTINGS). Any change of these trains anew; an empty --cache never keeps one.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from scripts.measure.evaluate import SETTINGS


def cache_key(config: Path, nlu: Path) -> str:
    h = hashlib.sha256()

    def add(label: str, value: bytes) -> None:
        h.update(label.encode() + b"\0" + hashlib.sha256(value).digest())

    add("config", config.read_bytes())
    for path in sorted(nlu.rglob("*.yml")):
        add(f"nlu/{path.relative_to(nlu).as_posix()}", path.read_bytes())
    packages = sorted(f"{d.metadata['Name'].lower()}=={d.version}" for d in metadata.distributions())
    add("packages", "\n".join(packages).encode())
    add("python", sys.version.encode())
    add("machine", platform.machine().encode())
    for name in SETTINGS:
        add(name, os.environ.get(name, "(unset)").encode())
    return h.hexdigest()[:20]


def train(config: Path, nlu: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(dir=out.parent) as work:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa",
                "train",
                "nlu",
                "--nlu",
                str(nlu),
                "--config",
                str(config),
                "--fixed-model-name",
                "baseline",
                "--out",
                work,
            ],
            check=True,
        )
        os.replace(Path(work) / "baseline.tar.gz", out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--nlu", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="where the trained model goes")
    parser.add_argument("--cache", default="", help="folder of kept models; empty: train, keep none")
    args = parser.parse_args()

    key = cache_key(args.config, args.nlu)
    stamp = args.out.with_name(args.out.name + ".key")
    if args.out.exists() and stamp.exists() and stamp.read_text() == key:
        print(f"baseline: {args.out} is up to date ({key})")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    kept = Path(args.cache) / f"baseline-{key}.tar.gz" if args.cache else None
    if kept and kept.exists():
        shutil.copyfile(kept, args.out)
        print(f"baseline: taken from the cache, {kept}")
    else:
        print(f"baseline: training ({key})", flush=True)
        train(args.config, args.nlu, args.out)
        if kept:
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.out, kept.with_suffix(".part"))
            os.replace(kept.with_suffix(".part"), kept)
    stamp.write_text(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
