// Gate: every page kind fits a 360 px wide phone without scrolling sideways (WCAG 1.4.10 Reflow;
// wide tables scroll inside their own box), and measure, crosswalk and assessment pages print
// their content without the site's navigation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lines, openPage, useBrowser } from "./browser.mjs";
import { pagesOfEachKind, qualitySites } from "./site.mjs";

const env = useBrowser();
const PHONE = { width: 360, height: 740 };

for (const site of qualitySites()) {
  for (const { name, lang, path } of pagesOfEachKind(site.dir)) {
    test(`360 px: ${site.name} ${name} (${lang}) ${path} has no horizontal scrolling`, async () => {
      const server = env.servers[site.name];
      const context = await env.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      try {
        const { page } = await openPage(context, server.url + path, server.url);
        if (name === "search") await page.waitForSelector("#search-results li", { timeout: 20_000 });
        const { width, culprits } = await page.evaluate(() => {
          const limit = document.documentElement.clientWidth;
          // The outermost elements that stick out to the right, to say what to fix (leaving out
          // what scrolls inside its own box, such as wide tables).
          const clipped = (el) => {
            // Absolutely positioned boxes escape a scroller that is not their containing block.
            if (["absolute", "fixed"].includes(getComputedStyle(el).position)) return false;
            for (let a = el.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
            return false;
          };
          const culprits = [...document.body.querySelectorAll("*")]
            .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !clipped(el))
            .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= limit + 0.5)
            .slice(0, 8)
            .map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : ""}` +
              ` right=${Math.round(el.getBoundingClientRect().right)}px "${el.textContent.trim().slice(0, 40)}"`);
          return { width: document.documentElement.scrollWidth, culprits };
        });
        assert.ok(width <= PHONE.width, `${path} is ${width}px wide at ${PHONE.width}px; sticking out:\n${lines(culprits)}`);
      } finally {
        await context.close();
      }
    });
  }
}

const PRINTED = ["measure", "crosswalk", "assessment"];
// Navigation and forms, plus the self-assessment's on-screen controls and notes (privacy note,
// note fields, links to the full text), which its printed report replaces by design.


for (const site of qualitySites()) {
  for (const { name, lang, path } of pagesOfEachKind(site.dir).filter((p) => PRINTED.includes(p.name))) {
    test(`print: ${site.name} ${name} (${lang}) ${path} prints content without navigation`, async () => {
      const server = env.servers[site.name];
      const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
      try {
        const { page } = await openPage(context, server.url + path, server.url);
        const shown = (selectors) => page.evaluate((sels) => sels.map((sel) => {
          const els = [...document.querySelectorAll(sel)];
          return [sel, els.length > 0 && els.some((el) => el.getClientRects().length > 0)];
        }), selectors);
        const NAV = [".site-nav", ".lang-switch", ".site-search", ".breadcrumbs", ".skip-link", ".footer-links"];
        // On screen the navigation is there: otherwise hiding it in print would prove nothing.
        const onScreen = await shown(NAV.filter((s) => s !== ".skip-link"));
        assert.deepEqual(onScreen.filter(([, v]) => !v).map(([s]) => s), [], "navigation missing on screen");
        // Content blocks of main outside its navigation and forms (pager, filters), by position.
        const content = () => page.evaluate(() =>
          [...document.querySelectorAll("main :is(h1, h2, h3, h4, p, li, dt, dd, table, pre, blockquote)")]
            .filter((el) => !el.closest("nav, form, .assessment-privacy, .note-field, .measure-link"))
            .map((el) => el.getClientRects().length > 0));
        const onScreenContent = await content();

        await page.emulateMedia({ media: "print" });
        const inPrint = await shown(NAV);
        assert.deepEqual(inPrint.filter(([, v]) => v).map(([s]) => s), [], `${path}: navigation still shown in print`);
        const printedContent = await content();
        const lost = await page.evaluate((flags) =>
          [...document.querySelectorAll("main :is(h1, h2, h3, h4, p, li, dt, dd, table, pre, blockquote)")]
            .filter((el) => !el.closest("nav, form, .assessment-privacy, .note-field, .measure-link"))
            .filter((el, i) => flags[i] && el.getClientRects().length === 0)
            .map((el) => `<${el.tagName.toLowerCase()}> ${el.textContent.trim().slice(0, 60)}`), onScreenContent);
        assert.ok(onScreenContent.filter(Boolean).length >= 3, `${path}: too little content to judge`);
        assert.equal(printedContent.length, onScreenContent.length);
        assert.deepEqual(lost, [], `${path}: content hidden in print:\n${lines(lost)}`);
        // The content is not squeezed into the screen layout's column: it uses the paper's width.
        const mainWidth = await page.evaluate(() => document.querySelector("main").getBoundingClientRect().width);
        assert.ok(mainWidth >= 0.9 * 1000 - 1, `${path}: main is ${mainWidth}px wide in print`);
      } finally {
        await context.close();
      }
    });
  }
}
