"""Settings from the environment: a malformed value stops start-up naming the variable;
production settings pass `check --deploy`."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, capture_output=True,
        text=True, env={**BASE, "DJANGO_SETTINGS_MODULE": "beidaihe_supervision.settings", **env},
        timeout=120,
    )


@pytest.mark.parametrize("variable,value", [
    ("DJANGO_DEBUG", "maybe"),
    ("DATABASE_URL", "notadatabase://x"),
    ("REDIS_URL", "localhost:6379"),
    ("ATTACHMENT_MAX_MB", "fifty"),
    ("SITE_URL", "jdxt.beidaihe.gov.cn"),
])
def test_malformed_value_stops_startup_naming_the_variable(variable, value):
    result = run_manage("check", **{"DJANGO_DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_missing_secret_key_in_production_stops_startup():
    result = run_manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="p" * 20 + "Q9#x" * 12,
        DJANGO_ALLOWED_HOSTS="jdxt.beidaihe.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_embedded_broker_keeps_its_files_under_var_whatever_the_working_folder(tmp_path):
    """Without REDIS_URL Celery uses kombu's filesystem transport: its broadcast exchange
    table (kombu's default ./control) goes under var/celery, not into the folder a worker
    or a command was started in."""
    # Declare the task queue as a starting worker does (no message is sent).
    code = ("import django; django.setup(); from beidaihe_supervision.celery import app; "
            "from kombu import Exchange, Queue\n"
            "with app.connection_for_write() as conn:\n"
            "    Queue('celery', Exchange('celery'), routing_key='celery')(conn.default_channel).declare()\n"
            "print(app.conf.broker_transport_options['control_folder'])")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**BASE, "PYTHONPATH": str(settings.BASE_DIR), "DJANGO_DEBUG": "1",
             "DJANGO_SETTINGS_MODULE": "beidaihe_supervision.settings"})
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
    control = Path(result.stdout.strip().splitlines()[-1])
    assert control.parts[-2:] == ("celery", "control") and control.is_absolute()
    assert (control / "celery.exchange").exists()


def test_every_beat_entry_names_a_task_the_worker_knows():
    """A misspelt task in CELERY_BEAT_SCHEDULE would be sent every period and never run."""
    from django.conf import settings

    from beidaihe_supervision.celery import app

    app.loader.import_default_modules()  # each installed app's tasks.py, as a worker does
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
