"""Several processes on one PostgreSQL and one Redis (issue 22 item 3): two gunicorn
servers, two Celery workers and one beat, all real processes on the test database.

Writes go through both web servers at once — numbered supervision notices (one counter
row, locked) and cases —, beat starts the deadline sweep every two seconds, and one worker
is killed (SIGKILL) while its sweep holds deadline rows. Afterwards: every due deadline was
reminded exactly once (its two reminders, one notification per recipient, one audit
event), the notices are numbered 1…n with no number twice or missing, and the audit hash
chain verifies.
"""
import datetime as dt
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from cases.models import EnforcementCase
from cases.testing import certified_officer, party_data
from core import processes
from core.models import Event, Membership, OrgKind, Organization, Role
from core.testing import OrganizationFactory, justice_bureau, supervisor
from deadlines.models import Deadline, DeadlineState, Notification, Reminder, ReminderKind
from documents.models import Document

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

DEADLINES = 2500  # three batches of the sweep (BATCH_SIZE 1000)
NOTICES = 16
CASES = 6


def api(port: int, token: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read().decode(errors="replace")[:500]}


def sweeping_worker() -> str | None:
    """The worker whose open transaction holds deadline rows FOR UPDATE: a sweep batch
    under way (an e-mail task locks notification rows, not deadline rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.relation = 'deadlines_deadline'::regclass AND l.mode = 'RowShareLock' "
            "AND a.application_name LIKE 'worker-%%' LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else None


def due_deadlines(department: Organization) -> list[int]:
    now = timezone.now()
    org_type, bureau = ContentType.objects.get_for_model(Organization), justice_bureau()
    Deadline.objects.bulk_create(
        Deadline(target_type=org_type, target_id=str(department.pk), target_repr=f"整改事项{i}",
                 rule="rectification", responsible=department, imposed_by=bureau,
                 start=now - dt.timedelta(days=30), due=now - dt.timedelta(hours=1),
                 warn_at=now - dt.timedelta(days=2), remind_at=now - dt.timedelta(hours=1))
        for i in range(DEADLINES))
    return list(Deadline.objects.filter(target_repr__startswith="整改事项").values_list("pk", flat=True))


def test_two_web_servers_two_workers_one_beat_and_a_worker_killed_mid_sweep(tmp_path):
    from rest_framework.authtoken.models import Token

    department = OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监",
                                     kind=OrgKind.DEPARTMENT)
    officers = [certified_officer(department) for _ in range(2)]
    bureau = supervisor()
    tokens = {"bureau": Token.objects.create(user=bureau).key,
              "officer": Token.objects.create(user=officers[0]).key}
    recipients = (Membership.objects.filter(organization=department).values("user").distinct().count()
                  + Membership.objects.filter(organization__kind=OrgKind.JUSTICE_BUREAU,
                                              role=Role.SUPERVISOR).count())

    env = processes.environment(DJANGO_OTP_REQUIRED="0", DEADLINE_SWEEP_SECONDS="2",
                                BEAT_LOCK_SECONDS="6",
                                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    ports = [processes.free_port(), processes.free_port()]
    started = []
    try:
        webs = [processes.gunicorn(f"web-{i}", port=port, workers=2, env=env, log_dir=tmp_path)
                for i, port in enumerate(ports)]
        workers = {name: processes.celery_worker(name, env=env, log_dir=tmp_path)
                   for name in ("worker-a", "worker-b")}
        # Beat's first tick comes two seconds after it starts, later than the others.
        started += [*webs, *workers.values(), processes.celery_beat("beat", env=env, log_dir=tmp_path)]
        for web, port in zip(webs, ports):
            processes.wait_http(f"http://127.0.0.1:{port}/accounts/login/", process=web)
        for worker in workers.values():
            worker.wait_for(" ready.")

        deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
        notice = {"issuer": justice_bureau().pk, "addressee": department.pk,
                  "facts": "3件案件未告知当事人陈述、申辩的权利。",
                  "legal_basis": "《中华人民共和国行政处罚法》第四十四条。",
                  "rectification": "逐件复查，依法纠正。", "deadline": deadline,
                  "report_method": "书面报告区司法局。"}

        def case(i: int) -> dict:
            return {"department": department.pk, "number": f"北市监罚〔2026〕{i + 1}号",
                    "act_type": "penalty", "field": "market", "summary": "经营超过保质期的食品。",
                    "discovered_at": "2026-01-05T09:30:00+08:00", "filed_on": "2026-01-06",
                    "officers": [o.pk for o in officers], "parties": [party_data()]}

        # Due once every process is up: the next tick of beat sweeps them.
        ids = due_deadlines(department)
        with ThreadPoolExecutor(8) as pool:
            issued = [pool.submit(api, ports[i % 2], tokens["bureau"],
                                  "/api/v1/documents/supervision-notice/", notice)
                      for i in range(NOTICES)]
            registered = [pool.submit(api, ports[i % 2], tokens["officer"], "/api/v1/cases/", case(i))
                          for i in range(CASES)]
            # Kill the worker whose sweep holds deadline rows while some are still open:
            # in the middle of a batch, not in a sweep that found nothing to do.
            end, victim, open_at_kill = time.monotonic() + 60, None, 0
            while time.monotonic() < end:
                victim = sweeping_worker()
                open_at_kill = victim and Deadline.objects.filter(
                    pk__in=ids, state=DeadlineState.OPEN).count()
                if open_at_kill:
                    workers[victim].kill()
                    break
                time.sleep(0.02)
            assert open_at_kill, "no sweep seen on a worker within 60 s"
            results = [f.result() for f in issued + registered]
        assert [status for status, _ in results] == [201] * (NOTICES + CASES), results

        # The other worker and the following ticks finish the sweep.
        end = time.monotonic() + 60
        while (Deadline.objects.filter(pk__in=ids, state=DeadlineState.OPEN).exists()
               and time.monotonic() < end):
            time.sleep(0.5)
        time.sleep(3)  # a few more ticks: they must find nothing more to do
    finally:
        for process in started:
            process.stop()
        # The ticks beat sent that no worker took: not for the next test's worker.
        redis.Redis.from_url(settings.REDIS_URL).delete("celery", "unacked", "unacked_index")

    # No reminder lost or doubled.
    assert not Deadline.objects.filter(pk__in=ids).exclude(state=DeadlineState.OVERDUE).exists()
    kinds = (Reminder.objects.filter(deadline_id__in=ids).values("deadline_id")
             .annotate(n=Count("id")).values_list("n", flat=True))
    assert list(kinds) == [2] * DEADLINES
    assert set(Reminder.objects.filter(deadline_id__in=ids).values_list("kind", flat=True)) == {
        ReminderKind.DUE, ReminderKind.OVERDUE}
    notified = Notification.objects.filter(target_id__in=[str(pk) for pk in ids],
                                           target_type=ContentType.objects.get_for_model(Deadline))
    assert notified.count() == DEADLINES * recipients
    assert not notified.values("recipient", "target_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    overdue_events = Event.objects.filter(verb="deadline.overdue", target_id__in=[str(pk) for pk in ids])
    assert overdue_events.count() == DEADLINES
    assert overdue_events.values("target_id").distinct().count() == DEADLINES

    # No document number duplicated or skipped, whichever server issued it.
    numbers = list(Document.objects.filter(issuer=justice_bureau()).order_by("sequence")
                   .values_list("sequence", "number"))
    assert [sequence for sequence, _ in numbers] == list(range(1, NOTICES + 1))
    assert len({number for _, number in numbers}) == NOTICES
    assert sorted(body["number"] for _, body in results[:NOTICES]) == sorted(n for _, n in numbers)
    assert EnforcementCase.objects.filter(department=department).count() == CASES
    assert Event.objects.filter(verb="document.issue").count() == NOTICES

    # The audit hash chain is whole (sealed by beat's workers and by the command itself).
    call_command("audit_verify")
