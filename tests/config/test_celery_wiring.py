from django.conf import settings

from config.celery import app


def test_it_rings_dispatch_every_minute_from_one_static_beat_entry():
    schedule = settings.CELERY_BEAT_SCHEDULE
    # The others scan mailboxes on their own queue (tests/capture) and read watched job
    # boards once a day (tests/watch).
    assert list(schedule) == ["dispatch-reminders", "check-job-boards", "poll-mailboxes"]
    entry = schedule["dispatch-reminders"]
    assert entry["task"] == "followups.tasks.dispatch"
    assert entry["schedule"] == 60.0
    # A tick still queued after a minute is stale: the next one covers it.
    assert 0 < entry["options"]["expires"] < 60


def test_it_registers_the_dispatch_task_the_beat_entry_names():
    app.loader.import_default_modules()
    assert "followups.tasks.dispatch" in app.tasks


def test_it_reads_job_boards_once_a_day_with_a_registered_task():
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["check-job-boards"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 24 * 60 * 60.0


def test_it_configures_celery_for_at_least_once_delivery_of_small_json_messages():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_ignore_result is True
    assert conf.task_time_limit and conf.task_time_limit <= 600
