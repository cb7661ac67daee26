// Tests of the site search with the real lunr.js and the real search.js.
//
//   KIJUN_SITE=site node --test tests/node/
//
// KIJUN_SITE is a built site folder holding search/search-index.ja.js and
// search/search-index.en.js. Without it the tests that need a site are skipped (with a message);
// the tokenizer and source checks still run.
//
// lunr comes from node_modules (`npm install lunr@2.3.9`) when it is installed, otherwise from
// the vendored copy in themes/default/static/vendor/lunr/ (the same file, checked below).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vendored = path.join(repo, 'themes/default/static/vendor/lunr/lunr.min.js');
const searchJs = path.join(repo, 'themes/default/static/js/search-core.js');
const pageJs = path.join(repo, 'themes/default/static/js/search.js');
const synonymCasesFile = path.join(repo, 'src/search/testdata/synonym-cases.json');
const casesFile = path.join(repo, 'src/search/testdata/tokenize-cases.json');

/**
 * Runs a browser script as a CommonJS module and returns its module.exports. (The repository's
 * package.json says "type": "module", so `require` would load the theme's scripts as ES
 * modules, where their `module.exports` branch does not run.)
 */
function loadScript(file) {
  const module = { exports: {} };
  const wrapper = vm.runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`,
    { filename: file });
  wrapper.call(module.exports, module.exports, require, module, file, path.dirname(file));
  return module.exports;
}

let lunr;
let lunrFrom;
try {
  lunr = require('lunr');
  lunrFrom = require.resolve('lunr');
} catch {
  lunr = loadScript(vendored);
  lunrFrom = vendored;
}
const K = loadScript(searchJs);

const site = process.env.KIJUN_SITE;
const noSite = site ? false : 'KIJUN_SITE is not set: set it to a built site folder to run the search index tests';
if (!site) console.log('# skipping site tests: ' + noSite);

/** window.KIJUN_SEARCH[lang] as the page gets it: the index script run in a fresh context. */
function loadData(lang) {
  const file = path.join(site, 'search', `search-index.${lang}.js`);
  assert.ok(fs.existsSync(file), `${file} exists`);
  const context = { window: {} };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  const data = context.window.KIJUN_SEARCH && context.window.KIJUN_SEARCH[lang];
  assert.ok(data, `${file} sets window.KIJUN_SEARCH[${JSON.stringify(lang)}]`);
  // plain JSON from here on (objects from another context fail deepEqual's prototype check)
  return JSON.parse(JSON.stringify(data));
}

const engines = {};
function engine(lang) {
  if (!engines[lang]) engines[lang] = K.load(lunr, loadData(lang));
  return engines[lang];
}

const refsOf = (outcome) => outcome.results.map((r) => r.ref);
const allText = (d) => K.fold([d.title, K.idsText(d), d.body].join('\n'));
const label = (d) => `${d.id ?? ''} ${d.title} <${d.url}>`;

/** Asserts that the results of q are exactly the docs whose text contains q (Ctrl+F). */
function assertCtrlF(lang, q) {
  const e = engine(lang);
  const expected = e.docs.map((d, i) => [d, String(i)]).filter(([d]) => allText(d).includes(K.fold(q)))
    .map(([, i]) => i);
  const got = refsOf(K.search(e, q));
  assert.deepEqual([...got].sort(), [...expected].sort(),
    `results for ${q}: got ${got.map((r) => label(e.docs[r])).join(', ')}`);
  return got;
}

/** Asserts that results whose title contains q all come before those whose title does not. */
function assertTitleFirst(lang, q) {
  const e = engine(lang);
  const got = refsOf(K.search(e, q));
  const inTitle = got.map((r) => K.fold(e.docs[r].title).includes(K.fold(q)));
  const firstOther = inTitle.indexOf(false);
  const lastTitle = inTitle.lastIndexOf(true);
  assert.ok(firstOther === -1 || lastTitle < firstOther,
    `${q}: title matches first, got ${got.map((r) => label(e.docs[r])).join(' | ')}`);
}

test('lunr is 2.3.9 and the vendored copy is the npm file, unchanged', () => {
  assert.equal(lunr.version, '2.3.9', `lunr from ${lunrFrom}`);
  const vendoredLunr = loadScript(vendored);
  assert.equal(vendoredLunr.version, '2.3.9');
  const npmMin = path.join(path.dirname(lunrFrom), 'lunr.min.js');
  if (lunrFrom !== vendored && fs.existsSync(npmMin)) {
    assert.ok(fs.readFileSync(npmMin).equals(fs.readFileSync(vendored)), 'vendored lunr.min.js == npm lunr.min.js');
  }
});

test('search.js tokenizes exactly like src/search/tokenize.rs (shared cases)', () => {
  const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  assert.ok(cases.length >= 20);
  for (const [text, terms] of cases) {
    assert.deepEqual(K.indexTerms(lunr, text), terms, `terms of ${JSON.stringify(text)}`);
  }
});

test('search-core.js adds synonym tokens exactly like src/search/synonyms.rs (shared cases)', () => {
  const { groups, cases } = JSON.parse(fs.readFileSync(synonymCasesFile, 'utf8'));
  const syn = K.compileSynonyms(lunr, groups);
  assert.ok(cases.length >= 8);
  for (const [text, terms] of cases) {
    assert.deepEqual(K.indexTerms(lunr, text, syn), terms, `terms of ${JSON.stringify(text)}`);
  }
});

test('search-core.js and search.js need no eval, no fetch, no ES modules and set no HTML', () => {
  for (const file of [searchJs, pageJs]) {
    const src = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const bad of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'fetch(', 'XMLHttpRequest', 'setTimeout(\'', 'setTimeout("', 'import ', 'export ']) {
      assert.ok(!src.includes(bad), `${path.basename(file)} uses ${bad}`);
    }
  }
  // the pure part touches no page
  const core = fs.readFileSync(searchJs, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  for (const bad of ['document', 'window.', 'history']) assert.ok(!core.includes(bad), `search-core.js uses ${bad}`);
});

for (const lang of ['ja', 'en']) {
  test(`${lang}: the index file loads with lunr.Index.load`, { skip: noSite }, () => {
    const data = loadData(lang);
    assert.equal(data.lang, lang);
    assert.equal(data.format, 1);
    assert.equal(data.index.version, lunr.version);
    assert.deepEqual(data.index.fields, ['title', 'body', 'ids']);
    assert.equal(data.index.fieldVectors.length, data.docs.length * 3);
    assert.ok(data.docs.length > 0, 'some docs');
    for (const d of data.docs) {
      assert.equal(typeof d.url, 'string');
      assert.ok(!d.url.startsWith('/'), `site-relative url ${d.url}`);
      assert.equal(typeof d.title, 'string');
      assert.equal(typeof d.body, 'string');
    }
    const e = engine(lang);
    assert.ok(e.index instanceof lunr.Index);
  });

  test(`${lang}: the shipped index is what lunr.Builder builds from the docs with search.js's tokenizer`,
    { skip: noSite }, () => {
      const data = loadData(lang);
      const builder = new lunr.Builder();
      builder.ref('ref');
      for (const f of data.index.fields) builder.field(f, { boost: data.fieldBoosts[f] });
      const syn = K.compileSynonyms(lunr, data.synonyms);
      builder.tokenizer = (obj) => (obj == null ? [] : K.indexTerms(lunr, String(obj), syn).map((t) => new lunr.Token(t, {})));
      data.docs.forEach((d, i) => builder.add({ ref: String(i), title: d.title, body: d.body, ids: K.idsText(d) }));
      const rebuilt = JSON.parse(JSON.stringify(builder.build()));
      const shipped = data.index;
      assert.deepEqual(shipped.invertedIndex, rebuilt.invertedIndex, 'inverted index');
      assert.deepEqual(shipped.pipeline, rebuilt.pipeline);
      assert.equal(shipped.fieldVectors.length, rebuilt.fieldVectors.length);
      let inexact = 0;
      shipped.fieldVectors.forEach(([ref, v], i) => {
        const [ref2, w] = rebuilt.fieldVectors[i];
        assert.equal(ref, ref2);
        assert.equal(v.length, w.length, `vector ${ref}`);
        for (let k = 0; k < v.length; k++) {
          if (k % 2 === 0) assert.equal(v[k], w[k], `term index in ${ref}`);
          else if (v[k] !== w[k]) {
            // Math.log and Rust's ln may differ in the last bit; that can move the 3rd decimal
            assert.ok(Math.abs(v[k] - w[k]) <= 0.0011, `score in ${ref}: ${v[k]} vs ${w[k]}`);
            inexact++;
          }
        }
      });
      assert.ok(inexact <= 3, `${inexact} scores differ in the last decimal`);
    });
}

test('ja: 認証 finds every page whose text contains it, including those with 多要素認証', { skip: noSite }, () => {
  const e = engine('ja');
  const got = assertCtrlF('ja', '認証');
  const mfaMeasures = e.docs.map((d, i) => [d, String(i)])
    .filter(([d]) => d.kind === 'measure' && allText(d).includes('多要素認証')).map(([, i]) => i);
  assert.ok(mfaMeasures.length > 0, 'the site has measures whose text contains 多要素認証');
  for (const r of mfaMeasures) assert.ok(got.includes(r), `認証 finds ${label(e.docs[r])}`);
});

test('ja: 脆弱 finds every page containing 脆弱性', { skip: noSite }, () => {
  const e = engine('ja');
  const got = assertCtrlF('ja', '脆弱');
  const withWord = e.docs.map((d, i) => [d, String(i)]).filter(([d]) => allText(d).includes('脆弱性')).map(([, i]) => i);
  assert.ok(withWord.length > 0, 'the site has pages containing 脆弱性');
  for (const r of withWord) assert.ok(got.includes(r), `脆弱 finds ${label(e.docs[r])}`);
});

test('ja: a query finds only pages that contain it as a string (no scattered bigrams)', { skip: noSite }, () => {
  // (words that are glossary synonyms find more: see the synonym tests)
  for (const q of ['台帳', '事業継続', '構成要素', '認証の']) assertCtrlF('ja', q);
  // full-width / half-width input folds like the text
  assert.deepEqual(refsOf(K.search(engine('ja'), 'ﾊﾞｯｸｱｯﾌﾟ')), refsOf(K.search(engine('ja'), 'バックアップ')));
});

test('ja: a one-character query finds the pages containing the character', { skip: noSite }, () => {
  for (const q of ['鍵', '訓', '認']) assertCtrlF('ja', q);
});

test('ja: pages with the query in the title rank first', { skip: noSite }, () => {
  for (const q of ['認証', '脆弱', 'バックアップ', '脆弱性']) assertTitleFirst('ja', q);
});

test('en: backups finds the pages containing backup, case-insensitively', { skip: noSite }, () => {
  const e = engine('en');
  const got = refsOf(K.search(e, 'backups'));
  const withBackup = e.docs.map((d, i) => [d, String(i)]).filter(([d]) => /\bbackups?\b/i.test(allText(d))).map(([, i]) => i);
  assert.ok(withBackup.length > 0, 'the site has pages containing backup');
  for (const r of withBackup) assert.ok(got.includes(r), `backups finds ${label(e.docs[r])}`);
  assert.deepEqual(refsOf(K.search(e, 'BACKUP')), got);
  assert.deepEqual(refsOf(K.search(e, 'Backups')), got);
  assertTitleFirst('en', 'backup');
});

test('en: several words must all be present (stemmed)', { skip: noSite }, () => {
  const e = engine('en');
  // (not a glossary synonym: those find any member, see below)
  const got = K.search(e, 'Incident response plans').results;
  assert.ok(got.length > 0);
  for (const r of got) {
    const terms = new Set(K.indexTerms(lunr, [r.doc.title, K.idsText(r.doc), r.doc.body].join('\n')));
    assert.ok(terms.has('incid') && terms.has('respons') && terms.has('plan'), label(r.doc));
  }
});

for (const lang of ['ja', 'en']) {
  test(`${lang}: AM-1 finds measure AM-1 first, and not AM-10`, { skip: noSite }, () => {
    const e = engine(lang);
    for (const q of ['AM-1', 'am-1', 'ＡＭ－１']) {
      const got = K.search(e, q).results;
      assert.ok(got.length > 0, `${q} finds something`);
      assert.equal(got[0].doc.id, 'AM-1', `${q}: first is ${label(got[0].doc)}`);
      assert.equal(got[0].doc.kind, 'measure');
      for (const r of got) {
        const terms = new Set(K.indexTerms(lunr, [r.doc.title, K.idsText(r.doc), r.doc.body].join('\n')));
        assert.ok(terms.has('am-1'), `${label(r.doc)} contains AM-1`);
      }
    }
  });

  test(`${lang}: framework IDs find the measures mapped to them`, { skip: noSite }, () => {
    const e = engine(lang);
    const measures = e.docs.map((d, i) => [d, String(i)]).filter(([d]) => d.kind === 'measure');
    const keywords = new Set(measures.flatMap(([d]) => d.keywords || []));
    const patterns = [
      ['CSF subcategory', /^[A-Z]{2}\.[A-Z]{2}-\d{2}$/, 'PR.AA-03'],
      ['CSF category', /^[A-Z]{2}\.[A-Z]{2}$/, 'GV.OC'],
      ['CAF outcome', /^[A-D]\d\.[a-z]$/, 'A1.a'],
      ['CAF principle', /^[A-D]\d$/, 'B2'],
      ['NIS2 point', /^\d+\(\d+\)\([a-z]\)$/, '21(2)(a)'],
    ];
    const csf = [...keywords].filter((k) => patterns[0][1].test(k));
    assert.ok(csf.length > 0,
      'some measure has a CSF id such as PR.AA-03 in its keywords (SearchDoc.keywords carries the mapped framework refs)');
    for (const [name, re, preferred] of patterns) {
      const id = keywords.has(preferred) ? preferred : [...keywords].sort().find((k) => re.test(k));
      if (!id) continue;
      const got = K.search(e, id).results;
      const mapped = measures.filter(([d]) => (d.keywords || []).includes(id)).map(([, i]) => i);
      const refs = got.map((r) => r.ref);
      for (const r of mapped) assert.ok(refs.includes(r), `${name} ${id} finds ${label(e.docs[r])}`);
      // the mapped measures come before pages that only mention the id in their text
      const firstUnmapped = got.findIndex((r) => !(r.doc.keywords || []).includes(id));
      if (firstUnmapped >= 0) {
        assert.ok(got.slice(firstUnmapped).every((r) => !(r.doc.keywords || []).includes(id)),
          `${id}: pages with it as a keyword first`);
      }
      // exact: every result has the id as a whole term
      const term = K.indexTerms(lunr, id)[0];
      for (const r of got) {
        const terms = new Set(K.indexTerms(lunr, [r.doc.title, K.idsText(r.doc), r.doc.body].join('\n')));
        assert.ok(terms.has(term), `${id}: ${label(r.doc)} has ${term}`);
      }
    }
  });
}

test('snippets and highlights come from the matched text', { skip: noSite }, () => {
  const e = engine('ja');
  const outcome = K.search(e, '多要素認証');
  assert.ok(outcome.results.length > 0);
  for (const r of outcome.results) {
    const sn = K.snippet(lunr, r.doc.body, outcome.plan, 160);
    for (const [s, t] of sn.ranges) assert.ok(K.fold(sn.text.slice(s, t)).length > 0);
  }
  const en = engine('en');
  const o2 = K.search(en, 'backups');
  const d = o2.results[0].doc;
  const marks = K.markRanges(lunr, d.title + ' ' + d.body, o2.plan).map(([s, t]) => (d.title + ' ' + d.body).slice(s, t).toLowerCase());
  assert.ok(marks.length > 0 && marks.every((m) => /^back/.test(m)), `marks ${marks}`);
});

test('empty and unmatched queries give no results', { skip: noSite }, () => {
  for (const lang of ['ja', 'en']) {
    assert.equal(K.search(engine(lang), '').results.length, 0);
    assert.equal(K.search(engine(lang), '   ').results.length, 0);
    assert.equal(K.search(engine(lang), 'zzzzqqqq').results.length, 0);
    assert.equal(K.search(engine(lang), '、。「」').results.length, 0);
  }
});

/** Refs of the pages whose text contains one of the members of the glossary group of `word`. */
function withAnyMember(lang, word) {
  const e = engine(lang);
  const group = e.synonyms.groups.find((g) => g.members.some((m) => K.fold(m.text) === K.fold(word)));
  assert.ok(group, `${word} is in a synonym group`);
  const syn = e.synonyms;
  return e.docs.map((d, i) => [d, String(i)]).filter(([d]) =>
    K.indexTerms(lunr, [d.title, K.idsText(d), d.body].join('\n'), syn).includes(group.token)).map(([, i]) => i);
}

test('ja: MFA finds what 多要素認証 finds, AC-3 (required, Lv.1) first', { skip: noSite }, () => {
  const e = engine('ja');
  const mfa = K.search(e, 'MFA').results;
  assert.deepEqual(mfa.map((r) => r.ref), refsOf(K.search(e, '多要素認証')));
  assert.deepEqual(mfa.map((r) => r.ref).sort(), withAnyMember('ja', 'MFA').sort());
  // every page that says 多要素認証 is among them (Ctrl+F finds no more)
  for (const [d, i] of e.docs.map((d, i) => [d, String(i)])) {
    if (allText(d).includes('多要素認証')) assert.ok(mfa.some((r) => r.ref === i), label(d));
  }
  assert.equal(mfa[0].doc.id, 'AC-3', `first: ${label(mfa[0].doc)}`);
  assert.ok(K.markRanges(lunr, mfa[0].doc.body, K.search(e, 'MFA').plan).length > 0, 'the member is highlighted');
});

test('en: MFA and multi-factor authentication are one group', { skip: noSite }, () => {
  const e = engine('en');
  const mfa = K.search(e, 'mfa').results;
  assert.ok(mfa.length > 0);
  assert.deepEqual(mfa.map((r) => r.ref), refsOf(K.search(e, 'Multi-factor authentication')));
  assert.equal(mfa[0].doc.id, 'AC-3', `first: ${label(mfa[0].doc)}`);
});

test('ja: abbreviations operators type find the Japanese terms (EDR, SBOM, BCP, OT, CSIRT)', { skip: noSite }, () => {
  const e = engine('ja');
  for (const q of ['EDR', 'SBOM', 'BCP', 'OT', 'CSIRT', 'RTO', 'EOL']) {
    const got = refsOf(K.search(e, q));
    assert.ok(got.length > 0, `${q} finds something`);
    assert.deepEqual([...got].sort(), withAnyMember('ja', q).sort(), q);
  }
});

test('ja: hiragana, small kana and long vowels fold (ばっくあっぷ finds the backup measures)', { skip: noSite }, () => {
  const e = engine('ja');
  const want = refsOf(K.search(e, 'バックアップ'));
  assert.ok(want.length > 0);
  assert.deepEqual(refsOf(K.search(e, 'ばっくあっぷ')), want);
  assert.deepEqual(refsOf(K.search(e, 'バツクアツプ')), want);
  const backupMeasures = e.docs.filter((d) => d.kind === 'measure' && d.title.includes('バックアップ')).map((d) => d.id);
  assert.ok(backupMeasures.length > 0);
  const found = K.search(e, 'ばっくあっぷ').results.map((r) => r.doc.id);
  for (const id of backupMeasures) assert.ok(found.includes(id), `ばっくあっぷ finds ${id}`);
  // a long-vowel variant: サーバ finds what サーバー finds
  assert.deepEqual(refsOf(K.search(e, 'サーバ')), refsOf(K.search(e, 'サーバー')));
});

for (const lang of ['ja', 'en']) {
  test(`${lang}: ranking: exact IDs first (pages and framework items), then title, required and lower level first among similar scores`, { skip: noSite }, () => {
    const e = engine(lang);
    const item = K.search(e, 'PR.AA-03').results[0];
    assert.equal(item.tier, 0);
    assert.equal(item.doc.kind, 'framework-item');
    assert.match(item.doc.url, /frameworks\/nist-csf-2\.0\/index\.html#item-PR\.AA-03$/);
    for (const q of lang === 'ja' ? ['多要素認証', 'バックアップ', '脆弱性', 'ログ', '訓練'] : ['backup', 'vulnerability', 'logging', 'training']) {
      const rs = K.search(e, q).results;
      for (let i = 1; i < rs.length; i++) {
        const [a, b] = [rs[i - 1], rs[i]];
        assert.ok(a.tier <= b.tier, `${q}: tiers in order`);
        if (a.tier === b.tier && a.band === b.band && a.doc.kind === 'measure' && b.doc.kind === 'measure') {
          assert.ok(K.docRank(a.doc) <= K.docRank(b.doc), `${q}: ${a.doc.id} before ${b.doc.id}`);
        }
        if (a.tier === b.tier) assert.ok(a.band <= b.band, `${q}: bands in order`);
      }
    }
  });
}

test('snippets come from the section that matched, its heading a label apart from the text', { skip: noSite }, () => {
  const e = engine('ja');
  let labelled = 0;
  for (const q of ['攻撃者', '記録', '小規模']) {
    const o = K.search(e, q);
    for (const r of o.results.slice(0, 20)) {
      const sn = K.sectionSnippet(lunr, r.doc, o.plan, 160);
      if (!sn) continue;
      if (sn.heading) labelled++;
      assert.ok(!sn.text.startsWith(sn.heading + ' ') || sn.heading === '', `${q}: heading not in the text: ${sn.heading}`);
      for (const h of ['なぜ重要か', '達成の目安']) {
        if (r.doc.kind === 'measure') assert.ok(!sn.text.includes(h), `${q}: ${label(r.doc)} snippet runs a heading in: ${sn.text}`);
      }
      if (sn.ranges.length === 0) continue;
      // the snippet holds a mark
      assert.ok(sn.ranges.every(([a, b]) => b > a && b <= sn.text.length));
    }
  }
  assert.ok(labelled > 0, 'some snippets have a section label');
});
