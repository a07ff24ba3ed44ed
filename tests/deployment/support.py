"""What the deployment files say, read the way their tools read them:
dockerfile-parse for the Dockerfile, Compose's own interpolation rules for
docker-compose.yml. No Docker engine here, so the tests run the commands
these files name directly."""

import io
import json
import os
import re
import socket
import sys
from pathlib import Path

import yaml
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "kP3v9Qx2LmT7wZr5Yb8Nc1Hd4Jf6Gs0Ae2Ui9Ko7Lp3Mq5Rt8Sv1Xw4Zy6Ba0Cd2Ef"
HOST = "kinetic.example.org"
# What a clinic puts in .env for `docker compose`.
DOT_ENV = {"KINETIC_HOST": HOST, "SECRET_KEY": GOOD_KEY, "POSTGRES_PASSWORD": "s3cr3tR4nd0mP4ssw0rd"}


def dockerfile(text: str | None = None) -> DockerfileParser:
    if text is not None:
        return DockerfileParser(fileobj=io.BytesIO(text.encode()))
    return DockerfileParser(path=str(ROOT / "Dockerfile"), cache_content=True)


def exec_form(instruction_value: str) -> list[str]:
    """The argv of an exec-form CMD/ENTRYPOINT. Docker treats anything that is
    not a JSON array of strings as a shell command, so neither do we."""
    argv = json.loads(instruction_value)
    if not (isinstance(argv, list) and argv and all(isinstance(part, str) for part in argv)):
        raise ValueError(f"not a JSON array of strings: {instruction_value!r}")
    return argv


def image_command(parser: DockerfileParser | None = None) -> list[str]:
    parser = parser or dockerfile()
    commands = [item for item in parser.structure if item["instruction"] == "CMD"]
    return exec_form(commands[-1]["value"])


def image_env() -> dict[str, str]:
    return dict(dockerfile().envs)


_VARIABLE = re.compile(r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\})")


class MissingVariable(Exception):
    pass


def interpolate(value, variables: dict[str, str]):
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default},
    ${VAR:?error}, ${VAR?error} and $$ for a literal $."""
    if isinstance(value, dict):
        return {key: interpolate(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, variables) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = variables.get(name)
        unset_or_empty = not current
        if op in (":?", "?") and (current is None or (op == ":?" and unset_or_empty)):
            raise MissingVariable(f"required variable {name} is missing a value: {arg}")
        if op in (":-", "-") and (current is None or (op == ":-" and unset_or_empty)):
            return arg
        return current or ""

    return _VARIABLE.sub(substitute, value)


def compose_raw() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose(variables: dict[str, str] | None = None) -> dict:
    return interpolate(compose_raw(), DOT_ENV if variables is None else variables)


def service_environment(service: dict) -> dict[str, str]:
    """A service's environment as its container sees it: the image's ENV,
    then env_file (.env), then `environment`."""
    environment = {**image_env(), **DOT_ENV, **{key: str(value) for key, value in service["environment"].items()}}
    return environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def local_path_env() -> dict[str, str]:
    """PATH with this virtualenv's bin first, as the image has its Python's:
    `python`, `gunicorn` and `celery` resolve as they would in the container."""
    return {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
