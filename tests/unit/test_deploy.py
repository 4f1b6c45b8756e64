"""The deployment files agree with each other and with the code: compose, nginx, k8s, Dockerfile."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE_FILE = REPO / "docker-compose.yml"
NGINX_CONF = DEPLOY / "nginx.conf"
K8S = DEPLOY / "k8s"

# DESIGN.md, "Default ports".
PORTS = {"intake": 8001, "review": 8002, "subsidy": 8003, "permits": 8004, "directory": 8005}
GATEWAY_PORT = 8000
INFRA_SERVICES = {"postgres", "rabbitmq"}

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def nginx_locations() -> dict[str, str]:
    """``location <prefix> { ... }`` bodies of nginx.conf (no nested blocks in ours)."""
    text = re.sub(r"#[^\n]*", "", NGINX_CONF.read_text())
    return {m.group(1): m.group(2) for m in re.finditer(r"location\s+([^\s{]+)\s*\{([^{}]*)\}", text)}


@pytest.fixture(scope="module")
def k8s_docs() -> list[tuple[Path, dict]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs.extend((path, doc) for doc in yaml.safe_load_all(path.read_text()) if doc)
    return docs


def _argv(command) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def _module_of(argv: list[str]) -> str:
    assert "-m" in argv, f"not a `python -m` command: {argv}"
    return argv[argv.index("-m") + 1]


def _option(argv: list[str], name: str) -> str:
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def _depends_on(service: dict) -> dict[str, str | None]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: None for name in deps}
    return {name: (spec or {}).get("condition") for name, spec in deps.items()}


def _healthcheck_text(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(map(str, test))


def _migrate_invocations(text: str) -> list[str]:
    return re.findall(r"python -m services\.(\w+) migrate", text)


# ---------------------------------------------------------------- docker-compose.yml


def test_compose_parses_with_the_expected_services(services):
    assert set(services) == INFRA_SERVICES | set(PORTS) | {"migrate", "gateway"}


def test_every_dependency_exists(services):
    for name, service in services.items():
        for dep in _depends_on(service):
            assert dep in services, f"{name} depends on unknown service {dep}"
            assert dep != name


def test_every_long_running_service_has_a_healthcheck(services):
    for name, service in services.items():
        if name == "migrate":
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        assert not service["healthcheck"].get("disable")


def test_app_services_run_their_own_module_on_their_own_port(services):
    for name, port in PORTS.items():
        argv = _argv(services[name]["command"])
        module = _module_of(argv)
        assert module == f"services.{name}"
        assert argv[argv.index("-m") + 2] == "serve"
        assert _option(argv, "--host") == "0.0.0.0"
        assert int(_option(argv, "--port")) == port
        assert [str(p) for p in services[name].get("expose", [])] == [str(port)]
        health = _healthcheck_text(services[name])
        assert f"http://localhost:{port}/{name}/healthz" in health


def test_each_command_module_is_a_runnable_service_package(services):
    for name in PORTS:
        module = _module_of(_argv(services[name]["command"]))
        package = REPO / Path(*module.split("."))
        assert package.is_dir(), f"{module}: no directory {package.relative_to(REPO)}"
        assert (package / "__main__.py").is_file(), f"{module}: no __main__.py, `python -m {module}` cannot run"


def test_migrate_runs_every_service_in_one_command_and_exits(services):
    migrate = services["migrate"]
    assert _migrate_invocations(" ".join(_argv(migrate["command"]))) == list(PORTS)
    assert str(migrate.get("restart", "no")) == "no"
    assert _depends_on(migrate)["postgres"] == "service_healthy"
    for name in PORTS:
        assert (REPO / "services" / name / "__main__.py").is_file(), f"services/{name}/__main__.py missing"


SERVICE_SPECIFIC_ENV = {
    # Review asks subsidy for the funding-plan quote (R-COMMITTEE).
    "review": {"REVIEW_SUBSIDY_URL": "http://subsidy:8003"},
    # Production refuses intake's development passport keys (services/intake/settings.py).
    "intake": {
        "INTAKE_PASSPORT_KEYS": "${INTAKE_PASSPORT_KEYS:?set INTAKE_PASSPORT_KEYS}",
        "INTAKE_PASSPORT_HASH_KEY": "${INTAKE_PASSPORT_HASH_KEY:?set INTAKE_PASSPORT_HASH_KEY}",
    },
    # The directory seals experts' passport numbers with keys of its own (services/directory/settings.py);
    # the migration step needs them too (directory_0023 seals the numbers already stored).
    "directory": {
        "DIRECTORY_PASSPORT_KEYS": "${DIRECTORY_PASSPORT_KEYS:?set DIRECTORY_PASSPORT_KEYS}",
        "DIRECTORY_PASSPORT_HASH_KEY": "${DIRECTORY_PASSPORT_HASH_KEY:?set DIRECTORY_PASSPORT_HASH_KEY}",
    },
}


def test_app_environment(services):
    migrate_env = services["migrate"]["environment"]
    for name in PORTS:
        env = services[name]["environment"]
        prefix = name.upper() + "_"
        assert env == {
            f"{prefix}ENVIRONMENT": "production",
            f"{prefix}DATABASE_URL": f"postgresql+asyncpg://platform:platform@postgres:5432/{name}",
            f"{prefix}BUS": "rabbitmq",
            f"{prefix}AMQP_URL": "amqp://platform:platform@rabbitmq:5672/",
            f"{prefix}JWT_SECRET": "${JWT_SECRET:?set JWT_SECRET}",
            **SERVICE_SPECIFIC_ENV.get(name, {}),
        }
        assert {k: v for k, v in migrate_env.items() if k.startswith(prefix)} == env, f"migrate lacks {name}'s settings"


def test_start_order(services):
    for name in PORTS:
        assert _depends_on(services[name]) == {
            "migrate": "service_completed_successfully",
            "postgres": "service_healthy",
            "rabbitmq": "service_healthy",
        }
    assert _depends_on(services["gateway"]) == {name: "service_healthy" for name in PORTS}


def test_one_image_built_from_deploy_dockerfile(services):
    images = set()
    for name in [*PORTS, "migrate"]:
        build = services[name]["build"]
        assert build["context"] == "."
        assert (REPO / build["context"] / build["dockerfile"]).is_file()
        images.add(services[name]["image"])
    assert len(images) == 1


def test_every_mounted_or_built_file_exists(services):
    for name, service in services.items():
        build = service.get("build")
        if isinstance(build, dict) and "dockerfile" in build:
            path = REPO / build.get("context", ".") / build["dockerfile"]
            assert path.is_file(), f"{name}: {path} missing"
        for volume in service.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (REPO / source).exists(), f"{name}: mounted {source} missing"


def test_ports_match_the_design(services):
    assert services["gateway"]["ports"] == [f"{GATEWAY_PORT}:{GATEWAY_PORT}"]
    assert re.search(rf"^\s*listen\s+{GATEWAY_PORT}\s*;", NGINX_CONF.read_text(), re.M)
    for name, port in PORTS.items():
        settings = (REPO / "services" / name / "settings.py")
        if settings.is_file():
            found = re.search(r"default_port\b[^=\n]*=\s*(\d+)", settings.read_text())
            if found:
                assert int(found.group(1)) == port, f"services/{name}/settings.py default_port differs"


def test_postgres_init_creates_the_five_databases(services):
    mounts = [v for v in services["postgres"]["volumes"] if isinstance(v, str) and "docker-entrypoint-initdb.d" in v]
    assert mounts, "postgres has no init script"
    sql = (REPO / mounts[0].split(":")[0]).read_text()
    created = re.findall(r"CREATE DATABASE\s+\"?(\w+)\"?", sql, re.I)
    assert sorted(created) == sorted(PORTS)


# ---------------------------------------------------------------- nginx.conf


def test_nginx_routes_each_prefix_to_its_service(nginx_locations):
    for name, port in PORTS.items():
        body = nginx_locations.get(f"/{name}/")
        assert body is not None, f"nginx.conf has no location /{name}/"
        assert f"{name}:{port}" in body, f"/{name}/ is not routed to {name}:{port}"
        # No URI part after host:port: the path reaches the service unchanged.
        assert re.search(rf"http://{name}:{port}\s*;", body) or re.search(rf"http://{name}:{port}\"?;", body)
        other = [n for n in PORTS if n != name and f"{n}:" in body]
        assert not other, f"/{name}/ mentions {other}"


def test_nginx_forwards_request_id_and_forwarding_headers():
    text = NGINX_CONF.read_text()
    assert "$request_id" in text
    for header in ("X-Request-ID", "Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert re.search(rf"proxy_set_header\s+{header}\s", text), f"{header} not forwarded"


# ---------------------------------------------------------------- deploy/k8s


def test_k8s_manifests_parse_and_cover_every_service(k8s_docs):
    kinds = {(doc["kind"], doc["metadata"]["name"]) for _, doc in k8s_docs if "metadata" in doc}
    for name in PORTS:
        assert ("Deployment", name) in kinds
        assert ("Service", name) in kinds
    assert any(kind == "Job" for kind, _ in kinds)


def test_k8s_deployments_probe_their_own_service(k8s_docs):
    deployments = [doc for _, doc in k8s_docs if doc.get("kind") == "Deployment"
                   and doc["metadata"]["name"] != "console"]
    assert len(deployments) == len(PORTS)
    for deployment in deployments:
        name = deployment["metadata"]["name"]
        assert name in PORTS
        pod = deployment["spec"]["template"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
        (container,) = pod["spec"]["containers"]
        argv = _argv(container["command"])
        assert _module_of(argv) == f"services.{name}"
        assert int(_option(argv, "--port")) == PORTS[name]
        assert container["readinessProbe"]["httpGet"]["path"] == f"/{name}/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == f"/{name}/healthz"
        assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": PORTS[name]}
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["port"] in (PORTS[name], "http")


def test_k8s_services_select_their_deployment(k8s_docs):
    for _, doc in k8s_docs:
        if doc.get("kind") != "Service":
            continue
        name = doc["metadata"]["name"]
        assert doc["spec"]["selector"] == {"app.kubernetes.io/name": name}
        assert [p["port"] for p in doc["spec"]["ports"]] == [PORTS.get(name, 8000)]


def test_k8s_migrate_job_runs_every_service(k8s_docs):
    (job,) = [doc for _, doc in k8s_docs if doc.get("kind") == "Job"]
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert _migrate_invocations(" ".join(_argv(container["command"]))) == list(PORTS)
    secrets = {ref["secretRef"]["name"] for ref in container["envFrom"]}
    assert secrets == {f"{name}-env" for name in PORTS}


def test_kustomization_lists_existing_files():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (K8S / resource).is_file(), f"kustomization lists missing {resource}"
    assert "secret.example.yaml" not in kustomization["resources"]


def test_the_console_and_openapi_json_are_served_by_the_gateway_image_in_compose_and_k8s(services, k8s_docs):
    """Issue 17: the gateway image (target gateway) carries the console and the combined document."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", dockerfile, re.M)
    assert ("node:20-slim", "console") in stages and any(name == "gateway" for _, name in stages)
    assert stages[-1][0] == "app"  # the default target stays the platform's image
    assert "npm ci" in dockerfile and "COPY --from=console /console/dist /usr/share/nginx/console" in dockerfile
    assert "--production-combined /tmp/openapi.json" in dockerfile
    assert services["gateway"]["build"]["target"] == "gateway"
    assert {"CONSOLE_OIDC_AUTHORITY", "CONSOLE_OIDC_CLIENT_ID"} <= set(services["gateway"]["environment"])
    nginx = NGINX_CONF.read_text()
    for location in ("location /console/ {", "location /console/assets/ {", "location = /openapi.json {",
                     "location = /console/config.json {"):
        assert location in nginx
    assert "try_files $uri /console/index.html;" in nginx and "immutable" in nginx
    (console,) = [doc for _, doc in k8s_docs if doc.get("kind") == "Deployment" and doc["metadata"]["name"] == "console"]
    assert console["spec"]["template"]["spec"]["containers"][0]["image"] == "foreign-expert-gateway"
    (ingress,) = [doc for _, doc in k8s_docs if doc.get("kind") == "Ingress"]
    routed = {p["path"]: p["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
    assert routed["/console"] == routed["/openapi.json"] == "console"


# ---------------------------------------------------------------- Dockerfile and scripts


def test_dockerfile_installs_locked_dependencies_and_runs_as_non_root():
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    assert "uv sync --frozen --no-dev" in text
    for source in ("pyproject.toml", "uv.lock"):
        assert source in text and (REPO / source).is_file()
    for directory in ("shared", "services", "embedded"):
        assert re.search(rf"^COPY {directory}/ ", text, re.M), f"{directory}/ not copied"
        assert (REPO / directory).is_dir()
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_infra_script_is_valid_bash():
    script = REPO / "scripts" / "infra.sh"
    text = script.read_text()
    assert "set -euo pipefail" in text
    for command in ("up)", "down)", "status)", "rabbit-stop-app)", "rabbit-start-app)", "rabbit-kill)", "rabbit-start)"):
        assert command in text
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    result = subprocess.run([bash, "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
