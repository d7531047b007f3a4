"""The dashboard's one registry: each mechanism contributes a ``Provider`` whose ``build``
returns a ``Panel`` of figures (each with the URL of the filtered list behind it), tables
and charts for the viewer's scope and period.

Providers live in their own apps, in a module named ``<app>/dashboard.py`` that the
dashboard imports at start-up (``autodiscover``), so adding a mechanism changes no
dashboard code. Every deadline rule is shown without any provider at all: the deadline
figures come generically from ``deadlines.Deadline`` (``dashboard.deadline_figures``).

A provider reads only through its own app's models or selectors, with aggregate queries
whose number does not depend on the data (figures are counted by the database, never by
loading rows into Python).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import operator
import re
from html import escape  # the standard library's: Django's adds a lazy-text check per call
from dataclasses import dataclass, field
from typing import Callable, Mapping, NamedTuple, Protocol, Sequence
from urllib.parse import quote_plus

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.db.models import Q
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import mark_safe

from core import kinds, policy, prepared
from core.models import Organization, User

# --- what a provider receives ---------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included (Asia/Shanghai)."""

    kind: str  # month / quarter / year / custom
    start: dt.date
    end: dt.date
    label: str

    @property
    def start_at(self) -> dt.datetime:
        """The first instant of the period."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        """The first instant after the period (midnight after ``end``)."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))


@dataclass(frozen=True)
class Scope:
    """Whose figures the page shows: the viewer's organisations (the whole district for
    the justice bureau), narrowed by the organisation filter, over a period."""

    user: User
    viewer: policy.Viewer
    period: Period
    now: dt.datetime
    # The organisations shown, in display order; ``org_ids`` None means the whole
    # district (the justice bureau without an organisation filter: no WHERE at all).
    organizations: tuple[Organization, ...]
    org_ids: frozenset[int] | None
    # The name of every organisation whose rows the page may list (id → name).
    names: Mapping[int, str] = field(default_factory=dict, compare=False, repr=False)
    # Reads several parts of the page share within one request (scope.memo(key, fn)).
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: str, fn: Callable[[], object]):
        """``fn()`` once per page: the deadline panel and 需关注 read the same tally rows."""
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    @functools.cached_property
    def key(self) -> tuple:
        """What a panel's statement depends on besides the time now (``core.prepared``):
        who looks, the organisation filter, the period, the kinds of record the deadline
        and attachment scopes follow (``core.kinds``; the justice bureau's scopes are
        whole tables) — and the day, so nothing a statement might hold of today outlives
        it."""
        p = self.period
        followed = () if self.viewer.sees_all else kinds.signature()
        return (self.viewer, self.org_ids, p.kind, p.start, p.end, timezone.localdate(self.now),
                followed)

    def values(self, name: str, build: Callable, **inputs) -> list[dict]:
        """``list(build(**inputs))``, the ``.values()`` statement built once for this
        scope's ``key`` and sent again on every view (``core.prepared``). ``build`` reads
        only the scope and ``inputs``."""
        return prepared.values((name,) + self.key, build, **inputs)

    def aggregate(self, name: str, build: Callable, aggregates: dict, **inputs) -> dict:
        """``build(**inputs).aggregate(**aggregates)``, as ``values``."""
        return prepared.aggregate((name,) + self.key, build, aggregates, **inputs)

    def rows(self, model: type, *parties: str):
        """The viewer's rows of ``model`` (its visibility scope), narrowed when the scope
        is to the rows one of whose ``parties`` (fields naming an organisation) is one of
        the scope's organisations."""
        qs = policy.visible_to(self.user, model)
        if self.org_ids is None or not parties:
            return qs
        ids = sorted(self.org_ids)
        return qs.filter(functools.reduce(operator.or_, [Q(**{f"{p}__in": ids}) for p in parties]))

    def org_filter(self, lookup: str) -> dict:
        """``{lookup + '__in': ids}`` when the scope is narrowed, else nothing."""
        return {} if self.org_ids is None else {f"{lookup}__in": sorted(self.org_ids)}


# --- what a provider returns -------------------------------------------------------------


class Figure(NamedTuple):
    """One number and the filtered list that it counts (``url`` empty: no list exists).
    A named tuple: the organisation × mechanism table alone has thousands of them."""

    value: int | float | None
    url: str = ""
    percent: bool = False  # a rate in [0, 1], shown as a percentage

    @property
    def text(self) -> str:
        return _text(self.value, self.percent)

    @property
    def html(self) -> str:
        return _figure_html(*self)


def _text(value, percent: bool) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.1f}%"
    return str(value)


def _figure_html(value, url: str, percent: bool) -> str:
    """The number, as a link to its list when there is one. ``list_url`` builds URLs from a
    reversed (URI-quoted) path and percent-encoded parameters, so "&" is the only
    character to escape — done by hand because a table has thousands of cells."""
    if url and value is not None:
        return f'<a href="{url.replace("&", "&amp;")}" class="figure-link">{_text(value, percent)}</a>'
    return _text(value, percent)


@dataclass(frozen=True)
class Metric:
    label: str
    figure: Figure
    tone: str = ""  # Bootstrap contextual colour for the headline card: danger, warning …


@dataclass(frozen=True)
class Row:
    label: str
    cells: Sequence[Figure]
    url: str = ""  # the row label's link (the organisation's or the rule's list)
    light: str = ""  # red / yellow / green (organisation rows of the deadline table)

    @property
    def cells_html(self) -> str:
        """The row's <td>s, built here rather than in a template loop: the organisation ×
        mechanism table has thousands of cells."""
        html = _figure_html
        return mark_safe("".join([f'<td class="text-end">{html(*cell)}</td>' for cell in self.cells]))


_LIGHTS = {"red": ("红灯", "红灯：有逾期"), "yellow": ("黄灯", "黄灯：一个工作日内有到期"),
           "green": ("绿灯", "绿灯")}


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: Sequence[str]
    rows: Sequence[Row]
    # Column groups above the columns, for the organisation × mechanism table:
    # (label, how many columns it spans).
    groups: Sequence[tuple[str, int]] = ()
    row_header: str = "单位"

    @property
    def html(self) -> str:
        """The whole <table>, built here in one pass: the dashboard shows a dozen tables
        and the organisation × mechanism one has thousands of cells, which a template loop
        renders ten times slower. Every text is escaped; figures build their own links."""
        e = escape
        head_cells = "".join(f'<th scope="col" class="text-end">{e(c)}</th>' for c in self.columns)
        if self.groups:
            groups = "".join(f'<th scope="colgroup" colspan="{span}" class="text-center">{e(label)}</th>'
                             for label, span in self.groups)
            thead = (f'<tr><th scope="col" rowspan="2">{e(self.row_header)}</th>{groups}</tr>'
                     f"<tr>{head_cells}</tr>")
        else:
            thead = f'<tr><th scope="col">{e(self.row_header)}</th>{head_cells}</tr>'
        body = []
        for row in self.rows:
            light = ""
            if row.light:
                label, title = _LIGHTS[row.light]
                light = (f'<span class="light light-{row.light}" role="img" aria-label="{label}" '
                         f'title="{title}"></span>')
            name = (f'<a href="{e(row.url)}">{e(row.label)}</a>' if row.url else e(row.label))
            body.append(f'<tr><th scope="row" class="fw-normal text-nowrap">{light}{name}</th>'
                        f"{row.cells_html}</tr>")
        if not body:
            body.append(f'<tr><td colspan="{len(self.columns) + 1}" class="text-muted">'
                        "本期间没有数据。</td></tr>")
        return mark_safe(
            '<div class="table-responsive dashboard-table">'
            '<table class="table table-sm table-bordered table-hover align-middle mb-3" '
            f'id="table-{e(self.key)}"><caption class="caption-top fw-semibold text-body">'
            f'{e(self.caption)}</caption><thead class="table-light">{thead}</thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


@dataclass(frozen=True)
class GridRow:
    label: str
    url: str  # the row label's link
    param: str  # the row's part of every cell's query string, e.g. "organization=12"
    values: Sequence  # per group, one value per kind of column
    light: str = ""


@dataclass(frozen=True)
class Grid:
    """A large table of linked figures, column groups × rows — the organisation × mechanism
    table — sent to the page as data and drawn there by dashboard.js. At 38 units and 22
    rules its 2,508 links were 330 KB of the 494 KB page and about a fifth of the page's
    time; as data they are 18 KB. Reads like a ``Table`` (``columns``, ``groups``, ``rows``
    of ``Figure``s) for the Excel export and the tests.

    The link of a cell is ``{group url}&{row param}&{kind query}`` — what ``list_url``
    builds from the group's parameters, then the row's, then the kind's; a group with no
    URL has no links (its list does not exist)."""

    key: str
    caption: str
    sections: Sequence[tuple[str, str]]  # column groups: (label, list URL with their parameters)
    kinds: Sequence[tuple[str, str, bool]]  # (column label, query part, percent)
    grid_rows: Sequence[GridRow]
    row_header: str = "单位"

    @property
    def columns(self) -> list[str]:
        return [label for label, _q, _p in self.kinds] * len(self.sections)

    @property
    def groups(self) -> list[tuple[str, int]]:
        """(label, how many columns it spans), as ``Table.groups``."""
        return [(label, len(self.kinds)) for label, _url in self.sections]

    @functools.cached_property
    def rows(self) -> list[Row]:
        kinds, n = self.kinds, len(self.kinds)
        out = []
        for row in self.grid_rows:
            cells = []
            for g, (_label, url) in enumerate(self.sections):
                for k, (_l, query, percent) in enumerate(kinds):
                    cells.append(Figure(row.values[g * n + k],
                                        url and f"{url}&{row.param}&{query}", percent))
            out.append(Row(row.label, cells, url=row.url, light=row.light))
        return out

    def data(self) -> dict:
        """What the page's script draws from: values as shown (rates formatted here, so the
        page and the export agree to the digit)."""
        n = len(self.kinds)
        percent = [p for _l, _q, p in self.kinds]
        rows = []
        for row in self.grid_rows:
            values = list(row.values)
            for i, value in enumerate(values):
                if value is None:
                    values[i] = "—"
                elif percent[i % n]:
                    values[i] = f"{value * 100:.1f}%"
            rows.append([row.label, row.url, row.light, row.param, values])
        return {"groups": [url for _label, url in self.sections],
                "kinds": [query for _l, query, _p in self.kinds],
                "lights": {k: list(v) for k, v in _LIGHTS.items()}, "rows": rows}

    @property
    def html(self) -> str:
        """The table's head; its body is drawn from the data beside it."""
        e = escape
        groups = "".join(f'<th scope="colgroup" colspan="{span}" class="text-center">{e(label)}</th>'
                         for label, span in self.groups)
        head_cells = "".join(f'<th scope="col" class="text-end">{e(c)}</th>' for c in self.columns)
        return mark_safe(
            '<div class="table-responsive dashboard-table">'
            '<table class="table table-sm table-bordered table-hover align-middle mb-3" '
            f'id="table-{e(self.key)}" data-grid="grid-{e(self.key)}">'
            f'<caption class="caption-top fw-semibold text-body">{e(self.caption)}</caption>'
            f'<thead class="table-light"><tr><th scope="col" rowspan="2">{e(self.row_header)}</th>'
            f"{groups}</tr><tr>{head_cells}</tr></thead><tbody></tbody></table>"
            '<noscript><p class="text-muted small">此表由页面脚本绘制：请启用脚本，或导出 Excel 查看。</p></noscript>'
            f"</div>{json_script(self.data(), f'grid-{self.key}')}")


@dataclass(frozen=True)
class Chart:
    """An ECharts chart; ``table`` carries the same figures for printing and screen
    readers, so the chart is drawn from the table (categories = rows, series = columns)."""

    key: str
    title: str
    table: Table
    kind: str = "bar"  # bar / line
    stacked: bool = False
    percent: bool = False
    # A table of the page that already shows these figures (with its own totals or
    # columns): the chart points to it rather than repeating them under itself, on
    # screen and on paper.
    see: Table | None = None

    def option(self) -> dict:
        """The data the page's script turns into an ECharts option."""
        return {
            "kind": self.kind,
            "stacked": self.stacked,
            "percent": self.percent,
            "categories": [row.label for row in self.table.rows],
            "series": [
                {"name": column,
                 "data": [row.cells[i].value for row in self.table.rows]}
                for i, column in enumerate(self.table.columns)
            ],
        }


@dataclass
class Panel:
    """One mechanism's part of the dashboard. Its ``metrics`` are its headline figures, on
    the first screen (总览) with every other panel's; its description, charts and tables are
    its own tab — so each new mechanism adds a tab, not a screen of height to the page.
    ``overview_tables``: keys of tables that belong on the first screen instead (each
    unit's light, of the deadline panel)."""

    key: str
    title: str
    order: int = 100
    description: str = ""
    metrics: list[Metric] = field(default_factory=list)
    tables: list[Table | Grid] = field(default_factory=list)  # Grid: drawn from data
    charts: list[Chart] = field(default_factory=list)
    overview_tables: tuple[str, ...] = ()

    # The panel's cards, charts and tables as HTML, built here in one pass: a dozen cards
    # and six chart blocks of template tags cost more than the figures in them.

    @property
    def has_tab(self) -> bool:
        """Whether the panel has anything beyond its headline figures (its own tab)."""
        return bool(self.description or self.charts or self._tab_tables)

    @property
    def _tab_tables(self) -> list[Table | Grid]:
        return [t for t in self.tables if t.key not in self.overview_tables]

    def overview_html(self, under_metrics: str = "") -> str:
        """The panel's headline figures on the first screen: its title (opening its tab),
        its cards and ``under_metrics`` (需关注, for the deadline panel)."""
        e = escape
        key = e(self.key)
        more = (f'<a class="small ms-2 no-print" href="#tab-{key}" data-tab-link="{key}">查看详情</a>'
                if self.has_tab else "")
        return mark_safe(
            f'<section class="dashboard-panel dashboard-headline mb-3" id="panel-{key}" '
            f'aria-labelledby="panel-{key}-title">'
            f'<h2 class="h6 border-bottom pb-1 d-flex align-items-baseline" id="panel-{key}-title">'
            f'{e(self.title)}{more}</h2>{self.metrics_html}{under_metrics}</section>')

    def tab_html(self) -> str:
        """The panel's own tab: its description, charts and tables."""
        e = escape
        description = f'<p class="small text-muted">{e(self.description)}</p>' if self.description else ""
        return mark_safe(
            f'<section class="dashboard-panel mb-4" aria-label="{e(self.title)}">'
            f'{description}{self.charts_html}{"".join(t.html for t in self._tab_tables)}</section>')

    @property
    def overview_tables_html(self) -> str:
        """The tables of ``overview_tables``, shown on the first screen under every
        mechanism's headline figures."""
        return mark_safe("".join(t.html for t in self.tables if t.key in self.overview_tables))


    @property
    def metrics_html(self) -> str:
        cards = []
        for metric in self.metrics:
            tone = escape(metric.tone)
            border, text = (f" border-{tone}", f" text-{tone}") if tone else ("", "")
            cards.append(
                f'<div class="col-6 col-md-3 col-xl"><div class="card metric h-100{border}">'
                f'<div class="card-body py-2"><div class="small text-muted">{escape(metric.label)}</div>'
                f'<div class="fs-4 fw-semibold{text}">{metric.figure.html}</div></div></div></div>')
        return mark_safe(f'<div class="row g-2 mb-3">{"".join(cards)}</div>' if cards else "")

    @property
    def charts_html(self) -> str:
        """Each chart's place (drawn by dashboard.js from the page's chart data) and, under
        it, its figures as a table for printing and screen readers — or a link to the
        table of the page that already shows them (``Chart.see``; such a chart is left off
        paper, where that table stands in for it)."""
        blocks = [
            f'<div class="col-12 col-lg-6 chart-block{" chart-refers" if chart.see is not None else ""}">'
            f'<h3 class="h6">{escape(chart.title)}</h3>'
            f'<div class="chart" data-chart="{escape(chart.key)}" aria-hidden="true"></div>'
            + (f'<p class="small text-muted">图中数据见表'
               f'<a href="#table-{escape(chart.see.key)}">「{escape(chart.see.caption)}」</a>。</p>'
               if chart.see is not None else
               '<details class="chart-data"><summary class="small no-print">查看数据表</summary>'
               f"{chart.table.html}</details>")
            + "</div>"
            for chart in self.charts]
        return mark_safe(f'<div class="row g-3 mb-2">{"".join(blocks)}</div>' if blocks else "")


def overview_html(panels: list[Panel], under: dict[str, str]) -> str:
    """The first screen (总览): the first panel's headline (the deadlines', with 需关注)
    across the page, every other mechanism's headline figures two to a row, then the
    overview tables (each unit's light)."""
    if not panels:
        return ""
    first, rest = panels[0], panels[1:]
    cells = "".join(f'<div class="col-12 col-xl-6">{p.overview_html(under.get(p.key, ""))}</div>'
                    for p in rest)
    return mark_safe(
        first.overview_html(under.get(first.key, ""))
        + (f'<div class="row gx-4">{cells}</div>' if cells else "")
        + "".join(p.overview_tables_html for p in panels))


class Provider(Protocol):
    key: str
    title: str
    order: int

    def build(self, scope: Scope) -> Panel | None:
        """The panel for ``scope``, or None when it has nothing to show to this viewer."""


@dataclass(frozen=True)
class SimpleProvider:
    """A provider made of a function — what most apps need."""

    key: str
    title: str
    build_fn: Callable[[Scope], Panel | None]
    order: int = 100

    def build(self, scope: Scope) -> Panel | None:
        return self.build_fn(scope)


_PROVIDERS: dict[str, Provider] = {}
_URL_SAFE = re.compile(r"[A-Za-z0-9_.\-]*")


def register(provider: Provider) -> Provider:
    """Add (or replace, by key) a provider; call it at import of ``<app>/dashboard.py``."""
    _PROVIDERS[provider.key] = provider
    return provider


def provider(key: str, title: str, order: int = 100):
    """Decorator form: ``@registry.provider("cases", "执法案件", order=20)`` on ``build(scope)``."""

    def decorate(fn: Callable[[Scope], Panel | None]) -> Callable[[Scope], Panel | None]:
        register(SimpleProvider(key=key, title=title, build_fn=fn, order=order))
        return fn

    return decorate


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def autodiscover() -> None:
    """Import ``<app>.dashboard`` of every installed app (each registers its providers)."""
    autodiscover_modules("dashboard")


def build_panels(scope: Scope) -> list[Panel]:
    panels = []
    for p in providers():
        panel = p.build(scope)
        if panel is not None:
            panels.append(panel)
    return panels


def json_script(value, element_id: str) -> str:
    """Django's ``json_script`` (the value as JSON in a <script>, with the characters that
    could end or confuse the element escaped), escaping with three C-level replaces: its
    ``str.translate`` with a mapping costs ~1 ms per 30 KB — the organisation ×
    mechanism data."""
    text = (json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
            .replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E"))
    return mark_safe(f'<script id="{escape(element_id)}" type="application/json">{text}</script>')


# --- links -----------------------------------------------------------------------------


def list_url(url_name: str, **params) -> str:
    """The URL of a filtered list, or "" while that list page does not exist (so the
    figure is shown without a link: what is not built is not linked)."""
    base = _base_url(url_name)
    if not base:
        return ""
    query = query_string(**params)
    return f"{base}?{query}" if query else base


class LinkSet:
    """The lists behind a row's figures: each figure's list takes the row's parameters
    first (its unit, its rule), then its own (a state, a period) — ``list_url(url_name,
    **row, **kind)`` with each kind's query string made once per page, not once per row
    (a page has some two hundred such rows)."""

    def __init__(self, url_name: str, kinds: dict[str, dict]) -> None:
        self.base = _base_url(url_name)
        self.queries = {kind: query_string(**params) for kind, params in kinds.items()}

    def urls(self, **row) -> dict[str, str]:
        """kind → URL, for the row's parameters."""
        if not self.base:
            return {kind: "" for kind in self.queries}
        head = query_string(**row)
        urls = {}
        for kind, q in self.queries.items():
            query = f"{head}&{q}" if head and q else head or q
            urls[kind] = f"{self.base}?{query}" if query else self.base
        return urls


def query_string(**params) -> str:
    """``k=v&…`` of the non-empty parameters, in order, percent-encoded as list_url does."""
    return "&".join([_pair(k, v) for k, v in params.items() if v is not None and v != ""])


@functools.lru_cache(maxsize=8192, typed=True)  # typed: True and 1 encode differently
def _pair(key: str, value) -> str:
    """``key=value``, the value percent-encoded (ids, codes and dates pass as they are):
    a page repeats a few hundred pairs (its units, rules and period) in its links."""
    text = str(value)
    return f"{key}={text if _URL_SAFE.fullmatch(text) else quote_plus(text)}"


@functools.lru_cache(maxsize=64)
def _base_url(url_name: str) -> str:
    """reverse() once per list (thousands of figures link to the same few lists), with the
    project's URLconf: ``get_urlconf()`` (a thread-local lookup, ~8 µs) and even reading
    ``settings.ROOT_URLCONF`` (a lazy-object lookup) cost a fifth of the page over two
    thousand figures. This project sets no per-request URLconf (``request.urlconf``); a
    change of ROOT_URLCONF (tests) empties the cache (``_urlconf_changed``)."""
    try:
        return reverse(url_name, urlconf=settings.ROOT_URLCONF)
    except NoReverseMatch:
        return ""


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _base_url.cache_clear()
