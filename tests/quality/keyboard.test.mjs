// Gate: keyboard use on every page kind (both languages) of the bundled site. The first Tab lands
// on a visible skip link that moves focus to <main>; the language switcher and the search box are
// reached by Tab; every link and button that takes focus shows a focus outline (WCAG 2.4.1, 2.4.7,
// 2.1.1).
import { test } from "node:test";
import assert from "node:assert/strict";
import { lines, openPage, useBrowser } from "./browser.mjs";
import { pagesOfEachKind, qualitySites } from "./site.mjs";

const env = useBrowser();
const site = qualitySites().find((s) => s.name === "bundled");
const MAX_TABS = 60;

/** What has focus now, and whether it shows a focus indicator. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.textContent || el.value || "").trim().slice(0, 30),
    inLangSwitch: !!el.closest(".lang-switch"),
    inSearch: !!el.closest("[role=search]"),
    inMain: !!el.closest("main"),
    skipLink: el.classList.contains("skip-link"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 &&
      rect.top < window.innerHeight + window.scrollY && rect.left < window.innerWidth,
  };
});
const describe = (f) => `<${f.tag}${f.id ? "#" + f.id : ""}> "${f.text}"`;

for (const { name, lang, path } of pagesOfEachKind(site.dir)) {
  test(`keyboard: ${name} (${lang}) ${path}`, async () => {
    const server = env.servers[site.name];
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      let { page } = await openPage(context, server.url + path, server.url);
      const hasHeader = (await page.locator(".site-header").count()) > 0;

      if (hasHeader) {
        // The first Tab shows the skip link; Enter moves focus into main; Tab continues there.
        await page.keyboard.press("Tab");
        const skip = await focused(page);
        assert.ok(skip.skipLink, `${path}: the first Tab stop is ${describe(skip)}, not the skip link`);
        assert.ok(skip.onScreen && skip.outline, `${path}: the focused skip link is not visible (on screen: ${skip.onScreen}, outline: ${skip.outline})`);
        await page.keyboard.press("Enter");
        const afterSkip = await focused(page);
        assert.equal(afterSkip.id, "main", `${path}: after the skip link, focus is on ${describe(afterSkip)}`);
        assert.equal(new URL(page.url()).pathname, new URL(server.url + path).pathname, `${path}: the skip link left the page`);
        await page.keyboard.press("Tab");
        const next = await focused(page);
        assert.ok(next.inMain || (next.tag !== "body" && !next.inSearch && !next.inLangSwitch && !next.skipLink),
          `${path}: after skipping, Tab goes to ${describe(next)} instead of the content`);
        await page.close();
        ({ page } = await openPage(context, server.url + path, server.url));
      }

      // Tab through the page from the top, recording every stop until past the header.
      const stops = [];
      for (let i = 0; i < MAX_TABS; i++) {
        await page.keyboard.press("Tab");
        const f = await focused(page);
        if (f.tag === "body") break;
        stops.push(f);
        // Past the search form (in the header, or in main on the search page itself): stop.
        if (f.inMain && !f.inSearch && (!hasHeader || stops.some((s) => s.inSearch))) break;
      }
      assert.ok(stops.length > 0, `${path}: Tab focuses nothing`);
      const noOutline = stops.filter((f) => ["a", "button", "input", "select"].includes(f.tag) && !f.outline);
      assert.deepEqual(noOutline.map(describe), [], `${path}: focus is not visible on:\n${lines(noOutline.map(describe))}`);
      const offScreen = stops.filter((f) => !f.onScreen);
      assert.deepEqual(offScreen.map(describe), [], `${path}: focused but not on screen:\n${lines(offScreen.map(describe))}`);
      if (!hasHeader) return; // the root page: a language choice and nothing to skip

      const order = stops.map(describe).join(" → ");
      assert.ok(stops.some((f) => f.inLangSwitch && f.tag === "a"), `${path}: Tab never reaches the language switcher: ${order}`);
      assert.ok(stops.some((f) => f.inSearch && f.tag === "input"), `${path}: Tab never reaches the search box: ${order}`);
      assert.ok(stops.some((f) => f.inSearch && f.tag === "button"), `${path}: Tab never reaches the search button: ${order}`);
    } finally {
      await context.close();
    }
  });
}
