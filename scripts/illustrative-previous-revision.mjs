#!/usr/bin/env node
// Writes revisions/2026.10-draft.0.json: an ILLUSTRATIVE earlier draft of the bundled baseline,
// derived from a build of the current content with the differences listed in revisions/README.md.
// It exists to demonstrate the changes page, "last changed", redirects and the feed; it was never
// published. Usage:
//   kijun build --out /tmp/site   (with [previous] commented out the first time)
//   node scripts/illustrative-previous-revision.mjs /tmp/site/downloads/baseline.json > revisions/2026.10-draft.0.json
import { readFileSync } from "node:fs";

const current = JSON.parse(readFileSync(process.argv[2] ?? "site/downloads/baseline.json", "utf8"));
const old = structuredClone(current);
old.revision = "2026.10-draft.0";
old.revision_date = "2026-10-20";
old.note = {
  ja: "この改訂は、改訂履歴の機能を示すためにkijunプロジェクトが作成した例示用の旧草案です。2026.11-draft.1 から " +
    "revisions/README.md に記載の相違点を加えて作成したもので、公開されたことはありません。",
  en: "This revision is an illustrative earlier draft made by the kijun project to demonstrate the revision " +
    "history. It was derived from 2026.11-draft.1 with the differences listed in revisions/README.md and was never published.",
};
const byId = (id) => {
  const m = old.measures.find((x) => x.id === id);
  if (!m) throw new Error(`${id} is not in the current baseline`);
  return m;
};
const urls = (id) => Object.fromEntries(old.languages.map((l) => [l, `/${l}/measures/${id.toLowerCase()}/`]));

// 1. OT-6 "Monitoring control networks" was LM-7, in the logging and monitoring category.
const ot6 = byId("OT-6");
const lm7 = { ...ot6, id: "LM-7", category: "LM", url: urls("LM-7"), replaces: [] };
old.measures = old.measures.filter((m) => m.id !== "OT-6");
old.measures.splice(old.measures.findIndex((m) => m.id === "LM-6") + 1, 0, lm7);
// 2. AC-3 (multi-factor authentication for remote access) was level 2; 2026.11-draft.1 made it level 1.
byId("AC-3").level = 2;
// 3. DP-6 (cryptographic inventory and PQC migration planning) did not exist yet.
old.measures = old.measures.filter((m) => m.id !== "DP-6");

for (const fw of old.frameworks) {
  if (fw.crosswalk) {
    fw.crosswalk.rows = old.measures.flatMap((m) => m.mappings).filter((r) => r.framework === fw.id).length;
  }
}
process.stdout.write(JSON.stringify(old, null, 2) + "\n");
