"""docker-compose.yml: every service and component of a design, wired for a local run.

Components run from the image `knowledge/artifacts.toml` names for their technology (or kind);
managed services without a local stand-in (a CDN, a cloud warehouse) are listed under the
`x-dwarf-managed` extension instead. Each design service with a skeleton builds from `services/<name>/`, gets a
`<COMPONENT>_URL` variable for every component it talks to and waits for their health checks.
Design text that reaches a value has its `$` doubled, so Compose never interpolates it.
"""

from __future__ import annotations

import yaml

from ..design import Design
from .artifacts import EDGE_KINDS, container, env_name, neighbours, profile, topics
from .escape import one_line

HEALTH = {"interval": "10s", "timeout": "5s", "retries": 5}


def _literal(text: object) -> str:
    return one_line(text).replace("$", "$$")


def component_url(design: Design, name: str) -> str:
    comp = design.component(name)
    entry = container(comp, design)
    template = entry.get("url") or "{scheme}://{name}:{port}"
    return template.replace("{scheme}", str(entry.get("scheme", "tcp"))).replace(
        "{port}", str(entry.get("port", ""))
    ).replace("{name}", comp.name).replace(":}", "}").rstrip(":")


def service_environment(design: Design, service) -> dict[str, str]:
    """The environment a design service runs with (what the document lists too)."""
    prof = profile(service)
    env = {
        "SERVICE_NAME": service.name,
        "PORT": str(prof.lang["port"] if prof else 8080),
        "LOG_LEVEL": "info",
        "OTEL_SERVICE_NAME": service.name,
        "OTEL_EXPORTER_OTLP_ENDPOINT": "${OTEL_EXPORTER_OTLP_ENDPOINT:-http://otel-collector:4317}",
    }
    for comp in neighbours(design, service):
        if container(comp, design).get("image"):
            env[f"{env_name(comp.name)}_URL"] = component_url(design, comp.name)
    produced = [t.name for t in topics(design) if service.name in t.producers]
    consumed = [t.name for t in topics(design) if service.name in t.consumers]
    if produced:
        env["PUBLISHES"] = ",".join(_literal(t) for t in produced)
    if consumed:
        env["CONSUMES"] = ",".join(_literal(t) for t in consumed)
    return env


def compose(design: Design) -> dict:
    """The Compose file as a mapping."""
    services: dict = {}
    volumes: dict = {}
    managed: dict = {}
    host_ports: set[int] = set()

    def publish(port: int) -> str:
        host = port if port >= 1024 else port + 8000
        while host in host_ports:
            host += 1
        host_ports.add(host)
        return f"{host}:{port}"

    for comp in design.components:
        entry = container(comp, design)
        if not entry.get("image"):
            managed[comp.name] = _literal(f"{comp.technology or comp.kind}: a managed service, not run locally")
            continue
        spec: dict = {"image": entry["image"]}
        if entry.get("command"):
            spec["command"] = list(entry["command"])
        if entry.get("environment"):
            spec["environment"] = {k: str(v).replace("{name}", comp.name) for k, v in entry["environment"].items()}
        if entry.get("healthcheck"):
            spec["healthcheck"] = {"test": list(entry["healthcheck"]), **HEALTH}
        if entry.get("data"):
            volume = f"{comp.name}-data"
            volumes[volume] = {}
            spec["volumes"] = [f"{volume}:{entry['data']}"]
        if comp.kind in EDGE_KINDS or comp.public:
            spec["ports"] = [publish(int(entry["port"]))]
        labels = {"dwarf.kind": comp.kind}
        if comp.replica_of:
            labels["dwarf.replica-of"] = comp.replica_of
        if comp.purpose:
            labels["dwarf.purpose"] = _literal(comp.purpose)
        spec["labels"] = labels
        services[comp.name] = spec

    for service in design.services:
        prof = profile(service)
        port = int(prof.lang["port"] if prof else 8080)
        spec = {"image": f"{design.name}/{service.name}:dev"}
        if prof is not None:  # the export writes a skeleton and its Dockerfile there
            spec["build"] = {"context": f"./services/{service.name}"}
        spec["environment"] = service_environment(design, service)
        waits = {}
        for comp in neighbours(design, service):
            if comp.name in services:
                healthy = "healthcheck" in services[comp.name]
                waits[comp.name] = {"condition": "service_healthy" if healthy else "service_started"}
        if waits:
            spec["depends_on"] = waits
        if service.public or service.kind == "gateway":
            spec["ports"] = [publish(port)]
        else:
            spec["expose"] = [str(port)]
        if service.instances > 1:
            spec["deploy"] = {"replicas": service.instances}
        spec["labels"] = {"dwarf.kind": service.kind, "dwarf.language": _literal(service.language or "unspecified")}
        services[service.name] = spec

    document: dict = {"name": design.name, "services": services}
    if volumes:
        document["volumes"] = volumes
    if managed:
        document["x-dwarf-managed"] = managed
    return document


def compose_yaml(design: Design) -> str:
    header = f"# Local stack for design {design.name}, written by dwarf-nb: docker compose up --build\n"
    return header + yaml.safe_dump(compose(design), sort_keys=False, allow_unicode=True, width=100)
