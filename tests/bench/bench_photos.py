"""Benchmark (not a test): a case with 1,000 photos of 5 MB (attachments at scale).

Run from the repository root: ``python tests/bench/bench_photos.py [--photos N] [--mb M]``.
It builds (once, kept in ``--cache``) a case file holding one case with ``--photos``
attachments of ``--mb`` MB of incompressible bytes under 20 evidence items, then times each
step in a fresh process and prints its wall time and that process's peak resident memory
(``VmHWM``):

* open: ``reading.get_case`` (what the workspace reads to show the case);
* workspace: the case workspace built offscreen until the case is shown, then the switch to
  the 证据与鉴定 tab painted, then the 附件另存为 dialog shown and every thumbnail made;
* report: the investigation report PDF;
* export: the case as a ``.fcase`` (content streamed as members of its own);
* import: that file into an empty case file;
* backup: the automatic backup (copy, then the content moved into the 附件库), first and
  second day (the second writes no content again).

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "firecase-bench-photos"


def _peak_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _base_jpeg() -> bytes:
    """A 2400×1800 JPEG of noise (about as costly to decode as a camera's photo)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(2400, 1800, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 120, 40))
    noise = os.urandom(2400 * 1800 // 16)
    for i, b in enumerate(noise[: 2400 * 1800 // 64]):
        image.setPixel((i * 37) % 2400, (i * 11) % 1800, 0xFF000000 | b * 0x10101)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 90)
    return bytes(data.data())


def build(db: Path, photos: int, mb: float) -> None:
    """One case, 20 evidence items, ``photos`` attachments of ``mb`` MB each."""
    from firecase.services import cases, evidence as evidence_svc
    from firecase.services.dto import AttachmentInput, EvidenceInput, IncidentInput
    from firecase.store import open_case_file

    day = dt.date(2026, 3, 2)
    size = int(mb * 1024 * 1024)
    with open_case_file(db, user="刘志强") as cf:
        case_id = cases.open_case(
            cf,
            IncidentInput(
                title="岳口镇某物流仓库火灾",
                fire_date=day,
                place="岳口镇",
                fire_type="建筑火灾",
                property_loss_yuan=Decimal("3200000"),
                economic_loss_yuan=Decimal("3500000"),
            ),
            today=day,
        ).id
        evidence = [
            evidence_svc.add_evidence(
                cf,
                case_id,
                EvidenceInput(f"物证-{k + 1:03d}", f"现场物证{k + 1}", "物证", day, "刘志强"),
            ).id
            for k in range(20)
        ]
        base = _base_jpeg()
        started = time.perf_counter()
        for n in range(photos):
            # a real photo (thumbnails are decoded) made unique and ``mb`` MB by bytes after
            # its end marker, which JPEG decoders ignore
            content = base + os.urandom(max(size - len(base), 16))
            evidence_svc.add_attachment(
                cf,
                case_id,
                AttachmentInput(
                    f"现场照片{n + 1:04d}.jpg", content, day, "image/jpeg", evidence[n % 20]
                ),
                today=day,
            )
        took = time.perf_counter() - started
    print(
        f"built: {photos} photos of {mb} MB in {took:.0f} s; file {db.stat().st_size / 1e9:.2f} GB"
    )


def step(name: str, db: Path, work: Path) -> None:
    """Run one step in this (fresh) process and print 'name seconds peak_mb [note]'."""
    from firecase.services import reading
    from firecase.store import open_case_file

    note = ""
    started = time.perf_counter()
    if name == "open":
        with open_case_file(db, user="刘志强") as cf:
            detail = reading.get_case(cf, 1)
            note = f"{len(detail.attachments)} attachments"
    elif name == "workspace":
        note = _workspace(db)
    elif name == "report":
        from firecase.services.reporting import build_report

        with open_case_file(db, user="刘志强") as cf:
            case_no = reading.get_case(cf, 1).case.case_no
            built = build_report(
                cf,
                "investigation",
                case_no,
                work / "报告.pdf",
                generated_at=dt.datetime.now().astimezone(),
            )
            note = f"{built.pages} pages"
    elif name == "export":
        from firecase.services.transfer import export_case

        with open_case_file(db, user="刘志强") as cf:
            out = work / "案件.fcase"
            out.unlink(missing_ok=True)
            export_case(cf, 1, out)
            note = f"{out.stat().st_size / 1e9:.2f} GB file"
    elif name == "import":
        from firecase.services.transfer import import_case

        target = work / "导入.sqlite"
        for p in work.glob("导入.sqlite*"):
            p.unlink()
        with open_case_file(target, user="王敏") as cf:
            result = import_case(cf, work / "案件.fcase")
            note = f"{result.rows} rows"
    elif name in ("backup1", "backup2"):
        from firecase.services.backup import Retention, run_scheduled_backup

        day = dt.datetime(2026, 3, 3 if name == "backup1" else 4, 8, 0, 0)
        made = run_scheduled_backup(db, work / "备份", Retention(), day)
        assert made.created is not None
        note = f"copy {made.created.stat().st_size / 1e6:.1f} MB"
    took = time.perf_counter() - started
    print(f"{name}\t{took:.2f}\t{_peak_mb():.0f}\t{note}")


def _workspace(db: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from firecase.store import open_case_file
    from firecase.ui.preload import preload_workspace
    from firecase.ui.worker import Worker
    from firecase.ui.workspace.workspace import CaseWorkspace

    app = QApplication.instance() or QApplication([])
    cf = open_case_file(db, user="刘志强")
    worker = Worker()
    # as in the program: the main window preloads the workspace's modules once the file is
    # open, while the officer looks at the list (timed apart)
    t_pre = time.perf_counter()
    thread = preload_workspace()
    assert thread is not None
    thread.join()
    preloaded = time.perf_counter() - t_pre
    t0 = time.perf_counter()
    ws = CaseWorkspace(cf, 1, worker=worker)
    ws.resize(1280, 720)
    ws.show()
    while ws.detail is None:
        app.processEvents()
        if time.perf_counter() - t0 > 60:
            raise SystemExit(f"the case was not shown within 60 s ({db})")
    app.processEvents()
    shown = time.perf_counter() - t0
    tab = ws.tab("证据与鉴定")
    t1 = time.perf_counter()
    ws.tabs.setCurrentWidget(tab)
    tab.repaint()
    app.processEvents()
    switched = time.perf_counter() - t1
    t2 = time.perf_counter()
    tab._on_export_button_clicked()
    dialog = tab.attachments_dialog
    app.processEvents()
    listed = time.perf_counter() - t2
    total = dialog.list.count()
    while dialog.thumbnails_done < total:
        app.processEvents()
        time.sleep(0.005)
    thumbs = time.perf_counter() - t2
    dialog.done(0)
    worker.wait()
    cf.close()
    return (
        f"modules preloaded in {preloaded * 1000:.0f} ms, "
        f"case shown {shown * 1000:.0f} ms, tab switch {switched * 1000:.0f} ms, "
        f"附件另存为 listed {listed * 1000:.0f} ms, {total} thumbnails in {thumbs:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    db = args.cache / f"照片{args.photos}x{args.mb:g}MB.sqlite"
    work = args.cache / "work"
    work.mkdir(exist_ok=True)
    if args.step:
        if not db.exists():
            raise SystemExit(f"no benchmark case file {db}: run without --step first")
        step(args.step, db, work)
        return 0
    if not db.exists():
        build(db, args.photos, args.mb)
    print("step\tseconds\tpeak MB\tnote")
    for name in ("open", "workspace", "report", "export", "import", "backup1", "backup2"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--step",
                name,
                "--photos",
                str(args.photos),
                "--mb",
                str(args.mb),
                "--cache",
                str(args.cache),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        print(out.stdout.strip() or f"{name}\tfailed\t\t{out.stderr.strip()[-400:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
