// What the quality gates share: the built sites they check, every HTML file in a site, and one
// page of each kind, found from the pages themselves (`<body class="kind-…">`) so that a page kind
// added later is picked up and a kind that disappears fails loudly instead of going unchecked.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { buildSite, bundledSite, repoRoot } from "../harness.mjs";

export const miniRoot = join(repoRoot, "tests", "fixtures", "mini");

/**
 * The two sites every gate checks (built once): the bundled baseline, which has a page of every
 * kind, and the mini fixture, which has most of them (its only guideline is the getting-started one).
 */
let sites;
export function qualitySites() {
  sites ??= [
    { name: "bundled", root: repoRoot, dir: bundledSite(), everyKind: true },
    { name: "mini", root: miniRoot, dir: buildSite(miniRoot), everyKind: false },
  ].map((s) => ({ ...s, prefix: basePath(s.root) }));
  return sites;
}

/** The path of the site's base_url in its kijun.toml (`https://example.org/mini/` → `/mini/`). */
function basePath(root) {
  const url = /^base_url\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "kijun.toml"), "utf8"))?.[1];
  return url ? new URL(url).pathname.replace(/\/?$/, "/") : "/";
}

/** Every file under `dir`, as sorted site-relative paths with `/` separators. */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

export const htmlFiles = (dir) => listFiles(dir).filter((f) => f.endsWith(".html"));

/**
 * Page kinds the issue asks to check in each language, with how to recognise them. `kind` is the
 * body class the renderer writes; `test` narrows kinds that share a template.
 */
export const PAGE_KINDS = [
  { name: "home", kind: "home" },
  { name: "baseline list", kind: "baseline", test: (path) => /\/baseline\/index\.html$/.test(path) },
  { name: "filtered list", kind: "baseline", test: (path) => /\/baseline\/[^/]+\/index\.html$/.test(path) },
  { name: "matrix", kind: "matrix" },
  { name: "category", kind: "category" },
  { name: "measure", kind: "measure" },
  { name: "guidelines index", kind: "guidelines" },
  { name: "guideline", kind: "guideline", test: (_, html) => !html.includes('id="h-checklist"') },
  { name: "getting-started", kind: "guideline", test: (_, html) => html.includes('id="h-checklist"') },
  { name: "sectors index", kind: "sectors" },
  { name: "sector", kind: "sector" },
  { name: "frameworks index", kind: "frameworks" },
  { name: "crosswalk", kind: "framework" },
  { name: "glossary", kind: "glossary" },
  { name: "search", kind: "search", query: true },
  { name: "assessment", kind: "assessment" },
  { name: "plain page", kind: "page" },
  { name: "404", kind: "404", once: true },
  { name: "root", kind: "root", once: true },
];

/**
 * One page of each kind per language: the largest file of that kind (most content, so most to
 * get wrong), ties broken by path. Returns [{name, lang, path}] where `path` is site-relative and
 * may carry a `?q=` query (search with results). Kinds the site has no page of are left out;
 * `missingKinds` names them.
 */
export function pagesOfEachKind(dir, languages = ["ja", "en"]) {
  return findKinds(dir, languages).found;
}

/** Page kinds (with language) the site in `dir` has no page of. */
export function missingKinds(dir, languages = ["ja", "en"]) {
  return findKinds(dir, languages).missing;
}

const kindsCache = new Map();
function findKinds(dir, languages) {
  const key = `${dir}|${languages}`;
  if (!kindsCache.has(key)) kindsCache.set(key, scanKinds(dir, languages));
  return kindsCache.get(key);
}

function scanKinds(dir, languages) {
  const pages = htmlFiles(dir).map((path) => {
    const html = readFileSync(join(dir, path), "utf8");
    return {
      path,
      html,
      kind: /<body class="kind-([a-z0-9-]+)"/.exec(html)?.[1],
      lang: /<html lang="([^"]+)"/.exec(html)?.[1],
    };
  });
  const out = [];
  const missing = [];
  for (const spec of PAGE_KINDS) {
    for (const lang of spec.once ? [languages[0]] : languages) {
      const candidates = pages
        .filter((p) => p.kind === spec.kind && (spec.once || p.lang === lang))
        .filter((p) => !spec.test || spec.test(p.path, p.html))
        .sort((a, b) => b.html.length - a.html.length || a.path.localeCompare(b.path));
      if (candidates.length === 0) {
        missing.push(`${spec.name} (${lang})`);
        continue;
      }
      let path = candidates[0].path;
      if (spec.query) path += `?q=${encodeURIComponent(searchTerm(dir))}`;
      out.push({ name: spec.name, lang, path });
    }
  }
  // Kinds added after this list was written are checked too, under their body class.
  const known = new Set(PAGE_KINDS.map((k) => k.kind));
  const extra = [...new Set(pages.map((p) => p.kind).filter((k) => k && !known.has(k)))].sort();
  for (const kind of extra) {
    for (const lang of languages) {
      const page = pages.filter((p) => p.kind === kind && p.lang === lang)
        .sort((a, b) => b.html.length - a.html.length || a.path.localeCompare(b.path))[0];
      if (page) out.push({ name: kind, lang, path: page.path });
    }
  }
  return { found: out, missing };
}

/** A query that must have results: the id of the first measure in the site's manifest. */
export function searchTerm(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, "downloads", "baseline.json"), "utf8"));
  return manifest.measures[0].id;
}
