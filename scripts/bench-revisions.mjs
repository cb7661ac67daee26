#!/usr/bin/env node
// Benchmarks of the revision features, each against a peer measured in the same run, with the
// runs of both interleaved so that load on the machine affects them alike. Reports medians.
//
//   cargo build --release && node scripts/bench-revisions.mjs [runs=7]
//
// 1. `kijun build` of the bundled site with its history ([previous]) vs the same sources without
//    it: the cost of changes pages, redirects, feeds and "last changed".
// 2. `kijun diff` with each kind of side vs `kijun check` of the same root (which loads the
//    sources the same way): what comparing costs on top of reading.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.KIJUN_BIN ?? join(repo, "target/release/kijun");
const runs = Number(process.argv[2] ?? 7);
const tmp = mkdtempSync(join(tmpdir(), "kijun-bench-"));

// Two copies of the bundled sources, with and without [previous] (and its revisions/ folder).
const withHistory = join(tmp, "with-history");
const plain = join(tmp, "no-history");
for (const root of [withHistory, plain]) {
  cpSync(join(repo, "content"), join(root, "content"), { recursive: true });
}
cpSync(join(repo, "kijun.toml"), join(withHistory, "kijun.toml"));
cpSync(join(repo, "revisions"), join(withHistory, "revisions"), { recursive: true });
const config = readFileSync(join(repo, "kijun.toml"), "utf8").replace(/\n\[previous\][^[]*/, "\n");
if (config.includes("[previous]")) throw new Error("could not remove [previous] from kijun.toml");
writeFileSync(join(plain, "kijun.toml"), config);

function run(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, args, { cwd: repo, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`kijun ${args.join(" ")} failed:\n${r.stderr}`);
  return ms;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function compare(title, cases) {
  const times = cases.map(() => []);
  run(cases[0].args); // warm the file cache
  for (let i = 0; i < runs; i++) cases.forEach((c, k) => times[k].push(run(c.args)));
  const peer = median(times[0]);
  console.log(`\n${title} (${runs} runs each, interleaved)`);
  console.log("| case | median ms | min ms | ratio to peer |\n|---|---:|---:|---:|");
  cases.forEach((c, k) => {
    const m = median(times[k]);
    console.log(`| ${c.name} | ${m.toFixed(0)} | ${Math.min(...times[k]).toFixed(0)} | ${(m / peer).toFixed(2)} |`);
  });
}

const site = join(tmp, "site");
run(["build", "--out", site]);
const manifest = join(site, "downloads/baseline.json");
const previous = "revisions/2026.10-draft.0.json";

compare("kijun build, bundled site", [
  { name: "peer: without history", args: ["build", "--root", plain, "--out", join(tmp, "a")] },
  { name: "with history ([previous])", args: ["build", "--root", withHistory, "--out", join(tmp, "b")] },
]);
compare("kijun diff vs kijun check of the bundled root", [
  { name: "peer: kijun check", args: ["check"] },
  { name: "diff manifest manifest", args: ["diff", previous, manifest] },
  { name: "diff manifest root", args: ["diff", previous, "."] },
  { name: "diff git(HEAD) root", args: ["diff", "HEAD", "."] },
]);
rmSync(tmp, { recursive: true, force: true });
