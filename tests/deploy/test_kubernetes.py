"""The Kubernetes manifests (deploy/k8s): every overlay renders with `kubectl kustomize`,
passes `kubernetes-validate --strict`, and keeps the deployment policy."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_kit import DEPLOY, PARTS, SERVICES, run

K8S = DEPLOY / "k8s"
# The oldest Kubernetes the manifests are checked against (schemas bundled with
# kubernetes-validate; matchLabelKeys in topology spread needs 1.27 or later).
KUBERNETES_VERSION = "1.32.0"
IMAGE = re.compile(r"^ghcr\.io/customer-portal/(?P<part>[a-z]+):(?P<tag>[0-9][\w.-]*)$")

Doc = dict[str, Any]


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind]


def workloads(docs: list[Doc]) -> Iterator[tuple[Doc, Doc]]:
    """(workload, pod spec) of every Deployment and Job."""
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job"):
            yield doc, doc["spec"]["template"]["spec"]


def containers(docs: list[Doc]) -> Iterator[tuple[Doc, Doc]]:
    for doc, pod in workloads(docs):
        for container in pod.get("initContainers", []) + pod["containers"]:
            yield doc, container


def selects(selector: Doc, labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def name(doc: Doc) -> str:
    return f"{doc['kind']}/{doc['metadata']['name']}"


# --- rendering and schema -------------------------------------------------------------


def test_overlay_passes_strict_schema_validation(
    overlay: str,
    render: Callable[[str], tuple[Path, list[Doc]]],
    kubernetes_validate: str,
) -> None:
    path, _ = render(overlay)
    result = run([kubernetes_validate, "--strict", "--quiet", "-k", KUBERNETES_VERSION, str(path)])
    failures = [line for line in result.stdout.splitlines() if not line.startswith("INFO")]
    assert result.returncode == 0, result.stdout + result.stderr
    # Only CRDs it has no schema for may warn (the monitors, checked below).
    assert all(re.search(r"\b(Service|Pod)Monitor\b", line) for line in failures), failures


def test_no_placeholder_is_left(
    overlay: str, render: Callable[[str], tuple[Path, list[Doc]]]
) -> None:
    path, _ = render(overlay)
    assert not re.search(r"\bPART\b", path.read_text()), "a component's PART was not replaced"


def test_secret_example_is_valid_and_in_no_kustomization(kubernetes_validate: str) -> None:
    example = K8S / "secret.example.yaml"
    result = run([kubernetes_validate, "--strict", "-k", KUBERNETES_VERSION, str(example)])
    assert result.returncode == 0, result.stdout + result.stderr
    for kustomization in K8S.rglob("kustomization.yaml"):
        listed = yaml.safe_load(kustomization.read_text())
        for field in ("resources", "components"):
            assert not [r for r in listed.get(field, []) if "secret" in r], kustomization


def test_overlays_differ_only_in_what_they_set(
    render: Callable[[str], tuple[Path, list[Doc]]],
) -> None:
    renamed = ("ConfigMap", "Namespace")  # the config's hash, the namespace's name
    dev = {name(d) for d in render("dev")[1] if d["kind"] not in renamed}
    prod = {name(d) for d in render("prod")[1] if d["kind"] not in renamed}
    assert prod - dev == {"ServiceMonitor/customer-portal", "PodMonitor/customer-portal-workers"}
    assert dev - prod == set()


# --- what runs ------------------------------------------------------------------------


def test_every_part_has_its_workloads(manifests: list[Doc]) -> None:
    args = {
        d["metadata"]["name"]: pod["containers"][0]["command"] + pod["containers"][0]["args"]
        for d, pod in workloads(manifests)
    }
    for part in PARTS:
        assert args[part] == ["portal", "serve", part, "--port", "8000"]
    for service in SERVICES:
        assert args[f"{service}-migrate"] == ["portal", "migrate", service]
        assert args[f"{service}-beat"] == ["portal", "worker", service, "--beat"]
    for service in ("tickets", "files", "notify"):
        assert args[f"{service}-worker"] == ["portal", "worker", service]
    assert len(args) == len(PARTS) + 3 * len(SERVICES) - 2  # 3 kinds, 3 scalable workers


def test_images_are_the_parts_own_and_pinned(manifests: list[Doc]) -> None:
    for doc, container in containers(manifests):
        match = IMAGE.match(container["image"])
        assert match, f"{name(doc)}: {container['image']} is not a pinned portal image"
        assert match["tag"] != "latest"
        assert match["part"] == doc["metadata"]["labels"]["app.kubernetes.io/name"], name(doc)


def test_long_running_containers_have_probes(manifests: list[Doc]) -> None:
    for doc, container in containers(manifests):
        if doc["kind"] == "Job":
            continue  # a migration runs to completion
        assert "livenessProbe" in container, name(doc)
        assert "readinessProbe" in container, name(doc)
    for server in of_kind(manifests, "Deployment"):
        if server["metadata"]["labels"]["app.kubernetes.io/component"] != "server":
            continue
        app = server["spec"]["template"]["spec"]["containers"][0]
        assert app["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert app["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert app["ports"] == [
            {"name": "http", "containerPort": 8000},
            {"name": "metrics", "containerPort": 9100},
        ]
        # The metrics port is where the server serves them: not on the public http port.
        assert {"name": "PORTAL_METRICS_PORT", "value": "9100"} in app["env"]


def test_every_container_has_requests_and_limits(manifests: list[Doc]) -> None:
    for doc, container in containers(manifests):
        resources = container.get("resources", {})
        for kind in ("requests", "limits"):
            assert set(resources.get(kind, {})) >= {"cpu", "memory"}, f"{name(doc)} {kind}"


def test_pods_and_containers_are_locked_down(manifests: list[Doc]) -> None:
    for doc, pod in workloads(manifests):
        context = pod["securityContext"]
        assert context["runAsNonRoot"] is True, name(doc)
        assert context["runAsUser"] != 0, name(doc)
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}, name(doc)
        assert pod["automountServiceAccountToken"] is False, name(doc)
        tmp = [v for v in pod["volumes"] if v["name"] == "tmp"]
        assert tmp and "emptyDir" in tmp[0], f"{name(doc)}: no emptyDir for /tmp"
    for doc, container in containers(manifests):
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True, name(doc)
        assert context["runAsUser"] != 0, name(doc)
        assert context["readOnlyRootFilesystem"] is True, name(doc)
        assert context["allowPrivilegeEscalation"] is False, name(doc)
        assert "ALL" in context["capabilities"]["drop"], name(doc)
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], name(doc)
    for account in of_kind(manifests, "ServiceAccount"):
        assert account["automountServiceAccountToken"] is False, name(account)


def test_every_deployment_has_an_autoscaler_and_a_disruption_budget(
    manifests: list[Doc],
) -> None:
    scaled = {
        h["spec"]["scaleTargetRef"]["name"] for h in of_kind(manifests, "HorizontalPodAutoscaler")
    }
    budgets = [p["spec"]["selector"] for p in of_kind(manifests, "PodDisruptionBudget")]
    for deployment in of_kind(manifests, "Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(selects(b, labels) for b in budgets), f"{name(deployment)}: no PDB"
        if labels["app.kubernetes.io/component"] == "scheduler":
            # Celery beat must run once: a singleton, never autoscaled.
            assert deployment["spec"]["replicas"] == 1, name(deployment)
            assert deployment["spec"]["strategy"] == {"type": "Recreate"}, name(deployment)
            assert deployment["metadata"]["name"] not in scaled, name(deployment)
        else:
            assert deployment["metadata"]["name"] in scaled, f"{name(deployment)}: no HPA"
            # The HPA owns the replica count.
            assert "replicas" not in deployment["spec"], name(deployment)
    for hpa in of_kind(manifests, "HorizontalPodAutoscaler"):
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"], name(hpa)


def test_autoscaling_bounds_per_overlay(overlay: str, manifests: list[Doc]) -> None:
    floors = {
        h["metadata"]["name"]: h["spec"]["minReplicas"]
        for h in of_kind(manifests, "HorizontalPodAutoscaler")
    }
    if overlay == "prod":
        assert all(floor >= 2 for floor in floors.values()), floors
    else:
        assert set(floors.values()) == {1}, floors


def test_services_route_to_their_servers(manifests: list[Doc]) -> None:
    servers = {
        d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"]
        for d in of_kind(manifests, "Deployment")
        if d["metadata"]["labels"]["app.kubernetes.io/component"] == "server"
    }
    services = {s["metadata"]["name"]: s for s in of_kind(manifests, "Service")}
    # The one Service that is not a server's: SMTP to the tickets workers (mail intake).
    intake = services.pop("tickets-mail")
    assert set(services) == set(servers) == set(PARTS)
    (worker,) = [
        d for d in of_kind(manifests, "Deployment") if name(d) == "Deployment/tickets-worker"
    ]
    assert selects(
        {"matchLabels": intake["spec"]["selector"]},
        worker["spec"]["template"]["metadata"]["labels"],
    )
    assert intake["spec"]["ports"] == [
        {"name": "smtp", "port": 2525, "targetPort": "smtp", "protocol": "TCP"}
    ]
    for part, service in services.items():
        assert selects({"matchLabels": service["spec"]["selector"]}, servers[part])
        assert service["spec"]["ports"] == [
            {"name": "http", "port": 8000, "targetPort": "http", "protocol": "TCP"},
            {"name": "metrics", "port": 9100, "targetPort": "metrics", "protocol": "TCP"},
        ]
    (ingress,) = of_kind(manifests, "Ingress")
    backends = [
        p["backend"]["service"] for r in ingress["spec"]["rules"] for p in r["http"]["paths"]
    ]
    assert backends == [{"name": "gateway", "port": {"name": "http"}}]


# --- configuration ------------------------------------------------------------------------


def test_settings_come_from_the_config_map_and_each_parts_secret(
    manifests: list[Doc], env_names: dict[str, set[str]]
) -> None:
    (config,) = of_kind(manifests, "ConfigMap")
    everything = set().union(*env_names.values())
    assert set(config["data"]) <= everything, set(config["data"]) - everything
    assert not [k for k in config["data"] if re.search("PASSWORD|SECRET|_KEY$", k)]
    secrets = {
        s["metadata"]["name"]: s
        for s in yaml.safe_load_all((K8S / "secret.example.yaml").read_text())
    }
    assert set(secrets) == set(PARTS)
    for doc, container in containers(manifests):
        part = doc["metadata"]["labels"]["app.kubernetes.io/name"]
        assert container["envFrom"] == [
            {"configMapRef": {"name": config["metadata"]["name"]}},
            {"secretRef": {"name": part}},
        ], name(doc)
        names = {e["name"] for e in container.get("env", [])}
        assert names <= env_names[part], f"{name(doc)}: {names - env_names[part]}"
    for part, secret in secrets.items():
        keys = set(secret["stringData"])
        assert keys <= env_names[part], f"secret {part}: {keys - env_names[part]} not read"
        if part != "gateway":
            assert {f"{part.upper()}_DATABASE_URL", "PORTAL_AMQP_URL"} <= keys, part
    assert "PORTAL_S3_SECRET_KEY" in secrets["files"]["stringData"]
    assert "PORTAL_SMTP_URL" in secrets["notify"]["stringData"]


# --- network ------------------------------------------------------------------------------


def test_network_is_denied_by_default(manifests: list[Doc]) -> None:
    policies = {p["metadata"]["name"]: p["spec"] for p in of_kind(manifests, "NetworkPolicy")}
    deny = policies["default-deny-all"]
    assert deny["podSelector"] == {}
    assert sorted(deny["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in deny and "egress" not in deny
    dns = policies["allow-dns"]["egress"][0]["ports"]
    assert {"protocol": "UDP", "port": 53} in dns
    # The gateway alone is reachable from the ingress controller.
    (rule,) = policies["gateway-from-ingress"]["ingress"]
    assert policies["gateway-from-ingress"]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "gateway",
        "app.kubernetes.io/component": "server",
    }
    assert rule["ports"] == [{"protocol": "TCP", "port": 8000}]


def test_service_monitor_scrapes_every_server(overlay: str, manifests: list[Doc]) -> None:
    monitors = of_kind(manifests, "ServiceMonitor")
    if overlay == "dev":
        assert monitors == []
        return
    (monitor,) = monitors
    scraped = [
        s["metadata"]["name"]
        for s in of_kind(manifests, "Service")
        if selects(monitor["spec"]["selector"], s["metadata"]["labels"])
    ]
    assert sorted(scraped) == sorted(PARTS)
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["port"] == "metrics" and endpoint["path"] == "/metrics"
    assert endpoint["honorLabels"] is True
    # Through the default-deny policy Prometheus reaches the servers' metrics port only.
    policies = of_kind(manifests, "NetworkPolicy")
    (allowed,) = [p for p in policies if p["metadata"]["name"] == "metrics-from-prometheus"]
    assert allowed["spec"]["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 9100}]
    for server in of_kind(manifests, "Deployment"):
        labels = server["spec"]["template"]["metadata"]["labels"]
        assert _matches(allowed["spec"]["podSelector"], labels), name(server)


def test_pod_monitor_scrapes_every_worker_on_its_metrics_port(
    overlay: str, manifests: list[Doc]
) -> None:
    from portal_chassis.settings import PortalSettings

    port = PortalSettings().worker_metrics_port
    workers = [
        d
        for d in of_kind(manifests, "Deployment")
        if d["metadata"]["labels"]["app.kubernetes.io/component"] in ("worker", "scheduler")
    ]
    assert len(workers) == len(SERVICES) + 3
    for worker in workers:
        (app,) = worker["spec"]["template"]["spec"]["containers"]
        ports = [
            p
            for p in app["ports"]
            if p["name"] != "smtp" or name(worker) == "Deployment/tickets-worker"
        ]
        assert ports == app["ports"], f"{name(worker)}: only the tickets workers take mail"
        assert {"name": "metrics", "containerPort": port} in app["ports"], name(worker)
    # Prometheus may reach that port through the default-deny policy.
    (allowed,) = [
        p
        for p in of_kind(manifests, "NetworkPolicy")
        if {"protocol": "TCP", "port": port} in p["spec"].get("ingress", [{}])[0].get("ports", [])
    ]
    for worker in workers:
        labels = worker["spec"]["template"]["metadata"]["labels"]
        assert _matches(allowed["spec"]["podSelector"], labels), name(worker)
    monitors = of_kind(manifests, "PodMonitor")
    if overlay == "dev":
        assert monitors == []
        return
    (monitor,) = monitors
    for worker in workers:
        labels = worker["spec"]["template"]["metadata"]["labels"]
        assert _matches(monitor["spec"]["selector"], labels), name(worker)
    servers = [d for d in of_kind(manifests, "Deployment") if d not in workers]
    for server in servers:
        labels = server["spec"]["template"]["metadata"]["labels"]
        assert not _matches(monitor["spec"]["selector"], labels), name(server)
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    assert endpoint["port"] == "metrics" and endpoint["path"] == "/metrics"
    assert endpoint["honorLabels"] is True


def _matches(selector: Doc, labels: dict[str, str]) -> bool:
    """A label selector with matchLabels and `In` expressions."""
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", expression
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return selects(selector, labels)


@pytest.mark.parametrize("part", PARTS)
def test_each_part_directory_only_names_the_part(part: str) -> None:
    """Everything else comes from the components: no copied manifests."""
    folder = K8S / "base" / part
    assert sorted(p.name for p in folder.iterdir()) == [
        "kustomization.yaml",
        "serviceaccount.yaml",
    ]
    (account,) = yaml.safe_load_all((folder / "serviceaccount.yaml").read_text())
    assert account["metadata"]["name"] == part


# --- the e-mail channel -------------------------------------------------------------------


def _env(deployment: Doc) -> dict[str, str]:
    (app,) = deployment["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e["value"] for e in app.get("env", [])}


def test_mail_intake_runs_in_the_scalable_tickets_workers_only(manifests: list[Doc]) -> None:
    from urllib.parse import urlsplit

    deployments = {d["metadata"]["name"]: d for d in of_kind(manifests, "Deployment")}
    worker = deployments["tickets-worker"]
    (app,) = worker["spec"]["template"]["spec"]["containers"]
    listen = urlsplit(_env(worker)["PORTAL_INBOUND_SMTP_URL"])
    assert listen.scheme == "smtp" and listen.hostname == "0.0.0.0"
    assert {"name": "smtp", "containerPort": listen.port} in app["ports"]
    # The scheduler is one replica, replaced on every rollout: it takes no mail, whatever
    # the Secret holds.
    beat = _env(deployments["tickets-beat"])
    assert beat["PORTAL_INBOUND_SMTP_URL"] == beat["PORTAL_INBOUND_IMAP_URL"] == ""
    for other, deployment in deployments.items():
        if other not in ("tickets-worker", "tickets-beat"):
            assert not {k for k in _env(deployment) if k.startswith("PORTAL_INBOUND_")}, other
    (config,) = of_kind(manifests, "ConfigMap")
    domain = config["data"]["PORTAL_SUPPORT_ADDRESS"].rpartition("@")[2]
    assert domain in config["data"]["PORTAL_INBOUND_DOMAINS"].split(",")
    assert config["data"]["FILES_URL"] == "http://files:8000"


def test_network_lets_mail_in_and_attachments_through(manifests: list[Doc]) -> None:
    worker = {"app.kubernetes.io/name": "tickets", "app.kubernetes.io/component": "worker"}
    files = {"app.kubernetes.io/name": "files", "app.kubernetes.io/component": "server"}
    policies = [p["spec"] for p in of_kind(manifests, "NetworkPolicy")]

    def allowed(
        direction: str, labels: dict[str, str], port: int, peer: dict[str, str] | None
    ) -> bool:
        for policy in policies:
            if not _matches(policy["podSelector"], labels):
                continue
            for rule in policy.get(direction, []):
                ports = [p["port"] for p in rule.get("ports", [])]
                peers = rule.get("from" if direction == "ingress" else "to")
                if port in ports and (
                    peers is None
                    or (
                        peer is not None
                        and any(
                            "namespaceSelector" not in p and _matches(p["podSelector"], peer)
                            for p in peers
                        )
                    )
                ):
                    return True
        return False

    assert allowed("ingress", worker, 2525, None)  # from the MTA, wherever it is
    assert allowed("egress", worker, 8000, files) and allowed("ingress", files, 8000, worker)
    assert allowed("egress", worker, 143, None) and allowed("egress", worker, 993, None)
    # No other pod takes SMTP.
    for deployment in of_kind(manifests, "Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if labels != worker | {"app.kubernetes.io/part-of": "customer-portal"}:
            assert not allowed("ingress", labels, 2525, None), name(deployment)


def test_notify_and_tickets_share_the_reply_address_keys() -> None:
    secrets = {
        s["metadata"]["name"]: s["stringData"]
        for s in yaml.safe_load_all((K8S / "secret.example.yaml").read_text())
    }
    assert "PORTAL_MAIL_SIGNING_KEYS" in secrets["tickets"]
    assert "PORTAL_MAIL_SIGNING_KEYS" in secrets["notify"]
