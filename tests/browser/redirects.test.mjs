// Renumbered measures in real Chromium: opening an old measure URL lands on the measure that
// replaces it, over HTTP from a sub-path (with and without index.html) and from disk (file://).
// A split measure's old URL stays put and offers each successor.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSite, bundledSite, repoRoot, serveStatic, launchBrowser } from "../harness.mjs";

let history, server, bundled, bundledServer, browser;
before(async () => {
  history = buildSite(join(repoRoot, "tests/fixtures/history"));
  server = await serveStatic(history, "/sub/path/");
  bundled = bundledSite();
  bundledServer = await serveStatic(bundled);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await bundledServer?.close();
});

/** Opens `url` and waits until the browser shows the page of measure `id`. */
async function landsOn(url, id) {
  const page = await browser.newPage();
  await page.goto(url);
  const slug = id.toLowerCase();
  await page.waitForURL((u) => u.href.endsWith(`/measures/${slug}/index.html`), { timeout: 10_000 });
  await page.waitForLoadState("load");
  const heading = await page.textContent("h1#measure-title");
  const shownId = await page.textContent(".measure-id-line .measure-id");
  await page.close();
  return { heading, shownId };
}

test("an old URL over HTTP from a sub-path lands on the new measure, in the same language", async () => {
  // NS-9 was renumbered twice (NS-9 → AM-9 → AM-3).
  for (const [path, heading] of [
    ["ja/measures/ns-9/index.html", "資産ラベルの貼付"],
    ["ja/measures/am-9/", "資産ラベルの貼付"],
    ["en/measures/ns-9/", "Asset labels"],
  ]) {
    const got = await landsOn(`${server.url}${path}`, "AM-3");
    assert.equal(got.shownId, "AM-3", path);
    assert.equal(got.heading, heading, path);
  }
});

test("an old URL opened from disk (file://) lands on the new measure", async () => {
  const url = pathToFileURL(join(history, "en/measures/am-9/index.html")).href;
  const got = await landsOn(url, "AM-3");
  assert.equal(got.shownId, "AM-3");
});

test("a split measure's old URL lists its successors instead of redirecting", async () => {
  const page = await browser.newPage();
  const url = `${server.url}en/measures/ac-9/index.html`;
  await page.goto(url);
  await page.waitForTimeout(500); // a redirect, if there were one, would have happened by now
  assert.equal(page.url(), url);
  const links = await page.$$eval(".redirect-targets a", (as) => as.map((a) => a.textContent));
  assert.deepEqual(links, ["AC-1 Multi-factor authentication", "AC-2 Account review"]);
  await page.click("text=AC-2 Account review");
  await page.waitForURL((u) => u.href.endsWith("/sub/path/en/measures/ac-2/index.html"));
  await page.close();
});

test("bundled site: LM-7 of the earlier draft leads to OT-6", async () => {
  const got = await landsOn(`${bundledServer.url}ja/measures/lm-7/`, "OT-6");
  assert.equal(got.shownId, "OT-6");
  const fromDisk = await landsOn(pathToFileURL(join(bundled, "en/measures/lm-7/index.html")).href, "OT-6");
  assert.equal(fromDisk.shownId, "OT-6");
});
