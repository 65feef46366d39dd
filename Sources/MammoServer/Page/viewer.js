// MammoSeg viewer: worklist, hanging protocol, window/level on 16-bit pixels, probability overlay.
// Plain ES module, no build step. Pixels arrive as little-endian Uint16 (window/level through a lookup
// table here), the map as one byte per pixel (round(p · 255)) in the same grid.

const $ = (id) => document.getElementById(id);
const state = {
  worklist: null, examId: null, exam: null, layout: "four", singleId: null,
  views: [],                      // {slot, id, info, pixels, map, center, width, canvas, gray, overlay, flip}
  zoom: 1, panX: 0, panY: 0,      // shared by every view (synchronised)
  overlayOn: true, opacity: 0.5, threshold: 0.3, tool: "window",
};
const SLOTS = [["R", "CC"], ["L", "CC"], ["R", "MLO"], ["L", "MLO"]];
const MLO_LIKE = new Set(["MLO", "ML", "LM", "LMO", "SIO"]);
const CC_LIKE = new Set(["CC", "XCCL", "XCCM", "FB"]);

async function getJSON(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function getBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.arrayBuffer();
}

function formatScore(image) {
  if (image.score != null) return image.score.toFixed(3);
  return image.status;
}

// ---- worklist --------------------------------------------------------------------------------

async function refreshWorklist() {
  const list = await getJSON("/api/worklist");
  state.worklist = list;
  $("progress").textContent = `${list.done} of ${list.total} images predicted`;
  const body = $("worklist").tBodies[0];
  body.replaceChildren();
  for (const exam of list.exams) {
    const row = document.createElement("tr");
    row.dataset.examId = exam.id;
    if (exam.id === state.examId) row.classList.add("selected");
    const title = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = exam.title;
    button.addEventListener("click", () => openExam(exam.id));
    title.append(button);
    const images = document.createElement("td");
    images.textContent = hangingOrder(exam.images).map((i) => (i.laterality ?? "") + (i.view ?? "?")).join(" ");
    const score = document.createElement("td");
    score.className = "score";
    if (exam.score != null) score.textContent = exam.score.toFixed(3);
    if (exam.pending > 0) {
      const mark = document.createElement("span");
      mark.className = "pending";
      mark.textContent = (exam.score != null ? " · " : "") + `${exam.pending} pending`;
      score.append(mark);
    }
    const failed = exam.images.filter((i) => i.status === "failed");
    if (failed.length) {
      const mark = document.createElement("span");
      mark.className = "failed";
      mark.textContent = ` ${failed.length} failed`;
      mark.title = failed.map((i) => `${i.name}: ${i.message}`).join("\n");
      score.append(mark);
    }
    row.append(title, images, score);
    row.addEventListener("click", (event) => { if (event.target === row || event.target.tagName === "TD") openExam(exam.id); });
    body.append(row);
  }
  if (state.exam) updatePendingViews();
}

// ---- exams and views -------------------------------------------------------------------------

function slotOf(image) {
  const view = (image.view ?? "").toUpperCase();
  const row = CC_LIKE.has(view) ? "CC" : MLO_LIKE.has(view) ? "MLO" : null;
  if (!row || !image.laterality) return -1;
  return SLOTS.findIndex(([l, v]) => l === image.laterality && v === row);
}

// Hanging order (RCC, LCC, RMLO, LMLO), then the rest by name.
function hangingOrder(images) {
  const rank = (i) => { const s = slotOf(i); return s < 0 ? 4 : s; };
  return [...images].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

function openExam(examId, singleId = null) {
  const found = state.worklist.exams.find((e) => e.id === examId);
  if (!found) return;
  const exam = { ...found, images: hangingOrder(found.images) };
  state.examId = examId;
  state.exam = exam;
  for (const row of $("worklist").tBodies[0].rows) row.classList.toggle("selected", row.dataset.examId === examId);
  const hung = exam.images.filter((i) => slotOf(i) >= 0);
  state.layout = singleId || hung.length < 2 ? "single" : "four";
  state.singleId = singleId ?? (hung[0] ?? exam.images[0]).id;
  $("layout-four").disabled = hung.length < 2;
  $(state.layout === "four" ? "layout-four" : "layout-single").checked = true;
  const select = $("image-select");
  select.replaceChildren(...exam.images.map((i) => new Option(`${i.laterality ?? ""}${i.view ?? ""} ${i.name}`, i.id)));
  select.value = state.singleId;
  buildViews();
}

function buildViews() {
  const exam = state.exam;
  const container = $("views");
  container.replaceChildren();
  container.className = state.layout;
  document.body.dataset.ready = "0";
  let slots;
  if (state.layout === "four") {
    slots = SLOTS.map(([l, v], index) => ({ slot: `${l}${v}`, image: exam.images.find((i) => slotOf(i) === index) ?? null }));
  } else {
    const image = exam.images.find((i) => i.id === state.singleId) ?? exam.images[0];
    slots = [{ slot: `${image.laterality ?? ""}${image.view ?? ""}` || "image", image }];
  }
  state.views = slots.map(({ slot, image }) => {
    const element = document.createElement("div");
    element.className = "view";
    element.dataset.slot = slot;
    const canvas = document.createElement("canvas");
    canvas.setAttribute("aria-label", `${slot} view`);
    const label = document.createElement("div");
    label.className = "label";
    element.append(canvas, label);
    container.append(element);
    const view = { slot, id: image?.id ?? null, image, element, canvas, label, info: null, pixels: null, map: null,
                   gray: null, overlay: null, flip: false, center: 32768, width: 65536 };
    if (!image) {
      const missing = document.createElement("div");
      missing.className = "missing";
      missing.textContent = `no ${slot}`;
      element.append(missing);
    }
    attachPointer(view);
    return view;
  });
  const loads = state.views.filter((v) => v.id).map(loadView);
  Promise.all(loads).then(() => {
    fillPresets();
    draw();
    document.body.dataset.ready = "1";
  }).catch(reportError);
}

async function loadView(view) {
  view.info = await getJSON(`/api/images/${view.id}`);
  const d = view.info.display;
  view.pixels = new Uint16Array(await getBytes(`/api/images/${view.id}/pixels`));
  if (view.pixels.length !== d.width * d.height) throw new Error(`${view.slot}: pixel count does not match`);
  // Chest walls face each other: right breasts with the chest wall on the right, left ones on the left.
  const lat = view.info.laterality;
  view.flip = lat === "R" ? !d.chestWallOnRight : lat === "L" ? d.chestWallOnRight : false;
  const chestRight = lat ? lat === "R" : d.chestWallOnRight !== view.flip;
  view.element.classList.add(chestRight ? "chest-right" : "chest-left");
  const preset = d.presets[0];
  view.center = preset.center;
  view.width = preset.width;
  view.gray = document.createElement("canvas");
  view.gray.width = d.width;
  view.gray.height = d.height;
  renderGray(view);
  await loadMap(view);
  updateLabel(view);
}

async function loadMap(view) {
  if (view.info.status !== "done") return;
  view.map = new Uint8Array(await getBytes(`/api/images/${view.id}/overlay`));
  view.overlay = document.createElement("canvas");
  view.overlay.width = view.info.display.width;
  view.overlay.height = view.info.display.height;
  renderOverlay(view);
  showDownloads();
}

// Pending images of the open exam: fetch their maps once the worklist says they are done.
async function updatePendingViews() {
  let changed = false;
  for (const view of state.views) {
    if (!view.id || !view.info || view.map) continue;
    const image = state.exam && state.worklist.exams.flatMap((e) => e.images).find((i) => i.id === view.id);
    if (image && image.status !== view.info.status) {
      view.info = await getJSON(`/api/images/${view.id}`);
      await loadMap(view);
      updateLabel(view);
      changed = true;
    }
  }
  if (changed) draw();
}

function updateLabel(view) {
  const info = view.info;
  const score = info.score != null ? `score ${info.score.toFixed(3)}` : info.status === "failed" ? `failed: ${info.message}` : "prediction pending";
  const mono = info.display.photometric === "MONOCHROME1" ? " · MONOCHROME1 (inverted)" : "";
  view.label.textContent = `${view.slot} · ${score}${mono}`;
}

function showDownloads() {
  const box = $("downloads");
  box.replaceChildren();
  for (const view of state.views) {
    for (const download of view.info?.downloads ?? []) {
      const link = document.createElement("a");
      link.href = download.href;
      link.textContent = `${view.slot}: ${download.label}`;
      link.setAttribute("download", "");
      box.append(link);
    }
  }
}

// ---- rendering -------------------------------------------------------------------------------

function renderGray(view) {
  const d = view.info.display;
  const lut = new Uint8ClampedArray(65536);
  const low = view.center - view.width / 2;
  for (let v = 0; v < 65536; v++) lut[v] = ((v - low) / view.width) * 255;
  const context = view.gray.getContext("2d");
  const image = context.createImageData(d.width, d.height);
  const rgba = new Uint32Array(image.data.buffer);
  const pixels = view.pixels;
  for (let i = 0; i < pixels.length; i++) {
    const g = lut[pixels[i]];
    rgba[i] = 0xff000000 | (g << 16) | (g << 8) | g;
  }
  context.putImageData(image, 0, 0);
}

// Colours above the threshold: yellow at the threshold to red at 1; transparent below.
function renderOverlay(view) {
  if (!view.map) return;
  const d = view.info.display;
  const context = view.overlay.getContext("2d");
  const image = context.createImageData(d.width, d.height);
  const rgba = new Uint32Array(image.data.buffer);
  const cut = Math.round(state.threshold * 255);
  const colours = new Uint32Array(256);
  for (let p = 0; p < 256; p++) {
    if (p < cut || p === 0) continue;
    const t = cut >= 255 ? 1 : (p - cut) / (255 - cut);
    const green = Math.round(230 * (1 - t));
    colours[p] = 0xff000000 | (20 << 16) | (green << 8) | 255;
  }
  const map = view.map;
  for (let i = 0; i < map.length; i++) rgba[i] = colours[map[i]];
  context.putImageData(image, 0, 0);
}

// Fit the image in its view, then the shared zoom and pan; mirrored where the hanging asks for it.
function transformOf(view) {
  const canvas = view.canvas;
  const d = view.info.display;
  const fit = Math.min(canvas.width / d.width, canvas.height / d.height);
  const scale = fit * state.zoom;
  return { scale, flip: view.flip, cx: canvas.width / 2 + state.panX, cy: canvas.height / 2 + state.panY, w: d.width, h: d.height };
}

function draw() {
  for (const view of state.views) {
    const canvas = view.canvas;
    const rect = canvas.getBoundingClientRect();
    const w = Math.max(1, Math.round(rect.width)), h = Math.max(1, Math.round(rect.height));
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    const context = canvas.getContext("2d");
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = "#000";
    context.fillRect(0, 0, w, h);
    if (!view.info || !view.gray) continue;
    const t = transformOf(view);
    context.setTransform(t.flip ? -t.scale : t.scale, 0, 0, t.scale, t.cx, t.cy);
    context.imageSmoothingEnabled = state.zoom < 2;
    context.drawImage(view.gray, -t.w / 2, -t.h / 2);
    if (state.overlayOn && view.overlay && state.opacity > 0) {
      context.globalAlpha = state.opacity;
      context.drawImage(view.overlay, -t.w / 2, -t.h / 2);
      context.globalAlpha = 1;
    }
  }
  const first = state.views.find((v) => v.info);
  if (first) $("window-readout").textContent = `level ${Math.round(first.center)}, width ${Math.round(first.width)} (of 0–65535)`;
}

let drawPending = false;
function scheduleDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => { drawPending = false; draw(); });
}

// ---- interaction -----------------------------------------------------------------------------

function imagePoint(view, event) {
  const rect = view.canvas.getBoundingClientRect();
  const t = transformOf(view);
  const sx = (event.clientX - rect.left) * (view.canvas.width / rect.width);
  const sy = (event.clientY - rect.top) * (view.canvas.height / rect.height);
  let x = (sx - t.cx) / t.scale;
  if (t.flip) x = -x;
  const y = (sy - t.cy) / t.scale;
  return { x: Math.floor(x + t.w / 2), y: Math.floor(y + t.h / 2) };
}

function attachPointer(view) {
  const canvas = view.canvas;
  let drag = null;
  canvas.addEventListener("pointerdown", (event) => {
    if (!view.info) return;
    canvas.setPointerCapture(event.pointerId);
    drag = { x: event.clientX, y: event.clientY };
  });
  canvas.addEventListener("pointerup", () => { drag = null; });
  canvas.addEventListener("pointermove", (event) => {
    if (!view.info) return;
    readout(view, event);
    if (!drag) return;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    drag = { x: event.clientX, y: event.clientY };
    if (state.tool === "pan") {
      state.panX += dx; state.panY += dy;
      scheduleDraw();
    } else {
      adjustWindow(dx, dy);
    }
  });
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    state.zoom = Math.min(32, Math.max(0.25, state.zoom * Math.exp(-event.deltaY * 0.001)));
    scheduleDraw();
  }, { passive: false });
}

// Horizontal drag widens/narrows the window, vertical drag moves the level; every view alike.
function adjustWindow(dx, dy) {
  for (const view of state.views) {
    if (!view.info) continue;
    const step = Math.max(view.width, 64) / 256;
    view.width = Math.min(131072, Math.max(2, view.width + dx * step));
    view.center = Math.min(65535, Math.max(0, view.center + dy * step));
    renderGray(view);
  }
  scheduleDraw();
}

function readout(view, event) {
  const { x, y } = imagePoint(view, event);
  const d = view.info.display;
  if (x < 0 || y < 0 || x >= d.width || y >= d.height) {
    $("cursor-readout").textContent = `${view.slot}: outside the image`;
    return;
  }
  const i = y * d.width + x;
  const p = view.map ? (view.map[i] / 255).toFixed(2) : view.info.status;
  $("cursor-readout").textContent =
    `${view.slot}: probability ${p} at (${x * d.factor}, ${y * d.factor}) · pixel ${view.pixels[i]}`;
}

function fillPresets() {
  const first = state.views.find((v) => v.info);
  if (!first) return;
  $("preset").replaceChildren(...first.info.display.presets.map((p, index) => new Option(p.name, String(index))));
}

function applyPreset(index) {
  const name = state.views.find((v) => v.info)?.info.display.presets[index]?.name;
  for (const view of state.views) {
    if (!view.info) continue;
    const presets = view.info.display.presets;
    const preset = presets.find((p) => p.name === name) ?? presets[presets.length - 2] ?? presets[0];
    view.center = preset.center;
    view.width = preset.width;
    renderGray(view);
  }
  draw();
}

function reportError(error) {
  console.warn(error);
  $("cursor-readout").textContent = `error: ${error.message}`;
}

async function upload(file) {
  $("upload-status").textContent = `predicting ${file.name}…`;
  const response = await fetch(`/api/predict?name=${encodeURIComponent(file.name)}`, { method: "POST", body: file });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    $("upload-status").textContent = `refused: ${answer.error?.message ?? response.status}`;
    return;
  }
  $("upload-status").textContent = `${answer.name}: score ${answer.score.toFixed(3)}`;
  await refreshWorklist();
  const exam = state.worklist.exams.find((e) => e.images.some((i) => i.id === answer.id));
  if (exam) openExam(exam.id, answer.id);
}

function setup() {
  $("controls").addEventListener("submit", (event) => event.preventDefault());
  $("overlay-on").addEventListener("change", (event) => { state.overlayOn = event.target.checked; draw(); });
  $("opacity").addEventListener("input", (event) => {
    state.opacity = Number(event.target.value) / 100;
    $("opacity-value").textContent = state.opacity.toFixed(2);
    draw();
  });
  $("threshold").addEventListener("input", (event) => {
    state.threshold = Number(event.target.value) / 100;
    $("threshold-value").textContent = state.threshold.toFixed(2);
    for (const view of state.views) renderOverlay(view);
    draw();
  });
  $("preset").addEventListener("change", (event) => applyPreset(Number(event.target.value)));
  $("tool").addEventListener("change", (event) => { state.tool = event.target.value; });
  $("reset-view").addEventListener("click", () => { state.zoom = 1; state.panX = 0; state.panY = 0; draw(); });
  for (const radio of document.querySelectorAll("input[name=layout]")) {
    radio.addEventListener("change", (event) => {
      if (!state.exam) return;
      state.layout = event.target.value;
      buildViews();
    });
  }
  $("image-select").addEventListener("change", (event) => {
    if (!state.exam) return;
    state.singleId = event.target.value;
    state.layout = "single";
    $("layout-single").checked = true;
    buildViews();
  });
  $("upload").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) upload(file).catch(reportError);
  });
  window.addEventListener("resize", scheduleDraw);
  state.opacity = Number($("opacity").value) / 100;
  state.threshold = Number($("threshold").value) / 100;
  refreshWorklist().catch(reportError);
  setInterval(() => refreshWorklist().catch(reportError), 3000);
}

setup();
