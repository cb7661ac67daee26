// The search page on a split index (src/search/split.rs) in real Chromium, over HTTP and from
// disk (file://): the parts are loaded with <script> tags as a query needs them, and the page
// shows what search.js finds in Node on the same index.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, runKijun, serveStatic, launchBrowser } from "../harness.mjs";
import { K, splitEngine } from "../search-engines.mjs";

let dir, site, server, browser;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kijun-split-browser-"));
  const gen = spawnSync("python3", [path.join(repoRoot, "scripts/gen-corpus"), "--measures", "60", "--out", dir,
    "--only", "kijun"], { encoding: "utf8" });
  assert.equal(gen.status, 0, gen.stderr);
  const config = path.join(dir, "kijun", "kijun.toml");
  fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace(/^draft = true$/m, 'draft = true\nsearch_index = "split"'));
  site = path.join(dir, "site");
  const r = runKijun(["build", "--root", path.join(dir, "kijun"), "--out", site]);
  assert.equal(r.status, 0, r.stderr);
  server = await serveStatic(site, "/sub/path/");
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The results on the page once the status names the query in the box. */
async function results(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById("search-status").textContent.trim();
    const q = document.getElementById("search-input").value.trim();
    return status !== "" && status.includes(q);
  });
  return {
    status: await page.locator("#search-status").textContent(),
    items: await page.$$eval("#search-results > li", (items) => items.map((li) => ({
      title: li.querySelector("h2 a").textContent,
      href: li.querySelector("h2 a").getAttribute("href"),
      marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
    }))),
  };
}

/** What search.js finds in Node on the same split index: titles of the results shown. */
async function expected(lang, q) {
  const outcome = await K.searchSplit(splitEngine(site, lang), q);
  return { count: outcome.results.length, titles: outcome.results.slice(0, K.PAGE_SIZE).map((r) => r.doc.title) };
}

for (const [where, url] of [["HTTP", () => `${server.url}`], ["file://", () => pathToFileURL(site).href + "/"]]) {
  test(`${where}: ?q= loads the parts it needs and shows the same results as in Node`, async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const scripts = [];
    page.on("request", (r) => { if (r.resourceType() === "script") scripts.push(r.url()); });
    for (const [lang, q] of [["ja", "多要素認証"], ["ja", "鍵"], ["en", "backups"]]) {
      await page.goto(`${url()}${lang}/search/index.html?q=${encodeURIComponent(q)}`);
      const shown = await results(page);
      const want = await expected(lang, q);
      assert.ok(want.count > 0, `${q} has results`);
      assert.deepEqual(shown.items.map((r) => r.title), want.titles, `${lang} ${q}: titles in order`);
      assert.match(shown.status, new RegExp(String(want.count)));
      assert.ok(shown.items.every((r) => r.href.split("#")[0].endsWith("index.html")), "result links name index.html");
      assert.ok(shown.items.some((r) => r.marks.length > 0), "matches are highlighted");
    }
    // "show more" adds the next page of results, in order
    await page.goto(`${url()}ja/search/index.html?q=${encodeURIComponent("管理")}`);
    await results(page);
    const all = await K.searchSplit(splitEngine(site, "ja"), "管理");
    assert.ok(all.results.length > K.PAGE_SIZE, "管理 has more than a page of results");
    await page.click("#search-more");
    await page.waitForFunction((n) => document.querySelectorAll("#search-results > li").length === n,
      Math.min(all.results.length, 2 * K.PAGE_SIZE));
    const titles = await page.$$eval("#search-results > li h2 a", (as) => as.map((a) => a.textContent));
    assert.deepEqual(titles, all.results.slice(0, 2 * K.PAGE_SIZE).map((r) => r.doc.title));
    const parts = scripts.filter((s) => /\/search\/(ja|en)\/(t|p|c|d|l)\/\d+\.js$/.test(s));
    assert.ok(parts.length > 0, "parts were loaded with script tags");
    assert.ok(!scripts.some((s) => s.includes("search-index.")), "no single-file index");
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("typing a new query replaces the results; a stale answer never shows", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}ja/search/index.html`);
  await page.fill("#search-input", "認証");
  await page.fill("#search-input", "管理");
  const shown = await results(page);
  const want = await expected("ja", "管理");
  assert.deepEqual(shown.items.map((r) => r.title), want.titles);
  assert.match(page.url(), /\?q=%E7%AE%A1%E7%90%86/);
  await page.close();
});

test("a part that cannot be loaded says the index is missing", async () => {
  const broken = path.join(dir, "broken");
  fs.cpSync(site, broken, { recursive: true });
  fs.rmSync(path.join(broken, "search", "ja", "d"), { recursive: true });
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.join(broken, "ja", "search", "index.html")).href + "?q=" + encodeURIComponent("認証"));
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  assert.match(await page.locator("#search-status").textContent(), /検索インデックスを読み込めませんでした/);
  await page.close();
});
