"""Benchmark worker for Python credstash 1.17.1.

Reads one JSON command per line on standard input and writes one JSON result per line,
timing each operation inside this process. Library calls are made as a user makes them:
credstash's own get_session() caches one boto3 session, and every call builds its clients.
The harness sets AWS_ENDPOINT_URL to a moto server or proxy on 127.0.0.1.
"""

import json
import os
import resource
import sys
import time

import credstash

REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")


class FixedKeyService:
    """Key service that hands out one fixed data key, so seal and open time only the cipher work."""

    def __init__(self, key):
        self.key = key
        self.wrapped = b"wrapped-key-of-the-benchmark"

    def generate_key_data(self, number_of_bytes):
        return self.key[:number_of_bytes], self.wrapped

    def decrypt(self, encoded_key):
        return self.key


def timed(call):
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000.0, result


def get_all(command):
    ms, secrets = timed(lambda: credstash.getAllSecrets(region=REGION, table=command["table"]))
    return {"ms": ms, "count": len(secrets)}


def get_one(command):
    ms, secret = timed(lambda: credstash.getSecret(command["name"], region=REGION, table=command["table"]))
    return {"ms": ms, "length": len(secret)}


def list_secrets(command):
    ms, items = timed(lambda: credstash.listSecrets(region=REGION, table=command["table"]))
    return {"ms": ms, "count": len(items), "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def fill(command):
    session = credstash.get_session()
    dynamodb = session.resource("dynamodb", region_name=REGION)
    kms = session.client("kms", region_name=REGION)
    for index in range(command["start"], command["start"] + command["count"]):
        credstash.putSecret(
            "%s%05d" % (command["prefix"], index),
            command["value"],
            version="1",
            region=REGION,
            table=command["table"],
            kms=kms,
            dynamodb=dynamodb,
        )
    return {"stored": command["count"]}


def seal_open(command):
    key_service = FixedKeyService(bytes(range(64)))
    secret = "s" * command["size"]
    iterations = command["iterations"]
    material = credstash.seal_aes_ctr_legacy(key_service, secret)
    if command["mode"] == "seal":
        start = time.perf_counter()
        for _ in range(iterations):
            credstash.seal_aes_ctr_legacy(key_service, secret)
    else:
        start = time.perf_counter()
        for _ in range(iterations):
            credstash.open_aes_ctr_legacy(key_service, material)
    return {"usPerOp": (time.perf_counter() - start) * 1e6 / iterations}


OPERATIONS = {"getAll": get_all, "get": get_one, "list": list_secrets, "fill": fill, "sealOpen": seal_open}


def main():
    for line in sys.stdin:
        command = json.loads(line)
        try:
            result = OPERATIONS[command["op"]](command)
        except Exception as error:  # reported to the harness, which stops the run
            result = {"error": "%s: %s" % (type(error).__name__, error)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
