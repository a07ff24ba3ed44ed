"""Production settings refuse what would be unsafe to run: run as the
deployment runs them, in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "kP3v9Qx2LmT7wZr5Yb8Nc1Hd4Jf6Gs0Ae2Ui9Ko7Lp3Mq5Rt8Sv1Xw4Zy6Ba0Cd2Ef"


def run_production(*args, secret_key, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rehab.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "kinetic.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production-check.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("secret_key", ["", "   ", "change-me-to-a-long-random-string", "short-but-not-empty"])
def test_production_refuses_to_start_without_a_real_secret_key(secret_key, tmp_path):
    result = run_production("check", secret_key=secret_key, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value" in result.stderr


def test_production_starts_with_a_real_secret_key(tmp_path):
    result = run_production("check", secret_key=GOOD_KEY, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_seed_demo_refuses_to_run_under_production_settings(tmp_path):
    result = run_production("seed_demo", secret_key=GOOD_KEY, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "seed_demo refuses to run under production settings" in result.stderr
    assert "Created the demo clinic" not in result.stdout
