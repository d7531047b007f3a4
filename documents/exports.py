"""The document list as Excel (core.exports): the rows and filters of the list page."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Sequence

from django.db.models import QuerySet

from core import pages
from core.exports import Exporter
from core.models import User

from .forms import DocumentFilterForm
from .models import Document
from .selectors import document_list


def _queryset(user: User, params: Mapping[str, str]) -> QuerySet[Document]:
    return pages.filtered(DocumentFilterForm, params, lambda filters: document_list(user, filters))


def _rows(user: User, documents: Iterable[Document]) -> Iterator[Sequence[Any]]:
    for d in documents:
        yield (d.number, d.version, d.title, d.kind_title, d.issuer.name,
               d.addressee.name if d.addressee else "", d.issued_at, d.get_status_display(),
               d.void_reason)


DOCUMENT_EXPORTER = Exporter(
    kind="documents", title="公文目录", capability="document.export",
    headers=("发文字号", "版本", "标题", "文种", "发文机关", "主送单位", "签发时间", "状态",
             "作废理由"),
    queryset=_queryset, rows=_rows,
)
