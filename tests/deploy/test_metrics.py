"""Every metric the alert rules and the Grafana dashboard use is one the code exports.

The exported names come from prometheus_client's registry after importing every module
of the portal's packages; the used ones from the PromQL expressions."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from typing import Any

import pytest
import yaml
from deploy_kit import DEPLOY

PACKAGES = (
    "portal_chassis",
    "portal_identity",
    "portal_tickets",
    "portal_files",
    "portal_faq",
    "portal_notify",
    "portal_gateway",
)
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


def exported_metrics() -> set[str]:
    """Names of every series the portal's code can expose (sample names, with suffixes)."""
    from prometheus_client import REGISTRY

    for package in PACKAGES:
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, f"{package}."):
            if ".testing" not in module.name:
                importlib.import_module(module.name)
    names: set[str] = set()
    for family in REGISTRY.collect():
        names |= {family.name + suffix for suffix in SUFFIXES[family.type]}
    return names


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


@pytest.fixture(scope="module")
def exported() -> set[str]:
    return exported_metrics()


def test_the_code_exports_the_portal_metrics(exported: set[str]) -> None:
    # A guard for the collection itself: the chassis' and the services' own metrics.
    assert {
        "portal_http_requests_total",
        "portal_http_request_duration_seconds_bucket",
        "portal_outbox_lag_seconds",
        "portal_mail_queue",
        "portal_sla_breaches_total",
        "portal_sla_breached_tickets",
        "portal_gateway_circuit_open",
    } <= exported


def test_metric_names_are_found_in_expressions() -> None:
    assert metric_names(
        'sum by (service, le) (rate(portal_x_bucket{route!~"/a|/b\\\\{id\\\\}"}[5m])) > 2.5'
    ) == {"portal_x_bucket"}
    assert metric_names("count by (q) (m_total unless m_total offset 15m) > 0") == {"m_total"}
    assert metric_names("topk(10, histogram_quantile(0.99, x[$__rate_interval]))") == {"x"}
    assert metric_names("a / on (service) group_left (route) b and up == 0") == {"a", "b", "up"}


def test_alert_rules_use_exported_metrics(exported: set[str]) -> None:
    missing = {
        f"{name} (alert {rule['alert']})"
        for rule in alert_rules()
        for name in metric_names(rule["expr"])
        if name not in exported | SYNTHETIC
    }
    assert not missing, f"metrics the code does not export: {sorted(missing)}"


def test_dashboard_uses_exported_metrics(exported: set[str]) -> None:
    missing = {
        name
        for query in dashboard_queries()
        for name in metric_names(query)
        if name not in exported | SYNTHETIC
    }
    assert not missing, f"metrics the code does not export: {sorted(missing)}"
