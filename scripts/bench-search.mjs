#!/usr/bin/env node
// Time to first results on the search page, in Chromium: from navigating to
// `<lang>/search/index.html?q=QUERY` until the status line names the query (the results are
// shown), each query on a fresh page with an empty cache, over HTTP from a local server.
// Median of RUNS per query, for each site given (e.g. the bundled site, whose index is one
// file per language, beside a large generated one, whose index is split).
//
//   node scripts/bench-search.mjs [--runs 5] SITE [SITE ...]
//
// Build a large site first with scripts/bench-build, or:
//   scripts/gen-corpus --measures 10000 --out /dev/shm/c --only kijun
//   target/release/kijun build --root /dev/shm/c/kijun --out /dev/shm/c/site
import { serveStatic, launchBrowser } from "../tests/harness.mjs";

const QUERIES = [["ja", "認証"], ["ja", "インシデント対応計画"], ["ja", "AM-1"], ["en", "backups"], ["en", "incident response plan"]];

const args = process.argv.slice(2);
let runs = 5;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else sites.push(args[i]);
}
if (sites.length === 0) {
  console.error("usage: node scripts/bench-search.mjs [--runs N] SITE [SITE ...]");
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await launchBrowser();
console.log("| site | lang | query | results | first results (median ms) | runs (ms) |");
console.log("|---|---|---|---|---|---|");
for (const site of sites) {
  const server = await serveStatic(site, "/");
  for (const [lang, q] of QUERIES) {
    const times = [];
    let status = "";
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext(); // an empty cache each time
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${server.url}${lang}/search/index.html?q=${encodeURIComponent(q)}`);
      await page.waitForFunction((query) => {
        const s = document.getElementById("search-status").textContent.trim();
        return s !== "" && s.includes(query);
      }, q, { timeout: 60_000 });
      times.push(performance.now() - started);
      status = (await page.locator("#search-status").textContent()).trim();
      await context.close();
    }
    const count = (status.replace(q, "").match(/[\d,]+/) || [""])[0];
    console.log(`| ${site} | ${lang} | ${q} | ${count} | ${Math.round(median(times))} | ${times.map(Math.round).join(", ")} |`);
  }
  await server.close();
}
await browser.close();
