"""`fazhi report`: one self-contained HTML file, checked as a file and in a real headless Chromium
(Debian's `chromium`, installed by `make test-deps`): no console errors, no network, the charts
render, and a screenshot is taken (also copied to warehouse/report-screenshot.png)."""
from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, cli

from fazhi.serve.report import render

SCREENSHOT_COPY = ROOT / "warehouse" / "report-screenshot.png"


@pytest.fixture(scope="module")
def report(sample_warehouse, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("report") / "report.html"
    proc = cli("report", "--db", str(sample_warehouse), "--out", str(out), "--json")
    return out, json.loads(proc.stdout)


# ----------------------------------------------------------------------------------------------
# the file


def test_report_is_one_self_contained_file(report, sample_con):
    out, summary = report
    page = out.read_text(encoding="utf-8")
    assert summary["report"] == str(out) and summary["bytes"] == len(page.encode("utf-8"))
    # nothing to fetch at view time: no scripts, stylesheets, images or fonts from anywhere
    assert not re.search(r"<script|<link[^>]+stylesheet|<img|<iframe|@import|url\(", page, re.I)
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", page, re.I)
    for attr in re.findall(r'(?:href|src)="([^"]*)"', page):
        assert attr.startswith("#") or attr.startswith("data:"), attr
    indicators = sample_con.execute("select count(distinct indicator_code) from marts.fct_report_indicators").fetchone()[0]
    reports = sample_con.execute("select report_id from marts.dim_report").fetchall()
    assert page.count('<svg class="chart"') == indicators == summary["charts"]
    assert page.count('<section class="report"') == len(reports) == summary["reports"]
    for (rid,) in reports:
        assert f'id="report-{rid}"' in page


def test_every_fact_is_in_the_table_with_its_number_marked(report, sample_con):
    import html

    page = report[0].read_text(encoding="utf-8")
    facts = sample_con.execute("""
        select f.evidence, substr(r.original_text, f.value_start + 1, f.value_end - f.value_start)
        from marts.fct_report_indicators f join raw.reports r using (report_id)""").fetchall()
    assert facts
    for _evidence, number in facts:
        assert f"<mark>{html.escape(number)}</mark>" in page
    # the facts table: one row per fact; each report page repeats its facts
    table = page[page.index('<section id="facts">'):page.index('<section id="reports">')]
    assert table.count("<tr") - 1 == len(facts)


def test_all_text_is_escaped():
    evil = '<script>alert("x")</script> & "quoted"'
    fact = {
        "jurisdiction": evil, "jurisdiction_id": "j1", "report_year": 2024, "report_id": 'r1"><b>',
        "source_file": "/tmp/<b>.txt", "title": evil, "issuer": evil, "indicator_code": "legal_aid_cases",
        "indicator_name": evil, "value": 12.0, "unit": "<件>", "qualifier": "exact", "confidence": 0.9,
        "evidence": "受理<b>12件</b>", "char_start": 0, "char_end": 10, "value_start": 5, "value_end": 10,
        "has_conflict": True, "sentence": "受理<b>12件</b>。", "highlight": [5, 10],
        "evidence_in_sentence": [0, 13], "clipped": [False, False],
        "conflicts": [{"value": 13.0, "unit": "件", "qualifier": "approx", "evidence": evil, "char_start": 1,
                       "char_end": 2, "report_id": 'r1"><b>'}],
    }
    data = {
        "facts": [fact], "conflict_source": evil, "filters": {"jurisdiction": evil},
        "indicators": [{"indicator_code": "legal_aid_cases", "name_zh": evil, "name_en": evil, "unit": "case"}],
        "reports": [{"report_id": 'r1"><b>', "source_file": "/tmp/<b>.txt", "title": evil, "issuer": evil,
                     "jurisdiction": evil, "report_year": 2024, "doc_number": evil}],
    }
    page = render(data, warehouse=evil)
    assert "<script" not in page and "<b>" not in page and "<件>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page  # Jinja2's autoescape (markupsafe)
    assert 'id="report-r1&#34;&gt;&lt;b&gt;"' in page


def test_filters_and_errors(sample_warehouse, tmp_path):
    out = tmp_path / "r.html"
    proc = cli("report", "--db", str(sample_warehouse), "--out", str(out), "--jurisdiction", "洛江", "--json")
    summary = json.loads(proc.stdout)
    assert summary["reports"] == 1 and "洛江区" in out.read_text(encoding="utf-8")
    proc = cli("report", "--db", str(sample_warehouse), "--out", str(out), "--year", "1999", check=False)
    assert proc.returncode != 0 and "no reports match" in proc.stderr and proc.stderr.count("\n") == 1
    proc = cli("report", "--db", str(tmp_path / "none.duckdb"), "--out", str(out), check=False)
    assert proc.returncode != 0 and "no warehouse" in proc.stderr and proc.stderr.count("\n") == 1


# ----------------------------------------------------------------------------------------------
# a real browser, driven over the Chrome DevTools protocol on a pipe (no Python dependency)


def chromium_binary() -> str:
    for name in (os.environ.get("FAZHI_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    message = ("chromium is not installed: `make test-deps` installs Debian's chromium "
               "(or: apt-get install -y chromium; FAZHI_CHROMIUM names another binary)")
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run the browser tests", pytrace=False)
    pytest.skip(message)


class Browser:
    """Headless Chromium with --remote-debugging-pipe: we write CDP commands to its fd 3 and read
    replies and events from its fd 4, NUL-separated JSON."""

    def __init__(self, width: int = 1280, height: int = 2000):
        self.profile = tempfile.mkdtemp(prefix="fazhi-chromium-")
        self._log = os.path.join(self.profile, "chromium.log")
        to_r, self._to_w = os.pipe()
        self._from_r, from_w = os.pipe()
        # move the child's ends above 3 and 4, so putting one on 3 cannot clobber the other
        to_r, from_w = (self._high(fd) for fd in (to_r, from_w))
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--mute-audio", f"--user-data-dir={self.profile}", "--remote-debugging-pipe",
                f"--window-size={width},{height}", "about:blank"]
        def on_3_and_4() -> None:  # in the child: our pipe ends where Chromium expects them
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)

        # close_fds=False: the dup2'd 3 and 4 must survive; every other pipe end is close-on-exec
        with open(self._log, "wb") as log:
            self.proc = subprocess.Popen(
                [chromium_binary(), *args], preexec_fn=on_3_and_4, close_fds=False,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.width, self.height = width, height
        self.session = None

    @staticmethod
    def _high(fd: int) -> int:
        import fcntl

        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        return high

    def _recv(self, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer")
            ready, _, _ = select.select([self._from_r], [], [], left)
            if ready:
                chunk = os.read(self._from_r, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe: " + self.stderr_tail())
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, timeout: float = 60, session: bool = True) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._recv(timeout)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        end = time.monotonic() + timeout
        while True:
            for e in self.events:
                if e.get("method") == method:
                    return e
            self.events.append(self._recv(max(end - time.monotonic(), 0.01)))

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False})
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, browser log errors."""
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append("console." + p["type"] + ": " + " ".join(str(a.get("value", a.get("description")))
                                                                    for a in p.get("args", [])))
            elif e.get("method") == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append("uncaught: " + str(d.get("exception", {}).get("description") or d.get("text")))
            elif e.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: " + p["entry"].get("text", ""))
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def stderr_tail(self) -> str:
        try:
            self.proc.kill()
            self.proc.wait(timeout=5)
            with open(self._log, "rb") as log:
                return log.read().decode(errors="replace")[-2000:]
        except Exception:
            return ""

    def close(self) -> None:
        try:
            self.call("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_w, self._from_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture()
def browser():
    """Starts Chromium when the test calls it. A missing browser skips the test (with the reason)
    on a developer's machine and fails it in CI (CI set), where `make test` installs it."""
    started: list[Browser] = []

    def start() -> Browser:
        started.append(Browser())
        return started[-1]

    yield start
    for b in started:
        b.close()


@pytest.mark.slow
def test_the_console_check_catches_errors(browser, tmp_path):
    """The check below is only worth something if it sees errors: a page that makes some."""
    browser = browser()
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">'
                    '<script>console.error("boom"); undefinedFunction();</script>', encoding="utf-8")
    browser.open(page.as_uri())
    problems = browser.problems()
    assert any("boom" in p for p in problems), problems
    assert any("undefinedFunction" in p for p in problems), problems


@pytest.mark.slow
def test_report_renders_in_headless_chromium(report, browser, tmp_path, sample_con):
    out, summary = report
    browser = browser()
    browser.open(out.as_uri())
    assert browser.evaluate("document.readyState") == "complete"
    assert browser.problems() == []
    requests = browser.requests()
    assert requests and all(u.startswith(("file:", "data:")) for u in requests), requests
    # the charts render: every chart has a laid-out box and every bar a visible width
    charts = browser.evaluate("""Array.from(document.querySelectorAll('svg.chart')).map(s => {
        const r = s.getBoundingClientRect();
        const bars = Array.from(s.querySelectorAll('rect.bar')).map(b => b.getBoundingClientRect());
        return {w: r.width, h: r.height, bars: bars.length, barsVisible: bars.filter(b => b.width > 0 && b.height > 0).length};
    })""")
    assert len(charts) == summary["charts"] > 0
    assert all(c["w"] > 200 and c["h"] > 20 for c in charts), charts
    assert all(c["bars"] >= 1 and c["bars"] == c["barsVisible"] for c in charts), charts
    n_facts = sample_con.execute("select count(*) from marts.fct_report_indicators").fetchone()[0]
    assert sum(c["bars"] for c in charts) == n_facts
    assert browser.evaluate("document.querySelectorAll('section.report').length") == summary["reports"]
    assert browser.evaluate("document.querySelectorAll('#facts tbody tr').length") == n_facts
    assert browser.evaluate("document.querySelectorAll('mark').length") >= n_facts
    title = browser.evaluate("document.querySelector('h1').textContent")
    assert "法治政府建设年度报告" in title
    # a report "page" is reachable by its anchor
    rid = sample_con.execute("select report_id from marts.dim_report order by 1 limit 1").fetchone()[0]
    assert browser.evaluate(f"!!document.getElementById('report-{rid}')")

    shot = tmp_path / "report-screenshot.png"
    browser.screenshot(shot)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SCREENSHOT_COPY)
    print(f"screenshot: {shot} (copy: {SCREENSHOT_COPY})")
