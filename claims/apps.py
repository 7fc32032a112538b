"""The claims app's configuration."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Verification"

    def ready(self):
        from claims.listing import data_version

        # After every migrate: a table made or remade since has its triggers again.
        post_migrate.connect(data_version.install, sender=self, dispatch_uid="data-version")
