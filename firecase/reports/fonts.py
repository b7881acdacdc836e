"""Fonts of the printed reports: which faces, their registration, and the glyph check.

Every string a report prints passes through :meth:`FontSet.markup` before the PDF is built.
Each character is looked up in the character map (cmap) of the face it is meant to be set in;
a character that face lacks is wrapped in ``<font name=…>`` of the first fallback face that has
it, and a character no face has raises :class:`MissingGlyphError` naming the character and the
place it came from. So no character prints blank.

The bundled faces live in ``resources/fonts`` (see its README): AR PL UMing CN (Song/Ming, the
body and title) and WenQuanYi Micro Hei (黑体-like, the headings). A user may choose system
TrueType fonts instead (settings pass their paths); the bundled faces remain the fallbacks.
Glyphs are embedded as subsets (TrueType ``FontFile2``); CFF/OpenType-PostScript fonts are
refused with a message, because ReportLab cannot embed them.

Registered fonts are cached per process (``pdfmetrics`` is global); registration is guarded by a
lock so reports may be built from a worker thread.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from firecase.errors import FirecaseError, ValidationError
from firecase.paths import resource

__all__ = [
    "FontConfig",
    "FontError",
    "FontFace",
    "FontSet",
    "MissingGlyphError",
]

# Characters that are meant to be invisible: dropped before the check instead of refused.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\r")


class FontError(FirecaseError):
    """A font file cannot be used for the reports (missing, unreadable, or not TrueType)."""


class MissingGlyphError(ValidationError):
    """A character to be printed has no glyph in any available font.

    ``char`` is the character, ``where`` says which report field or section holds it.
    """

    def __init__(self, char: str, where: str) -> None:
        self.char = char
        self.where = where
        super().__init__(
            f"无法打印字符“{char}”（U+{ord(char):04X}）：所有可用字体都没有这个字，"
            f"打印出来会是空白。位置：{where}。"
            "请核对该字是否录入有误，或在设置中选择包含该字的字体。",
            field=where,
        )


@dataclass(frozen=True)
class FontFace:
    """One TrueType face: a ``.ttf`` file, or one subfont of a ``.ttc`` collection."""

    path: Path
    subfont_index: int = 0

    @classmethod
    def bundled_song(cls) -> FontFace:
        """AR PL UMing CN, the bundled Song/Ming face (body, title)."""
        return cls(resource("fonts", "uming.ttc"), 0)

    @classmethod
    def bundled_hei(cls) -> FontFace:
        """WenQuanYi Micro Hei, the bundled sans face (headings, table headers)."""
        return cls(resource("fonts", "wqy-microhei.ttc"), 0)


@dataclass(frozen=True)
class FontConfig:
    """Which faces a report uses. ``title`` None means the body face, stroked to look heavy.

    ``fallbacks`` are tried in order for a character the intended face lacks.
    """

    body: FontFace
    heading: FontFace
    title: FontFace | None = None
    fallbacks: tuple[FontFace, ...] = ()

    @classmethod
    def bundled(cls) -> FontConfig:
        """The bundled fonts only: UMing body and title, WenQuanYi headings."""
        song, hei = FontFace.bundled_song(), FontFace.bundled_hei()
        return cls(body=song, heading=hei, title=None, fallbacks=(song, hei))

    @classmethod
    def with_system_fonts(
        cls,
        body: Path | None = None,
        heading: Path | None = None,
        title: Path | None = None,
    ) -> FontConfig:
        """User-chosen system fonts (e.g. ``simfang.ttf``), the bundled ones as fallbacks.

        A ``.ttc`` path uses its first subfont. ``None`` keeps the bundled face for that role.
        """
        song, hei = FontFace.bundled_song(), FontFace.bundled_hei()
        return cls(
            body=FontFace(body) if body else song,
            heading=FontFace(heading) if heading else hei,
            title=FontFace(title) if title else None,
            fallbacks=(song, hei),
        )


@dataclass(frozen=True)
class _LoadedFace:
    name: str  # registered pdfmetrics name
    face: FontFace
    covered: frozenset[int]  # code points with a real glyph (not .notdef)
    display_name: str


_lock = threading.Lock()
_loaded: dict[tuple[str, int, int], _LoadedFace] = {}


def _load(face: FontFace) -> _LoadedFace:
    """Register ``face`` with ReportLab once per process and read its character map."""
    path = face.path
    try:
        stat = path.stat()
    except OSError as exc:
        raise FontError(f"找不到字体文件：{path}（{exc.strerror or exc}）。") from exc
    key = (str(path.resolve()), face.subfont_index, stat.st_mtime_ns)
    with _lock:
        hit = _loaded.get(key)
        if hit is not None:
            return hit
        digest = hashlib.sha1(repr(key).encode()).hexdigest()[:10]
        name = f"FC-{digest}"
        try:
            font = TTFont(name, str(path), subfontIndex=face.subfont_index)
        except Exception as exc:  # ReportLab raises TTFError, OSError, struct.error, …
            raise FontError(
                f"无法使用字体文件 {path}（子字体 {face.subfont_index}）：{exc}。"
                "报告只能使用 TrueType 轮廓的字体（.ttf/.ttc）；"
                "OpenType-CFF（.otf）字体无法嵌入 PDF。"
            ) from exc
        pdfmetrics.registerFont(font)
        char_map = font.face.charToGlyph
        covered = frozenset(cp for cp, glyph in char_map.items() if glyph)
        raw_name = font.face.name
        display = raw_name.decode("latin-1") if isinstance(raw_name, bytes) else str(raw_name)
        loaded = _LoadedFace(name=name, face=face, covered=covered, display_name=display)
        _loaded[key] = loaded
        return loaded


@dataclass
class FontSet:
    """The fonts of one report build: registered names per role and the glyph check.

    Build one per report (cheap after the first: registrations are cached). Not shared between
    threads; ``fallback_chars`` collects the characters that were set in a fallback face.
    """

    config: FontConfig
    body: str = field(init=False)
    heading: str = field(init=False)
    title: str = field(init=False)
    title_is_body: bool = field(init=False)
    fallback_chars: set[str] = field(init=False, default_factory=set)
    _faces: dict[str, _LoadedFace] = field(init=False, default_factory=dict)
    _fallbacks: tuple[_LoadedFace, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        cfg = self.config
        body = self._add(cfg.body)
        heading = self._add(cfg.heading)
        title = self._add(cfg.title) if cfg.title else body
        self.body, self.heading, self.title = body.name, heading.name, title.name
        self.title_is_body = cfg.title is None
        self._fallbacks = tuple(self._add(f) for f in cfg.fallbacks)

    def _add(self, face: FontFace) -> _LoadedFace:
        loaded = _load(face)
        self._faces[loaded.name] = loaded
        return loaded

    def embedded_names(self) -> tuple[str, ...]:
        """Names (as in the font files) of every face this set may embed."""
        return tuple(sorted({f.display_name for f in self._faces.values()}))

    def covers(self, font_name: str, char: str) -> bool:
        """True when the registered font ``font_name`` has a glyph for ``char``."""
        return ord(char) in self._faces[font_name].covered

    def clean(self, text: str) -> str:
        """``text`` with tabs as spaces, invisible format characters dropped, NFC-composed."""
        text = unicodedata.normalize("NFC", text.replace("\t", "    "))
        return "".join(ch for ch in text if ch not in _INVISIBLE)

    def face_for(self, char: str, font_name: str, where: str) -> str:
        """The font to set ``char`` in: ``font_name`` when it has the glyph, else a fallback."""
        cp = ord(char)
        if cp in self._faces[font_name].covered:
            return font_name
        for fallback in self._fallbacks:
            if cp in fallback.covered:
                self.fallback_chars.add(char)
                return fallback.name
        raise MissingGlyphError(char, where)

    def markup(self, text: str, font_name: str, where: str) -> str:
        """``text`` as Paragraph markup set in ``font_name``: escaped, line breaks as
        ``<br/>``, and runs the face lacks wrapped in ``<font name=…>`` of a fallback face.

        Raises :class:`MissingGlyphError` for a character no face has.
        """
        out: list[str] = []
        run: list[str] = []
        run_font = font_name

        def flush() -> None:
            if not run:
                return
            chunk = escape("".join(run))
            out.append(
                chunk if run_font == font_name else f'<font name="{run_font}">{chunk}</font>'
            )
            run.clear()

        for ch in self.clean(text):
            if ch == "\n":
                flush()
                out.append("<br/>")
                continue
            target = self.face_for(ch, font_name, where)
            if target != run_font:
                flush()
                run_font = target
            run.append(ch)
        flush()
        return "".join(out)

    def runs(self, text: str, font_name: str, where: str) -> list[tuple[str, str]]:
        """``text`` split into ``(font, chunk)`` runs for drawing straight on a canvas."""
        result: list[tuple[str, str]] = []
        for ch in self.clean(text).replace("\n", " "):
            target = self.face_for(ch, font_name, where)
            if result and result[-1][0] == target:
                result[-1] = (target, result[-1][1] + ch)
            else:
                result.append((target, ch))
        return result
