"""Formats maps of secrets the way Python credstash 1.17.1 does, as a reference for tests.

Reads {"format": ..., "cases": [...]} as JSON on standard input and prints a JSON list with
one result per case:
  json  each case is a map; the result is credstash's json.dumps output
  csv   each case is a list of [name, value] rows; the result is credstash's csv_dump output
  list  each case is a list of [name, version, comment]; the result is credstash's list lines
  yaml  each case is YAML text; the result is the map PyYAML reads from it
"""
import csv
import io
import json
import sys

request = json.load(sys.stdin)
results = []
for case in request["cases"]:
    if request["format"] == "json":
        results.append(json.dumps(case, sort_keys=True, indent=4, separators=(",", ": ")))
    elif request["format"] == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in case:
            writer.writerow(row)
        results.append(buffer.getvalue())
    elif request["format"] == "list":
        width = max(len(name) for name, _, _ in case)
        lines = ["{0:{1}} -- version {2:>} -- comment {3}\n".format(name, width, version, comment) for name, version, comment in case]
        results.append("".join(lines))
    elif request["format"] == "yaml":
        import yaml

        results.append(yaml.safe_load(case))
print(json.dumps(results))
