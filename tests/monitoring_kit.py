"""What the monitoring checks share: the metric names the alert rules and the Grafana
dashboard use, and the series names a registry or a scrape exposes."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from deploy_kit import DEPLOY

# Series Prometheus makes itself.
SYNTHETIC = {"up"}
SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "info": ("_info",),
    "stateset": ("",),
    "enum": ("",),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
    "unknown": ("",),
}
KEYWORDS = {"and", "or", "unless", "offset", "bool", "inf", "nan"}
GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
IDENTIFIER = re.compile(r"(?<![\w.$])[a-zA-Z_:][\w:]*")


def series_names(name: str, kind: str) -> set[str]:
    """The sample names of a metric family (`portal_x` counter → `portal_x_total`, …)."""
    return {name + suffix for suffix in SUFFIXES[kind]}


def used_metrics() -> dict[str, str]:
    """Every metric a rule or panel uses → where (the first place found)."""
    used: dict[str, str] = {}
    for rule in alert_rules():
        for name in metric_names(rule["expr"]):
            used.setdefault(name, f"alert {rule['alert']}")
    for query in dashboard_queries():
        for name in metric_names(query):
            used.setdefault(name, "dashboard")
    return used


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # range and subquery windows
    expr = GROUPING.sub("", expr)  # label lists of by(), on(), …
    names = set()
    for match in IDENTIFIER.finditer(expr):
        if expr[match.end() :].lstrip().startswith("("):
            continue  # a function or an aggregation
        if match.group().lower() not in KEYWORDS:
            names.add(match.group())
    return names


def alert_rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((DEPLOY / "monitoring/prometheus/alerts.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_queries() -> list[str]:
    document = json.loads((DEPLOY / "monitoring/grafana/portal-dashboard.json").read_text())
    queries = [t["expr"] for p in document["panels"] for t in p.get("targets", [])]
    for variable in document["templating"]["list"]:
        query = variable.get("query")
        if isinstance(query, dict):
            # label_values(metric, label): the metric only.
            match = re.match(r"label_values\(\s*([a-zA-Z_:][\w:]*)", query["query"])
            assert match, query
            queries.append(match.group(1))
    return queries
