// Loads a built site's search index into search.js engines in Node, the way the search page
// does: the single-file index (search/search-index.<lang>.js) or the split one
// (search/<lang>/meta.js and the parts a query asks for). Used by the split-index tests and by
// scripts/search-downloads.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { repoRoot } from "./harness.mjs";

const require = createRequire(import.meta.url);

/** Runs a browser script as a CommonJS module and returns its module.exports. */
export function loadScript(file) {
  const module = { exports: {} };
  const wrapper = vm.runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, "utf8")}\n})`,
    { filename: file });
  wrapper.call(module.exports, module.exports, require, module, file, path.dirname(file));
  return module.exports;
}

export const lunr = (() => {
  try {
    return require("lunr");
  } catch {
    return loadScript(path.join(repoRoot, "themes/default/static/vendor/lunr/lunr.min.js"));
  }
})();
export const K = loadScript(path.join(repoRoot, "themes/default/static/js/search-core.js"));

/** Runs a generated index script in a fresh context and returns its `window`, as plain JSON. */
function runIndexScript(file) {
  const context = { window: {} };
  vm.runInNewContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  return JSON.parse(JSON.stringify(context.window));
}

/** Which layout the site's search index for `lang` uses: "single", "split" or null. */
export function layoutOf(site, lang) {
  if (fs.existsSync(path.join(site, "search", `search-index.${lang}.js`))) return "single";
  if (fs.existsSync(path.join(site, "search", lang, "meta.js"))) return "split";
  return null;
}

/** An engine on the single-file index. */
export function singleEngine(site, lang) {
  const data = runIndexScript(path.join(site, "search", `search-index.${lang}.js`)).KIJUN_SEARCH[lang];
  return K.load(lunr, data);
}

/**
 * An engine on the split index. `loaded` (optional) collects every file the engine reads,
 * meta.js included, as {file, bytes, gzip}: what a browser would download.
 */
export function splitEngine(site, lang, loaded = null) {
  const record = (file) => {
    if (!loaded) return;
    const bytes = fs.readFileSync(file);
    loaded.push({ file: path.relative(site, file), bytes: bytes.length, gzip: zlib.gzipSync(bytes).length });
  };
  const metaFile = path.join(site, "search", lang, "meta.js");
  record(metaFile);
  const meta = runIndexScript(metaFile).KIJUN_SEARCH_SPLIT[lang];
  return K.loadSplit(lunr, meta, (key) => {
    const file = path.join(site, "search", `${key}.js`);
    record(file);
    return Promise.resolve(runIndexScript(file).KIJUN_SEARCH_PARTS[key]);
  });
}

/** Bytes of a folder's files: {files, bytes, gzip} (each file compressed on its own). */
export function folderSize(dir) {
  let files = 0, bytes = 0, gzip = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const data = fs.readFileSync(path.join(entry.parentPath ?? entry.path, entry.name));
    files++;
    bytes += data.length;
    gzip += zlib.gzipSync(data).length;
  }
  return { files, bytes, gzip };
}
