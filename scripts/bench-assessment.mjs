// The measuring half of scripts/bench-assessment. Each figure is a median over repeated runs,
// with the peer page measured alternately in the same browser so both see the same load.
//   load:   navigation start → end of the load event (the page's scripts have run and drawn it)
//   change: one rating click (or one filter change) → handler done and layout flushed
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, repoRoot, runKijun, serveStatic } from "../tests/harness.mjs";

const LOADS = Number(process.argv[2] ?? 15);
const CHANGES = Number(process.argv[3] ?? 60);
const SCALE = 10;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

function build(root, out) {
  const r = runKijun(["build", "--root", root, "--out", out]);
  if (r.status !== 0) throw new Error(`kijun build failed:\n${r.stderr}`);
}

/** A copy of the bundled site with every measure copied SCALE-1 more times under new ids. */
function scaledCopy(dir) {
  // Everything a build of the root reads (revisions/ holds the previous revision's manifest).
  for (const part of ["kijun.toml", "content", "themes", "revisions"]) {
    if (existsSync(join(repoRoot, part))) cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
  }
  const measures = join(dir, "content/measures");
  for (const cat of readdirSync(measures)) {
    for (const file of readdirSync(join(measures, cat))) {
      const m = file.match(/^([A-Z]{2})-(\d+)\.(\w+)\.md$/);
      if (!m) continue;
      const text = readFileSync(join(measures, cat, file), "utf8");
      for (let k = 1; k < SCALE; k++) {
        const n = k * 100 + Number(m[2]);
        const copy = text
          .replace(/^id = ".*"$/m, `id = "${m[1]}-${n}"`)
          .replace(/^order = \d+$/m, `order = ${n}`)
          .replace(/^replaces = .*$/m, "");
        writeFileSync(join(measures, cat, `${m[1]}-${n}.${m[3]}.md`), copy);
      }
    }
  }
}

async function loadTime(browser, url) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  const t = await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd);
  await page.close();
  return t;
}

/** Rating clicks on the assessment page: handler (save, scores, gaps) plus layout. */
async function ratingTimes(browser, url, n) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  const times = await page.evaluate((n) => {
    const ratings = ["FI", "LI", "PI", "NI", "NA", ""];
    const fieldsets = [...document.querySelectorAll("fieldset.assessment-measure")];
    const out = [];
    for (let i = 0; i < n; i++) {
      const fs = fieldsets[(i * 7) % fieldsets.length];
      const radio = fs.querySelector(`input[value="${ratings[i % ratings.length]}"]`);
      const t0 = performance.now();
      radio.click();
      void document.body.offsetHeight;
      out.push(performance.now() - t0);
    }
    localStorage.clear();
    return out;
  }, n);
  await page.close();
  return times;
}

/** Filter changes on the measure list: the peer's handler plus layout. */
async function filterTimes(browser, url, n) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  const times = await page.evaluate((n) => {
    const select = document.querySelector("#measure-filters select[name=level]");
    const values = ["1", "2", "3", ""];
    const out = [];
    for (let i = 0; i < n; i++) {
      select.value = values[i % values.length];
      const t0 = performance.now();
      select.dispatchEvent(new Event("change", { bubbles: true }));
      void document.body.offsetHeight;
      out.push(performance.now() - t0);
    }
    return out;
  }, n);
  await page.close();
  return times;
}

async function measure(browser, base, label) {
  const loads = { assessment: [], peer: [] };
  // One unmeasured load of each first: the browser's caches and compiled scripts start warm.
  for (const path of ["ja/assessment/index.html", "ja/baseline/index.html"]) await loadTime(browser, base + path);
  for (let i = 0; i < LOADS; i++) {
    // Alternate which goes first, so neither always meets a warm cache.
    const order = i % 2 ? ["assessment", "peer"] : ["peer", "assessment"];
    for (const which of order) {
      const path = which === "assessment" ? "ja/assessment/index.html" : "ja/baseline/index.html";
      loads[which].push(await loadTime(browser, base + path));
    }
  }
  const rating = await ratingTimes(browser, base + "ja/assessment/index.html", CHANGES);
  const filter = await filterTimes(browser, base + "ja/baseline/index.html", CHANGES);
  const row = (what, a, p) => `${label.padEnd(22)} ${what.padEnd(8)} assessment ${ms(median(a)).padStart(9)}   measure list ${ms(median(p)).padStart(9)}   ratio ${(median(a) / median(p)).toFixed(2)}`;
  console.log(row("load", loads.assessment, loads.peer));
  console.log(row("change", rating, filter));
}

const tmp = mkdtempSync(join(tmpdir(), "kijun-bench-assessment-"));
build(repoRoot, join(tmp, "bundled"));
const scaledRoot = join(tmp, "scaled-src");
scaledCopy(scaledRoot);
build(scaledRoot, join(tmp, "scaled"));
const count = (dir) => JSON.parse(readFileSync(join(tmp, dir, "downloads/baseline.json"), "utf8")).measures.length;

console.log(`kijun self-assessment benchmark: ${LOADS} loads and ${CHANGES} changes per page; ` +
  `${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}; medians`);
const server = await serveStatic(tmp, "/");
const browser = await launchBrowser();
try {
  await measure(browser, `${server.url}bundled/`, `bundled (${count("bundled")} measures)`);
  await measure(browser, `${server.url}scaled/`, `×${SCALE} (${count("scaled")} measures)`);
} finally {
  await browser.close();
  await server.close();
}
