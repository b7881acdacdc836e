"""Fonts of the printed reports: which faces, their registration, and the glyph check.

Every string a report prints passes through :meth:`FontSet.markup` before the PDF is built.
Each character is looked up in the character map (cmap) of the face it is meant to be set in;
a character that face lacks is wrapped in ``<font name=…>`` of the first fallback face that has
it, and a character no face has raises :class:`MissingGlyphError` naming the character and the
place it came from. So no character prints blank.

Faces are chosen by role (GB/T 9704: title 小标宋, body 仿宋, level-1 headings 黑体, level-2
楷体, page numbers 宋体): the file the settings name, else the standard face installed on the
machine (found by file name: simfang.ttf, simkai.ttf, simhei.ttf, simsun.ttc, FZXBSJW.TTF, …),
else the bundled face in ``resources/fonts`` (see its README): AR PL UMing CN (宋体, standing
in for 仿宋 and, stroked, for 小标宋), WenQuanYi Micro Hei (黑体) and LXGW WenKai (楷体).
:meth:`FontConfig.describe` says which face set each role and what stands in for what; the
bundled faces remain the fallbacks for characters a chosen face lacks.
Glyphs are embedded as subsets (TrueType ``FontFile2``); CFF/OpenType-PostScript fonts are
refused with a message, because ReportLab cannot embed them.

Registered fonts are cached per process (``pdfmetrics`` is global); registration is guarded by a
lock so reports may be built from a worker thread.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from firecase.errors import FirecaseError, ValidationError
from firecase.paths import resource
from firecase.reports.typeset import Glyph

__all__ = [
    "ROLES",
    "ROLE_FACES",
    "ROLE_LABELS",
    "FontConfig",
    "FontError",
    "FontFace",
    "FontSet",
    "MissingGlyphError",
    "RoleChoice",
    "find_system_font",
    "font_dirs",
]

# Characters that are meant to be invisible: dropped before the check instead of refused.
# Unicode's format characters (category Cf, Unicode 14; a test compares with unicodedata):
# invisible, never printed (FontSet.clean) and never part of a name looked for (the public
# versions' ``visible``)
FORMAT_CHARS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


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
            "请核对该字是否录入有误，或在设置中选择包含该字的字体；"
            "生僻字可安装含扩展区汉字的 TrueType 字体后重新生成"
            "（Windows：SimSun-ExtB，simsunb.ttf；Linux：fonts-hanazono）。",
            field=where,
        )


@dataclass(frozen=True)
class FontFace:
    """One TrueType face: a ``.ttf`` file, or one subfont of a ``.ttc`` collection."""

    path: Path
    subfont_index: int = 0

    @classmethod
    def bundled_song(cls) -> FontFace:
        """AR PL UMing CN, the bundled Song/Ming face (stands in for 仿宋 and 小标宋)."""
        return cls(resource("fonts", "uming.ttc"), 0)

    @classmethod
    def bundled_hei(cls) -> FontFace:
        """WenQuanYi Micro Hei, the bundled sans face (黑体: first-level headings)."""
        return cls(resource("fonts", "wqy-microhei.ttc"), 0)

    @classmethod
    def bundled_kai(cls) -> FontFace:
        """LXGW WenKai (霞鹜文楷), the bundled 楷体 (second-level headings)."""
        return cls(resource("fonts", "LXGWWenKai-Regular.ttf"), 0)


# The roles of GB/T 9704 and the face each asks for.
ROLES = ("title", "body", "heading1", "heading2", "page_number")
ROLE_LABELS = {
    "title": "标题",
    "body": "正文",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "page_number": "页码",
}
ROLE_FACES = {
    "title": "小标宋",
    "body": "仿宋",
    "heading1": "黑体",
    "heading2": "楷体",
    "page_number": "宋体",
}
# File names of the standard faces, tried in order (Windows ships simfang/simkai/simhei/simsun;
# offices often install 方正小标宋简体 and 仿宋_GB2312 / 楷体_GB2312). Compared lower-case.
SYSTEM_FILES: dict[str, tuple[str, ...]] = {
    "title": (
        "方正小标宋简体.ttf",
        "fzxbsjw.ttf",
        "fzxbsjw--gb1-0.ttf",
        "方正小标宋_gbk.ttf",
        "fzxbsk.ttf",
    ),
    "body": ("仿宋_gb2312.ttf", "fs_gb2312.ttf", "simfang.ttf", "仿宋.ttf"),
    "heading1": ("simhei.ttf", "黑体.ttf"),
    "heading2": ("楷体_gb2312.ttf", "kaiti_gb2312.ttf", "simkai.ttf", "楷体.ttf"),
    "page_number": ("simsun.ttc", "simsun.ttf", "宋体.ttf"),
}
RARE_FILES: tuple[str, ...] = (
    "simsunb.ttf",  # Windows: SimSun-ExtB (CJK Ext-B)
    "simsunextg.ttf",  # Windows 11: SimSun-ExtG (Ext-G)
    "hanamina.ttf",  # Linux (fonts-hanazono): HanaMinA, the BMP with Ext-A
    "hanaminb.ttf",  # HanaMinB: Ext-B to Ext-F
)
"""Installed TrueType faces for rare characters (in names of people and places) that no
bundled face has: tried last, loaded only when such a character is printed."""
_BUNDLED_FACE = {
    "title": "bundled_song",
    "body": "bundled_song",
    "heading1": "bundled_hei",
    "heading2": "bundled_kai",
    "page_number": "bundled_song",
}
_BUNDLED_KIND = {  # what the bundled face of a role really is
    "title": "宋体",
    "body": "宋体",
    "heading1": "黑体",
    "heading2": "楷体",
    "page_number": "宋体",
}


def font_dirs() -> tuple[Path, ...]:
    """Folders searched for the standard faces: ``FIRECASE_FONT_DIRS`` (os.pathsep-separated)
    first, then the system's font folders (Windows, Linux, macOS) and the user's."""
    dirs: list[Path] = []
    extra = os.environ.get("FIRECASE_FONT_DIRS", "")
    dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    if os.environ.get("FIRECASE_FONT_DIRS_ONLY"):
        return tuple(dirs)
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local" / "share" / "fonts",
        Path("/Library/Fonts"),
        home / "Library" / "Fonts",
    ]
    return tuple(dirs)


_found_lock = threading.Lock()
_found_cache: dict[tuple[Path, ...], dict[str, Path]] = {}


def _index_dirs(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Lower-case file name → path of every font file under ``dirs`` (first found wins)."""
    with _found_lock:
        hit = _found_cache.get(dirs)
        if hit is not None:
            return hit
        found: dict[str, Path] = {}
        for d in dirs:
            if not d.is_dir():
                continue
            try:
                for root, _subdirs, files in os.walk(d):
                    for name in files:
                        if name.lower().endswith((".ttf", ".ttc")):
                            found.setdefault(name.lower(), Path(root) / name)
            except OSError:
                continue
        _found_cache[dirs] = found
        return found


def find_rare_fonts(dirs: tuple[Path, ...] | None = None) -> tuple[Path, ...]:
    """The installed faces of ``RARE_FILES``, in that order."""
    index = _index_dirs(dirs if dirs is not None else font_dirs())
    return tuple(index[name] for name in RARE_FILES if name in index)


def find_system_font(role: str, dirs: tuple[Path, ...] | None = None) -> Path | None:
    """The first standard face of ``role`` installed on this machine, or None."""
    index = _index_dirs(dirs if dirs is not None else font_dirs())
    for name in SYSTEM_FILES[role]:
        if name in index:
            return index[name]
    return None


@dataclass(frozen=True)
class RoleChoice:
    """Which face sets one role, where it came from, and what stands in for what."""

    role: str
    face: FontFace
    source: str  # "设置" (chosen by the user), "本机" (found installed), "随程序附带"

    @property
    def label(self) -> str:
        return f"{ROLE_LABELS[self.role]}（{ROLE_FACES[self.role]}）"

    @property
    def stand_in(self) -> str:
        """ "" when the role's own face is used, else e.g. "以宋体代仿宋"."""
        if self.source != "随程序附带":
            return ""
        kind = _BUNDLED_KIND[self.role]
        wanted = ROLE_FACES[self.role]
        return "" if kind == wanted else f"以{kind}代{wanted}"


@dataclass(frozen=True)
class FontConfig:
    """Which faces a report uses, by role. ``title`` None means the body face, stroked to look
    heavy (the bundled stand-in for 小标宋). ``heading2`` None means the bundled 楷体.

    ``fallbacks`` are tried in order for a character the intended face lacks. ``choices``
    records, per role, the face and its source, for the settings page and the PDF's metadata.
    """

    body: FontFace
    heading: FontFace
    title: FontFace | None = None
    fallbacks: tuple[FontFace, ...] = ()
    heading2: FontFace | None = None
    page_number: FontFace | None = None
    choices: tuple[RoleChoice, ...] = ()
    rare: tuple[FontFace, ...] = ()  # tried after ``fallbacks``, loaded when first needed

    @classmethod
    def bundled(cls) -> FontConfig:
        """The bundled fonts only (UMing, WenQuanYi Micro Hei, LXGW WenKai)."""
        return cls.resolve({}, search_system=False)

    @classmethod
    def with_system_fonts(
        cls,
        body: Path | None = None,
        heading: Path | None = None,
        title: Path | None = None,
        heading2: Path | None = None,
    ) -> FontConfig:
        """User-chosen fonts (e.g. ``simfang.ttf``); roles not given use the bundled faces.

        A ``.ttc`` path uses its first subfont.
        """
        chosen = {"body": body, "heading1": heading, "title": title, "heading2": heading2}
        return cls.resolve(chosen, search_system=False)

    @classmethod
    def resolve(
        cls,
        chosen: dict[str, Path | None],
        *,
        search_system: bool = True,
        dirs: tuple[Path, ...] | None = None,
    ) -> FontConfig:
        """Each role's face: the user's choice, else the standard face installed on this
        machine (``search_system``), else the bundled face."""
        picks: dict[str, RoleChoice] = {}
        for role in ROLES:
            path = chosen.get(role)
            if path is not None:
                picks[role] = RoleChoice(role, FontFace(Path(path)), "设置")
                continue
            found = find_system_font(role, dirs) if search_system else None
            if found is not None:
                picks[role] = RoleChoice(role, FontFace(found), "本机")
                continue
            picks[role] = RoleChoice(role, getattr(FontFace, _BUNDLED_FACE[role])(), "随程序附带")
        song, hei, kai = FontFace.bundled_song(), FontFace.bundled_hei(), FontFace.bundled_kai()
        title = picks["title"]
        return cls(
            body=picks["body"].face,
            heading=picks["heading1"].face,
            title=None if title.source == "随程序附带" else title.face,
            fallbacks=(song, hei, kai),
            heading2=picks["heading2"].face,
            page_number=picks["page_number"].face,
            choices=tuple(picks[r] for r in ROLES),
            rare=tuple(FontFace(p) for p in find_rare_fonts(dirs)) if search_system else (),
        )

    def describe(self) -> tuple[str, ...]:
        """One line per role, e.g. "正文（仿宋）：simfang.ttf（本机）" or
        "正文（仿宋）：uming.ttc（随程序附带，以宋体代仿宋）"."""
        lines = []
        for c in self.choices:
            note = c.source + (f"，{c.stand_in}" if c.stand_in else "")
            if c.role == "title" and c.source == "随程序附带":
                note += "，描边加粗"
            lines.append(f"{c.label}：{c.face.path.name}（{note}）")
        if self.rare:
            names = "、".join(f.path.name for f in self.rare)
            lines.append(f"生僻字（随程序附带的字体没有的字）：{names}（本机）")
        return tuple(lines)


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
    heading2: str = field(init=False)
    page_number: str = field(init=False)
    title: str = field(init=False)
    title_is_body: bool = field(init=False)
    fallback_chars: set[str] = field(init=False, default_factory=set)
    _faces: dict[str, _LoadedFace] = field(init=False, default_factory=dict)
    _fallbacks: tuple[_LoadedFace, ...] = field(init=False, default=())
    _rare: list[_LoadedFace] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        cfg = self.config
        body = self._add(cfg.body)
        heading = self._add(cfg.heading)
        title = self._add(cfg.title) if cfg.title else body
        self.body, self.heading, self.title = body.name, heading.name, title.name
        self.heading2 = self._add(cfg.heading2 or FontFace.bundled_kai()).name
        self.page_number = self._add(cfg.page_number).name if cfg.page_number else body.name
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
        """``text`` tidied (:func:`firecase.reports.document.tidy`: no blank lines, no
        control characters), tabs as spaces, invisible format characters dropped, NFC."""
        from firecase.reports.document import tidy

        text = unicodedata.normalize("NFC", tidy(text).replace("\t", "    "))
        return FORMAT_CHARS.sub("", text).replace("\r", "")

    def face_for(self, char: str, font_name: str, where: str) -> str:
        """The font to set ``char`` in: ``font_name`` when it has the glyph, else a fallback."""
        cp = ord(char)
        if cp in self._faces[font_name].covered:
            return font_name
        for fallback in self._fallbacks:
            if cp in fallback.covered:
                self.fallback_chars.add(char)
                return fallback.name
        for i, face in enumerate(self.config.rare):
            if i == len(self._rare):  # loaded (~0.15 s) only once such a character comes
                self._rare.append(self._add(face))
            if cp in self._rare[i].covered:
                self.fallback_chars.add(char)
                return self._rare[i].name
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

    def glyphs(self, text: str, font_name: str, where: str) -> list[Glyph]:
        """``text`` as glyphs, each in ``font_name`` or the fallback that has it."""
        return [
            Glyph(ch, (ch == "\n" and font_name) or self.face_for(ch, font_name, where))
            for ch in self.clean(text)
        ]

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
