// Gate: every built page (and stylesheet) passes the Nu HTML Checker with zero errors and zero
// warnings, for the bundled site and the mini fixture.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { htmlFiles, qualitySites } from "./site.mjs";

const vnuJar = String(createRequire(import.meta.url)("vnu-jar"));

// vnu checks files under a `file:` URL, whose origin is opaque, so it reports every site-relative
// stylesheet and script as blocked by the pages' `'self'` CSP. Browsers load them (the browser
// link test proves it, with CSP violations as failures), so this one message is not a finding.
const FILE_ORIGIN_CSP = /^Resource violates Content Security Policy \(meta tag\): external (stylesheet|script) .* blocked by .*directive\.$/;

/** Runs vnu over a folder; returns its messages (JSON format). */
function vnu(dir) {
  const r = spawnSync("java", ["-jar", vnuJar, "--format", "json", "--skip-non-html", "--also-check-css", dir], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`cannot run java (scripts/setup installs default-jre-headless): ${r.error.message}`);
  // vnu writes its JSON report to stderr and exits 1 when there are errors.
  const report = JSON.parse(r.stderr || r.stdout);
  return report.messages;
}

for (const site of qualitySites()) {
  test(`Nu HTML Checker: ${site.name} site has no errors or warnings`, () => {
    const pages = htmlFiles(site.dir);
    assert.ok(pages.length > 10, `expected a built site in ${site.dir}`);
    const findings = vnu(site.dir).filter((m) => m.type !== "info" || m.subType === "warning")
      .filter((m) => !FILE_ORIGIN_CSP.test(m.message));
    const lines = findings.map((m) => {
      const file = m.url ? relative(site.dir, fileURLToPath(m.url.replace(/^file:\/*/, "file:///"))) : "?";
      const kind = m.type === "info" ? "warning" : m.type;
      return `${file}:${m.lastLine ?? m.firstLine ?? "?"}:${m.firstColumn ?? "?"}: ${kind}: ${m.message}` +
        (m.extract ? `\n    ${m.extract.replace(/\n/g, "⏎")}` : "");
    });
    const shown = lines.slice(0, 80).join("\n") + (lines.length > 80 ? `\n… and ${lines.length - 80} more` : "");
    assert.equal(lines.length, 0, `vnu found ${lines.length} problem(s) in ${site.name} (${site.dir}):\n${shown}`);
  });
}
