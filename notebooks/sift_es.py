"""Small helpers the notebooks share: where Elasticsearch is, and search results as pandas frames."""
import os

import pandas as pd
import requests

ES = os.environ.get("SIFT_ELASTICSEARCH_URL", "http://127.0.0.1:19200").rstrip("/")


def search(index, body, size=10_000):
    """Runs a search and returns the response as a dict; raises on any HTTP error so a notebook fails loudly."""
    response = requests.post(f"{ES}/{index}/_search", params={"size": size}, json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def documents(index, query=None, fields=None):
    """All matching documents' _source, flattened into columns ('sift.id', 'event.start', ...)."""
    body = {"query": query or {"match_all": {}}, "sort": [{"@timestamp": "asc"}]}
    if fields:
        body["_source"] = fields
    hits = search(index, body)["hits"]["hits"]
    return pd.json_normalize([hit["_source"] for hit in hits])


def buckets(response, *path):
    """The buckets of a (nested) aggregation as a list of dicts."""
    node = response["aggregations"]
    for name in path:
        node = node[name]
    return node["buckets"]
