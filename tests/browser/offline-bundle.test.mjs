// The offline bundle as a user gets it: download, check the published SHA-256, unzip with the
// system's unzip, open index.html from disk in Chromium and follow links, with no network.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundledSite, launchBrowser } from "../harness.mjs";

function unpackBundle() {
  const downloads = join(bundledSite(), "downloads");
  const zipName = readdirSync(downloads).find((n) => /^kijun-site-.+\.zip$/.test(n));
  assert.ok(zipName, "the site publishes an offline bundle");
  const zip = readFileSync(join(downloads, zipName));
  const published = readFileSync(join(downloads, `${zipName}.sha256`), "utf8");
  const digest = createHash("sha256").update(zip).digest("hex");
  assert.equal(published, `${digest}  ${zipName}\n`, "the published checksum is the zip's");
  const dir = mkdtempSync(join(tmpdir(), "kijun-bundle-"));
  const r = spawnSync("unzip", ["-q", join(downloads, zipName), "-d", dir], { encoding: "utf8" });
  assert.equal(r.status, 0, `unzip: ${r.stderr}`);
  const folder = zipName.replace(/\.zip$/, "");
  assert.deepEqual(readdirSync(dir), [folder], "everything unpacks into one folder");
  return join(dir, folder);
}

/** Every relative link and resource of the open page that does not exist on disk. */
async function brokenLocalLinks(page, root) {
  const urls = await page.evaluate(() =>
    [...document.querySelectorAll("a[href], link[href], script[src], img[src]")]
      .map((e) => e.href || e.src)
      .filter((u) => u.startsWith("file:")));
  return urls
    .map((u) => fileURLToPath(u.split("#")[0].split("?")[0]))
    .filter((p) => !p.startsWith(root + sep) || !existsSync(p));
}

test("the offline bundle opens from disk and its links work", async () => {
  const root = unpackBundle();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const remote = [];
    const failed = [];
    page.on("request", (req) => { if (!req.url().startsWith("file:")) remote.push(req.url()); });
    // Chromium does not load favicons for file:// pages (a browser limit, invisible to readers);
    // every other request must succeed.
    page.on("requestfailed", (req) => {
      if (!req.url().endsWith("/static/favicon.svg")) failed.push(req.url());
    });

    // The root page sends the reader on to the default language.
    await page.goto(pathToFileURL(join(root, "index.html")).href);
    await page.waitForURL(/\/ja\/index\.html$/);
    assert.equal(await page.getAttribute("html", "lang"), "ja");
    assert.deepEqual(await brokenLocalLinks(page, root), [], "home page links resolve inside the bundle");

    // Down to a measure through the navigation, as a reader would.
    await page.click(".site-nav a[href$='baseline/index.html']");
    await page.waitForURL(/\/ja\/baseline\/index\.html$/);
    const first = page.locator("main a[href*='/measures/']").first();
    const href = await first.getAttribute("href");
    await first.click();
    await page.waitForURL(/\/ja\/measures\/[^/]+\/index\.html$/);
    const slug = href.match(/measures\/([^/]+)\//)[1];
    assert.equal((await page.locator(".measure-id").first().innerText()).toLowerCase(), slug, "the measure page it links to");
    assert.ok((await page.locator("h1").innerText()).length > 0);
    const styled = await page.evaluate(() => document.styleSheets.length > 0 && getComputedStyle(document.body).margin !== "");
    assert.ok(styled, "the stylesheet loads from disk");
    assert.deepEqual(await brokenLocalLinks(page, root), [], "measure page links resolve inside the bundle");

    // The downloads page inside the bundle does not link to the bundle (it is not inside itself).
    await page.click(".site-footer a[href$='downloads/index.html']");
    await page.waitForURL(/\/ja\/downloads\/index\.html$/);
    assert.deepEqual(await brokenLocalLinks(page, root), [], "downloads page links resolve inside the bundle");
    const text = await page.locator("main").innerText();
    assert.ok(text.includes("catalog.json") && text.includes(".csv"), "it lists the downloads");

    assert.deepEqual(failed, [], "nothing failed to load");
    assert.deepEqual(remote, [], "nothing was fetched from the network");
  } finally {
    await browser.close();
  }
});
