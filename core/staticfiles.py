"""The production storage of static files (settings.STATIC_MANIFEST): whitenoise's
compressed manifest storage — content hashes in the names, gzip and brotli copies made
once by `collectstatic`."""
from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _pattern_text(pattern) -> str:
    return pattern if isinstance(pattern, str) else pattern[0]


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Django's rewriting of references, less the source-map comments: the vendored
    Bootstrap files end with ``sourceMappingURL=….map`` naming maps that are not shipped
    (static/vendor/), and rewriting a reference to a missing file stops collectstatic.
    The comments stay as they are; a browser asks for a map only with its developer tools
    open, and gets a 404."""

    patterns = tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in _pattern_text(p)))
        for glob, rules in CompressedManifestStaticFilesStorage.patterns
    )
