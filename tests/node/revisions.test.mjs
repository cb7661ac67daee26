// The bundled site's revision data: the changes page shows the documented differences from the
// illustrative earlier draft (revisions/README.md), measure pages date their last change, the
// feeds have an entry per revision, and `kijun diff` against the committed manifest agrees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundledSite, repoRoot, runKijun } from "../harness.mjs";

const site = bundledSite();
const read = (rel) => readFileSync(join(site, rel), "utf8");
const manifest = () => JSON.parse(read("downloads/baseline.json"));
const previous = JSON.parse(readFileSync(join(repoRoot, "revisions/2026.10-draft.0.json"), "utf8"));

/** The section of the changes page for the current revision. */
function currentSection(lang) {
  const html = read(`${lang}/changes/index.html`);
  const id = `rev-${manifest().revision}`;
  const start = html.indexOf(`<section class="revision-changes" id="${id}"`);
  assert.ok(start >= 0, `section ${id}`);
  return html.slice(start, html.indexOf("</section>", start));
}

test("the earlier draft is marked as illustrative, in the manifest and on the page", () => {
  assert.equal(previous.revision, "2026.10-draft.0");
  assert.match(previous.note.en, /illustrative earlier draft/);
  assert.match(read("en/changes/index.html"), /illustrative earlier draft made by the kijun project/);
  assert.match(read("ja/changes/index.html"), /例示用の旧草案/);
});

test("the changes page lists the documented differences, each linking to its measure", () => {
  for (const lang of ["ja", "en"]) {
    const section = currentSection(lang);
    const rev = manifest().revision;
    assert.match(section, new RegExp(`<li id="rev-${rev}-dp-6"><a href="../../${lang}/measures/dp-6/index.html">`), "DP-6 added");
    assert.match(section, /<span class="measure-id">LM-7<\/span>/, "LM-7 renumbered");
    assert.match(section, new RegExp(`<span id="rev-${rev}-ot-6"><a href="../../${lang}/measures/ot-6/index.html">`), "… to OT-6");
    const ac3 = section.slice(section.indexOf(`id="rev-${rev}-ac-3"`));
    assert.match(ac3, /<dd>Lv.2 <span aria-hidden="true">→<\/span><span class="visually-hidden">[^<]+<\/span> Lv.1<\/dd>/, "AC-3 level");
  }
});

test("measure pages name the revision of their last change", () => {
  const rev = manifest().revision;
  for (const id of ["dp-6", "ot-6", "ac-3"]) {
    assert.match(read(`en/measures/${id}/index.html`), new RegExp(`changes/index.html#rev-${rev}-${id}">Revision ${rev}</a>`));
  }
  // A measure the documented differences do not touch is dated from the earlier draft, unless
  // the content changed since (then it names the current revision).
  assert.match(read("en/measures/gv-1/index.html"), /<dd class="last-changed"><a href="[^"]+">(Unchanged since revision 2026.10-draft.0|Revision )/);
});

test("the feeds have one entry per revision, newest first, dated by revision date", () => {
  for (const lang of ["ja", "en"]) {
    const xml = read(`${lang}/feed.xml`);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'));
    const updated = [...xml.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);
    assert.deepEqual(updated, [`${manifest().revision_date}T00:00:00Z`, `${previous.revision_date}T00:00:00Z`]);
  }
});

test("kijun diff from the committed manifest to the sources reports the same differences", () => {
  const r = runKijun(["diff", "revisions/2026.10-draft.0.json", ".", "--format", "json"], { cwd: repoRoot });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(report.added.some((m) => m.id === "DP-6"));
  const renamed = report.replaced.find((x) => x.from[0].id === "LM-7");
  assert.equal(renamed.kind, "renamed");
  assert.deepEqual(renamed.to.map((m) => m.id), ["OT-6"]);
  assert.deepEqual(renamed.fields.find((f) => f.field === "category"), { field: "category", old: "LM", new: "OT" });
  const ac3 = report.changed.find((c) => c.id === "AC-3");
  assert.deepEqual(ac3.fields.find((f) => f.field === "level"), { field: "level", old: 2, new: 1 });
});
