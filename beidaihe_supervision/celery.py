"""Celery application.

Broker: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under
var/celery/ — the embedded default for one host, not for production (see README).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beidaihe_supervision.settings")

app = Celery("beidaihe_supervision")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
