// Gate: no broken links. Every internal href/src (and #fragment) of every page resolves in both
// languages when the site is served from the host root, from a sub-path, and opened from disk;
// pages and stylesheets load nothing from outside the site.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite } from "../harness.mjs";
import { MODES, checkLinks, parsePage, remoteInCss } from "./links.mjs";
import { htmlFiles, qualitySites } from "./site.mjs";

const report = (problems) => {
  const shown = problems.slice(0, 60).join("\n");
  return `${problems.length} broken reference(s):\n${shown}${problems.length > 60 ? `\n… and ${problems.length - 60} more` : ""}`;
};

for (const site of qualitySites()) {
  for (const [modeName, mode] of Object.entries(MODES)) {
    test(`links: ${site.name} site opened from ${modeName}`, () => {
      // The served modes need the site built for where it is served (404.html links from the
      // site's path; canonical URLs); from disk, the ordinary build is what people open.
      const dir = mode.baseUrl ? buildSite(site.root, ["--base-url", mode.baseUrl]) : site.dir;
      const pages = htmlFiles(dir);
      for (const lang of ["ja", "en"]) {
        assert.ok(pages.some((p) => p.startsWith(`${lang}/`)), `no ${lang} pages in ${dir}`);
      }
      const problems = checkLinks(dir, mode);
      if (problems.length) assert.fail(report(problems));
    });
  }

  test(`links: ${site.name} stylesheets load nothing from outside the site`, () => {
    const problems = remoteInCss(site.dir);
    if (problems.length) assert.fail(problems.join("\n"));
  });
}

// The checker itself: it reads what pages refer to, and catches each kind of breakage.
test("link checker reads every kind of reference, with its line", () => {
  const { refs, ids, base } = parsePage(`<!DOCTYPE html><html><head><base href="/x/">
    <link rel="stylesheet" href="https://cdn.example/a.css"><meta http-equiv="refresh" content="0; url=ja/index.html"></head>
    <body><a id="top" href="#top">t</a><img srcset="a.png 1x, b.png 2x" src="c.png"></body></html>`);
  assert.equal(base, "/x/");
  assert.ok(ids.has("top"));
  assert.deepEqual(refs.map((r) => `${r.tag}.${r.attr}=${r.url}@${r.line}`), [
    "link.href=https://cdn.example/a.css@2", "meta.refresh=ja/index.html@2",
    "a.href=#top@3", "img.src=c.png@3", "img.srcset=a.png@3", "img.srcset=b.png@3",
  ]);
});

test("link checker finds what breaks in each place the site is opened from", () => {
  const dir = mkdtempSync(join(tmpdir(), "kijun-links-"));
  mkdirSync(join(dir, "ja", "a"), { recursive: true });
  const page = (body) => `<!DOCTYPE html><html lang="ja"><head><title>t</title></head><body>${body}</body></html>`;
  writeFileSync(join(dir, "ja", "index.html"), page(`<p id="here">x</p>
<a href="a/index.html#here">ok</a>
<a href="a/">folder</a>
<a href="/ja/index.html">absolute</a>
<a href="../../ja/index.html">escapes</a>
<a href="a/index.html#nowhere">fragment</a>
<a href="missing/index.html">missing</a>
<script src="https://cdn.example/x.js"></script>`));
  writeFileSync(join(dir, "ja", "a", "index.html"), page(`<h1 id="here">a</h1><a href="../index.html#here">back</a>`));
  const found = (mode) => checkLinks(dir, MODES[mode]).map((p) => p.replace(/^ja\/index\.html:\d+: /, ""));
  assert.deepEqual(found("root"), [
    '<a href="a/index.html#nowhere"> points to #nowhere, but ja/a/index.html has no element with that id',
    '<a href="missing/index.html"> points to ja/missing/index.html, which is not in the built site',
    '<script src="https://cdn.example/x.js"> loads a resource from outside the site (https://cdn.example): ship it with the site',
  ]);
  const sub = found("sub-path");
  assert.ok(sub.some((p) => p.startsWith('<a href="/ja/index.html"> resolves to /ja/index.html, outside')), sub.join("\n"));
  assert.ok(sub.some((p) => p.startsWith('<a href="../../ja/index.html"> resolves to /kijun/ja/index.html, outside')), sub.join("\n"));
  const disk = found("file://");
  assert.ok(disk.includes('<a href="a/"> opens a folder, not a page, from disk: link to …/index.html'), disk.join("\n"));
  assert.equal(disk.length, 6, disk.join("\n"));
});

test("link checker sees a same-page link that a <base> sends elsewhere", () => {
  const dir = mkdtempSync(join(tmpdir(), "kijun-links-"));
  const body = `<main id="main"><a href="#main">skip</a></main>`;
  writeFileSync(join(dir, "index.html"), `<!DOCTYPE html><html><head><title>t</title></head><body>${body}</body></html>`);
  writeFileSync(join(dir, "404.html"), `<!DOCTYPE html><html><head><title>t</title><base href="/"></head><body>${body}</body></html>`);
  assert.deepEqual(checkLinks(dir, MODES.root), [
    '404.html:1: <a href="#main"> leaves the page for https://kijun.test/ (the page\'s <base> redirects it): link to the page itself',
  ]);
});
