"""Imports Python credstash 1.17.1 and prints the time and how many boto3/botocore modules are loaded."""

import json
import sys
import time

start = time.perf_counter()
import credstash  # noqa: E402,F401  (the import is what is measured)

import_ms = (time.perf_counter() - start) * 1000.0
after_import = sum(1 for name in sys.modules if name.split(".")[0] in ("boto3", "botocore"))
sys.stdout.write(json.dumps({"importMs": import_ms, "afterImport": after_import}) + "\n")
