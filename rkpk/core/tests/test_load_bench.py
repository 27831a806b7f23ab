"""The load benchmark's arithmetic (bench/load.py): wrk's output read, shares and the issue's
targets computed. Nothing here runs wrk or gunicorn."""

import pytest

from bench import load

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:40123/notifications/settings/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   240.12ms   30.02ms 401.00ms   80.00%
  Latency Distribution
     50%  238.00ms
  1000 requests in 15.00s, 9.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:     66.66
RKPK-LOAD requests=1000 duration_us=15000000 bytes=9000000 non2xx=3 socket_errors=2 \
p50_us=238000 p95_us=290500 p99_us=401000
"""


def test_wrk_output_gives_throughput_percentiles_and_errors():
    figures = load.parse_wrk(WRK_OUTPUT)
    assert figures["requests"] == 1000
    assert figures["rps"] == pytest.approx(1000 / 15)
    assert (figures["p50_ms"], figures["p95_ms"], figures["p99_ms"]) == (238.0, 290.5, 401.0)
    assert figures["errors"] == 5  # responses outside 2xx and socket errors


def test_output_without_the_scripts_line_is_refused():
    with pytest.raises(ValueError, match="RKPK-LOAD"):
        load.parse_wrk("Requests/sec: 12.0\n")


def result(name, role, rps, p95=50.0, errors=0):
    page = load.Page(name, f"/{name}/", None, role)
    return load.Result(page, rps, p95 / 2, p95, p95 * 2, int(rps * 15), errors, 1000, 300)


def test_shares_and_missed_targets():
    rows = load.assess(
        [
            result("floor", "floor", 1000),
            result("lightest", "lightest", 200),  # 20 % of the floor: below 25 %
            result("slow", "key", 90, p95=150),  # 45 % of the lightest, p95 at the limit
            result("fine", "key", 100, p95=149),  # exactly 50 %, p95 under the limit
            result("other", "", 10, p95=900, errors=4),  # not a key page: errors only
        ]
    )
    by_page = {row["page"]: row for row in rows}
    assert by_page["floor"]["of_floor"] == 1.0
    assert by_page["lightest"]["of_floor"] == pytest.approx(0.2)
    assert by_page["lightest"]["flags"] == ["< 25% of floor"]
    assert by_page["slow"]["of_lightest"] == pytest.approx(0.45)
    assert by_page["slow"]["flags"] == ["< 50% of lightest", "p95 ≥ 150 ms"]
    assert by_page["fine"]["flags"] == []
    assert by_page["other"]["flags"] == ["4 errors"]


def test_shares_are_blank_without_a_floor_or_lightest_page():
    (row,) = load.assess([result("fine", "key", 100)])
    assert row["of_floor"] is None and row["of_lightest"] is None
    assert "| fine | 100.0 |" in load.table([row], markdown=True)


def test_markdown_table_has_a_row_per_page():
    rows = load.assess([result("floor", "floor", 1000), result("lightest", "lightest", 400)])
    lines = load.table(rows, markdown=True).splitlines()
    assert lines[0].startswith("| page | req/s |") and lines[1].startswith("|---|")
    assert lines[3] == ("| lightest | 400.0 | 25 | 50 | 100 | 1,000 | 300 | 40.0% | 100.0% | — |")
    assert len(load.table(rows).splitlines()) == 3
