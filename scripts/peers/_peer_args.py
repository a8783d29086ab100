"""Command line shared by the peer benchmark scripts: one `--NAME FILE` per input, `--out FILE`."""

import argparse


def files(doc: str, *inputs: str) -> argparse.Namespace:
    """Parses `--INPUT FILE` for each name of `inputs` and `--out FILE`, all required."""
    ap = argparse.ArgumentParser(description=doc)
    for name in (*inputs, "out"):
        ap.add_argument(f"--{name}", required=True)
    return ap.parse_args()
