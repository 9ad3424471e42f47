"""No Docker engine runs here, so the production shape is checked by reading it."""

import importlib
import shlex
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else command


def test_it_runs_every_service_of_the_production_shape():
    services = _compose()["services"]
    assert set(services) == {
        "postgres",
        "redis",
        "web",
        "worker",
        "mailwatch",
        "beat",
        "mailpit",
    }
    for name in ("postgres", "redis", "web", "worker", "mailwatch", "mailpit"):
        assert "healthcheck" in services[name], f"{name} has no health check"
    assert {"postgres-data", "redis-data"} <= set(_compose()["volumes"])


def test_it_points_web_at_the_real_wsgi_application_and_migrates_first():
    command = " ".join(_command(_compose()["services"]["web"]))
    assert "manage.py migrate" in command
    assert command.index("migrate") < command.index("gunicorn")
    target = next(word for word in shlex.split(command) if word.endswith(":application"))
    module, attribute = target.split(":")
    assert callable(getattr(importlib.import_module(module), attribute))


def test_it_points_worker_and_beat_at_the_real_celery_app():
    services = _compose()["services"]
    for name, sub in (("worker", "worker"), ("beat", "beat")):
        command = _command(services[name])
        assert command[:2] == ["celery", "-A"] and sub in command
        app_module = importlib.import_module(command[2])
        assert app_module.celery_app.main == "opendoors"


def test_it_sends_mail_to_mailpit_and_reads_settings_from_env_file():
    compose = _compose()
    web = compose["services"]["web"]
    assert web["env_file"] == ".env"
    assert web["environment"]["EMAIL_HOST"] == "mailpit"
    assert web["environment"]["EMAIL_PORT"] == "1025"
    assert {"1025:1025", "8025:8025"} <= set(compose["services"]["mailpit"]["ports"])


def test_it_documents_every_setting_the_settings_module_reads():
    source = (ROOT / "config" / "settings.py").read_text()
    documented = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    import re

    names = set(re.findall(r'env(?:str|bool|int|list)\("([A-Z_]+)"', source))
    assert names, "settings.py reads no variables?"
    for name in sorted(names):
        assert f"{name}=" in documented, f"{name} missing from .env.example"
        assert f"`{name}`" in readme, f"{name} missing from the README table"
