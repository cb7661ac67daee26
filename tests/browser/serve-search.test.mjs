// `kijun serve` and a split search index in real Chromium: the search page loads index parts
// as a query needs them and drops their script tags, so a save that changes only parts of the
// index must still reload it (else it would mix parts of two builds). Runs the real binary on a
// copy of the mini site with `search_index = "split"`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, repoRoot, startServe } from "../harness.mjs";

const SOURCE = "content/measures/AM/AM-1.ja.md";
const WAIT = { timeout: 30_000 };
let tmp, root, server, url, browser;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "kijun-serve-search-"));
  root = join(tmp, "site");
  cpSync(join(repoRoot, "tests/fixtures/mini"), root, { recursive: true });
  const config = join(root, "kijun.toml");
  const text = readFileSync(config, "utf8");
  // A top-level key, before the first table.
  const firstTable = text.search(/^\[/m);
  writeFileSync(config, text.slice(0, firstTable) + 'search_index = "split"\n\n' + text.slice(firstTable));
  ({ child: server, url } = await startServe(root));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(tmp, { recursive: true, force: true });
});

/** The search page with `q` searched, once its results are shown and live reload is on. */
async function searchPage(q) {
  const page = await browser.newPage();
  await page.goto(`${url}ja/search/?q=${encodeURIComponent(q)}`);
  await page.waitForFunction((query) => {
    const s = document.getElementById("search-status").textContent.trim();
    return s !== "" && s.includes(query);
  }, q, WAIT);
  await page.locator("html[data-kijun-live=connected]").waitFor({ state: "attached", ...WAIT });
  return page;
}

test("a save that changes only index parts reloads the search page, which then finds the new text", async () => {
  const page = await searchPage("台帳");
  const scripts = await page.$$eval("script[src]", (els) => els.map((e) => e.getAttribute("src")));
  assert.ok(scripts.some((s) => s.includes("search/ja/meta.js")), "the split index is in use");
  assert.ok(!scripts.some((s) => /search\/ja\/[tdlpc]\//.test(s)), "loaded parts leave no script tag");
  await page.evaluate(() => { window.beforeSave = true; });

  // One kanji of a body word: the same number of characters, so the field lengths and with
  // them meta.js stay as they are, and only parts change.
  const source = readFileSync(join(root, SOURCE), "utf8");
  assert.ok(source.includes("表計算ソフト"), "the fixture has the word this test changes");
  writeFileSync(join(root, SOURCE), source.replace("表計算ソフト", "表集計ソフト"));

  await page.waitForFunction(() => window.beforeSave === undefined, null, WAIT);
  await page.locator("html[data-kijun-live=connected]").waitFor({ state: "attached", ...WAIT });
  await page.fill("#search-input", "表集計ソフト");
  await page.waitForFunction(() => /表集計ソフト/.test(document.getElementById("search-status").textContent), null, WAIT);
  const titles = await page.$$eval("#search-results > li h2 a", (as) => as.map((a) => a.textContent));
  assert.ok(titles.length > 0, "the new word is found after the reload");
  await page.close();
});
