"""Demo records of the deadlines app (``manage.py seed_demo``): the current period's
recurring duties in force (``deadlines.recurring``) for every demo unit that owes them."""
from core.demo import register_seeder

from . import services


@register_seeder
def seed_recurring_duties() -> None:
    services.deadlines_open_recurring()
