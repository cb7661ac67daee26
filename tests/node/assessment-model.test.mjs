// The self-assessment's rules (static/js/assessment-model.js, as shipped in a built site) run in
// Node against the data kijun generates for tests/fixtures/assessment. Expected results are
// worked out here from the site's manifest (downloads/baseline.json), not from the script.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { buildSite, repoRoot } from "../harness.mjs";

let site, manifest;
before(() => {
  // KIJUN_ASSESSMENT_SITE: that fixture site built already, for scripts/mutants-js.mjs, which
  // runs these tests once per mutant of the model.
  site = process.env.KIJUN_ASSESSMENT_SITE || buildSite(join(repoRoot, "tests/fixtures/assessment"));
  manifest = JSON.parse(readFileSync(join(site, "downloads/baseline.json"), "utf8"));
});

/** The data script and the model script, run as the page runs them; a fresh copy each time. */
function load(lang = "en") {
  const context = vm.createContext({ window: {} });
  vm.runInContext(readFileSync(join(site, `assessment/data.${lang}.js`), "utf8"), context);
  vm.runInContext(readFileSync(join(site, "static/js/assessment-model.js"), "utf8"), context);
  return { data: context.window.KIJUN_ASSESSMENT_DATA, model: context.window.KijunAssessment };
}

// Objects made in the vm have another realm's prototypes; compare plain copies.
const plain = (x) => JSON.parse(JSON.stringify(x));

/** Applicable measures by the rules the page states, from the manifest. */
function expectedApplicable(sector, level) {
  const categoryRank = new Map(manifest.categories.map((c, i) => [c.id, i]));
  const rank = new Map(manifest.measures.map((m, i) => [m.id, i]));
  const ob = (m) => (m.obligation === "required" ? 0 : 1);
  return manifest.measures
    .filter((m) => m.level <= level && (!sector || m.sectors.includes(sector)))
    .sort((a, b) => categoryRank.get(a.category) - categoryRank.get(b.category) || ob(a) - ob(b) ||
      a.level - b.level || rank.get(a.id) - rank.get(b.id))
    .map((m) => m.id);
}

test("the measures in scope follow sector and target level, required first in each category", () => {
  const { data, model } = load();
  const sectors = ["", ...manifest.sectors.map((s) => s.id)];
  for (const sector of sectors) {
    for (const level of [1, 2, 3]) {
      const got = model.applicable(data, sector, level).map((m) => m.id);
      assert.deepEqual(plain(got), expectedApplicable(sector, level), `sector ${sector || "any"}, Lv.${level}`);
    }
  }
  // The fixture exercises the rules: a sector-specific measure drops out for another sector.
  assert.ok(expectedApplicable("medical", 3).includes("AC-3"));
  assert.ok(!expectedApplicable("water", 3).includes("AC-3"));
});

test("score and progress per category and overall", () => {
  const { data, model } = load();
  const ratings = { "AM-1": "FI", "AM-3": "PI", "AC-1": "LI", "AC-2": "NA", "IR-1": "NI", "IR-3": "FI" };
  const state = { sector: "electricity", level: 2, ratings: {} };
  for (const [id, rating] of Object.entries(ratings)) state.ratings[id] = { rating, note: "" };
  const summary = plain(model.summarize(data, state));
  const inScope = expectedApplicable("electricity", 2);
  const points = { FI: 3, LI: 2, PI: 1, NI: 0 };
  const tally = (ids) => {
    const rated = ids.filter((id) => ratings[id]);
    const scored = rated.filter((id) => ratings[id] in points);
    const sum = scored.reduce((n, id) => n + points[ratings[id]], 0);
    return { applicable: ids.length, rated: rated.length, score: scored.length ? Math.round((100 * sum) / (3 * scored.length)) : null };
  };
  const overall = tally(inScope);
  assert.equal(summary.overall.applicable, overall.applicable);
  assert.equal(summary.overall.rated, overall.rated);
  assert.equal(summary.overall.score, overall.score);
  assert.equal(summary.overall.counts.NA, 1);
  for (const c of summary.categories) {
    const mine = tally(inScope.filter((id) => id.startsWith(c.id + "-")));
    assert.deepEqual({ applicable: c.applicable, rated: c.rated, score: c.score }, mine, c.id);
  }
});

test("saved ratings of measures a revision no longer has are reported and kept aside; the rest are used", () => {
  const { data, model } = load();
  const stored = {
    sector: "medical",
    level: 3,
    ratings: {
      "AM-1": { rating: "FI", note: "台帳あり" },
      "ZZ-9": { rating: "PI", note: "" },
      "AC-9": { rating: "NI", note: "old" },
      "AC-1": { rating: "XX", note: "" },
    },
  };
  const r = plain(model.normalize(data, stored));
  assert.deepEqual(r.unknown, ["AC-9", "ZZ-9"]);
  assert.deepEqual(r.orphans["AC-9"], { rating: "NI", note: "old" });
  assert.deepEqual(r.state.ratings["AM-1"], { rating: "FI", note: "台帳あり" });
  assert.equal(r.state.ratings["AC-1"], undefined, "an unknown rating value is not used");
  assert.ok(r.invalid.some((x) => x.startsWith("AC-1")));
  assert.equal(r.state.sector, "medical");
  assert.equal(r.state.level, 3);
  // What goes back to storage still holds the set-aside ratings.
  const back = plain(model.toStored(data, r.state, r.orphans));
  assert.deepEqual(Object.keys(back.ratings).sort(), ["AC-9", "AM-1", "ZZ-9"]);
  // Nonsense sector and level fall back to the defaults, and say so.
  const bad = plain(model.normalize(data, { sector: "mars", level: 7, ratings: {} }));
  assert.equal(bad.state.sector, "");
  assert.equal(bad.state.level, 1);
  assert.equal(bad.invalid.length, 2);
});

test("a retired measure's rating moves to the measure that replaces it, unless that one is rated", () => {
  const { data, model } = load();
  data.measures.find((m) => m.id === "IR-2").replaces = ["IR-9"];
  const moved = plain(model.normalize(data, { ratings: [{ measure: "IR-9", rating: "LI", note: "n" }] }));
  assert.deepEqual(moved.carried, [{ from: "IR-9", to: "IR-2" }]);
  assert.deepEqual(moved.state.ratings["IR-2"], { rating: "LI", note: "n" });
  assert.deepEqual(moved.unknown, []);
  const kept = plain(model.normalize(data, {
    ratings: [{ measure: "IR-9", rating: "LI" }, { measure: "IR-2", rating: "NI" }],
  }));
  assert.equal(kept.state.ratings["IR-2"].rating, "NI");
  assert.deepEqual(kept.unknown, ["IR-9"]);
});

test("export then import gives back the same assessment; other files are refused with a reason", () => {
  const { data, model } = load("ja");
  const state = {
    sector: "water",
    level: 2,
    ratings: { "IR-3": { rating: "PI", note: "報告先, 未定\n\"要確認\"" }, "AM-1": { rating: "FI", note: "" }, "AM-3": { rating: "", note: "メモだけ" } },
  };
  const exported = plain(model.toExport(data, state, "2026-03-04"));
  assert.equal(exported.schema, "kijun-assessment/1");
  assert.equal(exported.revision, manifest.revision);
  assert.equal(exported.date, "2026-03-04");
  assert.equal(exported.sector, "water");
  assert.equal(exported.level, 2);
  // Baseline order, as in the manifest.
  const order = manifest.measures.map((m) => m.id).filter((id) => id in state.ratings);
  assert.deepEqual(exported.ratings.map((r) => r.measure), order);
  const back = plain(model.parseImport(data, "\uFEFF" + JSON.stringify(exported)));
  assert.deepEqual(back.state, state);
  assert.deepEqual(back.unknown, []);

  assert.throws(() => model.parseImport(data, "{not json"), (e) => e.code === "json");
  assert.throws(() => model.parseImport(data, JSON.stringify({ schema: "kijun-baseline/1" })),
    (e) => e.code === "schema" && e.detail === "kijun-baseline/1");
  assert.throws(() => model.parseImport(data, "[]"), (e) => e.code === "schema");
});

test("CSV for Excel: BOM, CRLF, one row per measure in scope, quoting, no formulas", () => {
  const { data, model } = load("ja");
  const state = {
    sector: "electricity",
    level: 3,
    ratings: {
      "AM-1": { rating: "FI", note: "台帳, 2026年版\n\"最新\"" },
      "AC-1": { rating: "NI", note: "=HYPERLINK(\"http://x\")" },
      "IR-1": { rating: "NA", note: "" },
    },
  };
  const csv = model.toCsv(data, state, (k) => data.strings[k] ?? k);
  assert.ok(csv.startsWith("\uFEFF"), "starts with a byte-order mark");
  assert.ok(csv.endsWith("\r\n"));
  assert.ok(!/[^\r]\n/.test(csv.replace(/"[^"]*"/g, "")), "every line outside quotes ends in CRLF");
  const rows = parseCsv(csv.slice(1));
  const header = rows[0];
  assert.deepEqual(header.slice(0, 8), ["ID", "分類", "対策", "区分", "レベル", "評価", "評価（意味）", "メモ"]);
  assert.deepEqual(header.slice(8), manifest.frameworks.map((f) => data.frameworks.find((x) => x.id === f.id).title));
  const body = rows.slice(1);
  assert.deepEqual(body.map((r) => r[0]), expectedApplicable("electricity", 3));
  const am1 = body.find((r) => r[0] === "AM-1");
  assert.equal(am1[2], "資産台帳の整備");
  assert.equal(am1[5], "FI");
  assert.equal(am1[7], "台帳, 2026年版\n\"最新\"");
  const entry = manifest.measures.find((m) => m.id === "AM-1");
  manifest.frameworks.forEach((f, i) => {
    const items = entry.mappings.filter((x) => x.framework === f.id && x.relation !== "not-related").map((x) => x.ref);
    assert.equal(am1[8 + i], items.join("; "), `AM-1 ${f.id}`);
  });
  const ac1 = body.find((r) => r[0] === "AC-1");
  assert.ok(ac1[7].startsWith("'="), "a note that looks like a formula is neutralised");
  const unrated = body.find((r) => r[0] === "IR-3");
  assert.equal(unrated[5], "");
  assert.equal(unrated[6], "未評価");
  const notApplicable = body.find((r) => r[0] === "IR-1");
  assert.deepEqual(notApplicable.slice(5, 7), ["N/A", "適用外"], "shown as N/A, like the Excel checklist");
});

test("the gap list: unrated, PI and NI measures in scope, required first, then level, then baseline order", () => {
  const { data, model } = load();
  const ratings = { "AM-1": "FI", "AM-3": "PI", "AC-1": "LI", "AC-2": "NA", "IR-1": "NI" };
  const rank = new Map(manifest.measures.map((m, i) => [m.id, i]));
  const byId = new Map(manifest.measures.map((m) => [m.id, m]));
  const ob = (id) => (byId.get(id).obligation === "required" ? 0 : 1);
  for (const [sector, level] of [["", 3], ["electricity", 2], ["medical", 3], ["water", 1]]) {
    const state = { sector, level, ratings: {} };
    for (const [id, rating] of Object.entries(ratings)) state.ratings[id] = { rating, note: "" };
    state.ratings["IR-3"] = { rating: "", note: "a note, no rating" };
    const expected = expectedApplicable(sector, level)
      .filter((id) => !ratings[id] || ratings[id] === "PI" || ratings[id] === "NI")
      .sort((a, b) => ob(a) - ob(b) || byId.get(a).level - byId.get(b).level || rank.get(a) - rank.get(b));
    const got = model.gaps(data, state).map((m) => m.id);
    assert.deepEqual(plain(got), expected, `sector ${sector || "any"}, Lv.${level}`);
  }
  // The orders differ from the checklist's: required AC-3 (Lv.3) comes before recommended AM-2 (Lv.2).
  const all = plain(model.gaps(data, model.emptyState()).map((m) => m.id));
  assert.deepEqual(all, ["AM-1", "AC-1", "IR-1", "AC-2"]);
  const lv3 = plain(model.gaps(data, { sector: "", level: 3, ratings: {} }).map((m) => m.id));
  assert.deepEqual(lv3, ["AM-1", "AC-1", "IR-1", "AM-3", "IR-3", "AC-3", "AC-2", "AM-2", "IR-2"]);
});

test("summary per category: counts of each rating, titles, categories with nothing in scope left out", () => {
  const { data, model } = load();
  const state = {
    sector: "water",
    level: 1,
    ratings: { "AM-1": { rating: "LI", note: "" }, "AC-1": { rating: "PI", note: "" }, "AC-2": { rating: "NA", note: "" } },
  };
  const s = plain(model.summarize(data, state));
  assert.deepEqual(s.categories.map((c) => [c.id, c.title, c.applicable, c.rated, c.score]), [
    ["AM", "Asset management", 1, 1, 67],
    ["AC", "Access control", 2, 2, 33],
    ["IR", "Incident response", 1, 0, null],
  ]);
  assert.deepEqual(s.categories[1].counts, { FI: 0, LI: 0, PI: 1, NI: 0, NA: 1 });
  assert.deepEqual(s.overall.counts, { FI: 0, LI: 1, PI: 1, NI: 0, NA: 1 });
  assert.equal(s.overall.score, 50, "(2 + 1) of 6 points; N/A left out");
  // Only AC-3 is medical-only at Lv.3: a category without measures in scope is not listed.
  data.measures.filter((m) => m.category === "IR").forEach((m) => { m.level = 3; });
  const none = plain(model.summarize(data, { sector: "water", level: 1, ratings: {} }));
  assert.deepEqual(none.categories.map((c) => c.id), ["AM", "AC"]);
  assert.equal(none.overall.score, null);
  const full = { sector: "", level: 3, ratings: {} };
  for (const m of data.measures) full.ratings[m.id] = { rating: "FI", note: "" };
  assert.equal(model.summarize(data, full).overall.score, 100);
});

test("a measure for every sector applies whatever sector is chosen", () => {
  const { data, model } = load();
  assert.deepEqual(plain(data.measures.find((m) => m.id === "AM-1").sectors), [], "all sectors: an empty list");
  assert.ok(model.applicable(data, "water", 1).some((m) => m.id === "AM-1"));
  assert.ok(!model.applicable(data, "water", 3).some((m) => m.id === "AC-3"));
  assert.ok(model.applicable(data, "", 3).some((m) => m.id === "AC-3"), "no sector chosen: every sector's");
});

test("stored and exported forms carry the schema, revision, site and language", () => {
  const { data, model } = load("ja");
  assert.deepEqual(plain(model.emptyState()), { sector: "", level: 1, ratings: {} });
  const state = { sector: "", level: 3, ratings: { "AM-1": { rating: "FI", note: "new" }, "AC-1": { rating: "", note: "メモ" } } };
  const stored = plain(model.toStored(data, state, { "AM-1": { rating: "NI", note: "old" }, "ZZ-1": { rating: "PI", note: "" } }));
  assert.deepEqual(stored, {
    schema: "kijun-assessment-state/1",
    revision: "assess-1",
    sector: "",
    level: 3,
    ratings: { "ZZ-1": { rating: "PI", note: "" }, "AM-1": { rating: "FI", note: "new" }, "AC-1": { rating: "", note: "メモ" } },
  }, "a rating of this revision wins over a set-aside one");
  assert.equal(model.STATE_SCHEMA, "kijun-assessment-state/1");
  assert.deepEqual(plain(model.POINTS), { FI: 3, LI: 2, PI: 1, NI: 0 });
  const exported = plain(model.toExport(data, state, "2026-01-02"));
  assert.deepEqual(exported, {
    schema: "kijun-assessment/1",
    site: "https://example.org/assess/",
    revision: "assess-1",
    date: "2026-01-02",
    language: "ja",
    sector: null,
    level: 3,
    ratings: [{ measure: "AM-1", rating: "FI", note: "new" }, { measure: "AC-1", rating: null, note: "メモ" }],
  });
  const back = plain(model.parseImport(data, JSON.stringify(exported)));
  assert.equal(back.revision, "assess-1");
  assert.equal(back.date, "2026-01-02");
  const odd = plain(model.parseImport(data, JSON.stringify({ schema: "kijun-assessment/1", revision: 3, date: null })));
  assert.deepEqual([odd.revision, odd.date], ["", ""]);
  assert.throws(() => model.parseImport(data, "null"), (e) => e.code === "schema" && e.detail === "object");
  assert.throws(() => model.parseImport(data, "5"), (e) => e.code === "schema" && e.detail === "number");
});

test("reading ratings: what is not usable is reported, the rest kept", () => {
  const { data, model } = load();
  const empty = plain(model.normalize(data, null));
  assert.deepEqual(empty, { state: { sector: "", level: 1, ratings: {} }, unknown: [], orphans: {}, carried: [], invalid: [] });
  assert.deepEqual(plain(model.normalize(data, "text")).state, { sector: "", level: 1, ratings: {} });
  const r = plain(model.normalize(data, {
    sector: "",
    level: "2",
    ratings: [
      { measure: "AM-1", rating: null, note: "only a note" },
      { measure: "AM-3" },
      { measure: "AC-1", rating: "LI", note: 7 },
      "AC-2",
      { rating: "FI" },
      null,
      { measure: "ZZ-2", rating: "NI" },
      { measure: "ZZ-1", note: "kept aside" },
    ],
  }));
  assert.deepEqual(r.state, {
    sector: "",
    level: 2,
    ratings: { "AM-1": { rating: "", note: "only a note" }, "AC-1": { rating: "LI", note: "" } },
  });
  assert.deepEqual(r.invalid, ['ratings: "AC-2"', 'ratings: {"rating":"FI"}', "ratings: null"]);
  assert.deepEqual(r.unknown, ["ZZ-1", "ZZ-2"], "sorted");
  assert.deepEqual(r.orphans, { "ZZ-2": { rating: "NI", note: "" }, "ZZ-1": { rating: "", note: "kept aside" } });
  const byId = plain(model.normalize(data, { level: null, sector: null, ratings: { "AM-1": "FI", "AC-1": { rating: "NA" } } }));
  assert.deepEqual(byId.state, { sector: "", level: 1, ratings: { "AC-1": { rating: "NA", note: "" } } });
  assert.deepEqual(byId.invalid, ['AM-1: "FI"']);
  for (const level of [1, 2, 3]) assert.equal(model.normalize(data, { level }).state.level, level);
  for (const level of [0, 4, 1.5, "x"]) {
    const bad = plain(model.normalize(data, { level }));
    assert.equal(bad.state.level, 1);
    assert.deepEqual(bad.invalid, [`level: ${level}`]);
  }
  assert.deepEqual(plain(model.normalize(data, { sector: "mars" }).invalid), ["sector: mars"]);
});

test("CSV cells: quoted only when needed, formulas neutralised", () => {
  const { model } = load();
  const cases = [
    [null, ""], [undefined, ""], [0, "0"], [3, "3"], ["plain", "plain"], ["a=b", "a=b"],
    ["=1+1", "'=1+1"], ["+1", "'+1"], ["-1", "'-1"], ["@SUM(A1)", "'@SUM(A1)"], ["\tx", "'\tx"],
    ["\rx", "\"'\rx\""], ["a,b", '"a,b"'], ['say "hi"', '"say ""hi"""'], ["a\nb", '"a\nb"'],
    ["a\rb", '"a\rb"'], ["=a,b", "\"'=a,b\""],
  ];
  for (const [value, cell] of cases) assert.equal(model.csvCell(value), cell, JSON.stringify(value));
  assert.equal(model.displayCode("NA"), "N/A");
  assert.equal(model.displayCode("FI"), "FI");
  assert.equal(model.displayCode(""), "");
});

test("today's date in the user's time zone, YYYY-MM-DD", () => {
  const { model } = load();
  assert.equal(model.localDate(new Date(2026, 0, 5, 23, 59)), "2026-01-05");
  assert.equal(model.localDate(new Date(2026, 8, 9)), "2026-09-09");
  assert.equal(model.localDate(new Date(2026, 9, 10)), "2026-10-10");
  assert.equal(model.localDate(new Date(2026, 11, 31)), "2026-12-31");
});

test("orders hold whatever order the baseline lists measures in: level before baseline order", () => {
  const { data, model } = load();
  data.measures.reverse();
  // Within a category and obligation, lower levels first, then the baseline's (now reversed) order.
  const got = model.applicable(data, "", 3).map((m) => m.id);
  assert.deepEqual(plain(got), ["AM-1", "AM-3", "AM-2", "AC-1", "AC-3", "AC-2", "IR-1", "IR-3", "IR-2"]);
  data.measures.find((m) => m.id === "IR-3").level = 1;
  const same = model.applicable(data, "", 1).map((m) => m.id);
  assert.deepEqual(plain(same), ["AM-1", "AC-1", "AC-2", "IR-3", "IR-1"], "same level: baseline order (reversed)");
  const gaps = model.gaps(data, { sector: "", level: 3, ratings: {} }).map((m) => m.id);
  assert.deepEqual(plain(gaps), ["IR-3", "IR-1", "AC-1", "AM-1", "AM-3", "AC-3", "AC-2", "AM-2", "IR-2"]);
});

test("no score when nothing in scope is scored (N/A only), not NaN", () => {
  const { data, model } = load();
  const s = model.summarize(data, { sector: "", level: 1, ratings: { "AC-2": { rating: "NA", note: "" } } });
  assert.equal(s.overall.score, null);
  assert.equal(s.overall.rated, 1);
  assert.equal(s.categories.find((c) => c.id === "AC").score, null);
});

test("reading ratings: valid levels raise no complaint, odd rating lists are ignored safely", () => {
  const { data, model } = load();
  for (const level of [1, 2, 3]) assert.deepEqual(plain(model.normalize(data, { level }).invalid), [], `Lv.${level}`);
  for (const ratings of [null, "FI", 3]) {
    const r = plain(model.normalize(data, { ratings }));
    assert.deepEqual([r.state.ratings, r.invalid], [{}, []], JSON.stringify(ratings));
  }
  const r = plain(model.normalize(data, { ratings: [{ measure: "AC-1", rating: "XX" }] }));
  assert.deepEqual(r.invalid, ['AC-1: "XX"']);
});

test("CSV rows: category code and title, empty notes, every mapped item of a framework", () => {
  const { data, model } = load("ja");
  const am1 = data.measures.find((m) => m.id === "AM-1");
  const fw = data.frameworks[0].id;
  am1.mappings.push({ framework: fw, item: "Z9", title: "extra", relation: "subset-of" });
  const state = { sector: "", level: 1, ratings: { "AM-1": { rating: "FI" } } };
  const rows = parseCsv(model.toCsv(data, state, (k) => data.strings[k] ?? k).slice(1));
  const row = rows.find((r) => r[0] === "AM-1");
  assert.equal(row[1], `AM ${data.categories.find((c) => c.id === "AM").title}`);
  assert.equal(row[7], "", "no note: an empty cell");
  const items = am1.mappings.filter((x) => x.framework === fw).map((x) => x.item);
  assert.equal(items.length, 2);
  assert.equal(row[8], items.join("; "));
});

test("the model runs in Node as it is, without a window", () => {
  const context = vm.createContext({});
  vm.runInContext(readFileSync(join(site, "static/js/assessment-model.js"), "utf8"), context);
  assert.equal(typeof context.KijunAssessment.applicable, "function");
});

/** A small RFC 4180 reader, enough to check what the export wrote. */
function parseCsv(text) {
  const rows = [[]];
  let cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { rows.at(-1).push(cell); cell = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { rows.at(-1).push(cell); cell = ""; rows.push([]); i++; }
    else cell += c;
  }
  if (rows.at(-1).length === 0) rows.pop();
  return rows;
}
