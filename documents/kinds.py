"""The registry of document kinds. Each app registers the kinds it issues (SPEC,
"Documents the system issues") in its AppConfig.ready(); the template lives under the
app's own ``templates/<app>/documents/`` and extends ``documents/base_document.html``.

The number of a document is issuer short name + ``number_code`` + year + sequence:
北司监〔2026〕7号.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str  # 行政执法监督通知书: the default title and the name in lists
    template: str
    number_code: str  # 监 in 北司监〔2026〕7号
    # Sample data for `manage.py render_document --sample <code>` and the benchmark.
    sample: Callable[[], dict] | None = None
    # data key → label: the keys ``document_issue`` requires (named in its message).
    required: dict[str, str] = field(default_factory=dict)
    # The capability an issuer needs (checked for the issuing organisation).
    capability: str = "document.issue"
    # 发文机关标志 is the issuer's full name followed by this word (“……文件”).
    header_suffix: str = "文件"


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"document kind {kind.code!r} registered twice")
    _KINDS[kind.code] = kind
    return kind


def kind(code: str) -> DocumentKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unknown document kind {code!r}") from None


def all_kinds() -> list[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def choices() -> list[tuple[str, str]]:
    return [(k.code, k.title) for k in all_kinds()]
