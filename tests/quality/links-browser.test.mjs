// Gate: the site really works where it is opened from. In Chromium, served from a sub-path
// (/kijun/sub/) and opened from disk (file://), pages load their CSS and JS with nothing failing or
// blocked by the CSP, the filters and search scripts run, links the scripts write (search results)
// lead to pages that exist, and the root page forwards to the default language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSite, launchBrowser, serveStatic } from "../harness.mjs";
import { lines, openPage } from "./browser.mjs";
import { qualitySites, searchTerm } from "./site.mjs";

const SUB = "/kijun/sub/";
let browser;
const places = []; // {name, site, dir, url, close}

before(async () => {
  browser = await launchBrowser();
  for (const site of qualitySites()) {
    const subDir = buildSite(site.root, ["--base-url", `https://kijun.test${SUB}`]);
    const server = await serveStatic(subDir, SUB);
    places.push({ name: `${site.name} from ${SUB}`, dir: subDir, url: server.url, close: server.close });
    places.push({ name: `${site.name} from file://`, dir: site.dir, url: pathToFileURL(site.dir).href + "/", close: async () => {} });
  }
});
after(async () => {
  await browser?.close();
  for (const p of places) await p.close();
});

/** The site file a URL of the site lands on (a server maps …/ to …/index.html). */
function fileFor(place, href) {
  if (!href.startsWith(place.url)) return null;
  let rest = decodeURIComponent(new URL(href).pathname).slice(decodeURIComponent(new URL(place.url).pathname).length);
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  return join(place.dir, rest);
}

/** Opens a page of the place and checks that the site's stylesheet applies. */
async function openStyled(context, place, path, opts) {
  const { page, problems } = await openPage(context, place.url + path, place.url, opts);
  const styled = await page.evaluate(() => {
    const sheet = [...document.styleSheets].find((s) => /static\/css\/kijun\.css$/.test(s.href ?? ""));
    const skip = document.querySelector(".skip-link");
    return {
      sheet: !!sheet && sheet.cssRules.length > 0,
      skipHidden: !skip || getComputedStyle(skip).position === "absolute",
    };
  });
  assert.ok(styled.sheet && styled.skipHidden, `${path}: kijun.css did not apply (${JSON.stringify(styled)})`);
  return { page, problems };
}

const withPlace = (fn) => async () => {
  for (const place of places) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await fn(place, context);
    } catch (e) {
      e.message = `${place.name}: ${e.message}`;
      throw e;
    } finally {
      await context.close();
    }
  }
};

test("pages load their CSS with nothing failing, in both languages", withPlace(async (place, context) => {
  for (const path of ["ja/index.html", "en/index.html", "ja/measures/am-1/index.html", "en/measures/am-1/index.html"]) {
    const { page, problems } = await openStyled(context, place, path, { follow: true });
    assert.deepEqual(problems, [], `${path}:\n${lines(problems)}`);
    // A link followed by a click lands on a styled page of the same site.
    const link = page.locator(".site-nav a").first();
    const target = await link.evaluate((a) => a.href);
    await link.click();
    await page.waitForURL(target);
    assert.ok(fileFor(place, page.url()) && existsSync(fileFor(place, page.url())), `${path}: the first navigation link led to ${page.url()}`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".skip-link")).position), "absolute");
  }
}));

test("the measure filters script runs", withPlace(async (place, context) => {
  const { page, problems } = await openStyled(context, place, "en/baseline/index.html");
  const visible = () => page.locator(".measure-table tbody tr:visible").count();
  const all = await visible();
  await page.selectOption("select[name=level]", "1");
  const level1 = await visible();
  assert.ok(level1 > 0 && level1 < all, `filtering by Lv.1 shows ${level1} of ${all} rows`);
  assert.match(await page.locator("#filter-status").innerText(), new RegExp(`\\b${level1}\\b`));
  assert.deepEqual(problems, [], lines(problems));
}));

test("search runs ?q= and its result links lead to pages of the site", withPlace(async (place, context) => {
  for (const lang of ["ja", "en"]) {
    const q = searchTerm(place.dir);
    const { page, problems } = await openStyled(context, place, `${lang}/search/index.html?q=${encodeURIComponent(q)}`);
    await page.waitForSelector("#search-results li", { timeout: 20_000 });
    const hrefs = await page.locator("#search-results a").evaluateAll((as) => as.map((a) => a.href));
    assert.ok(hrefs.length > 0);
    const broken = hrefs.filter((h) => !fileFor(place, h) || !existsSync(fileFor(place, h)));
    assert.deepEqual(broken, [], `search for ${q} (${lang}) links to pages that do not exist`);
    assert.deepEqual(problems, [], lines(problems));
  }
}));

test("the root page forwards to the default language", withPlace(async (place, context) => {
  const { page, problems } = await openPage(context, place.url + "index.html", place.url, { follow: true });
  await page.waitForURL(/\/ja\/index\.html$/, { timeout: 15_000 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), "ja");
  assert.deepEqual(problems, [], lines(problems));
}));

test("404.html is styled and its links work at any depth of a sub-path", async () => {
  for (const place of places.filter((p) => p.url.startsWith("http"))) {
    const context = await browser.newContext();
    try {
      const missing = place.url + "no/such/deep/page/";
      const { page } = await openPage(context, missing, place.url);
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".skip-link")).position), "absolute",
        `${place.name}: 404 page unstyled at ${missing}`);
      const hrefs = await page.locator("main a, .site-header a").evaluateAll((as) => as.map((a) => a.href));
      const broken = hrefs.filter((h) => !fileFor(place, h) || !existsSync(fileFor(place, h)));
      assert.deepEqual(broken, [], `${place.name}: 404 page links that go nowhere`);
    } finally {
      await context.close();
    }
  }
});
