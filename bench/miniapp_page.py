"""Mini App first load on a throttled phone: ``python -m bench.miniapp_page [--runs N]``.

The bot (in process, SQLite, the sample network) serves the page on 127.0.0.1; headless
Chromium (Debian's) opens it as a focal point at 390x844 with the CPU slowed 4x
(CDP ``Emulation.setCPUThrottlingRate``) and a mobile network (``Network.emulateNetworkConditions``:
150 ms latency, 1.6 Mbit/s down, 750 kbit/s up), cache disabled, so every run is a first load.
Measures first paint, first contentful paint, the first view with its data ("view ready",
a ``performance.mark`` of the page) and the bytes transferred (CDP ``encodedDataLength``).
Goals (issue #16): first paint <= 1.5 s, first load <= 300 KB.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import machine, table
from tests.browser.conftest import FLAGS, PHONE, chromium_path
from tests.browser.miniapp import add_member, init_data, launch_url, sample_bot

MOBILE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
PAINTS = """() => {
  const paint = Object.fromEntries(
    performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]));
  const ready = performance.getEntriesByName("view-ready")[0];
  return {fp: paint["first-paint"], fcp: paint["first-contentful-paint"],
          ready: ready && ready.startTime};
}"""


async def one_load(browser: Any, url: str, throttled: bool) -> dict[str, float]:
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttled:
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        await cdp.send("Network.emulateNetworkConditions", MOBILE)
    await page.goto(url)
    deadline = time.monotonic() + 60
    while not await page.evaluate("performance.getEntriesByName('view-ready').length"):
        if time.monotonic() > deadline:
            raise TimeoutError("the first view never got ready")
        await asyncio.sleep(0.05)  # (wait_for_function would need 'unsafe-eval' under our CSP)
    await page.wait_for_load_state("networkidle")
    marks = await page.evaluate(PAINTS)
    await context.close()
    return {
        "fp": marks["fp"],
        "fcp": marks["fcp"],
        "ready": marks["ready"],
        "bytes": sum(sizes.values()),
    }


def row(name: str, values: list[float], unit: str, goal: str) -> tuple[str, str, str]:
    fmt = (lambda v: f"{v / 1000:.2f} s") if unit == "ms" else (lambda v: f"{v / 1024:.0f} KB")
    return (name, f"median {fmt(statistics.median(values))}, worst {fmt(max(values))}", goal)


async def main(runs: int) -> None:
    from playwright.async_api import async_playwright

    path = chromium_path()
    if path is None:
        raise SystemExit("no Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        url_db = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        async with sample_bot(url_db) as (bot, base), async_playwright() as playwright:
            await add_member(
                bot, 7901, language="es", zone="America/Montevideo", institution="inet"
            )
            browser = await playwright.chromium.launch(executable_path=path, args=FLAGS)
            results: dict[bool, list[dict[str, float]]] = {True: [], False: []}
            started = time.monotonic()
            for throttled in (False, True):
                for _ in range(runs):
                    url = launch_url(base, init_data(bot, 7901, "es"))
                    results[throttled].append(await one_load(browser, url, throttled))
            await browser.close()
    rows = []
    for throttled, label in ((True, "mobile (CPU 4x, 150 ms, 1.6 Mbit/s)"), (False, "unthrottled")):
        got = results[throttled]
        rows += [
            row(
                f"{label}: first paint",
                [r["fp"] for r in got],
                "ms",
                "<= 1.5 s" if throttled else "",
            ),
            row(f"{label}: first contentful paint", [r["fcp"] for r in got], "ms", ""),
            row(f"{label}: events view with data", [r["ready"] for r in got], "ms", ""),
        ]
    rows.append(
        row("transferred on first load", [r["bytes"] for r in results[True]], "bytes", "<= 300 KB")
    )
    took = time.monotonic() - started
    print(table(f"Mini App first load ({runs} runs each; {machine()}; {took:.0f} s)", rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
