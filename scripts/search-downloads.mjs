#!/usr/bin/env node
// What the search page of a built site downloads per query: for each query, the search index
// files search.js loads (meta.js and the parts, or the single-file index), their bytes and
// their bytes under gzip (each file compressed on its own, as a web server would send it).
//
//   node scripts/search-downloads.mjs SITE [--json] [ja:QUERY ...] [en:QUERY ...]
//
// Without queries it runs a built-in list for each language (one- and two-character Japanese
// words, longer and mixed phrases, IDs, English words). The vendored lunr.min.js and search.js
// (about 12 KB gzip together) are the same for every query and not counted.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { K, layoutOf, singleEngine, splitEngine, folderSize } from "../tests/search-engines.mjs";

export const DEFAULT_QUERIES = {
  ja: ["鍵", "認証", "管理", "多要素認証", "インシデント対応計画", "OT機器", "年1回", "事業者は", "AM-1", "PR.AA-03"],
  en: ["backups", "multi-factor authentication", "the", "incident response plan", "AM-1", "PR.AA-03"],
};

/** Downloads of one query on a fresh page: {q, results, files, bytes, gzip}. */
export async function measureQuery(site, lang, q) {
  const layout = layoutOf(site, lang);
  if (layout === "single") {
    const file = path.join(site, "search", `search-index.${lang}.js`);
    const bytes = fs.readFileSync(file);
    const results = K.search(singleEngine(site, lang), q).results.length;
    return { q, results, files: 1, bytes: bytes.length, gzip: zlib.gzipSync(bytes).length };
  }
  const loaded = [];
  // the display docs of the first page of results, as the search page loads them
  const outcome = await K.searchSplit(splitEngine(site, lang, loaded), q, K.PAGE_SIZE);
  return {
    q,
    results: outcome.results.length,
    files: loaded.length,
    bytes: loaded.reduce((s, f) => s + f.bytes, 0),
    gzip: loaded.reduce((s, f) => s + f.gzip, 0),
  };
}

/** The index of each language: layout, files, bytes and gzip bytes in total. */
export function indexSizes(site, langs) {
  return langs.map((lang) => {
    const layout = layoutOf(site, lang);
    const where = layout === "split" ? path.join(site, "search", lang) : null;
    if (where) return { lang, layout, ...folderSize(where) };
    const data = fs.readFileSync(path.join(site, "search", `search-index.${lang}.js`));
    return { lang, layout, files: 1, bytes: data.length, gzip: zlib.gzipSync(data).length };
  });
}

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const rest = args.filter((a) => a !== "--json");
  const site = rest.shift();
  if (!site || !fs.existsSync(path.join(site, "search"))) {
    console.error("usage: node scripts/search-downloads.mjs SITE [--json] [ja:QUERY ...]");
    process.exit(2);
  }
  const queries = rest.length
    ? rest.map((a) => { const i = a.indexOf(":"); return [a.slice(0, i), a.slice(i + 1)]; })
    : Object.entries(DEFAULT_QUERIES).flatMap(([lang, qs]) => qs.map((q) => [lang, q]));
  const langs = [...new Set(queries.map(([lang]) => lang))];
  const sizes = indexSizes(site, langs);
  const rows = [];
  for (const [lang, q] of queries) rows.push({ lang, ...(await measureQuery(site, lang, q)) });
  if (json) {
    console.log(JSON.stringify({ sizes, queries: rows }, null, 2));
    return;
  }
  for (const s of sizes) {
    console.log(`${s.lang}: ${s.layout} index, ${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB, ` +
      `${(s.gzip / 1e6).toFixed(1)} MB gzip`);
  }
  console.log("lang  results  files     gzip  query");
  for (const r of rows) {
    console.log(`${r.lang.padEnd(4)} ${String(r.results).padStart(8)} ${String(r.files).padStart(6)} ` +
      `${(r.gzip / 1024).toFixed(0).padStart(6)} KB  ${r.q}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("search-downloads.mjs")) {
  await main();
}
