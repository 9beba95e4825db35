"""`flask jobs worker|reap|list`: the RQ worker with the app, and the lost-job sweeper."""

from __future__ import annotations

import threading

import click
from flask import Flask, current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Job


def _reap_forever(app: Flask, every: float, stop: threading.Event) -> None:
    from app.jobs.runner import reap

    while not stop.wait(every):
        with app.app_context():
            try:
                reap()
            except Exception:  # noqa: BLE001 - the next sweep tries again
                app.logger.exception("job sweeper failed")
            finally:
                db.session.remove()


#: how often the worker's command listener wakes up; RQ's 60 s made a warm shutdown wait up
#: to a minute (closing the listener waits for its blocking read)
LISTENER_WAKE_SECONDS = 1.0


def _prompt_stopping(worker_class: type) -> type:
    """`worker_class` whose command listener (RQ's pub/sub thread) wakes every second, so that
    SIGTERM stops an idle worker at once instead of after up to 60 s."""

    class Worker(worker_class):  # type: ignore[misc, valid-type]
        def subscribe(self) -> None:
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(
                sleep_time=LISTENER_WAKE_SECONDS,
                daemon=True,
                exception_handler=self._pubsub_exception_handler,
            )

    return Worker


def register(app: Flask) -> None:
    @app.cli.group("jobs")
    def jobs_group() -> None:
        """Background jobs."""

    @jobs_group.command("worker")
    @click.option("--burst", is_flag=True, help="stop when the queue is empty")
    def worker_command(burst: bool) -> None:
        """Run jobs from Redis (REDIS_URL) and, every 10 s, queue again what dead workers left."""
        from redis import Redis
        from rq import SimpleWorker

        from app.jobs.dispatch import redis_queue
        from app.jobs.runner import reap

        if not current_app.config.get("REDIS_URL"):
            raise click.ClickException(
                "REDIS_URL is not set: without Redis, jobs run in the web process"
            )
        app_obj = current_app._get_current_object()
        reap()
        db.session.remove()
        stop = threading.Event()
        sweeper = threading.Thread(target=_reap_forever, args=(app_obj, 10.0, stop), daemon=True)
        sweeper.start()
        queue = redis_queue(app_obj)
        worker = _prompt_stopping(SimpleWorker)(
            [queue], connection=Redis.from_url(current_app.config["REDIS_URL"])
        )
        try:
            worker.work(burst=burst, with_scheduler=False)
        finally:
            stop.set()

    @jobs_group.command("reap")
    def reap_command() -> None:
        """Queue again the jobs of dead workers and the jobs that are due."""
        from app.jobs.runner import reap

        click.echo(f"dispatched {len(reap())} job(s)")

    @jobs_group.command("list")
    def list_command() -> None:
        """The 20 newest jobs: id, kind, status, progress, attempts, error."""
        for job in db.session.scalars(select(Job).order_by(Job.created_at.desc()).limit(20)):
            fields = (job.id, job.kind, job.status, f"{job.progress}%", job.attempts, job.error)
            click.echo("\t".join("" if field is None else str(field) for field in fields))
