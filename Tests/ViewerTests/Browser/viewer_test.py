"""Drives `mammoseg serve` in Debian's Chromium through Playwright (never `playwright install`).

usage: viewer_test.py BASE_URL FOUR_VIEW_EXAM_TITLE SCREENSHOT.png UPLOAD_FILE

Opens the worklist, opens the four-view exam, checks that every canvas shows an image, that the
threshold, opacity and on/off controls change the overlay's pixels, that dragging changes the
window/level, that the probability under the cursor is shown, and that an upload opens; fails on any
JavaScript error or console error. Prints one line per failure and exits 1 if there is any.
"""
import sys
import time

from playwright.sync_api import sync_playwright

base, exam_title, screenshot, upload_file = sys.argv[1:5]
failures = []
errors = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


# Sum of the pixels of every canvas in the views, per canvas, and how many are not black.
CANVAS_STATS = """() => [...document.querySelectorAll('#views canvas')].map(c => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0, lit = 0, coloured = 0, left = 0, right = 0;
  for (let i = 0; i < d.length; i += 4) {
    sum += d[i] * 3 + d[i + 1] * 5 + d[i + 2] * 7;
    if ((i / 4) % c.width < c.width / 2) left += d[i]; else right += d[i];
    if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
    if (Math.abs(d[i] - d[i + 2]) > 24) coloured++;
  }
  return {sum, lit, coloured, left, right, total: c.width * c.height};
})"""


def stats(page):
    return page.evaluate(CANVAS_STATS)


def set_range(page, selector, value):
    page.evaluate("""([s, v]) => { const e = document.querySelector(s); e.value = v;
                     e.dispatchEvent(new Event('input', {bubbles: true})); }""", [selector, str(value)])


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)

    page.goto(base)
    page.wait_for_selector("#worklist tbody tr", timeout=30000)
    # Every image predicted (the fixtures are small): the worklist refreshes itself.
    deadline = time.time() + 90
    while time.time() < deadline:
        text = page.inner_text("#progress")
        parts = text.split()
        if len(parts) >= 3 and parts[0] == parts[2]:
            break
        time.sleep(0.5)
    check(page.inner_text("#progress").split()[0] == page.inner_text("#progress").split()[2],
          f"predictions did not finish: {page.inner_text('#progress')}")
    scores = page.eval_on_selector_all("#worklist tbody tr td.score", "cells => cells.map(c => c.textContent)")
    check(all(s.strip() for s in scores), f"an exam has no score shown: {scores}")
    numbers = [float(s.split()[0]) for s in scores if s.strip() and s.strip()[0].isdigit()]
    check(numbers == sorted(numbers, reverse=True), f"worklist not sorted by score: {numbers}")

    page.get_by_role("button", name=exam_title).click()
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    check(page.locator("#views.four").count() == 1, "the exam did not open in the four-view layout")
    slots = page.eval_on_selector_all("#views .view", "views => views.map(v => v.dataset.slot)")
    check(slots == ["RCC", "LCC", "RMLO", "LMLO"], f"hanging order is {slots}")
    sides = page.eval_on_selector_all("#views .view", "views => views.map(v => v.className)")
    check(all("chest-right" in c for c in sides[0::2]) and all("chest-left" in c for c in sides[1::2]),
          f"chest walls do not face each other: {sides}")

    # The image is shown: every canvas has lit pixels.
    set_range(page, "#opacity", 0)
    base_stats = stats(page)
    check(len(base_stats) == 4, f"{len(base_stats)} canvases")
    for slot, s in zip(slots, base_stats):
        check(s["lit"] > 0.05 * s["total"], f"{slot}: canvas looks empty ({s['lit']} of {s['total']} lit)")
        # Chest walls face each other: the breast of a right view fills its right half, a left view its left half.
        heavier = "right" if s["right"] > s["left"] else "left"
        check(heavier == ("right" if slot.startswith("R") else "left"), f"{slot}: the breast is on the {heavier}")

    # Opacity and threshold change the overlay's pixels; the checkbox hides it.
    set_range(page, "#threshold", 0)
    set_range(page, "#opacity", 100)
    full = stats(page)
    check(any(a["sum"] != b["sum"] for a, b in zip(full, base_stats)), "opacity 0 → 1 changed no pixel")
    check(sum(s["coloured"] for s in full) > sum(s["coloured"] for s in base_stats), "no coloured overlay pixels at threshold 0")
    set_range(page, "#threshold", 100)
    high = stats(page)
    check(any(a["sum"] != b["sum"] for a, b in zip(full, high)), "threshold 0 → 1 changed no pixel")
    set_range(page, "#threshold", 30)
    set_range(page, "#opacity", 60)
    shown = stats(page)
    page.uncheck("#overlay-on")
    hidden = stats(page)
    check([s["sum"] for s in hidden] == [s["sum"] for s in base_stats], "overlay off is not the bare image")
    check(any(a["sum"] != b["sum"] for a, b in zip(shown, hidden)), "the on/off box changed no pixel")
    page.check("#overlay-on")

    # Probability under the cursor.
    box = page.locator("#views .view canvas").nth(0).bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.5)
    readout = page.inner_text("#cursor-readout")
    check("probability" in readout, f"no probability under the cursor: {readout!r}")

    # Window/level by dragging (the default tool), and by preset.
    before = stats(page)
    window_before = page.inner_text("#window-readout")
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5 - 120, box["y"] + box["height"] * 0.5 + 60, steps=6)
    page.mouse.up()
    page.wait_for_timeout(100)
    after = stats(page)
    check(page.inner_text("#window-readout") != window_before, "dragging did not change the window")
    check(any(a["sum"] != b["sum"] for a, b in zip(before, after)), "dragging the window changed no pixel")
    presets = page.eval_on_selector_all("#preset option", "o => o.map(x => x.textContent)")
    check(any(p.startswith("VOI") for p in presets) or "Auto" in presets, f"presets: {presets}")
    page.select_option("#preset", index=0)

    # Zoom is synchronised: the wheel on one view zooms all four.
    before = stats(page)
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(150)
    after = stats(page)
    check(all(a["sum"] != b["sum"] for a, b in zip(before, after) if b["lit"] > 0), "zoom did not change every view")
    page.click("#reset-view")

    links = page.eval_on_selector_all("#downloads a", "a => a.map(x => x.getAttribute('href'))")
    check(any(h.endswith("probability.png") for h in links), f"no probability map download: {links}")
    if links:
        response = page.request.get(base.rstrip("/") + links[0])
        check(response.status == 200 and response.body()[:8] == b"\x89PNG\r\n\x1a\n", f"download {links[0]}: {response.status}")

    # The README's picture: four views with the overlay.
    set_range(page, "#threshold", 50)
    set_range(page, "#opacity", 55)
    page.select_option("#preset", index=0)
    page.wait_for_timeout(200)
    page.screenshot(path=screenshot)

    # The DICOM exam (one study, MONOCHROME1, a VOI window): its window is offered as a preset.
    page.get_by_role("button", name="Patient P0042").click()
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    check(page.locator("#views.four").count() == 1, "the DICOM exam did not open in the four-view layout")
    presets = page.eval_on_selector_all("#preset option", "o => o.map(x => x.textContent)")
    check(presets and presets[0].startswith("VOI"), f"the DICOM's VOI window is not the first preset: {presets}")
    labels = page.eval_on_selector_all("#views .label", "l => l.map(x => x.textContent)")
    check(all("MONOCHROME1" in l for l in labels), f"MONOCHROME1 not shown: {labels}")
    for slot, s in zip(["RCC", "LCC", "RMLO", "LMLO"], stats(page)):
        check(s["lit"] > 0.05 * s["total"], f"DICOM {slot}: canvas looks empty")

    # The DICOM images offer their map as a DICOM Segmentation once predicted (409 while pending).
    worklist = page.request.get(base.rstrip("/") + "/api/worklist").json()
    dicom_ids = [i["id"] for e in worklist["exams"] if e.get("patient") == "P0042" for i in e["images"]]
    check(bool(dicom_ids), f"no images of patient P0042 in the worklist: {worklist}")
    if dicom_ids:
        url = base.rstrip("/") + f"/api/images/{dicom_ids[0]}/seg.dcm"
        deadline = time.time() + 120
        response = page.request.get(url)
        while response.status == 409 and time.time() < deadline:
            time.sleep(0.5)
            response = page.request.get(url)
        body = response.body()
        check(response.status == 200 and body[128:132] == b"DICM", f"SEG download: {response.status}")
        if response.status == 200:
            import io
            import pydicom
            seg = pydicom.dcmread(io.BytesIO(body))
            check(seg.Modality == "SEG" and seg.SegmentationType == "FRACTIONAL", f"SEG download: {seg.Modality}")

    # Upload for a quick look: opens in the single view with its score.
    page.set_input_files("#upload", upload_file)
    # Polled from here: the page's CSP forbids the string evaluation wait_for_function would use.
    deadline = time.time() + 60
    while "score" not in page.inner_text("#upload-status") and time.time() < deadline:
        time.sleep(0.2)
    check("score" in page.inner_text("#upload-status"), f"upload: {page.inner_text('#upload-status')!r}")
    page.wait_for_selector("#views.single", timeout=30000)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    check(stats(page)[0]["lit"] > 0, "the uploaded image is not shown")

    browser.close()

for e in errors:
    print("FAIL:", e)
sys.exit(1 if failures or errors else 0)
