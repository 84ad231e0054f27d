"""Reading Lighthouse's JSON report into the bench's French row (the run itself is in the
smoke test: `python -m bench --smoke`)."""

from __future__ import annotations

from typing import Any

import pytest

from bench.lighthouse import Figures, figures, french


def report(score: float | None, **values: float) -> dict[str, Any]:
    audits = {
        "first-contentful-paint": 1245.5,
        "largest-contentful-paint": 1600.4,
        "cumulative-layout-shift": 0.3342,
        "total-blocking-time": 2890.2,
    }
    audits.update(values)
    return {
        "categories": {"performance": {"score": score}},
        "audits": {k: {"numericValue": v} for k, v in audits.items()},
        "runWarnings": ["The tested device appears to have a slower CPU"],
    }


def test_figures_read_the_score_and_the_four_metrics() -> None:
    f = figures(report(0.48))
    assert f == Figures(48, 1245.5, 1600.4, 0.3342, 2890.2, (f.warnings[0],))
    assert "slower CPU" in f.warnings[0]


@pytest.mark.parametrize(
    ("score", "metrics", "shown"),
    [
        (0.48, {}, "48 (FCP 1,2 s, LCP 1,6 s, CLS 0,334, TBT 2 890 ms)"),
        (
            1.0,
            {"cumulative-layout-shift": 0, "total-blocking-time": 0},
            "100 (FCP 1,2 s, LCP 1,6 s, CLS 0,000, TBT 0 ms)",
        ),
        (
            0.915,
            {"largest-contentful-paint": 12_345},
            "92 (FCP 1,2 s, LCP 12,3 s, CLS 0,334, TBT 2 890 ms)",
        ),
    ],
)
def test_french_row(score: float, metrics: dict[str, float], shown: str) -> None:
    assert french(figures(report(score, **metrics))) == shown


def test_no_score_is_a_french_error_with_lighthouses_reason() -> None:
    broken = report(None)
    broken["runtimeError"] = {"message": "NO_FCP: the page did not paint any content"}
    with pytest.raises(ValueError, match="pas donné de score : NO_FCP"):
        figures(broken)


def test_missing_metric_is_named() -> None:
    broken = report(0.9)
    del broken["audits"]["total-blocking-time"]
    with pytest.raises(ValueError, match="total-blocking-time"):
        figures(broken)
