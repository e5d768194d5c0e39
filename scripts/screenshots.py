#!/usr/bin/env python
"""Screenshots of the HTML viewer for the README.

Builds the seeds graph with kg.pipeline.build into a temporary folder, opens
output/graph.html from file:// in headless Chromium (network emulated
offline) and saves

    docs/seeds-graph.png      the whole graph after layout
    docs/evidence-panel.png   a node's side panel with its evidence sentences

Needs Debian's chromium + chromium-driver and `pip install selenium`; a CJK
font (e.g. fonts-noto-cjk or fonts-wqy-microhei) for readable labels.

    python scripts/screenshots.py [--seeds seeds] [--out docs] [--node 上海市]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def chromium(user_dir: str, width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_bin = shutil.which("chromedriver")
    if not browser or not driver_bin:
        sys.exit("needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={user_dir}",
                 f"--window-size={width},{height}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_bin), options=opts)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    # the window size includes browser chrome in some versions: set the viewport exactly
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return driver


def pick_node(data: dict, wanted: str | None) -> int:
    """The requested label, else the node with the most evidence sentences."""
    labels = [n["l"] for n in data["nodes"]]
    if wanted and wanted in labels:
        return labels.index(wanted)
    evidence = [0] * len(labels)
    for a, b, _, ev in data["edges"]:
        evidence[a] += len(ev)
        evidence[b] += len(ev)
    return max(range(len(labels)), key=lambda i: (evidence[i], -i))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default=str(ROOT / "seeds"), help="articles to build (default: seeds/)")
    ap.add_argument("--out", default=str(ROOT / "docs"), help="folder for the PNGs (default: docs/)")
    ap.add_argument("--node", default="上海市", help="label of the node whose panel is shown")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    args = ap.parse_args(argv)

    from selenium.webdriver.support.ui import WebDriverWait

    from kg.pipeline import build

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-shots-") as tmp:
        result = build([args.seeds], Path(tmp) / "output")
        page = Path(result.outputs.get("html", ""))
        if not page.is_file():
            print(f"build wrote no HTML: {result.summary()}", file=sys.stderr)
            return 1
        text = page.read_text(encoding="utf-8")
        data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S).group(1))
        driver = chromium(str(Path(tmp) / "profile"), args.width, args.height)
        try:
            driver.get(page.resolve().as_uri())
            WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: d.execute_script("return window.kgReady === true"))
            ready = driver.execute_script("return window.kgReadyAt")
            time.sleep(0.3)
            driver.save_screenshot(str(out / "seeds-graph.png"))
            node = pick_node(data, args.node)
            driver.execute_script("window.kg.select(arguments[0])", node)
            WebDriverWait(driver, 5).until(lambda d: d.execute_script(
                "return !document.getElementById('panel').hidden && document.querySelectorAll('#panel .evidence').length > 0"))
            time.sleep(0.8)  # the focus animation
            driver.save_screenshot(str(out / "evidence-panel.png"))
        finally:
            driver.quit()
    print(f"{result.summary()}; page usable after {ready / 1000:.2f} s")
    print(f"wrote {out / 'seeds-graph.png'} and {out / 'evidence-panel.png'} (panel: {data['nodes'][node]['l']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
