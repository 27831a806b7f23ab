"""`rkpk db_worker`: django-tasks-db's worker, with a lease on each job it runs.

Same options as the library's command. Each job runs under a JobLease renewed by a
heartbeat; jobs left RUNNING by a crashed worker are put back in the queue at start and
every lease time (see rkpk.core.jobs).
"""

from django_tasks_db.management.commands import db_worker

from rkpk.core import jobs


class LeasedWorker(db_worker.Worker):
    def run(self) -> None:
        for stuck in jobs.recover_stuck():
            db_worker.logger.warning(
                "Recovered job %s (%s): %s, %s.",
                stuck.id,
                stuck.task_name,
                stuck.reason,
                stuck.action,
            )
        self.heartbeat = jobs.Heartbeat()
        self.heartbeat.last_recovery = jobs.timezone.now()
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()

    def run_task(self, db_task_result) -> None:
        jobs.take_lease(db_task_result.pk, self.worker_id)
        self.heartbeat.current = db_task_result.pk
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.current = None
            jobs.release_lease(db_task_result.pk)


class Command(db_worker.Command):
    help = (
        "Run the background worker: jobs are leased while they run, and jobs left running "
        "by a crashed worker are run again."
    )

    def handle(self, *args, **options):
        # The library's handle() builds its Worker by name; ours replaces it for this call.
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
