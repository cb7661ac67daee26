#!/usr/bin/env node
// The search page in Chromium, each run on a fresh context (empty cache), over HTTP from a
// local server; median of RUNS per query (default 5), for each site given:
//
// * first results: from navigating to `<lang>/search/index.html?q=QUERY` until the status line
//   names the query (the results are shown); with `--throttle N` the CPU is slowed N times
//   (Chrome DevTools Protocol `Emulation.setCPUThrottlingRate`);
// * bytes: what that page load downloaded (HTML, CSS, scripts, index), each response's body
//   under gzip as a web server would send it;
// * next query: on the same page, from typing the next query of the list into the box until its
//   results are shown (the debounce of the input, 120 ms, is not counted).
//
//   node scripts/bench-search.mjs [--runs 5] [--throttle 4] SITE [SITE ...]
//
// Build a large site first with scripts/bench-build, or:
//   scripts/gen-corpus --measures 10000 --out /dev/shm/c --only kijun
//   target/release/kijun build --root /dev/shm/c/kijun --out /dev/shm/c/site
import zlib from "node:zlib";
import { serveStatic, launchBrowser } from "../tests/harness.mjs";

const QUERIES = [["ja", "認証"], ["ja", "インシデント対応計画"], ["ja", "AM-1"], ["ja", "MFA"], ["en", "backups"], ["en", "incident response plan"]];
const DEBOUNCE_MS = 120;

const args = process.argv.slice(2);
let runs = 5;
let throttle = 1;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else if (args[i] === "--throttle") throttle = Number(args[++i]);
  else sites.push(args[i]);
}
if (sites.length === 0) {
  console.error("usage: node scripts/bench-search.mjs [--runs N] [--throttle N] SITE [SITE ...]");
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const shown = (query) => {
  const s = document.getElementById("search-status").textContent.trim();
  return s !== "" && s.includes(query) && document.getElementById("search-input").value.trim() === query;
};

/** One run: {first (ms), bytes (gzip), next (ms), count}. */
async function once(browser, url, lang, q, next) {
  const context = await browser.newContext(); // an empty cache each time
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  }
  const bodies = [];
  page.on("response", (r) => {
    bodies.push(r.body().then((b) => zlib.gzipSync(b).length, () => 0)); // redirects have no body
  });
  const started = performance.now();
  await page.goto(`${url}${lang}/search/index.html?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(shown, q, { timeout: 60_000, polling: 10 });
  const first = performance.now() - started;
  const status = (await page.locator("#search-status").textContent()).trim();
  const bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
  await page.fill("#search-input", next);
  const typed = performance.now();
  await page.waitForFunction(shown, next, { timeout: 60_000, polling: 5 });
  const nextMs = performance.now() - typed - DEBOUNCE_MS;
  await context.close();
  return { first, bytes, next: nextMs, count: (status.replace(q, "").match(/[\d,]+/) || [""])[0] };
}

const browser = await launchBrowser();
console.log(`CPU throttling ${throttle}x, median of ${runs}`);
console.log("| site | lang | query | results | first results (ms) | downloaded (KB gzip) | next query (ms) |");
console.log("|---|---|---|---|---|---|---|");
for (const site of sites) {
  const server = await serveStatic(site, "/");
  for (const [i, [lang, q]] of QUERIES.entries()) {
    const next = QUERIES.slice(i + 1).concat(QUERIES).find(([l, x]) => l === lang && x !== q)[1];
    const rs = [];
    for (let r = 0; r < runs; r++) rs.push(await once(browser, server.url, lang, q, next));
    const m = (k) => median(rs.map((x) => x[k]));
    console.log(`| ${site} | ${lang} | ${q} | ${rs[0].count} | ${Math.round(m("first"))} | ${(m("bytes") / 1024).toFixed(0)} | ${Math.round(m("next"))} (${next}) |`);
  }
  await server.close();
}
await browser.close();
