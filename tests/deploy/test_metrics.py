"""Every metric the alert rules and the Grafana dashboard use is one the code exports.

The exported names come from prometheus_client's registry after importing every module
of the portal's packages; the used ones from the PromQL expressions."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from monitoring_kit import SYNTHETIC, alert_rules, dashboard_queries, metric_names, series_names

PACKAGES = (
    "portal_chassis",
    "portal_identity",
    "portal_tickets",
    "portal_files",
    "portal_faq",
    "portal_notify",
    "portal_gateway",
)


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
        names |= series_names(family.name, family.type)
    return names


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
        "portal_sla_resolution_breaches_total",
        "portal_sla_resolution_breached_tickets",
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
