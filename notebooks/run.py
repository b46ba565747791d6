"""Executes every notebook in this folder headless against Elasticsearch; exit 1 when any cell fails.

    python3 notebooks/run.py [--elasticsearch URL] [--out DIR]

Needs Debian's python3-nbclient, python3-ipykernel, python3-pandas, python3-matplotlib and python3-requests.
Executed copies and the figures they save go to --out (default notebooks/out), never over the sources.
"""
import argparse
import os
import pathlib
import shutil
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = pathlib.Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elasticsearch", default=os.environ.get("SIFT_ELASTICSEARCH_URL", "http://127.0.0.1:19200"))
    parser.add_argument("--out", default=str(HERE / "out"))
    args = parser.parse_args()
    out = pathlib.Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "sift_es.py", out / "sift_es.py")
    os.environ["SIFT_ELASTICSEARCH_URL"] = args.elasticsearch
    failed = []
    for path in sorted(HERE.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(out)}})
        try:
            client.execute()
            print(f"ok      {path.name}")
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"FAILED  {path.name}\n{error}", file=sys.stderr)
        nbformat.write(notebook, out / path.name)
    print(f"executed notebooks and figures in {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
