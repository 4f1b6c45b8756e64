"""The annual_run benchmark's code at test size: it measures what it claims (no timed assertion)."""

from __future__ import annotations

import pytest

from bench.annual_run import _one_size

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


async def test_annual_run_benchmark_code_issues_each_seeded_expert_once_exactly(tmp_path):
    lines: list[str] = []
    result = await _one_size(300, 40, lines.append, tmp_path)

    assert result["disbursements_issued"] == 300 and result["issued_twice"] == 0
    assert result["amount_exact"] is True
    assert result["experts_per_second"] > 0 and result["peak_rss_mib"] > 0
    assert any("experts/s" in line for line in lines)
