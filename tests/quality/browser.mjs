// Browser side of the quality gates: one Chromium per test file, each site served over loopback,
// and pages opened with a watch on what goes wrong while they load (failed requests, HTTP errors,
// requests leaving the site, CSP violations, script errors).
import { after, before } from "node:test";
import { launchBrowser, serveStatic } from "../harness.mjs";
import { qualitySites } from "./site.mjs";

/**
 * Starts Chromium and a server per site for the test file that calls it; closes them after.
 * Returns an object whose `browser` and `servers` (site name → {url, close}) are set by then.
 */
export function useBrowser() {
  const env = { browser: null, servers: {} };
  before(async () => {
    env.browser = await launchBrowser();
    // Each site is served where its base_url says (404.html depends on it).
    for (const site of qualitySites()) env.servers[site.name] = await serveStatic(site.dir, site.prefix);
  });
  after(async () => {
    await env.browser?.close();
    for (const s of Object.values(env.servers)) await s.close();
  });
  return env;
}

/**
 * Opens `url` in a new page of `context` and records every load problem. Returns {page, problems}:
 * `problems` is a list of strings, empty when everything the page asked for loaded from `siteUrl`.
 * The page is kept: a later navigation of its own (the root page's meta refresh) is cancelled, so
 * that what is checked is the page asked for, unless `follow` is set.
 */
export async function openPage(context, url, siteUrl, { follow = false } = {}) {
  const page = await context.newPage();
  const problems = [];
  let loaded = false;
  if (!follow) {
    await page.route("**/*", (route) => {
      const r = route.request();
      if (loaded && r.isNavigationRequest() && r.frame() === page.mainFrame()) return route.abort("aborted");
      return route.continue();
    });
  }
  page.on("requestfailed", (r) => {
    const aborted = r.failure()?.errorText === "net::ERR_ABORTED";
    if (aborted && r.isNavigationRequest()) return; // cancelled above
    // Chromium cancels the icon of a file:// page, and of a page it leaves (a missing icon is an
    // HTTP 404 or ERR_FILE_NOT_FOUND instead, and the link checker checks the file is there).
    if (aborted && r.url().endsWith("/static/favicon.svg")) return;
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.url() !== page.url()) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(siteUrl) && !r.url().startsWith("data:")) problems.push(`request outside the site: ${r.url()}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  await page.goto(url, { waitUntil: "load" });
  loaded = true;
  return { page, problems };
}

/** Lists of failures, one per line, or nothing. */
export const lines = (items) => items.map((x) => `  - ${x}`).join("\n");
