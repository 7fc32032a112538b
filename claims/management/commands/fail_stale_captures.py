"""The former name of interrupt_stale_jobs, kept for existing cron jobs and unit files."""

from claims.management.commands import interrupt_stale_jobs


class Command(interrupt_stale_jobs.Command):
    help = "Former name of interrupt_stale_jobs (now for every kind of job): " + (
        interrupt_stale_jobs.Command.help
    )
