#!/usr/bin/env node
// How long each quality gate takes, against a peer measured in the same run: the project's other
// Node and browser tests (tests/node/ + tests/browser/). Each is run RUNS times (default 3) as its
// own `node --test` process, in turn; the report gives the median wall time and its ratio to the
// peer's median. Needs KIJUN_SITE (a built bundled site) and KIJUN_BIN, as scripts/test sets them:
//
//   cargo build --release && export KIJUN_BIN=$PWD/target/release/kijun
//   export KIJUN_SITE=$(mktemp -d)/site && $KIJUN_BIN build --out $KIJUN_SITE
//   node scripts/bench-quality-gates.mjs [RUNS]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

if (!process.env.KIJUN_SITE || !process.env.KIJUN_BIN) {
  console.error("bench-quality-gates: set KIJUN_SITE and KIJUN_BIN first (see the comment at the top)");
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 3);
const gates = readdirSync("tests/quality").filter((f) => f.endsWith(".test.mjs")).sort()
  .map((f) => ({ name: f, args: [join("tests/quality", f)] }));
const peer = { name: "peer: tests/node + tests/browser", args: ["tests/node/", "tests/browser/"] };
const subjects = [peer, ...gates];

const times = new Map(subjects.map((s) => [s.name, []]));
for (let i = 0; i < runs; i++) {
  for (const s of subjects) {
    const start = process.hrtime.bigint();
    const r = spawnSync("node", ["--test", "--test-concurrency=1", ...s.args], { encoding: "utf8" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) console.error(`warning: ${s.name} failed in run ${i + 1} (its time still counts)`);
    times.get(s.name).push(seconds);
  }
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const peerMedian = median(times.get(peer.name));
console.log(`runs: ${runs}; cores: ${(await import("node:os")).cpus().length}; loadavg: ${(await import("node:os")).loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log(`${"suite".padEnd(36)} ${"median s".padStart(9)} ${"min s".padStart(7)} ${"max s".padStart(7)} ${"× peer".padStart(7)}`);
let total = 0;
for (const s of subjects) {
  const t = times.get(s.name);
  const m = median(t);
  if (s !== peer) total += m;
  console.log(`${s.name.padEnd(36)} ${m.toFixed(1).padStart(9)} ${Math.min(...t).toFixed(1).padStart(7)} ${Math.max(...t).toFixed(1).padStart(7)} ${(m / peerMedian).toFixed(2).padStart(7)}`);
}
console.log(`${"all gates (sum of medians)".padEnd(36)} ${total.toFixed(1).padStart(9)} ${"".padStart(7)} ${"".padStart(7)} ${(total / peerMedian).toFixed(2).padStart(7)}`);
