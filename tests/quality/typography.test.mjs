// Gate: Japanese typography with system fonts only. In Chromium, Japanese text is drawn with a
// Japanese CJK font (not a Chinese or Korean variant, not a web font), Japanese line breaking
// follows the strict rules, and prose columns stay readable (WCAG 1.4.8's 80 characters, 40 for
// CJK). No stylesheet declares a web font and no page loads anything from elsewhere (the request
// watch in browser.mjs fails the page if it does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { lines, openPage, useBrowser } from "./browser.mjs";
import { pagesOfEachKind, qualitySites } from "./site.mjs";

const env = useBrowser();
const site = qualitySites().find((s) => s.name === "bundled");
const pages = pagesOfEachKind(site.dir);
const DESKTOP = { width: 1280, height: 900 };

async function open(path) {
  const server = env.servers[site.name];
  const context = await env.browser.newContext({ viewport: DESKTOP });
  const { page, problems } = await openPage(context, server.url + path, server.url);
  return { context, page, problems };
}

/** Font families Chromium actually used for the text of the first element matching `selector`. */
async function platformFonts(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  assert.ok(nodeId, `no element matches ${selector}`);
  const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
  await cdp.detach();
  return fonts; // [{familyName, postScriptName, isCustomFont, glyphCount}]
}

const CJK_JP = /Noto Sans CJK JP|Noto Serif CJK JP|Hiragino|Yu Gothic|Meiryo|Noto Sans JP|IPA.*Gothic|TakaoGothic/i;
const OTHER_CJK = /CJK (SC|TC|HK|KR)\b|Droid Sans Fallback|WenQuanYi|Source Han Sans (SC|TC|K)/i;

for (const lang of ["ja", "en"]) {
  // Japanese text: the ja page's title and prose; on the English page, the language switcher's 日本語.
  const home = pages.find((p) => p.name === "home" && p.lang === lang);
  const measure = pages.find((p) => p.name === "measure" && p.lang === lang);
  const targets = lang === "ja"
    ? [[home.path, "main h1"], [measure.path, ".statement p"], [measure.path, ".prose p"]]
    : [[home.path, ".lang-switch [lang=ja]"]];
  for (const [path, selector] of targets) {
    test(`fonts: Japanese text in ${path} (${selector}) is drawn with a Japanese system font`, async () => {
      const { context, page, problems } = await open(path);
      try {
        const text = await page.locator(selector).first().innerText();
        assert.match(text, /[\u3040-\u30ff\u4e00-\u9fff]/, `${selector} holds no Japanese text: ${text}`);
        const fonts = await platformFonts(page, selector);
        const names = fonts.map((f) => `${f.familyName} (${f.glyphCount} glyphs${f.isCustomFont ? ", web font" : ""})`);
        assert.ok(fonts.some((f) => CJK_JP.test(f.familyName)), `${path} ${selector}: no Japanese font among ${names.join(", ")}`);
        assert.deepEqual(fonts.filter((f) => OTHER_CJK.test(f.familyName)).map((f) => f.familyName), [],
          `${path} ${selector}: Japanese drawn with a Chinese/Korean font (check lang attributes and the font stack)`);
        assert.deepEqual(fonts.filter((f) => f.isCustomFont).map((f) => f.familyName), [], `${path}: web fonts used`);
        assert.deepEqual(problems, [], lines(problems));
      } finally {
        await context.close();
      }
    });
  }
}

test("fonts: no stylesheet declares a web font", async () => {
  const { context, page } = await open(pages.find((p) => p.name === "measure").path);
  try {
    const faces = await page.evaluate(() => [...document.styleSheets].flatMap((s) =>
      [...s.cssRules].filter((r) => r instanceof CSSFontFaceRule).map((r) => `${s.href}: ${r.cssText}`)));
    assert.deepEqual(faces, []);
    const families = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(families, /Noto Sans CJK JP/, "the Japanese font stack names the Noto CJK font Debian installs");
  } finally {
    await context.close();
  }
});

test("line breaking: Japanese prose follows the strict kinsoku rules", async () => {
  const measure = pages.find((p) => p.name === "measure" && p.lang === "ja");
  const { context, page } = await open(measure.path);
  try {
    const style = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector(".prose p"));
      return { lineBreak: s.lineBreak, wordBreak: s.wordBreak };
    });
    assert.equal(style.lineBreak, "strict");
    assert.equal(style.wordBreak, "normal", "word-break: normal keeps kinsoku and Latin words whole");
    // Behaviour, not just the property: in a column five characters wide, the small ッ after
    // five kana may not start a line under strict rules, so the fifth kana moves down with it.
    const moved = await page.evaluate(() => {
      const prose = document.querySelector(".prose");
      const probe = document.createElement("p");
      probe.style.cssText = "width:5em;font-size:16px;letter-spacing:0;padding:0;margin:0";
      probe.textContent = "アイウエオッカキ。クケコサシ";
      prose.append(probe);
      const top = (i) => { const r = document.createRange(); r.setStart(probe.firstChild, i); r.setEnd(probe.firstChild, i + 1); return r.getBoundingClientRect().top; };
      const result = { firstLine: top(0), fifth: top(4), small: top(5) };
      probe.remove();
      return result;
    });
    assert.ok(moved.fifth > moved.firstLine, `ッ started a line: ${JSON.stringify(moved)}`);
    assert.equal(moved.fifth, moved.small);
  } finally {
    await context.close();
  }
});

// Prose that is read as running text. Tables, cards and lists of links are not measured.
const PROSE = ".prose p, .prose li, .statement p, main > p, .glossary dd, .sector-note, .checklist-items p, .search-result__snippet";

for (const { name, lang, path } of pages) {
  test(`line length: ${name} (${lang}) ${path} at ${DESKTOP.width}px`, async (t) => {
    const { context, page } = await open(path);
    try {
      if (name === "search") await page.waitForSelector("#search-results li", { timeout: 20_000 });
      const columns = await page.evaluate(({ selector, lang }) => {
        const canvas = document.createElement("canvas").getContext("2d");
        return [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0).map((el) => {
          const s = getComputedStyle(el);
          const width = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
          let perChar;
          if (lang === "ja") {
            perChar = parseFloat(s.fontSize); // full-width characters are 1em wide
          } else {
            canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
            const sample = "The operator shall keep an inventory of the assets used to provide the service, with an owner for each.";
            perChar = canvas.measureText(sample).width / sample.length;
          }
          return { chars: Math.round(width / perChar), what: `<${el.tagName.toLowerCase()}.${el.className}> ${el.textContent.trim().slice(0, 30)}` };
        });
      }, { selector: PROSE, lang });
      if (columns.length === 0) {
        t.diagnostic(`${path}: no running text to measure`);
        return;
      }
      const limit = lang === "ja" ? 40 : 80;
      const tooWide = columns.filter((c) => c.chars > limit).map((c) => `${c.chars} characters: ${c.what}`);
      assert.deepEqual(tooWide, [], `${path}: lines longer than ${limit} characters:\n${lines(tooWide)}`);
      const widest = Math.max(...columns.map((c) => c.chars));
      t.diagnostic(`${path}: widest prose column ${widest} characters`);
    } finally {
      await context.close();
    }
  });
}
