"""The images (deploy/docker): multi-stage, a pinned base, only the part's own packages,
a non-root user and `portal serve <part>` (or `portal dev` for the all-in-one image)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from deploy_kit import DEPLOY, PARTS, ROOT, SERVICES
from packaging.specifiers import SpecifierSet

DOCKER = DEPLOY / "docker"
BASE = re.compile(r"^python:(?P<version>3\.\d+\.\d+)-slim-bookworm$")
Instruction = tuple[str, str]


def instructions(path: Path) -> list[Instruction]:
    """(KEYWORD, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
    text = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in text.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            result.append((keyword.upper(), " ".join(arguments.split())))
    return result


def stages(path: Path) -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for keyword, arguments in instructions(path):
        if keyword == "FROM":
            result.append([])
        if result:
            result[-1].append((keyword, arguments))
    return result


def source(part: str) -> str:
    return "gateway" if part == "gateway" else f"services/{part}"


def dockerfiles() -> list[Path]:
    return sorted(DOCKER.glob("*.Dockerfile"))


def test_one_dockerfile_per_part_and_the_all_in_one() -> None:
    assert sorted(p.name for p in dockerfiles()) == sorted(
        [f"{part}.Dockerfile" for part in PARTS] + ["allinone.Dockerfile"]
    )


@pytest.mark.parametrize("path", dockerfiles(), ids=lambda p: p.stem)
def test_multi_stage_on_a_pinned_base_the_project_supports(path: Path) -> None:
    builds = stages(path)
    assert len(builds) >= 2, "multi-stage: a build stage and a runtime stage"
    required = SpecifierSet(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    )
    for stage in builds:
        image = stage[0][1].split()[0]
        match = BASE.match(image)
        assert match, f"{image}: not a pinned python:X.Y.Z-slim-bookworm"
        assert match["version"] in required
    assert "FROM python:3" in path.read_text()
    runtime = builds[-1]
    assert ("COPY", "--from=build /opt/portal /opt/portal") in runtime
    assert not [a for k, a in runtime if k == "RUN" and "pip install" in a], "pip only in build"


@pytest.mark.parametrize("path", dockerfiles(), ids=lambda p: p.stem)
def test_runs_as_a_numeric_non_root_user(path: Path) -> None:
    runtime = stages(path)[-1]
    users = [a for k, a in runtime if k == "USER"]
    assert users == ["10001:10001"]
    assert any("useradd --system --uid 10001" in a for k, a in runtime if k == "RUN")
    # Nothing runs as root after the switch.
    assert [k for k, _ in runtime][-1] == "CMD"
    after_user = [k for k, _ in runtime[[k for k, _ in runtime].index("USER") :]]
    assert "RUN" not in after_user
    assert ("EXPOSE", "8000") in runtime


@pytest.mark.parametrize("part", PARTS)
def test_part_image_holds_only_its_packages_and_serves_it(part: str) -> None:
    path = DOCKER / f"{part}.Dockerfile"
    build, runtime = stages(path)[0], stages(path)[-1]
    copies = [a for k, a in build if k == "COPY"]
    assert copies == ["services/chassis /src/chassis", f"{source(part)} /src/{part}"]
    assert ("RUN", f"/opt/portal/bin/pip install /src/chassis /src/{part}") in build
    # The part needs no other local package than the chassis.
    project = tomllib.loads((ROOT / source(part) / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=!~ ;\[]", d)[0] for d in project["dependencies"]}
    local = {n for n in names if n.startswith("portal")}
    assert local == {"portal-chassis"}
    assert runtime[-1] == ("CMD", f'["portal", "serve", "{part}", "--port", "8000"]')


def test_service_dockerfiles_differ_only_in_the_name() -> None:
    def normalized(part: str) -> str:
        text = "\n".join(f"{k} {a}" for k, a in instructions(DOCKER / f"{part}.Dockerfile"))
        text = re.sub(r"RUN apt-get update .*fonts-dejavu-core.*\n", "", text)
        text = text.replace(f"COPY {source(part)} ", "COPY <source> ")
        return text.replace(part, "<part>")

    reference = normalized("identity")
    for part in PARTS:
        assert normalized(part) == reference, part
    assert "fonts-dejavu-core" in (DOCKER / "tickets.Dockerfile").read_text()


def test_all_in_one_image_runs_portal_dev() -> None:
    path = DOCKER / "allinone.Dockerfile"
    build, runtime = stages(path)[0], stages(path)[-1]
    installed = next(a for k, a in build if k == "RUN" and "pip install" in a).split()[2:]
    assert installed == ["/src/services/chassis"] + [
        f"/src/{source(part)}" for part in (*SERVICES, "gateway")
    ]
    assert runtime[-1] == (
        "CMD",
        '["portal", "dev", "--host", "0.0.0.0", "--port", "8000", "--data-dir", "/data"]',
    )
    assert ("VOLUME", "/data") in runtime
    assert any(k == "HEALTHCHECK" and "/readyz" in a for k, a in runtime)


def test_build_context_is_only_the_sources() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignore = [line for line in lines if line and not line.startswith("#")]
    assert ignore[:3] == ["*", "!services/", "!gateway/"]
    assert "**/tests/" in ignore
    for path in dockerfiles():
        for keyword, arguments in instructions(path):
            if keyword == "COPY" and not arguments.startswith("--from"):
                assert arguments.split()[0].split("/")[0] in ("services", "gateway"), path
