// The search page in real Chromium: ?q= on load, typing in both languages, keyboard use,
// escaping of hostile queries, and opened from disk (file://).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundledSite, serveStatic, launchBrowser } from "../harness.mjs";

let site, server, browser;
before(async () => {
  site = bundledSite();
  server = await serveStatic(site);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const manifest = () => JSON.parse(readFileSync(join(site, "downloads/baseline.json"), "utf8"));

/** Titles and ids of the results on the page, once the status says searching is done. */
async function results(page) {
  // Done when the status names the query now in the box (typing re-runs the search).
  await page.waitForFunction(() => {
    const status = document.getElementById("search-status").textContent.trim();
    const q = document.getElementById("search-input").value.trim();
    return status !== "" && status.includes(q);
  });
  return page.$$eval("#search-results > li", (items) =>
    items.map((li) => ({
      title: li.querySelector("h2 a").textContent,
      href: li.querySelector("h2 a").getAttribute("href"),
      id: li.querySelector(".search-result__id")?.textContent ?? "",
      marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
    })));
}

test("ja: ?q= shows results on load, with the query highlighted and title matches first", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}ja/search/index.html?q=${encodeURIComponent("多要素認証")}`);
  const found = await results(page);
  assert.ok(found.length >= 2, "several pages mention 多要素認証");
  assert.ok(found[0].title.includes("多要素認証"), `first result has it in the title: ${found[0].title}`);
  // 多要素認証 is a glossary synonym group: its members are what is marked
  const members = ["多要素認証", "mfa", "二要素認証", "2要素認証"];
  assert.ok(found.every((r) => r.marks.every((m) => members.some((x) => x.includes(m.toLowerCase()) || m.toLowerCase().includes(x)))));
  assert.equal(await page.inputValue("#search-input"), "多要素認証");
  // Every measure whose Japanese title contains the word is among the results.
  const expected = manifest().measures.filter((m) => m.title.ja.includes("多要素認証")).map((m) => m.id);
  assert.ok(expected.length > 0);
  for (const id of expected) assert.ok(found.some((r) => r.id === id), `${id} found`);
  await page.close();
});

test("ja: typing a two-character word finds longer words that contain it", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}ja/search/index.html`);
  await page.fill("#search-input", "脆弱");
  const found = await results(page);
  assert.ok(found.some((r) => r.title.includes("脆弱性")), "脆弱 finds 脆弱性");
  assert.match(page.url(), /\?q=/, "the address follows the query, so it can be shared");
  await page.close();
});

test("en: stemmed, case-insensitive words and exact ids", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}en/search/index.html?q=Backups`);
  const found = await results(page);
  assert.ok(found.some((r) => /backup/i.test(r.title)), "Backups finds pages about backup");

  await page.fill("#search-input", "");
  await page.fill("#search-input", "AM-1");
  const byId = await results(page);
  assert.equal(byId[0].id, "AM-1", "a measure id finds that measure first");
  assert.ok(!byId.some((r) => r.id === "AM-10"));
  await page.close();
});

test("a framework id finds the measures mapped to it", async () => {
  const m = manifest();
  const mapped = m.measures.flatMap((x) => x.mappings.filter((r) => r.framework === "nist-csf-2.0" && r.relation !== "not-related").map((r) => [r.ref, x.id]));
  if (mapped.length === 0) return assert.fail("the bundled site has no CSF mappings");
  const [ref] = mapped[0];
  const expected = new Set(mapped.filter(([r]) => r === ref).map(([, id]) => id));
  const page = await browser.newPage();
  await page.goto(`${server.url}en/search/index.html?q=${encodeURIComponent(ref)}`);
  const ids = new Set((await results(page)).map((r) => r.id));
  for (const id of expected) assert.ok(ids.has(id), `${ref} finds ${id}`);
  await page.close();
});

test("keyboard: the header search box submits to the search page; results are announced", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}en/index.html`);
  await page.focus("#site-search-q");
  await page.keyboard.type("patch");
  await page.keyboard.press("Enter");
  await page.waitForURL(/search\/index\.html\?q=patch/);
  const found = await results(page);
  assert.ok(found.length > 0);
  const status = page.locator("#search-status");
  assert.equal(await status.getAttribute("aria-live"), "polite");
  assert.match(await status.textContent(), /\d/);
  assert.equal(await page.getAttribute("form.search-page-form", "role"), "search");
  await page.close();
});

test("a hostile query is shown as text, never run", async () => {
  const page = await browser.newPage();
  let dialog = false;
  page.on("dialog", async (d) => { dialog = true; await d.dismiss(); });
  const q = `<img src=x onerror=alert(1)><script>alert(2)</script>`;
  await page.goto(`${server.url}en/search/index.html?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  assert.equal(await page.locator("#search-results img, #search-results script").count(), 0);
  assert.equal(dialog, false);
  await page.close();
});

test("opened from disk (file://) search still works", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const url = pathToFileURL(join(site, "ja/search/index.html")).href + "?q=" + encodeURIComponent("バックアップ");
  await page.goto(url);
  const found = await results(page);
  assert.ok(found.length > 0, "results from file://");
  assert.ok(found.every((r) => r.href.split("#")[0].endsWith("index.html")), "result links open files, not folders");
  assert.deepEqual(errors, []);
  await page.close();
});

// Issue 18: synonyms, kana folding, exact IDs, as-you-type without a page load, Back, one box;
// over HTTP and from disk.
const where = [["HTTP", () => server.url], ["file://", () => pathToFileURL(site).href + "/"]];
for (const [name, base] of where) {
  test(`${name}: MFA finds AC-3 first, with badges and a section label apart from the snippet`, async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}ja/search/index.html?q=MFA`);
    const found = await results(page);
    assert.equal(found[0].id, "AC-3", `first: ${found[0].title}`);
    const first = page.locator("#search-results > li").first();
    assert.equal(await first.locator(".badge--kind").textContent(), "対策");
    assert.equal(await first.locator(".badge--required").count(), 1);
    assert.equal(await first.locator(".badge--level").textContent(), "Lv.1");
    // a section label is its own element, never in the snippet text
    const labelled = await page.$$eval("#search-results > li", (items) => items
      .filter((li) => li.querySelector(".search-result__section"))
      .map((li) => [li.querySelector(".search-result__section").textContent, li.querySelector(".search-result__snippet").textContent]));
    for (const [label, text] of labelled) assert.ok(!text.startsWith(label), `${label} runs into ${text}`);
    assert.equal(await page.locator("input[type=search]").count(), 1, "one search box on the search page");
    await page.close();
  });

  test(`${name}: ばっくあっぷ finds the backup measures`, async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}ja/search/index.html?q=${encodeURIComponent("ばっくあっぷ")}`);
    const found = await results(page);
    const ids = new Set(found.map((r) => r.id));
    const backup = manifest().measures.filter((m) => m.title.ja.includes("バックアップ")).map((m) => m.id);
    assert.ok(backup.length > 0);
    for (const id of backup) assert.ok(ids.has(id), `${id} found`);
    await page.close();
  });

  test(`${name}: typing updates the results without a page load; Back restores the query before`, async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}ja/search/index.html?q=${encodeURIComponent("台帳")}`);
    await results(page);
    await page.evaluate(() => { window.__samePage = true; });
    await page.fill("#search-input", "パッチ");
    const found = await results(page);
    assert.ok(found.some((r) => r.title.includes("パッチ")));
    assert.equal(await page.evaluate(() => window.__samePage), true, "no page load");
    if (name === "HTTP") {
      await page.waitForFunction(() => decodeURIComponent(location.search) === "?q=パッチ");
      await page.goBack();
      await page.waitForFunction(() => document.getElementById("search-input").value === "台帳");
      await results(page);
      assert.equal(await page.evaluate(() => window.__samePage), true, "Back stays on the page");
      assert.match(decodeURIComponent(page.url()), /\?q=台帳$/);
    }
    await page.close();
  });

  test(`${name}: Enter on an exact ID opens its page; a framework item ID opens its row`, async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}en/search/index.html`);
    await page.fill("#search-input", "AM-1");
    const found = await results(page);
    assert.equal(found[0].id, "AM-1");
    assert.equal(await page.locator("#search-results > li").first().locator(".badge--exact").count(), 1, "marked as the exact ID");
    await page.press("#search-input", "Enter");
    await page.waitForURL(/measures\/am-1\/index\.html$/);
    await page.goto(`${base()}en/search/index.html`);
    await page.fill("#search-input", "PR.AA-03");
    await results(page);
    await page.press("#search-input", "Enter");
    await page.waitForURL(/nist-csf-2\.0\/index\.html#item-PR\.AA-03$/);
    assert.equal(await page.locator("[id='item-PR.AA-03']").count(), 1);
    await page.close();
  });
}
