// `kijun serve` in real Chromium: saving a source reloads the open page with the new text; a
// broken edit shows the error overlay (escaped, with file and line) over the last good page;
// fixing the file clears it. Runs the real binary on a free port, on a copy of the mini site.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, repoRoot, startServe } from "../harness.mjs";

const SOURCE = "content/measures/AM/AM-1.ja.md";
const WAIT = { timeout: 30_000 };
let tmp, root, server, url, browser, serverErr;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "kijun-serve-browser-"));
  root = join(tmp, "site");
  cpSync(join(repoRoot, "tests/fixtures/mini"), root, { recursive: true });
  ({ child: server, url, stderr: serverErr } = await startServe(root));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(tmp, { recursive: true, force: true });
});

const source = () => readFileSync(join(root, SOURCE), "utf8");
const save = (text) => writeFileSync(join(root, SOURCE), text);

/** A page on the preview, connected to the reload channel, with CSP and script errors collected. */
async function openPreview(path) {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => {
    const text = m.text();
    // Chromium's notice about the theme's <meta> CSP, and failed loads (checked by URL below).
    if (m.type() !== "error" || /frame-ancestors' is ignored|^Failed to load resource/.test(text)) return;
    problems.push(text);
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("response", (r) => {
    // The site has no favicon, which the browser asks for by itself.
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(url + path);
  await page.locator("html[data-kijun-live=connected]").waitFor({ state: "attached", ...WAIT });
  return { page, problems };
}

test("saving a source reloads the open page with the new text", async () => {
  const { page, problems } = await openPreview("ja/measures/am-1/");
  assert.equal(await page.locator("h1").textContent(), "資産台帳の整備");
  await page.evaluate(() => { window.beforeSave = true; });

  save(source().replace('title = "資産台帳の整備"', 'title = "資産台帳の整備（保存して確認）"'));
  await page.locator("h1", { hasText: "資産台帳の整備（保存して確認）" }).waitFor(WAIT);
  assert.equal(await page.evaluate(() => window.beforeSave), undefined, "the page was reloaded");
  await page.locator("html[data-kijun-live=connected]").waitFor({ state: "attached", ...WAIT });
  assert.deepEqual(problems, [], "no script or Content-Security-Policy errors");
  await page.close();
});

test("a page not affected by a save stays as it is", async () => {
  const { page } = await openPreview("en/measures/ac-1/");
  await page.evaluate(() => { window.untouched = true; });
  const other = await openPreview("ja/measures/am-1/");
  save(source().replace("表計算ソフトで始める。", "表計算ソフトで始める（本文だけの編集）。"));
  await other.page.locator("text=本文だけの編集").waitFor(WAIT);
  assert.equal(await page.evaluate(() => window.untouched), true, "no reload for an unchanged page");
  await page.close();
  await other.page.close();
});

test("a broken edit shows the error over the last good page, and fixing it clears it", async () => {
  const { page, problems } = await openPreview("ja/measures/am-1/");
  const good = source();
  const title = await page.locator("h1").textContent();
  // The value is echoed in the message: it must show as text, not become markup.
  save(good.replace('category = "AM"', 'category = "<b>ZZ</b>"'));

  const overlay = page.locator("#kijun-problems");
  await overlay.waitFor(WAIT);
  assert.equal(await overlay.getAttribute("role"), "alert");
  const text = await overlay.textContent();
  assert.match(text, /content\/measures\/AM\/AM-1\.ja\.md:3:\d+/);
  assert.match(text, /unknown category `<b>ZZ<\/b>`/);
  assert.equal(await overlay.locator("b").count(), 0, "diagnostics are escaped");
  assert.equal(await page.locator("h1").textContent(), title, "the last good page stays");
  assert.match(serverErr(), /AM-1\.ja\.md:3:\d+: error: unknown category/);

  // The dismiss button works from the keyboard.
  await overlay.getByRole("button").focus();
  await page.keyboard.press("Enter");
  assert.equal(await overlay.count(), 0);

  // Broken again (a new event shows the overlay again), then fixed: the overlay goes away.
  save(good.replace('category = "AM"', 'category = "ZZ"'));
  await overlay.waitFor(WAIT);
  save(good);
  await overlay.waitFor({ state: "detached", ...WAIT });
  assert.equal(await page.locator("h1").textContent(), title);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a page opened while the build is broken shows the overlay at once", async () => {
  const good = source();
  const failures = () => serverErr().split(" failed: ").length;
  const before = failures();
  save(good.replace("level = 1", 'level = "high"'));
  const page = await browser.newPage();
  try {
    // Open the page only once the server has reported the failed rebuild.
    const deadline = Date.now() + 30_000;
    while (failures() === before && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
    await page.goto(url + "ja/");
    const overlay = page.locator("#kijun-problems");
    await overlay.waitFor(WAIT);
    assert.match(await overlay.textContent(), /AM-1\.ja\.md:5:9/);
  } finally {
    save(good);
  }
  await page.locator("#kijun-problems").waitFor({ state: "detached", ...WAIT });
  await page.close();
});
