// The split search index (src/search/split.rs) against the single-file one, on a generated
// corpus built both ways: for every query, search.js must give the same results, in the same
// order, with the same scores and ranks, and the same display docs for the results shown,
// while loading only a part of the index.
//
//   node --test tests/node/search-split.test.mjs     (needs python3 and a built kijun)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { repoRoot, runKijun } from "../harness.mjs";
import { K, lunr, layoutOf, singleEngine, splitEngine } from "../search-engines.mjs";

const MEASURES = 150;
let single, split;

/** Generates the corpus and builds it with `search_index = layout`; returns the site folder. */
function buildCorpus(dir, layout) {
  const root = path.join(dir, "kijun");
  const config = path.join(root, "kijun.toml");
  const text = fs.readFileSync(config, "utf8").replace(/^search_index = .*\n/m, "");
  fs.writeFileSync(config, text.replace(/^draft = true$/m, `draft = true\nsearch_index = "${layout}"`));
  const out = path.join(dir, `site-${layout}`);
  const r = runKijun(["build", "--root", root, "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kijun-split-"));
  const gen = spawnSync("python3", [path.join(repoRoot, "scripts/gen-corpus"), "--measures", String(MEASURES),
    "--out", dir, "--only", "kijun"], { encoding: "utf8" });
  assert.equal(gen.status, 0, gen.stderr);
  single = buildCorpus(dir, "single");
  split = buildCorpus(dir, "split");
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Queries: fixed ones, then pieces of page text picked deterministically (all kinds of phrases). */
function queries(lang) {
  const fixed = {
    ja: ["鍵", "認", "認証", "管理", "多要素認証", "インシデント対応計画", "OT機器", "年1回", "事業者は",
      "事業者は、", "IT・OT", "（年", "AM-1", "am-1", "ＡＭ－１", "GV-3", "PR.AA-03", "認証 管理", "ﾊﾞｯｸｱｯﾌﾟ",
      "バックアップ", "「", "zzzz", "鍵 zzzz", "回以上）"],
    en: ["backups", "Backup", "multi-factor authentication", "AM-1", "the", "incident response plan",
      "PR.AA-03", "GV.SC-02", "xyzzy", "times a year", "多要素"],
  }[lang];
  const docs = singleEngine(single, lang).docs.filter((d) => d.body && d.kind !== "framework-item");
  const picked = [];
  for (let i = 0; i < 80; i++) {
    const d = docs[(i * 37) % docs.length];
    const source = i % 3 === 0 ? d.title : d.body;
    if (lang === "ja") {
      // any run of characters: CJK phrases, mixed phrases, punctuation
      const text = Array.from(source);
      const len = 1 + (i % 9);
      const start = (i * 131) % Math.max(1, text.length - len);
      picked.push(text.slice(start, start + len).join("").trim());
    } else {
      // one to three whole words
      const words = source.split(/\s+/);
      const start = (i * 131) % Math.max(1, words.length - 3);
      picked.push(words.slice(start, start + 1 + (i % 3)).join(" "));
    }
  }
  return [...fixed, ...picked.filter(Boolean)];
}

for (const lang of ["ja", "en"]) {
  test(`${lang}: the corpus is built single and split as asked`, () => {
    assert.equal(layoutOf(single, lang), "single");
    assert.equal(layoutOf(split, lang), "split");
    assert.ok(!fs.existsSync(path.join(split, "search", `search-index.${lang}.js`)));
    const page = fs.readFileSync(path.join(split, lang, "search", "index.html"), "utf8");
    assert.match(page, new RegExp(`src="../../search/${lang}/meta.js"`));
    assert.doesNotMatch(page, /search-index\./);
  });

  test(`${lang}: every part the meta file names exists and files its data under its key`, () => {
    const meta = splitMeta(lang);
    const expect = [];
    for (let n = 0; n < meta.termShards; n++) expect.push(`t/${n}`, `p/${n}`);
    for (let n = 0; n < meta.charShards; n++) expect.push(`c/${n}`);
    for (let n = 0; n * meta.docsPerShard < meta.docCount; n++) expect.push(`d/${n}`);
    for (let n = 0; n * meta.lengthsPerShard < meta.docCount; n++) expect.push(`l/${n}`);
    for (const key of expect) {
      const file = path.join(split, "search", lang, `${key}.js`);
      assert.ok(fs.existsSync(file), `${file} exists`);
      assert.ok(fs.readFileSync(file, "utf8").startsWith(
        `(window.KIJUN_SEARCH_PARTS=window.KIJUN_SEARCH_PARTS||{})["${lang}/${key}"]=`), key);
    }
    const all = fs.readdirSync(path.join(split, "search", lang), { recursive: true })
      .filter((f) => f.endsWith(".js") && f !== "meta.js");
    assert.equal(all.length, expect.length, "no other parts");
  });

  test(`${lang}: the split index gives exactly the results of the single-file index`, async () => {
    const one = singleEngine(single, lang);
    let compared = 0, nonEmpty = 0;
    for (const q of queries(lang)) {
      const expected = K.search(one, q);
      const got = await K.searchSplit(splitEngine(split, lang), q);
      assert.deepEqual(got.plan, expected.plan, `plan of ${q}`);
      assert.equal(got.results.length, expected.results.length, `number of results for ${JSON.stringify(q)}`);
      got.results.forEach((r, i) => {
        const e = expected.results[i];
        assert.equal(r.ref, e.ref, `${q}: result ${i}`);
        assert.equal(r.score, e.score, `${q}: score of result ${i}`);
        assert.equal(r.tier, e.tier, `${q}: rank tier of result ${i}`);
        if (i < K.MAX_SHOWN) assert.deepEqual(r.doc, e.doc, `${q}: doc of result ${i}`);
        else assert.equal(r.doc, null);
      });
      compared++;
      if (expected.results.length) nonEmpty++;
    }
    assert.ok(compared > 80 && nonEmpty > 60, `${compared} queries, ${nonEmpty} with results`);
  });

  test(`${lang}: a query loads only the parts it needs`, async () => {
    const meta = splitMeta(lang);
    const count = (loaded, kind) => loaded.filter((f) => f.file.split(path.sep)[2] === kind).length;
    const cases = lang === "ja"
      // [query, distinct terms, pinning pairs of its phrase (0: none needed)]
      ? [["認証", 1, 0], ["インシデント対応計画", 9, 5], ["AM-1", 3, 0]]
      : [["backups", 1, 0], ["AM-1", 3, 0]];
    for (const [q, terms, pairs] of cases) {
      const loaded = [];
      const outcome = await K.searchSplit(splitEngine(split, lang, loaded), q);
      assert.ok(outcome.results.length > 0, q);
      // the parts of the query's terms (and of the query itself, for page IDs), no others
      assert.ok(count(loaded, "t") <= terms + 1 && count(loaded, "t") < meta.termShards, `${q}: t parts`);
      assert.ok(count(loaded, "p") <= pairs, `${q}: ${count(loaded, "p")} p parts`);
      // display docs only for the results shown
      const shown = Math.min(outcome.results.length, K.MAX_SHOWN);
      assert.ok(count(loaded, "d") <= shown, `${q}: d parts`);
      assert.ok(count(loaded, "d") < Math.ceil(meta.docCount / meta.docsPerShard), `${q}: not every doc`);
      const gzip = loaded.reduce((s, f) => s + f.gzip, 0);
      assert.ok(gzip < 1024 * 1024, `${q}: ${gzip} bytes gzip`);
    }
  });
}

test("a missing part is an error, not an empty result", async () => {
  const meta = splitMeta("ja");
  const engine = K.loadSplit(lunr, meta, () => Promise.resolve(undefined));
  await assert.rejects(K.searchSplit(engine, "認証"), /missing/);
});

test("a part that failed to load is tried again by the next query", async () => {
  const meta = splitMeta("ja");
  const real = splitEngine(split, "ja");
  let failing = true;
  const engine = K.loadSplit(lunr, meta, (key) => {
    if (failing) return Promise.reject(new Error(`network error on ${key}`));
    return real.loadPart(key);
  });
  await assert.rejects(K.searchSplit(engine, "認証"), /network error/);
  failing = false;
  const again = await K.searchSplit(engine, "認証");
  const want = await K.searchSplit(splitEngine(split, "ja"), "認証");
  assert.ok(want.results.length > 0);
  assert.deepEqual(again.results.map((r) => r.ref), want.results.map((r) => r.ref));
});

test("the hash of the parts is FNV-1a over UTF-16 code units, as in split.rs", () => {
  assert.equal(K.fnv1a(""), 0x811c9dc5);
  assert.equal(K.fnv1a("a"), 0xe40c292c);
  assert.equal(K.fnv1a("foobar"), 0xbf9cf968);
});

/** window.KIJUN_SEARCH_SPLIT[lang] of the split site. */
function splitMeta(lang) {
  const context = { window: {} };
  const file = path.join(split, "search", lang, "meta.js");
  vm.runInNewContext(fs.readFileSync(file, "utf8"), context);
  return JSON.parse(JSON.stringify(context.window.KIJUN_SEARCH_SPLIT[lang]));
}
