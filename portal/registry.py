"""The public portal's sections (`/public/`, no sign-in): each app that publishes something
to the public — the complaint channels and the online complaint form (M3), the guiding
cases (M11.3), the appraisal results (M9.5) — registers a section in its ``ready()``:

    from portal import registry
    registry.register(registry.Section("complaints", "投诉举报", "complaints:public_new",
                                       "在线提交对行政执法的投诉、举报，并凭查询码查询办理情况。", order=10))

The portal's home lists the sections in order and its navigation bar links to each, so a
section that is not registered is not linked anywhere. A section's pages extend
``portal/base.html`` (blocks ``title`` and ``content``), never the staff layout: they show
no staff menu, no inbox, and nothing but what the public may read."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url_name: str
    description: str = ""
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a section of the public portal."""
    _SECTIONS[section.key] = section
    return section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
