// The self-assessment page in real Chromium, on tests/fixtures/assessment and a second revision of
// it (one measure removed, one renumbered): ratings persist, export and import round-trip, the
// gap list matches the rules computed here from the manifest, both languages, file://, keyboard,
// a phone-sized screen, and no JavaScript.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchBrowser, repoRoot, runKijun, serveStatic } from "../harness.mjs";

const fixture = join(repoRoot, "tests/fixtures/assessment");
let sites, server, browser;

/** Builds `root` into sites/<name>. */
function build(root, name) {
  const r = runKijun(["build", "--root", root, "--out", join(sites, name)]);
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  const tmp = mkdtempSync(join(tmpdir(), "kijun-assessment-"));
  sites = join(tmp, "sites");
  build(fixture, "r1");
  // Revision 2: AC-2 is withdrawn, IR-2 is renumbered IR-4 (and says it replaces IR-2).
  const r2 = join(tmp, "r2-src");
  cpSync(fixture, r2, { recursive: true });
  for (const lang of ["ja", "en"]) rmSync(join(r2, `content/measures/AC/AC-2.${lang}.md`));
  for (const lang of ["ja", "en"]) {
    const from = join(r2, `content/measures/IR/IR-2.${lang}.md`);
    let text = readFileSync(from, "utf8");
    if (lang === "ja") text = text.replace('id = "IR-2"', 'id = "IR-4"\nreplaces = ["IR-2"]');
    writeFileSync(join(r2, `content/measures/IR/IR-4.${lang}.md`), text);
    rmSync(from);
  }
  const config = join(r2, "kijun.toml");
  writeFileSync(config, readFileSync(config, "utf8").replace('revision = "assess-1"', 'revision = "assess-2"'));
  build(r2, "r2");
  // Both revisions on one origin, as when a site is republished: they share browser storage.
  server = await serveStatic(sites, "/");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const manifest = (rev = "r1") => JSON.parse(readFileSync(join(sites, rev, "downloads/baseline.json"), "utf8"));
const pageUrl = (lang, rev = "r1") => `${server.url}${rev}/${lang}/assessment/index.html`;
const slug = (id) => id.toLowerCase();

/** A fresh browser context (empty storage) with a page that records CSP violations. */
async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
  });
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  return page;
}

/** Closes the page's context after checking it had no script errors and no CSP violations. */
async function done(page) {
  assert.deepEqual(page.errors, [], "no script errors");
  if (await page.evaluate(() => "__csp" in window).catch(() => false)) {
    assert.deepEqual(await page.evaluate(() => window.__csp), [], "no Content-Security-Policy violations");
  }
  await page.context().close();
}

async function ready(page) {
  await page.waitForSelector("#assessment-app:not([hidden]) fieldset.assessment-measure");
}

async function open(page, url) {
  await page.goto(url);
  await ready(page);
}

async function rate(page, id, rating) {
  await page.check(`#m-${slug(id)} input[type=radio][value="${rating}"]`);
}

async function checkedRating(page, id) {
  return page.$eval(`#m-${slug(id)}`, (fs) => fs.querySelector("input[type=radio]:checked")?.value ?? null);
}

async function setScope(page, sector, level) {
  await page.selectOption("#assessment-sector", sector);
  await page.check(`#assessment-scope input[name=level][value="${level}"]`);
}

/** Ids of the measures the checklist shows, in order. */
const shown = (page) => page.$$eval("#assessment-checklist fieldset.assessment-measure", (l) => l.map((f) => f.dataset.measure));

/** The gap list as shown: ids in order, with the framework items listed for each. */
const shownGaps = (page) => page.$$eval("#assessment-gaps > li.gap", (items) => items.map((li) => ({
  id: li.dataset.measure,
  items: [...li.querySelectorAll("dd[data-item]")].map((dd) => `${dd.dataset.framework} ${dd.dataset.item}`),
})));

/** The rules the page states, applied to the manifest (not to the page's own data). */
function expected(m, sector, level, ratings) {
  const categoryRank = new Map(m.categories.map((c, i) => [c.id, i]));
  const rank = new Map(m.measures.map((x, i) => [x.id, i]));
  const ob = (x) => (x.obligation === "required" ? 0 : 1);
  const inScope = m.measures.filter((x) => x.level <= level && (!sector || x.sectors.includes(sector)));
  const checklist = [...inScope].sort((a, b) => categoryRank.get(a.category) - categoryRank.get(b.category) ||
    ob(a) - ob(b) || a.level - b.level || rank.get(a.id) - rank.get(b.id));
  const gaps = inScope
    .filter((x) => !ratings[x.id] || ratings[x.id] === "PI" || ratings[x.id] === "NI")
    .sort((a, b) => ob(a) - ob(b) || a.level - b.level || rank.get(a.id) - rank.get(b.id))
    .map((x) => ({
      id: x.id,
      items: x.mappings.filter((r) => r.relation !== "not-related").map((r) => `${r.framework} ${r.ref}`).sort(),
    }));
  const points = { FI: 3, LI: 2, PI: 1, NI: 0 };
  const scored = inScope.filter((x) => ratings[x.id] in points);
  const score = scored.length ? Math.round((100 * scored.reduce((n, x) => n + points[ratings[x.id]], 0)) / (3 * scored.length)) : null;
  return { checklist: checklist.map((x) => x.id), gaps, rated: inScope.filter((x) => ratings[x.id]).length, total: inScope.length, score };
}

test("ja: ratings, notes, sector and level persist across a reload, and the en page shows them", async () => {
  const page = await newPage();
  await open(page, pageUrl("ja"));
  assert.equal(await page.isHidden("#assessment-static"), true, "the plain list gives way to the checklist");
  await setScope(page, "electricity", 2);
  await rate(page, "AM-1", "FI");
  await rate(page, "AC-1", "PI");
  await page.fill(`#assessment-note-${slug("AC-1")}`, "VPNのみ多要素認証。2026年度中に全体へ");
  await page.reload();
  await ready(page);
  assert.equal(await page.inputValue("#assessment-sector"), "electricity");
  assert.equal(await page.isChecked('#assessment-scope input[name=level][value="2"]'), true);
  assert.equal(await checkedRating(page, "AM-1"), "FI");
  assert.equal(await checkedRating(page, "AC-1"), "PI");
  assert.equal(await checkedRating(page, "IR-1"), "", "unrated measures stay unrated");
  assert.equal(await page.inputValue(`#assessment-note-${slug("AC-1")}`), "VPNのみ多要素認証。2026年度中に全体へ");
  const legend = await page.textContent(`#m-${slug("AM-1")} legend`);
  assert.ok(legend.includes("資産台帳の整備"));

  // The same assessment in English: storage is per site, not per language.
  await page.click('.lang-switch a[hreflang="en"]');
  await ready(page);
  assert.match(page.url(), /\/en\/assessment\/index\.html$/);
  assert.equal(await checkedRating(page, "AC-1"), "PI");
  assert.equal(await page.inputValue(`#assessment-note-${slug("AC-1")}`), "VPNのみ多要素認証。2026年度中に全体へ");
  assert.ok((await page.textContent(`#m-${slug("AM-1")} legend`)).includes("Asset inventory"));
  assert.ok((await page.textContent(`#m-${slug("AM-1")} .rating-options`)).includes("Fully implemented"));
  await done(page);
});

test("two tabs of the site (ja and en) never overwrite each other's ratings", async () => {
  const ja = await newPage();
  const en = await ja.context().newPage();
  await open(ja, pageUrl("ja"));
  await open(en, pageUrl("en"));
  await rate(ja, "AM-1", "FI");
  await en.waitForFunction(() => document.querySelector('#m-am-1 input[value="FI"]').checked);
  await rate(en, "AC-1", "NI");
  await ja.waitForFunction(() => document.querySelector('#m-ac-1 input[value="NI"]').checked);
  await ja.reload();
  await ready(ja);
  assert.equal(await checkedRating(ja, "AM-1"), "FI");
  assert.equal(await checkedRating(ja, "AC-1"), "NI");
  await en.close();
  await done(ja);
});

test("en: the checklist, scores and gap list are right for a known set of answers", async () => {
  const page = await newPage();
  await open(page, pageUrl("en"));
  const answers = { "AM-1": "FI", "AM-3": "PI", "AC-1": "LI", "AC-2": "NA", "IR-1": "NI", "IR-3": "LI", "AM-2": "PI" };
  const m = manifest();
  for (const [sector, level] of [["electricity", 2], ["medical", 3], ["", 1]]) {
    await setScope(page, sector, level);
    const want = expected(m, sector, level, answers);
    assert.deepEqual(await shown(page), want.checklist, `checklist for ${sector || "any sector"} Lv.${level}`);
    for (const id of want.checklist) if (answers[id]) await rate(page, id, answers[id]);
    const gaps = await shownGaps(page);
    assert.deepEqual(gaps.map((g) => ({ id: g.id, items: [...g.items].sort() })), want.gaps, `gaps for ${sector || "any"} Lv.${level}`);
    const progress = await page.textContent("#assessment-progress");
    assert.ok(progress.includes(`${want.rated} of ${want.total}`), progress);
    assert.ok(progress.includes(want.score === null ? "none yet" : `${want.score}%`), progress);
    const overall = await page.$$eval("#assessment-summary-foot td", (tds) => tds.map((td) => td.textContent));
    assert.equal(overall[0], `${want.rated} / ${want.total}`);
  }
  // Taking a rating back puts the measure back among the gaps, in its place.
  await setScope(page, "electricity", 2);
  await rate(page, "AM-1", "");
  delete answers["AM-1"];
  assert.deepEqual((await shownGaps(page)).map((g) => g.id), expected(m, "electricity", 2, answers).gaps.map((g) => g.id));
  // A gap's framework items come with their titles, from the fixture's catalogs.
  const ir1 = await page.textContent(`#assessment-gaps li[data-measure="IR-1"]`);
  assert.ok(ir1.includes("RS.MA-01") && ir1.includes("Incident response plan is executed"), ir1);
  assert.ok(!ir1.includes("RS.CO-02"), "a not-related row is not listed as a related item");
  await done(page);
});

test("ja: each gap says, per framework, how far following it goes and what remains, on screen and on paper", async () => {
  const page = await newPage();
  await open(page, pageUrl("ja"));
  await setScope(page, "", 3);
  const gap = `#assessment-gaps li[data-measure="AM-2"]`;
  // AM-2 intersects-with ID.AM-02 of Test CSF and has a "what remains" in both crosswalks.
  const csf = await page.textContent(`${gap} dt[data-framework="test-csf"]`);
  assert.ok(csf.includes("一部を満たす"), csf);
  const remains = await page.$$eval(`${gap} dd.gap-remains`, (dds) => dds.map((dd) => [dd.dataset.framework, dd.textContent]));
  assert.deepEqual(remains.sort(), [
    ["test-caf", "残る要求：Test CAFはAM-2の一部を求めるにとどまる。本基準はさらに残りを求める。"],
    ["test-csf", "残る要求：Test CSFはAM-2の一部を求めるにとどまる。本基準はさらに残りを求める。"],
  ]);
  // The item's provisional Japanese title where the catalog has one, marked as Japanese.
  const item = page.locator(`${gap} dd[data-item="ID.AM-02"] span[lang="ja"]`);
  assert.equal(await item.textContent(), "ソフトウェアの台帳");
  // A measure the framework likely meets has no remaining work for it.
  const am1 = await page.textContent(`#assessment-gaps li[data-measure="AM-1"]`);
  assert.ok(am1.includes("満たしている可能性が高い") && !am1.includes("残る要求"), am1);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible(`${gap} dd.gap-remains`), true, "printed with the gap list");
  await done(page);
});

test("ja: export JSON and CSV, clear everything, import the JSON back", async () => {
  const page = await newPage({ acceptDownloads: true });
  page.on("dialog", (d) => d.accept());
  await open(page, pageUrl("ja"));
  await setScope(page, "water", 2);
  await rate(page, "AM-1", "LI");
  await rate(page, "IR-3", "NI");
  await page.fill(`#assessment-note-${slug("IR-3")}`, "報告先, 未定\n\"要確認\"");

  const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.click("#assessment-export-json")]);
  assert.match(jsonDownload.suggestedFilename(), /^kijun-assessment-assess-1-\d{4}-\d{2}-\d{2}\.json$/);
  const jsonPath = await jsonDownload.path();
  const exported = JSON.parse(readFileSync(jsonPath, "utf8"));
  assert.equal(exported.schema, "kijun-assessment/1");
  assert.equal(exported.revision, "assess-1");
  assert.match(exported.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(exported.sector, "water");
  assert.equal(exported.level, 2);
  assert.deepEqual(exported.ratings, [
    { measure: "AM-1", rating: "LI", note: "" },
    { measure: "IR-3", rating: "NI", note: "報告先, 未定\n\"要確認\"" },
  ]);

  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.click("#assessment-export-csv")]);
  assert.match(csvDownload.suggestedFilename(), /\.csv$/);
  const csv = readFileSync(await csvDownload.path());
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte-order mark for Excel");
  const text = csv.toString("utf8").slice(1);
  const lines = text.split("\r\n");
  assert.equal(lines.at(-1), "", "ends with CRLF");
  assert.ok(lines[0].startsWith("ID,分類,対策,区分,レベル,評価"), lines[0]);
  assert.ok(lines.some((l) => l.startsWith("AM-1,AM 資産管理,資産台帳の整備,講ずべき,1,LI,")), "Japanese text as written");
  assert.ok(text.includes('"報告先, 未定\n""要確認"""'), "a note with comma, newline and quotes is quoted");

  await page.click("#assessment-clear");
  await page.waitForFunction(() => document.activeElement?.id === "assessment-messages");
  assert.equal(await checkedRating(page, "AM-1"), "");
  await page.reload();
  await ready(page);
  assert.equal(await checkedRating(page, "IR-3"), "", "cleared for good");

  await setScope(page, "", 1);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.click("#assessment-import")]);
  await chooser.setFiles(jsonPath);
  await page.waitForFunction(() => document.activeElement?.id === "assessment-messages");
  assert.ok((await page.textContent("#assessment-messages")).includes("評価2件"));
  assert.equal(await page.inputValue("#assessment-sector"), "water");
  assert.equal(await page.isChecked('#assessment-scope input[name=level][value="2"]'), true);
  assert.equal(await checkedRating(page, "AM-1"), "LI");
  assert.equal(await checkedRating(page, "IR-3"), "NI");
  assert.equal(await page.inputValue(`#assessment-note-${slug("IR-3")}`), "報告先, 未定\n\"要確認\"");
  // Exporting again gives the same ratings.
  const [again] = await Promise.all([page.waitForEvent("download"), page.click("#assessment-export-json")]);
  assert.deepEqual(JSON.parse(readFileSync(await again.path(), "utf8")).ratings, exported.ratings);

  // Undo brings back what was there before the import.
  await page.click("#assessment-messages button:text('読み込みを取り消す')");
  await page.waitForFunction(() => document.getElementById("assessment-messages").textContent.includes("取り消し"));
  assert.equal(await page.inputValue("#assessment-sector"), "");
  assert.equal(await checkedRating(page, "AM-1"), "");
  await done(page);
});

test("a new revision: ratings of a withdrawn measure are listed and kept aside, the rest carry on", async () => {
  const page = await newPage();
  page.on("dialog", (d) => d.accept());
  await open(page, pageUrl("en", "r1"));
  await setScope(page, "", 3);
  await rate(page, "AM-1", "FI");
  await rate(page, "AC-2", "PI");
  await rate(page, "IR-2", "LI");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#assessment-export-json")]);
  const oldExport = await download.path();

  // The republished site (same origin, same storage), revision 2.
  await open(page, pageUrl("en", "r2"));
  const notice = await page.textContent("#assessment-messages");
  assert.ok(notice.includes("assess-2") && notice.includes("AC-2"), notice);
  assert.ok(notice.includes("IR-2") && notice.includes("IR-4"), "the renumbered measure takes over the rating");
  // Issue #21: it says the measure was renumbered, not that it was deleted.
  assert.ok(notice.includes("IR-2 was renumbered to IR-4"), notice);
  assert.equal(await checkedRating(page, "AM-1"), "FI");
  assert.equal(await checkedRating(page, "IR-4"), "LI");
  assert.ok(!(await shown(page)).includes("AC-2"));
  // Kept aside, not lost: the notice stays until discarded.
  await page.reload();
  await ready(page);
  assert.ok((await page.textContent("#assessment-messages")).includes("AC-2"));
  await page.click("#assessment-messages button:text('Discard those ratings')");
  await page.reload();
  await ready(page);
  assert.equal(await page.isHidden("#assessment-messages"), true);

  // Importing the old export into the new revision says the same, and keeps the rest.
  await page.click("#assessment-clear");
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.click("#assessment-import")]);
  await chooser.setFiles(oldExport);
  await page.waitForFunction(() => document.activeElement?.id === "assessment-messages");
  const report = await page.textContent("#assessment-messages");
  assert.ok(report.includes("not in revision assess-2") && report.includes("AC-2"), report);
  assert.equal(await checkedRating(page, "AM-1"), "FI");
  assert.equal(await checkedRating(page, "IR-4"), "LI");
  await done(page);
});

test("an import that is not an export gets a clear error, focused, and changes nothing", async () => {
  const page = await newPage();
  await open(page, pageUrl("en"));
  await rate(page, "AM-1", "FI");
  for (const [name, body, says] of [
    ["notes.json", "{ oops", "notes.json is not valid JSON"],
    ["baseline.json", JSON.stringify({ schema: "kijun-baseline/1" }), "its schema is “kijun-baseline/1”"],
  ]) {
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.click("#assessment-import")]);
    await chooser.setFiles({ name, mimeType: "application/json", buffer: Buffer.from(body) });
    await page.waitForFunction(() => document.activeElement?.id === "assessment-messages");
    const text = await page.textContent("#assessment-messages");
    assert.ok(text.includes(says), text);
    assert.equal(await checkedRating(page, "AM-1"), "FI");
    await page.click("#assessment-messages .message-dismiss");
    assert.equal(await page.evaluate(() => document.activeElement.id), "assessment-import");
  }
  await done(page);
});

test("print: the report has date, revision, sector and level, and each rating and note as text", async () => {
  const page = await newPage();
  await open(page, pageUrl("en"));
  await setScope(page, "medical", 3);
  await rate(page, "AC-3", "LI");
  await page.fill(`#assessment-note-${slug("AC-3")}`, "Vendor access via jump host");
  await page.emulateMedia({ media: "print" });
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  });
  const meta = await page.textContent(".report-meta");
  for (const want of [today, "assess-1", "Medical care", "Lv.3"]) assert.ok(meta.includes(want), `${want} in ${meta}`);
  assert.equal(await page.isVisible(".report-meta"), true);
  assert.equal(await page.isVisible(`#m-${slug("AC-3")} .rating-options`), false, "no radios on paper");
  assert.equal(await page.isVisible("#assessment-scope"), false);
  assert.equal((await page.textContent(`#m-${slug("AC-3")} .rating-print`)).trim(), "Rating: LI Largely implemented");
  assert.equal((await page.textContent(`#m-${slug("AC-3")} .note-print`)).trim(), "Note: Vendor access via jump host");
  assert.equal(await page.isVisible("#assessment-gaps"), true);
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.subarray(0, 5).toString() === "%PDF-", "Chromium prints it");
  await done(page);
});

test("opened from disk (file://): no fetch needed, ratings persist", async () => {
  const page = await newPage();
  const url = pathToFileURL(join(sites, "r1/ja/assessment/index.html")).href;
  await open(page, url);
  await rate(page, "AC-1", "NI");
  await page.reload();
  await ready(page);
  assert.equal(await checkedRating(page, "AC-1"), "NI");
  assert.ok((await shownGaps(page)).some((g) => g.id === "AC-1"));
  await done(page);
});

test("keyboard and screen reader: radios in fieldsets with legends, arrow keys rate, the live region reports progress", async () => {
  const page = await newPage();
  await open(page, pageUrl("en"));
  const structure = await page.$eval(`#m-${slug("AM-1")}`, (fs) => ({
    tag: fs.tagName,
    legend: fs.querySelector(":scope > legend")?.textContent ?? "",
    radios: [...fs.querySelectorAll("input[type=radio]")].map((r) => r.labels[0]?.textContent.trim()),
    note: fs.querySelector("textarea").labels[0]?.textContent ?? "",
  }));
  assert.equal(structure.tag, "FIELDSET");
  assert.ok(structure.legend.startsWith("AM-1"));
  assert.deepEqual(structure.radios, ["Not rated", "FI Fully implemented", "LI Largely implemented", "PI Partially implemented", "NI Not implemented", "N/A Not applicable"]);
  assert.ok(structure.note.startsWith("Note"));
  assert.equal(await page.getAttribute("#assessment-progress", "role"), "status");

  await page.focus(`#m-${slug("AM-1")} input[value=""]`);
  await page.keyboard.press("ArrowRight");
  assert.equal(await checkedRating(page, "AM-1"), "FI", "the arrow key moves the choice within the group");
  await page.waitForFunction(() => document.getElementById("assessment-progress").textContent.startsWith("1 of"));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "TEXTAREA", "Tab leaves the radio group for the note");

  // From a gap straight to its radios.
  await page.click(`#assessment-gaps a[data-measure="IR-1"]`);
  assert.equal(await page.evaluate(() => document.activeElement.closest("fieldset")?.dataset.measure), "IR-1");
  await done(page);
});

test("phone: 360 px wide, no horizontal scrolling, in both languages", async () => {
  for (const lang of ["ja", "en"]) {
    const page = await newPage({ viewport: { width: 360, height: 740 } });
    await open(page, pageUrl(lang));
    await setScope(page, "medical", 3);
    await rate(page, "AM-1", "PI");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${lang}: page is ${width}px wide`);
    await done(page);
  }
});

test("without JavaScript: the measures as a plain checklist, and a note that rating needs JavaScript", async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(pageUrl("ja"));
  assert.equal(await page.isVisible("#assessment-static"), true);
  assert.equal(await page.isHidden("#assessment-app"), true);
  const listed = await page.$$eval("#assessment-static .measure-id", (l) => l.map((x) => x.textContent));
  assert.deepEqual([...listed].sort(), manifest().measures.map((x) => x.id).sort());
  assert.ok((await page.textContent("noscript")).includes("JavaScriptが必要です"));
  await done(page);
});

test("nothing is sent anywhere: every request stays on the site", async () => {
  const page = await newPage({ acceptDownloads: true });
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await open(page, pageUrl("en"));
  await rate(page, "AM-1", "FI");
  await page.fill(`#assessment-note-${slug("AM-1")}`, "secret");
  await Promise.all([page.waitForEvent("download"), page.click("#assessment-export-csv")]);
  const elsewhere = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith("blob:"));
  assert.deepEqual(elsewhere, []);
  assert.ok(!requests.some((u) => u.includes("secret")));
  await done(page);
});
