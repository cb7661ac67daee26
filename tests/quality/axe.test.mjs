// Gate: axe-core in Chromium finds no violation of the WCAG 2.0/2.1/2.2 A and AA rules on one page
// of each kind, in both languages, for the bundled site and the mini fixture.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { lines, openPage, useBrowser } from "./browser.mjs";
import { missingKinds, pagesOfEachKind, qualitySites } from "./site.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const env = useBrowser();

for (const site of qualitySites()) {
  if (site.everyKind) {
    test(`${site.name} site has a page of every kind the gates check`, () => {
      assert.deepEqual(missingKinds(site.dir), [], `no page of these kinds in ${site.dir}`);
    });
  }
  for (const { name, lang, path } of pagesOfEachKind(site.dir)) {
    test(`axe: ${site.name} ${name} (${lang}) ${path}`, async () => {
      const server = env.servers[site.name];
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const { page, problems } = await openPage(context, server.url + path, server.url);
        if (name === "search") {
          // Search with results: the page runs the ?q= query on load.
          await page.waitForSelector("#search-results li", { timeout: 20_000 });
        }
        // page.evaluate runs through the DevTools protocol, which the pages' CSP does not block.
        await page.evaluate(axeSource);
        const result = await page.evaluate((tags) =>
          window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), TAGS);
        const found = result.violations.flatMap((v) => v.nodes.map((n) =>
          `${v.id} (${v.impact}): ${n.failureSummary.replace(/\s+/g, " ")}\n      at ${n.target.join(" ")}: ${n.html.slice(0, 160)}`));
        assert.ok(result.passes.length > 10, `${path}: axe ran only ${result.passes.length} rules`);
        assert.equal(found.length, 0, `${path}: ${found.length} WCAG violation(s):\n${lines(found)}`);
        // axe accepts a placeholder as a control's name; a visible or visually hidden <label>
        // (or aria-labelledby) is what stays when the reader has typed (WCAG 3.3.2).
        const unlabelled = await page.evaluate(() =>
          [...document.querySelectorAll("input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")]
            .filter((el) => el.labels.length === 0 && !el.hasAttribute("aria-labelledby"))
            .map((el) => el.outerHTML.slice(0, 120)));
        assert.deepEqual(unlabelled, [], `${path}: form controls without a label:\n${lines(unlabelled)}`);
        assert.deepEqual(problems, [], `${path} did not load cleanly:\n${lines(problems)}`);
      } finally {
        await context.close();
      }
    });
  }
}
