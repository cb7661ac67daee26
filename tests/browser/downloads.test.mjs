// The downloads page lists every file under downloads/ with its true size and SHA-256, is linked
// from every page's footer and passes axe (WCAG 2.2 AA); sitemap.xml parses as XML, lists every
// page with its language versions at the base URL, and robots.txt points to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { buildSite, bundledSite, launchBrowser, repoRoot, serveStatic } from "../harness.mjs";

const mini = join(repoRoot, "tests", "fixtures", "mini");
const require = createRequire(import.meta.url);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Rows of a downloads page: href (site-relative) → {bytes, sha256}. */
function listedFiles(html) {
  const rows = {};
  const re = /<th scope="row"><a href="(?:\.\.\/)+([^"]+)">[^<]*<\/a><\/th>[\s\S]*?<data value="(\d+)">[\s\S]*?<code class="checksum">([0-9a-f]{64})<\/code>/g;
  for (const m of html.matchAll(re)) rows[m[1]] = { bytes: Number(m[2]), sha256: m[3] };
  return rows;
}

function checkListing(site) {
  const manifest = JSON.parse(readFileSync(join(site, "downloads", "baseline.json"), "utf8"));
  const files = walk(join(site, "downloads")).map((p) => relative(site, p).split("\\").join("/"));
  assert.ok(files.some((f) => f.endsWith(".zip")) && files.some((f) => f.endsWith(".zip.sha256")));
  for (const lang of manifest.languages) {
    const html = readFileSync(join(site, lang, "downloads", "index.html"), "utf8");
    const rows = listedFiles(html);
    assert.deepEqual(Object.keys(rows).sort(), files.sort(), `${lang}: every download is listed`);
    for (const f of files) {
      const bytes = readFileSync(join(site, f));
      assert.equal(rows[f].bytes, bytes.length, `${lang}: size of ${f}`);
      assert.equal(rows[f].sha256, createHash("sha256").update(bytes).digest("hex"), `${lang}: SHA-256 of ${f}`);
    }
    const home = readFileSync(join(site, lang, "index.html"), "utf8");
    assert.match(home, new RegExp(`<footer[\\s\\S]*href="\\.\\./${lang}/downloads/index\\.html"`), `${lang}: footer links the downloads page`);
  }
}

test("the downloads page lists every download with its size and checksum", () => {
  checkListing(buildSite(mini));
  checkListing(bundledSite());
});

test("the downloads page passes axe (WCAG 2.2 AA) in both languages", async () => {
  const server = await serveStatic(bundledSite(), "/");
  const browser = await launchBrowser();
  try {
    // axe is injected by the test, so the page's own script policy is set aside for it.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const lang of ["ja", "en"]) {
      await page.goto(`${server.url}${lang}/downloads/index.html`);
      await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }));
      const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(violations, [], `${lang}/downloads/`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
});

/** Parses sitemap.xml with the browser's XML parser: [{loc, alternates: {lang: href}}]. */
async function parseSitemap(page, xml) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "application/xml");
    if (doc.querySelector("parsererror")) return { error: doc.querySelector("parsererror").textContent };
    const sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const xhtml = "http://www.w3.org/1999/xhtml";
    return [...doc.getElementsByTagNameNS(sm, "url")].map((u) => ({
      loc: u.getElementsByTagNameNS(sm, "loc")[0].textContent,
      alternates: Object.fromEntries([...u.getElementsByTagNameNS(xhtml, "link")]
        .map((l) => [l.getAttribute("hreflang"), l.getAttribute("href")])),
    }));
  }, xml);
}

/** Pages a site map lists: not 404.html, not pages that only redirect (the root language chooser). */
function pagesOf(site) {
  return walk(site).map((p) => relative(site, p).split("\\").join("/"))
    .filter((p) => p.endsWith(".html") && p !== "404.html")
    .filter((p) => !/http-equiv="refresh"/i.test(readFileSync(join(site, p), "utf8")));
}

const pretty = (base, page) => base + page.replace(/index\.html$/, "");

test("sitemap.xml lists every page with hreflang alternates at the base URL, from a sub-path too", async () => {
  const base = "https://other.example/sub/path/";
  const site = buildSite(mini, ["--base-url", base]);
  const browser = await launchBrowser();
  const server = await serveStatic(site, "/sub/path/");
  try {
    const page = await browser.newPage();
    await page.goto("about:blank");
    const urls = await parseSitemap(page, readFileSync(join(site, "sitemap.xml"), "utf8"));
    assert.ok(Array.isArray(urls), `sitemap.xml is well-formed XML: ${urls.error}`);
    const pages = pagesOf(site);
    assert.ok(pages.length > 40 && !pages.includes("index.html"), "the root language chooser redirects");
    assert.deepEqual(urls.map((u) => u.loc).sort(), pages.map((p) => pretty(base, p)).sort(), "every page, once");
    for (const u of urls) {
      const path = u.loc.slice(base.length);
      const lang = ["ja", "en"].find((l) => path.startsWith(`${l}/`));
      if (!lang) continue;
      const rest = path.slice(lang.length + 1);
      assert.deepEqual(u.alternates, { ja: `${base}ja/${rest}`, en: `${base}en/${rest}` }, `alternates of ${u.loc}`);
    }
    const robots = readFileSync(join(site, "robots.txt"), "utf8");
    assert.match(robots, new RegExp(`^Sitemap: ${base}sitemap\\.xml$`, "m"));

    // Canonical URLs use the base URL; links between pages stay relative and work under it.
    const measure = readFileSync(join(site, "en", "measures", "am-1", "index.html"), "utf8");
    assert.match(measure, new RegExp(`<link rel="canonical" href="${base}en/measures/am-1/">`));
    assert.doesNotMatch(measure, /<a href="(\/|https:\/\/other\.example)/, "no absolute internal links");
    await page.goto(`${server.url}en/measures/am-1/index.html`);
    await page.click(".site-footer a[href$='downloads/index.html']");
    await page.waitForURL(`${server.url}en/downloads/index.html`);
    const csv = page.locator("a[href*='kijun-measures-'][href$='-en.csv']");
    const response = await page.request.get(new URL(await csv.getAttribute("href"), page.url()).href);
    assert.equal(response.status(), 200, "a download link works from the sub-path");
  } finally {
    await browser.close();
    await server.close();
  }
});
