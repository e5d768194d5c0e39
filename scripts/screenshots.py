#!/usr/bin/env python
"""Screenshots of the HTML viewer for the README.

Builds the seeds and the corpus with kg.pipeline.build into a temporary
folder, writes a 20k-node synthetic graph's page, opens each from file:// in
headless Chromium (network emulated offline) and saves

    docs/seeds-graph.png      the seeds, whole graph at fit zoom
    docs/evidence-panel.png   a node's side panel with its evidence sentences
    docs/corpus-graph.png     ../shared/corpus (every folder): regions as labelled clusters
    docs/corpus-region.png    the corpus, one region clicked: its facts, breadcrumb back to the whole
    docs/synthetic-20k.png    a 20k-node synthetic graph: the summary page

PNGs are written as 8-bit palette images when Pillow is there (small files).
Needs Debian's chromium + chromium-driver and `pip install selenium`; a CJK
font (fonts-noto-cjk) for readable labels.

    python scripts/screenshots.py [--out docs] [--node 上海市] [--region 浙江省] [--only seeds,corpus,20k]
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
CORPUS = ROOT.parent / "shared" / "corpus"


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


def page_data(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S).group(1))


def pick_node(data: dict, wanted: str | None, cls: int | None = None) -> int:
    """The requested label, else the node with the most evidence sentences."""
    labels = [n["l"] for n in data["nodes"]]
    if wanted and wanted in labels:
        return labels.index(wanted)
    evidence = [0] * len(labels)
    for a, b, _, ev, *_ in data["edges"]:
        evidence[a] += len(ev)
        evidence[b] += len(ev)
    ok = [i for i in range(len(labels)) if cls is None or data["nodes"][i]["c"] == cls]
    return max(ok, key=lambda i: (evidence[i], -i))


def save_png(driver, path: Path) -> None:
    """The viewport as PNG; quantised to a 256-colour palette when Pillow is installed."""
    driver.save_screenshot(str(path))
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def open_page(driver, page: Path) -> float:
    from selenium.webdriver.support.ui import WebDriverWait
    driver.get(page.resolve().as_uri())
    WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: d.execute_script("return window.kgReady === true"))
    time.sleep(0.4)
    return driver.execute_script("return window.kgReadyAt")


def wait_panel(driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 5).until(lambda d: d.execute_script(
        "return !document.getElementById('panel').hidden && document.querySelectorAll('#panel .evidence').length > 0"))
    time.sleep(0.8)  # the focus animation


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default=str(ROOT / "seeds"), help="seed articles (default: seeds/)")
    ap.add_argument("--corpus", default=str(CORPUS), help="corpus folder; each sub-folder is built (default: ../shared/corpus)")
    ap.add_argument("--out", default=str(ROOT / "docs"), help="folder for the PNGs (default: docs/)")
    ap.add_argument("--node", default="上海市", help="label of the node whose panel is shown")
    ap.add_argument("--region", default="上海市", help="region clicked in the corpus (default: 上海市; else the biggest cluster)")
    ap.add_argument("--only", default="seeds,corpus,20k", help="which pages: seeds,corpus,20k")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    args = ap.parse_args(argv)
    only = set(args.only.split(","))

    from kg.export import html as viewer
    from kg.pipeline import build

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="kg-shots-") as tmp:
        tmp = Path(tmp)
        driver = chromium(str(tmp / "profile"), args.width, args.height)
        try:
            if "seeds" in only:
                result = build([args.seeds], tmp / "seeds")
                page = Path(result.outputs["html"])
                data = page_data(page)
                ms = open_page(driver, page)
                save_png(driver, out / "seeds-graph.png")
                node = pick_node(data, args.node)
                driver.execute_script("window.kg.select(arguments[0])", node)
                wait_panel(driver)
                save_png(driver, out / "evidence-panel.png")
                written += [f"seeds-graph.png ({len(data['nodes'])} nodes, ready {ms / 1000:.2f} s)",
                            f"evidence-panel.png ({data['nodes'][node]['l']})"]
            if "corpus" in only:
                folders = sorted(p for p in Path(args.corpus).iterdir() if p.is_dir())
                result = build([str(p) for p in folders], tmp / "corpus", jobs=2)
                page = Path(result.outputs["html"])
                data = page_data(page)
                ms = open_page(driver, page)
                save_png(driver, out / "corpus-graph.png")
                big = max(data["clusters"], key=lambda c: (c["n"], -c["r"]))["r"]
                region = pick_node(data, args.region, cls=0) if args.region else big
                driver.execute_script("window.kg.focusRegion(arguments[0])", region)
                wait_panel(driver)
                save_png(driver, out / "corpus-region.png")
                written += [f"corpus-graph.png ({len(data['nodes'])} nodes, {data['articles']} articles, "
                            f"ready {ms / 1000:.2f} s)", f"corpus-region.png ({data['nodes'][region]['l']})"]
            if "20k" in only:
                page = tmp / "synthetic-20k.html"
                viewer.write_html(viewer.synthetic_graph(20000, seed=1), page)
                data = page_data(page)
                ms = open_page(driver, page)
                save_png(driver, out / "synthetic-20k.png")
                written.append(f"synthetic-20k.png ({len(data['nodes'])} of {data['total']} entities, "
                               f"ready {ms / 1000:.2f} s)")
        finally:
            driver.quit()
    for line in written:
        print(f"wrote {out}/{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
