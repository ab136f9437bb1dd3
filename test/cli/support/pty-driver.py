"""Runs a command on a pseudo-terminal, types scripted input, and reports what it showed.

Usage: python3 pty-driver.py REQUEST_JSON, where the request is
{"argv": [...], "env": {...}, "steps": [{"expect": "text", "send": "keys"}], "timeout": seconds}.
Each step waits until the screen shows `expect` after the previous step, then types `send`.
Prints {"status": exit status or -signal, "transcript": base64 of everything shown}.
"""
import base64
import json
import os
import pty
import select
import sys
import time

request = json.loads(sys.argv[1])
deadline = time.monotonic() + request.get("timeout", 30)

pid, fd = pty.fork()
if pid == 0:
    os.execvpe(request["argv"][0], request["argv"], request["env"])

transcript = b""


def read_some():
    """Reads what the terminal shows now; returns False at end of output."""
    global transcript
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("timed out; the screen showed: %r" % transcript)
    ready, _, _ = select.select([fd], [], [], min(remaining, 0.5))
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    transcript += chunk
    return bool(chunk)


position = 0
for step in request.get("steps", []):
    expected = step["expect"].encode()
    while transcript.find(expected, position) < 0:
        if not read_some():
            raise RuntimeError("output ended before %r; the screen showed: %r" % (expected, transcript))
    position = transcript.find(expected, position) + len(expected)
    os.write(fd, step["send"].encode())

while read_some():
    pass

_, wait_status = os.waitpid(pid, 0)
status = os.waitstatus_to_exitcode(wait_status)
print(json.dumps({"status": status, "transcript": base64.b64encode(transcript).decode()}))
