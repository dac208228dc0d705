"""Prometheus rules, their unit tests and the scrape config pass promtool; the Grafana
dashboard's queries are valid PromQL."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from deploy_kit import DEPLOY, PARTS, SERVICES, run

PROMETHEUS = DEPLOY / "monitoring/prometheus"
DASHBOARD = DEPLOY / "monitoring/grafana/portal-dashboard.json"
# What the dashboard must show (words of its panel titles).
TOPICS = ("Requests", "5xx", "Latency", "published", "consumed", "failures")
TOPICS += ("dead-lettered", "Outbox backlog", "Outbox lag", "SLA", "Mail queue")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def test_alert_rules_pass_promtool(promtool: str) -> None:
    result = run([promtool, "check", "rules", str(PROMETHEUS / "alerts.yml")])
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_unit_tests_pass(promtool: str) -> None:
    result = run([promtool, "test", "rules", "alerts.test.yml"], cwd=PROMETHEUS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_is_tested_firing_and_quiet() -> None:
    alerts = {r["alert"] for g in load(PROMETHEUS / "alerts.yml")["groups"] for r in g["rules"]}
    firing: set[str] = set()
    quiet: set[str] = set()
    for case in load(PROMETHEUS / "alerts.test.yml")["tests"]:
        for check in case.get("alert_rule_test", []):
            (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    assert alerts - firing == set(), "alerts never tested firing"
    assert alerts - quiet == set(), "alerts never tested staying quiet"


def test_every_alert_has_severity_and_text() -> None:
    for group in load(PROMETHEUS / "alerts.yml")["groups"]:
        for rule in group["rules"]:
            assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
            assert {"summary", "description"} <= set(rule["annotations"]), rule["alert"]


def test_scrape_config_passes_promtool(promtool: str) -> None:
    result = run([promtool, "check", "config", str(PROMETHEUS / "prometheus.yml")])
    assert result.returncode == 0, result.stdout + result.stderr


def test_scrape_config_covers_every_part_and_worker() -> None:
    from portal_chassis.settings import PortalSettings

    config = load(PROMETHEUS / "prometheus.yml")
    assert config["rule_files"] == ["alerts.yml"]
    targets = {
        job["job_name"]: sorted(
            target for static in job["static_configs"] for target in static["targets"]
        )
        for job in config["scrape_configs"]
    }
    port = PortalSettings().worker_metrics_port
    assert targets == {
        "portal": sorted(f"{part}:9100" for part in PARTS),
        "portal-workers": sorted(f"{service}-worker:{port}" for service in SERVICES),
    }


def test_dashboard_queries_are_valid_promql(promtool: str, tmp_path: Path) -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    rules = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            # Grafana's variables, as Grafana would fill them in.
            expr = target["expr"].replace("$__rate_interval", "1m").replace("$service", ".+")
            assert "$" not in expr, expr
            rules.append(
                {"record": f"dashboard:panel_{panel['id']}:{target['refId']}", "expr": expr}
            )
    assert len(rules) > 20
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = run([promtool, "check", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_is_well_formed() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    titles = " ".join(p["title"] for p in dashboard["panels"])
    for topic in TOPICS:
        assert topic in titles, topic
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            assert re.search(r"\w", panel.get("description", panel["title"]))
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert variables == {"datasource", "service"}
