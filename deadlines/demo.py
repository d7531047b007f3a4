"""Demo records of the deadlines app (``manage.py seed_demo``): the current period's
recurring duties of every demo unit, so 我的时限 is not empty on first start."""
from core.demo import register_seeder

from . import services


@register_seeder
def seed_recurring_duties() -> None:
    services.deadlines_open_recurring()
