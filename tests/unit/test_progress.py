"""``firecase.progress``: steps in order, an estimate from the rate seen, throttled reports,
and the command line's lines (rewritten in place on a terminal, one per step in a log)."""

from __future__ import annotations

import io

from hypothesis import given, strategies as st

from firecase.progress import MIN_ELAPSED_FOR_ESTIMATE, Meter, Step, TerminalReport


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_estimate_follows_the_rate_seen() -> None:
    clock, seen = Clock(), []
    meter = Meter("检查案卷", seen.append, steps=2, every=0.0, clock=clock)
    meter.phase("审计链", total=1000)
    assert seen[-1].remaining is None and seen[-1].text() == "检查案卷（第 1/2 步：审计链） 0%"
    clock.now = 2.0
    meter.set_done(250)  # 125 rows a second: 750 left, 6 seconds
    assert seen[-1].remaining == 6.0
    assert seen[-1].text() == "检查案卷（第 1/2 步：审计链） 25%，本步约剩 6 秒"
    meter.phase("重新计算期限")  # not countable: no per cent, no estimate
    assert seen[-1].index == 2 and seen[-1].fraction is None and seen[-1].remaining is None


def test_no_estimate_before_the_rate_is_trusted() -> None:
    clock, seen = Clock(), []
    meter = Meter("备份", seen.append, every=0.0, clock=clock)
    meter.phase("复制", total=100)
    clock.now = MIN_ELAPSED_FOR_ESTIMATE / 2
    meter.set_done(50)
    assert seen[-1].remaining is None
    assert seen[-1].text() == "备份（复制） 50%"  # one step: no step number


def test_reports_are_throttled_but_each_step_is_said() -> None:
    clock, seen = Clock(), []
    meter = Meter("检查案卷", seen.append, steps=3, every=1.0, clock=clock)
    meter.phase("甲", total=10)
    for _ in range(10):
        clock.now += 0.11
        meter.advance()
    meter.phase("乙")
    assert [s.phase for s in seen].count("甲") == 2  # the start, and once a second
    assert seen[-1].phase == "乙"


@given(
    total=st.integers(1, 10**7),
    done=st.lists(st.integers(0, 10**7), min_size=1, max_size=20),
    elapsed=st.floats(0, 10**4),
)
def test_fraction_and_estimate_stay_in_range(total: int, done: list[int], elapsed: float) -> None:
    clock, seen = Clock(), []
    meter = Meter("任务", seen.append, every=0.0, clock=clock)
    meter.phase("步骤", total=total)
    clock.now = elapsed
    for d in sorted(done):
        meter.set_done(d)
        step = seen[-1]
        assert step.fraction is not None and 0.0 <= step.fraction <= 1.0
        assert step.remaining is None or step.remaining >= 0.0
        assert "%" in step.text()


def test_the_terminal_line_is_rewritten_and_a_log_gets_one_line_per_step() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    report = TerminalReport(tty)
    report(Step("检查案卷", "审计链", 1, 2, 5, 10, 1.0, None))
    report(Step("检查案卷", "审计链", 1, 2, 10, 10, 2.0, 0.0))
    report.close()
    assert tty.getvalue().count("\r") == 2 and tty.getvalue().endswith("\n")

    log = io.StringIO()
    report = TerminalReport(log, every=3600)
    report(Step("检查案卷", "审计链", 1, 2, 5, 10, 1.0, None))
    report(Step("检查案卷", "审计链", 1, 2, 6, 10, 1.1, None))  # same step, within the hour
    report(Step("检查案卷", "重新计算期限", 2, 2, 0, None, 0.0, None))
    report.close()
    assert log.getvalue().splitlines() == [
        "检查案卷（第 1/2 步：审计链） 50%",
        "检查案卷（第 2/2 步：重新计算期限）",
    ]
