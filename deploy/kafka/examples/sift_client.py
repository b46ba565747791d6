#!/usr/bin/env python3
"""A Sift client without Java: Debian's python3-avro and python3-confluent-kafka only.

Writes telemetry to Sift's input topics and reads the incident topic back, in Avro single-object encoding, as
deploy/kafka/README.md describes it:

    C3 01 | fingerprint (8 bytes, little-endian) | Avro binary body

The fingerprint is the CRC-64-AVRO (Rabin) fingerprint of the writer schema's Parsing Canonical Form. python3-avro
1.11 computes a wrong canonical form for logical types (it writes {"type":"long"} where the specification, and Sift,
have "long"), so this client computes the canonical form itself (parsing_canonical_form below).

    python3 sift_client.py fingerprints [--schemas DIR]
    python3 sift_client.py produce --bootstrap HOST:PORT --prefix PREFIX [--start ISO-TIME] [--schemas DIR]
    python3 sift_client.py consume --bootstrap HOST:PORT --topic TOPIC [--schemas DIR] [--released DIR]

'produce' writes a small estate (topology, then one latency series per service, with a fault on one of them) to
PREFIX.topology and PREFIX.metrics; 'consume' prints the latest version of every incident on TOPIC as JSON lines.
"""
import argparse
import datetime
import io
import json
import math
import os
import sys

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer, TopicPartition

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "..", "..", "..", "schemas", "src", "main", "avro")
RELEASED = os.path.join(HERE, "..", "..", "..", "schemas", "released")

# The order in which the .avsc files resolve each other's named types (`sift schemas` prints it): a file uses
# named types that earlier files define (MetricPoint uses Resource; Incident uses Direction, defined in Anomaly).
RESOLUTION_ORDER = ["Resource", "Anomaly", "MetricPoint", "LogRecord", "ChangeEvent", "TopologyUpdate", "Incident",
                    "DeadLetter", "SloStatus", "ServiceHealth", "Problem", "ItsmUpdate", "Alert"]

MAGIC = b"\xc3\x01"

# --- Parsing Canonical Form and CRC-64-AVRO, per the Avro specification -----------------------------------------

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAMED = ("record", "error", "enum", "fixed")


def _full_name(name, namespace):
    return name if "." in name or not namespace else namespace + "." + name


def parsing_canonical_form(schema, definitions, namespace=None, seen=None):
    """The Parsing Canonical Form of a schema given as parsed JSON.

    `definitions` maps full names to the JSON of named types defined in other files (a reference to one is written
    out in full at its first use, as in the schema the Java writer fingerprints); `seen` holds the named types already
    written in this form (later uses are by full name). Only name, type, fields, symbols, items, values and size are
    kept; a logical type is its underlying type alone ("long").
    """
    seen = set() if seen is None else seen
    if isinstance(schema, str):
        if schema in PRIMITIVES:
            return json.dumps(schema)
        full = _full_name(schema, namespace)
        if full not in seen and full in definitions:
            definition, def_namespace = definitions[full]
            return parsing_canonical_form(definition, definitions, def_namespace, seen)
        return json.dumps(full)
    if isinstance(schema, list):
        return "[" + ",".join(parsing_canonical_form(s, definitions, namespace, seen) for s in schema) + "]"
    kind = schema["type"]
    if kind in NAMED:
        full = _full_name(schema["name"], schema.get("namespace", namespace))
        if full in seen:
            return json.dumps(full)
        seen.add(full)
        inner = full.rsplit(".", 1)[0] if "." in full else None
        parts = ['"name":' + json.dumps(full), '"type":' + json.dumps("record" if kind == "error" else kind)]
        if kind != "enum" and kind != "fixed":
            fields = ['{"name":' + json.dumps(f["name"]) + ',"type":'
                      + parsing_canonical_form(f["type"], definitions, inner, seen) + "}" for f in schema["fields"]]
            parts.append('"fields":[' + ",".join(fields) + "]")
        elif kind == "enum":
            parts.append('"symbols":[' + ",".join(json.dumps(x) for x in schema["symbols"]) + "]")
        else:
            parts.append('"size":' + str(int(schema["size"])))
        return "{" + ",".join(parts) + "}"
    if kind == "array":
        return '{"type":"array","items":' + parsing_canonical_form(schema["items"], definitions, namespace, seen) + "}"
    if kind == "map":
        return '{"type":"map","values":' + parsing_canonical_form(schema["values"], definitions, namespace, seen) + "}"
    # A primitive with attributes, e.g. {"type": "long", "logicalType": "timestamp-millis"}: the type alone.
    return parsing_canonical_form(kind, definitions, namespace, seen)


def collect_definitions(schema, definitions, namespace=None):
    """Adds the named types defined in a schema (parsed JSON) to `definitions`: full name -> (JSON, its namespace)."""
    if isinstance(schema, list):
        for s in schema:
            collect_definitions(s, definitions, namespace)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in NAMED:
            full = _full_name(schema["name"], schema.get("namespace", namespace))
            inner = full.rsplit(".", 1)[0] if "." in full else None
            definitions.setdefault(full, (schema, namespace))
            for f in schema.get("fields", []):
                collect_definitions(f["type"], definitions, inner)
        elif kind == "array":
            collect_definitions(schema["items"], definitions, namespace)
        elif kind == "map":
            collect_definitions(schema["values"], definitions, namespace)
        elif isinstance(kind, (dict, list)):
            collect_definitions(kind, definitions, namespace)


EMPTY = 0xC15D213AA4D7A795


def _table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        table.append(fp)
    return table


TABLE = _table()


def crc64_avro(data):
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp


def fingerprint(canonical):
    """The 8 bytes written after C3 01: the CRC-64-AVRO of the canonical form, little-endian."""
    return crc64_avro(canonical.encode("utf-8")).to_bytes(8, "little")


# --- Loading the schemas ------------------------------------------------------------------------------------------


class SchemaSet:
    """Every .avsc of one folder, parsed in resolution order, with canonical forms and fingerprints."""

    def __init__(self, folder):
        names = avro.schema.Names()
        definitions = {}
        self.schemas = {}
        self.canonical = {}
        self.fingerprints = {}
        for name in RESOLUTION_ORDER:
            path = os.path.join(folder, name + ".avsc")
            if not os.path.exists(path):
                continue  # a schema added after this release
            with open(path, encoding="utf-8") as f:
                parsed = json.load(f)
            self.schemas[name] = avro.schema.make_avsc_object(parsed, names)
            self.canonical[name] = parsing_canonical_form(parsed, definitions)
            self.fingerprints[name] = fingerprint(self.canonical[name])
            collect_definitions(parsed, definitions)

    def find(self, fp):
        """The record name whose schema has fingerprint `fp`, or None."""
        for name, known in self.fingerprints.items():
            if known == fp:
                return name
        return None


def released_sets(released_folder):
    """The schema sets of every released version (schemas/released/<version>), oldest first."""
    versions_file = os.path.join(released_folder, "versions.txt")
    sets = []
    if os.path.exists(versions_file):
        with open(versions_file, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    sets.append((line, SchemaSet(os.path.join(released_folder, line))))
    return sets


# --- Single-object encoding -----------------------------------------------------------------------------------------


def encode(schema_set, name, record):
    """C3 01, the 8-byte fingerprint, the Avro binary body."""
    out = io.BytesIO()
    avro.io.DatumWriter(schema_set.schemas[name]).write(record, avro.io.BinaryEncoder(out))
    return MAGIC + schema_set.fingerprints[name] + out.getvalue()


def decode(readers, name, value):
    """Decodes a single-object encoded `name` record written with any known version of its schema."""
    if value is None or value[:2] != MAGIC:
        raise ValueError("not Avro single-object encoding")
    fp = value[2:10]
    current = readers[0][1]
    for _, schema_set in readers:
        if schema_set.fingerprints.get(name) == fp:
            reader = avro.io.DatumReader(schema_set.schemas[name], current.schemas[name])
            return reader.read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))
    raise ValueError("unknown schema fingerprint " + fp.hex().upper())


# --- Keys (deploy/kafka/README.md) ----------------------------------------------------------------------------------


def _escape(item_id):
    return item_id.replace("%", "%25").replace("/", "%2F")


def topology_key(update):
    """One key per item and per edge, so compaction keeps every live fact."""
    if update["item"] is not None:
        return "item/" + _escape(update["item"]["id"])
    edge = update["edge"]
    return "edge/" + _escape(edge["from"]) + "/" + edge["type"] + "/" + _escape(edge["to"])


# --- Commands -------------------------------------------------------------------------------------------------------


def cmd_fingerprints(args):
    current = SchemaSet(args.schemas)
    rows = [("current", current)] + released_sets(args.released)
    for version, schema_set in rows:
        for name in RESOLUTION_ORDER:
            if name in schema_set.fingerprints:
                print(json.dumps({"name": name, "version": version,
                                  "fingerprint": schema_set.fingerprints[name].hex().upper(),
                                  "canonicalForm": schema_set.canonical[name]}))


def item(item_id, kind):
    return {"id": item_id, "type": kind, "name": None, "criticality": "HIGH", "environment": None, "attributes": {}}


def cmd_produce(args):
    schemas = SchemaSet(args.schemas)
    start = datetime.datetime.fromisoformat(args.start.replace("Z", "+00:00"))
    producer = Producer({"bootstrap.servers": args.bootstrap, "linger.ms": 20, "enable.idempotence": False,
                         "max.in.flight.requests.per.connection": 1, "acks": "all"})
    errors = []

    def delivered(err, _msg):
        if err is not None:
            errors.append(str(err))

    # The topology: items, then edges ('from' depends on 'to'; faults travel from 'to' to 'from').
    items = [item("frontend", "SERVICE"), item("checkout", "SERVICE"), item("orders", "SERVICE"),
             item("orders-db", "DATABASE")]
    edges = [("frontend", "CALLS", "checkout"), ("checkout", "CALLS", "orders"), ("orders", "DEPENDS_ON", "orders-db")]
    updates = [{"time": start, "operation": "UPSERT", "item": i, "edge": None} for i in items]
    updates += [{"time": start, "operation": "UPSERT", "item": None, "edge": {"from": f, "to": t, "type": k}}
                for f, k, t in edges]
    for u in updates:
        producer.produce(args.prefix + "topology", key=topology_key(u).encode("utf-8"),
                         value=encode(schemas, "TopologyUpdate", u), on_delivery=delivered)

    # Metrics every 10 s for 90 minutes: latencies in seconds (HTTP) and milliseconds (database), a request counter
    # (cumulative, COUNTER); from minute 60 for 10 minutes the database slows down fivefold and orders threefold.
    series = [("frontend", "http.server.request.duration.p95", "s", "HISTOGRAM_SUMMARY", 0.120),
              ("checkout", "http.server.request.duration.p95", "s", "HISTOGRAM_SUMMARY", 0.080),
              ("orders", "http.server.request.duration.p95", "s", "HISTOGRAM_SUMMARY", 0.050),
              ("orders-db", "db.client.operation.duration.p95", "ms", "HISTOGRAM_SUMMARY", 12.0)]
    total = 1_000_000.0
    for step in range(540):
        at = start + datetime.timedelta(seconds=10 * step)
        minute = step / 6.0
        daily = 1.0 + 0.05 * math.sin(step / 40.0)
        for service, name, unit, kind, level in series:
            factor = 1.0
            if 60 <= minute < 70 and service == "orders-db":
                factor = 5.0
            if 60.5 <= minute < 70 and service == "orders":
                factor = 3.0
            noise = 1.0 + 0.01 * math.sin(step * 1.7 + len(service))
            point = {"time": at, "name": name, "value": level * daily * noise * factor, "unit": unit, "kind": kind,
                     "resource": {"service": service, "host": None, "instance": None, "environment": None},
                     "labels": {}}
            producer.produce(args.prefix + "metrics", key=service.encode("utf-8"),
                             value=encode(schemas, "MetricPoint", point), on_delivery=delivered)
        total += 100 * daily
        counter = {"time": at, "name": "http.server.request.count", "value": total, "unit": "{request}",
                   "kind": "COUNTER", "labels": {},
                   "resource": {"service": "frontend", "host": None, "instance": None, "environment": None}}
        producer.produce(args.prefix + "metrics", key=b"frontend", value=encode(schemas, "MetricPoint", counter),
                         on_delivery=delivered)
        producer.poll(0)
    left = producer.flush(60)
    if errors or left:
        sys.exit("produce failed: %d undelivered, errors: %s" % (left, errors[:5]))
    print(json.dumps({"produced": len(updates) + 540 * (len(series) + 1)}))


def cmd_consume(args):
    readers = [("current", SchemaSet(args.schemas))] + list(reversed(released_sets(args.released)))
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "sift-python-" + os.urandom(4).hex(),
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([args.topic])
    latest = {}
    idle = 0.0
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=args.timeout)
    while datetime.datetime.now() < deadline and (idle < args.idle or not latest):
        message = consumer.poll(1.0)
        if message is None:
            idle += 1.0
            continue
        if message.error():
            sys.exit("consume failed: %s" % message.error())
        idle = 0.0
        incident = decode(readers, "Incident", message.value())
        key = message.key().decode("utf-8")
        if key != incident["id"]:
            sys.exit("key %s is not the incident id %s" % (key, incident["id"]))
        known = latest.get(incident["id"])
        if known is None or incident["version"] > known["version"]:
            latest[incident["id"]] = {"id": incident["id"], "version": incident["version"],
                                      "status": incident["status"], "services": incident["services"],
                                      "anomalyCount": incident["anomalyCount"],
                                      "openedAt": incident["openedAt"].isoformat(),
                                      "kafkaTimestampMillis": message.timestamp()[1]}
    consumer.close()
    for incident in sorted(latest.values(), key=lambda i: i["id"]):
        print(json.dumps(incident))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("fingerprints", "produce", "consume"):
        p = sub.add_parser(name)
        p.add_argument("--schemas", default=SCHEMAS, help="folder of the current .avsc files")
        p.add_argument("--released", default=RELEASED, help="folder of the released versions")
        if name != "fingerprints":
            p.add_argument("--bootstrap", required=True)
        if name == "produce":
            p.add_argument("--prefix", required=True, help="topic prefix, e.g. 'sift.' for sift.metrics")
            p.add_argument("--start", default="2026-11-02T09:00:00Z", help="event time of the first sample")
        if name == "consume":
            p.add_argument("--topic", required=True)
            p.add_argument("--timeout", type=float, default=60)
            p.add_argument("--idle", type=float, default=5, help="stop after this many seconds without records")
    args = parser.parse_args()
    {"fingerprints": cmd_fingerprints, "produce": cmd_produce, "consume": cmd_consume}[args.command](args)


if __name__ == "__main__":
    main()
