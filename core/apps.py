from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _fill_empty_tallies(sender, using, **kwargs) -> None:
    """A tally created by a migration on a database that already holds its source rows
    starts empty: count it once (core.tallies). Run after the last app's migrations —
    the last app with models: Django sends post_migrate for those only."""
    from django.apps import apps

    from . import tallies

    if sender is not [a for a in apps.get_app_configs() if a.models_module is not None][-1]:
        return
    for tally in tallies.registered().values():
        if not tally.model.objects.using(using).exists() and tally.source().using(using).exists():
            tallies.rebuild(tally)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础：用户、单位与审计"

    def ready(self) -> None:
        from . import exports, login, navigation, selectors  # noqa: F401  (scopes, sign-in signals)
        from .audit_trail import EVENT_EXPORTER

        exports.register(EVENT_EXPORTER)
        post_migrate.connect(_fill_empty_tallies, dispatch_uid="core.fill_empty_tallies")
        login.connect_lockout_audit()

        navigation.register(
            navigation.NavItem("审计记录", "core:event_list", "audit.view",
                               "谁在何时做了什么：每一次修改的记录。", order=900, group="system"),
        )
