"""The claims app's configuration."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate, pre_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Verification"

    def ready(self):
        from claims.corroboration import generation
        from claims.listing import data_version

        # After every migrate: a table made or remade since has its triggers again.
        post_migrate.connect(data_version.install, sender=self, dispatch_uid="data-version")
        post_migrate.connect(generation.install, sender=self, dispatch_uid="figures-generation")
        # Before: SQLite could not remake a table that another table's figures trigger names.
        pre_migrate.connect(generation.uninstall, sender=self, dispatch_uid="figures-generation")
        # After the password, a user with a second factor still owes the code.
        user_logged_in.connect(_second_factor_pending, dispatch_uid="second-factor-pending")


def _second_factor_pending(sender, request, user, **kwargs):
    from claims.access import second_factor

    if request is not None and hasattr(request, "session"):
        second_factor.begin_pending(request, user)
