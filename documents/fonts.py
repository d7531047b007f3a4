"""Fonts of official documents (GB/T 9704-2012): the standard faces when the bureau has
them, the open Debian faces otherwise, and never a missing glyph.

The standard faces are looked for in two places: files in ``settings.FONT_DIR`` (declared
with ``@font-face`` under an alias, so a licensed file works without installing it
system-wide) and fonts installed on the system (by family name). Every stack ends with
Noto Serif CJK SC and Noto Sans CJK SC, which cover all of GB 18030's common characters:
Pango falls back per character along the stack, so a character missing from a licensed
face (仿宋_GB2312 covers GB 2312 only) is drawn by the next face instead of a blank box.
"""
from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The Debian faces every stack ends with (fonts-noto-cjk, fonts-arphic-ukai).
NOTO_SERIF = "Noto Serif CJK SC"
NOTO_SANS = "Noto Sans CJK SC"
UKAI = "AR PL UKai CN"
COVERAGE_FAMILIES = (NOTO_SERIF, NOTO_SANS)


@dataclass(frozen=True)
class Face:
    """One role in the layout: the standard face's known names and the open fallback."""

    role: str
    label: str
    standard_names: tuple[str, ...]
    fallback: tuple[str, ...]
    # The weight that makes the fallback look like the standard face (小标宋 is a heavy
    # Song; Noto Serif Bold stands in for it). The standard face itself is used at 400.
    fallback_weight: int = 400


FACES: tuple[Face, ...] = (
    Face("xbs", "方正小标宋", ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S",
                              "FZXiaoBiaoSong-B05", "方正小标宋"), (NOTO_SERIF,), 700),
    Face("fangsong", "仿宋_GB2312", ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong",
                                    "STFangsong"), (NOTO_SERIF,)),
    Face("hei", "黑体", ("黑体", "SimHei", "方正黑体简体", "FZHei-B01S"), (NOTO_SANS,)),
    # 页码 are 4号 半角宋体 Arabic numerals.
    Face("song", "宋体", ("宋体", "SimSun", "方正书宋简体"), (NOTO_SERIF,)),
    Face("kai", "楷体_GB2312", ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti"),
         (UKAI, NOTO_SERIF)),
)


@dataclass(frozen=True)
class FontPlan:
    font_faces_css: str  # @font-face rules for licensed files in FONT_DIR
    stacks: dict[str, str]  # role → CSS font-family value
    weights: dict[str, int]  # role → CSS font-weight
    standard: dict[str, bool]  # role → whether the standard face is available

    def css_variables(self) -> dict[str, str]:
        return {f"{role}_family": stack for role, stack in self.stacks.items()} | {
            f"{role}_weight": str(weight) for role, weight in self.weights.items()}


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


@functools.lru_cache(maxsize=1)
def _system_families() -> frozenset[str]:
    try:
        out = subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True,
                             text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def _font_names(path: Path) -> set[str]:
    """Family and full names (every language) of each face in a font file."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if path.suffix.lower() in {".ttc", ".otc"}:
            fonts = TTCollection(str(path), lazy=True).fonts
        else:
            fonts = [TTFont(str(path), lazy=True)]
        names = set()
        for font in fonts:
            for record in font["name"].names:
                if record.nameID in (1, 4, 16):
                    try:
                        names.add(record.toUnicode().strip())
                    except UnicodeDecodeError:
                        continue
        return names
    except Exception:  # an unreadable file in FONT_DIR is skipped, not fatal
        return set()


@functools.lru_cache(maxsize=4)
def _licensed_files(font_dir: str) -> dict[str, Path]:
    """role → file in FONT_DIR that holds the standard face for it."""
    found: dict[str, Path] = {}
    if not font_dir or not Path(font_dir).is_dir():
        return found
    files = sorted(p for p in Path(font_dir).iterdir()
                   if p.suffix.lower() in {".ttf", ".otf", ".ttc", ".otc"})
    for path in files:
        names = _font_names(path)
        for face in FACES:
            if face.role not in found and names & set(face.standard_names):
                found[face.role] = path
    return found


def font_plan() -> FontPlan:
    licensed = _licensed_files(settings.FONT_DIR)
    installed = _system_families()
    rules, stacks, weights, standard = [], {}, {}, {}
    for face in FACES:
        names: list[str] = []
        if face.role in licensed:
            alias = f"GWB {face.label}"
            rules.append("@font-face { font-family: %s; src: url(%s); }"
                         % (_quote(alias), _quote(licensed[face.role].resolve().as_uri())))
            names.append(alias)
        names += [n for n in face.standard_names if n in installed]
        standard[face.role] = bool(names)
        weights[face.role] = 400 if names else face.fallback_weight
        names += [*face.fallback, *(f for f in COVERAGE_FAMILIES if f not in face.fallback)]
        stacks[face.role] = ", ".join(_quote(n) for n in dict.fromkeys(names))
    return FontPlan("\n".join(rules), stacks, weights, standard)


@functools.lru_cache(maxsize=1)
def _covered_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    covered: set[int] = set()
    for family in COVERAGE_FAMILIES:
        try:
            path = subprocess.run(["fc-match", "--format", "%{file}", family],
                                  capture_output=True, text=True, check=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if not path:
            continue
        fonts = (TTCollection(path, lazy=True).fonts
                 if path.lower().endswith((".ttc", ".otc")) else [TTFont(path, lazy=True)])
        for font in fonts:
            if family in {r.toUnicode() for r in font["name"].names if r.nameID in (1, 16)}:
                covered.update(font.getBestCmap())
                break
    return frozenset(covered)


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that no face of the document can draw (in order, once)."""
    covered = _covered_codepoints()
    if not covered:  # the fonts are not installed at all: the render check fails loudly
        raise RuntimeError(f"{NOTO_SERIF} is not installed (make deps installs fonts-noto-cjk)")
    return list(dict.fromkeys(
        ch for ch in text if not ch.isspace() and ord(ch) not in covered))
