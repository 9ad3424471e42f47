"""A slow or failing mail server must never hold up reminder dispatch."""

from django.conf import settings

from config.celery import app


def route_of(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


def test_the_poll_runs_on_its_own_queue_and_dispatch_does_not():
    app.loader.import_default_modules()
    assert route_of("capture.tasks.poll_mailboxes") == "capture"
    assert route_of("followups.tasks.dispatch") == app.conf.task_default_queue != "capture"


def test_the_poll_has_its_own_time_limit_and_expires_before_the_next_tick():
    app.loader.import_default_modules()
    task = app.tasks["capture.tasks.poll_mailboxes"]
    assert task.time_limit == settings.CAPTURE_POLL_TIME_LIMIT
    assert task.soft_time_limit < task.time_limit
    entry = settings.CELERY_BEAT_SCHEDULE["poll-mailboxes"]
    assert entry["options"]["queue"] == "capture"
    assert entry["options"]["expires"] < entry["schedule"]


def test_the_production_shape_runs_a_worker_for_that_queue():
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    mailwatch = compose["services"]["mailwatch"]["command"]
    worker = compose["services"]["worker"]["command"]
    assert mailwatch[mailwatch.index("-Q") + 1] == "capture"
    assert "-Q" not in worker  # the dispatch worker never takes a mailbox scan
