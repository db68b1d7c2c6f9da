"""The deployment files hold together: the compose files, the Caddyfile, the Dockerfile, and the
docs that explain them (docs/deployment.md and the README)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = "docker-compose.yml"
SINGLE = "docker-compose.sqlite.yml"
COMPOSE_FILES = [PRODUCTION, SINGLE]


def load_compose(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), name
    return loaded


def service(compose: dict[str, Any], name: str) -> dict[str, Any]:
    services = compose.get("services") or {}
    assert name in services, f"no service {name!r}"
    return services[name] or {}


def environment(svc: dict[str, Any]) -> dict[str, str]:
    """A service's variables, from either the mapping or the list form."""
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def mounts(svc: dict[str, Any]) -> dict[str, str]:
    """Target path in the container -> source (a volume name or a host path)."""
    found = {}
    for entry in svc.get("volumes") or []:
        if isinstance(entry, dict):
            found[entry["target"]] = entry.get("source", "")
        else:
            source, _, rest = entry.partition(":")
            found[rest.split(":")[0]] = source
    return found


def published_ports(svc: dict[str, Any]) -> set[str]:
    """Host ports a service publishes, with their protocol: {"443/tcp", ...}."""
    found = set()
    for entry in svc.get("ports") or []:
        if isinstance(entry, dict):
            found.add(f"{entry.get('published')}/{entry.get('protocol', 'tcp')}")
            continue
        spec, _, protocol = str(entry).partition("/")
        parts = spec.split(":")
        host = parts[-2] if len(parts) > 1 else "(random)"
        found.add(f"{host}/{protocol or 'tcp'}")
    return found


def outreach_variables(compose: dict[str, Any], *, app: bool) -> set[str]:
    """OUTREACH_* variables set on the app service (app=True) or on the other services."""
    names = set()
    for name, svc in (compose.get("services") or {}).items():
        if (name == "outreach") == app:
            names |= {key for key in environment(svc or {}) if key.startswith("OUTREACH_")}
    return names


@pytest.fixture
def production() -> dict[str, Any]:
    return load_compose(PRODUCTION)


@pytest.fixture
def single() -> dict[str, Any]:
    return load_compose(SINGLE)


@pytest.fixture
def deployment_doc() -> str:
    return (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")


@pytest.fixture
def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_production_has_app_database_and_proxy(production: dict[str, Any]) -> None:
    assert {"outreach", "postgres", "proxy"} <= set(production["services"])


def test_production_postgres_is_15_on_a_declared_volume(production: dict[str, Any]) -> None:
    postgres = service(production, "postgres")
    assert re.fullmatch(r"postgres:15([.-].*)?", postgres["image"]), postgres["image"]
    source = mounts(postgres).get("/var/lib/postgresql/data")
    assert source, "PostgreSQL's data is not on a volume"
    assert source in (production.get("volumes") or {}), f"volume {source!r} not declared"


def test_production_postgres_healthcheck_asks_pg_isready(production: dict[str, Any]) -> None:
    check = service(production, "postgres").get("healthcheck") or {}
    test = check.get("test")
    command = " ".join(test) if isinstance(test, list) else str(test)
    assert "pg_isready" in command


def test_production_app_starts_after_postgres_is_healthy(production: dict[str, Any]) -> None:
    depends = service(production, "outreach").get("depends_on")
    assert isinstance(depends, dict), "depends_on needs the long form to carry a condition"
    assert depends["postgres"]["condition"] == "service_healthy"


def test_production_app_uses_the_postgres_service(production: dict[str, Any]) -> None:
    raw = environment(service(production, "outreach"))["OUTREACH_DATABASE_URL"]
    # as compose would: ${POSTGRES_PASSWORD:?...} holds a "?" that would end the host part
    url = urlsplit(re.sub(r"\$\{[^}]*\}", "secret", raw))
    database = environment(service(production, "postgres"))
    assert url.scheme == "postgresql"
    assert url.hostname == "postgres"
    assert url.username == database["POSTGRES_USER"]
    assert url.path == f"/{database['POSTGRES_DB']}"


def test_production_refuses_to_start_without_a_password() -> None:
    text = (ROOT / PRODUCTION).read_text(encoding="utf-8")
    uses = re.findall(r"\$\{POSTGRES_PASSWORD([^}]*)\}", text)
    assert uses, "POSTGRES_PASSWORD is not used"
    assert all(use.startswith(":?") for use in uses), uses


def test_production_app_port_is_reachable_only_through_the_proxy(
    production: dict[str, Any],
) -> None:
    assert "ports" not in service(production, "outreach")
    assert {"80/tcp", "443/tcp"} <= published_ports(service(production, "proxy"))


def test_production_app_healthcheck_asks_health(production: dict[str, Any]) -> None:
    test = (service(production, "outreach").get("healthcheck") or {}).get("test") or []
    command = " ".join(test) if isinstance(test, list) else str(test)
    assert "http://127.0.0.1:8000/health" in command


def test_production_cookies_are_secure(production: dict[str, Any]) -> None:
    env = environment(service(production, "outreach"))
    assert env.get("OUTREACH_SECURE_COOKIES", "true").lower() == "true"


def test_production_proxy_forwards_to_the_app(production: dict[str, Any]) -> None:
    source = mounts(service(production, "proxy")).get("/etc/caddy/Caddyfile")
    assert source, "the proxy mounts no Caddyfile"
    caddyfile = ROOT / source
    assert caddyfile.is_file(), f"{source} does not exist"
    port = environment(service(production, "outreach")).get("OUTREACH_PORT", "8000")
    text = caddyfile.read_text(encoding="utf-8")
    assert f"reverse_proxy outreach:{port}" in text
    # and browsers are told to come back over HTTPS only
    assert re.search(r'header Strict-Transport-Security "max-age=\d{8,}', text)


def test_production_proxy_keeps_certificates_on_a_volume(production: dict[str, Any]) -> None:
    source = mounts(service(production, "proxy")).get("/data")
    assert source in (production.get("volumes") or {}), "Caddy's /data is not a named volume"


def test_single_container_uses_sqlite_on_a_volume(single: dict[str, Any]) -> None:
    app = service(single, "outreach")
    assert environment(app)["OUTREACH_DATABASE_URL"].startswith("sqlite://")
    source = mounts(app).get("/data")
    assert source in (single.get("volumes") or {}), "/data is not a named volume"
    assert "8000/tcp" in published_ports(app)


def test_every_service_of_both_files_keeps_its_logs_bounded(
    production: dict[str, Any], single: dict[str, Any]
) -> None:
    """docs/deployment.md promises at most five files of 10 MB per service; the SQLite file
    set no limit (docker's default keeps every line)."""
    for compose in (production, single):
        for name, service in compose["services"].items():
            options = service.get("logging", {}).get("options", {})
            assert (options.get("max-size"), options.get("max-file")) == ("10m", "5"), name


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_variables_are_in_the_deployment_doc(name: str, deployment_doc: str) -> None:
    compose = load_compose(name)
    text = (ROOT / name).read_text(encoding="utf-8")
    used = outreach_variables(compose, app=True) | outreach_variables(compose, app=False)
    used |= set(re.findall(r"\$\{([A-Z_]+)", text))
    table = set(re.findall(r"^\| `([A-Z_]+)` \|", deployment_doc, flags=re.MULTILINE))
    missing = sorted(used - table)
    assert not missing, f"not in docs/deployment.md's table of variables: {missing}"


def test_app_variables_are_in_the_readme_configuration_table(readme: str) -> None:
    table = set(re.findall(r"^\| `(OUTREACH_[A-Z_]+)` \|", readme, flags=re.MULTILINE))
    used = set().union(*(outreach_variables(load_compose(n), app=True) for n in COMPOSE_FILES))
    missing = sorted(used - table)
    assert not missing, f"not in the README's configuration table: {missing}"


def test_proxy_variables_are_named_in_the_readme(readme: str) -> None:
    """Variables read by other services than the app (not settings, so not in the table)."""
    used = set().union(*(outreach_variables(load_compose(n), app=False) for n in COMPOSE_FILES))
    missing = sorted(v for v in used if f"`{v}`" not in readme)
    assert not missing, f"not in the README: {missing}"


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_services_are_in_the_deployment_doc(name: str, deployment_doc: str) -> None:
    services = load_compose(name)["services"]
    missing = sorted(s for s in services if f"`{s}`" not in deployment_doc)
    assert not missing, f"services not in docs/deployment.md: {missing}"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    pairs = [line.strip().split(None, 1) for line in joined.splitlines() if line.strip()]
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]


def test_dockerfile_base_is_bookworm() -> None:
    bases = [args for op, args in dockerfile_instructions() if op == "FROM"]
    assert bases and "bookworm" in bases[-1].split(":", 1)[-1], bases


def test_dockerfile_installs_postgresql_client() -> None:
    runs = [args for op, args in dockerfile_instructions() if op == "RUN"]
    assert any("apt-get install" in run and "postgresql-client" in run for run in runs)


def test_dockerfile_runs_as_an_unprivileged_user() -> None:
    users = [args.split(":")[0] for op, args in dockerfile_instructions() if op == "USER"]
    assert users and users[-1] not in {"root", "0"}


def test_dockerfile_defaults_to_sqlite_on_the_data_volume() -> None:
    instructions = dockerfile_instructions()
    env = " ".join(args for op, args in instructions if op == "ENV")
    assert "OUTREACH_DATABASE_URL=sqlite:////data/outreach.db" in env
    assert any("/data" in args for op, args in instructions if op == "VOLUME")
