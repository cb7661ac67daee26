#!/usr/bin/env node
// Measures `kijun build` (and `kijun check`) of one site with this tree's release binary against a
// peer binary in the same run, alternating the two so that machine load hits both alike.
// Reports medians of wall time and of CPU time (user + system, from /proc: on a shared machine wall
// time mostly measures the neighbours), the ratios this/peer, and the size of what each build wrote.
//
//   node scripts/bench-build.mjs [--peer BIN | --peer-ref REF] [--root DIR] [--runs N]
//
// Without --peer, the peer is built from git ref REF (default: main) under target/bench-peer/
// (the first time takes a few minutes; later runs reuse its build cache). To measure a branch
// against the main it started from, pass that commit: --peer-ref $(git merge-base main HEAD).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(new URL("..", import.meta.url).pathname);
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt("--runs", "9"));
const root = resolve(opt("--root", repo));
const self = join(repo, "target", "release", "kijun");

function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed:\n${r.stderr}`);
  return r;
}

function peerBinary() {
  const given = opt("--peer");
  if (given) return resolve(given);
  const ref = opt("--peer-ref", "main");
  const commit = run("git", ["-C", repo, "rev-parse", ref]).stdout.trim();
  // The peer's sources are exported with git archive (no worktree left behind); its target
  // folder is kept, so a later run only recompiles kijun itself.
  const base = join(repo, "target", "bench-peer");
  const src = join(base, "src");
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  const archive = spawnSync("git", ["-C", repo, "archive", "--format=tar", commit], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr}`);
  run("tar", ["-x", "-C", src], { input: archive.stdout });
  console.error(`building the peer (${ref} = ${commit.slice(0, 10)}) ...`);
  run("cargo", ["build", "--release", "--quiet", "--manifest-path", join(src, "Cargo.toml"),
    "--target-dir", join(base, "target")], { stdio: ["ignore", "inherit", "inherit"] });
  return join(base, "target", "release", "kijun");
}

function treeBytes(dir) {
  let total = 0, files = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) { const t = treeBytes(p); total += t.total; files += t.files; } else { total += s.size; files += 1; }
  }
  return { total, files };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** CPU time (ms) of this process's finished children: cutime + cstime of /proc/self/stat. */
function childrenCpuMs() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of stat(5), counted from the state field (3); clock ticks of 10 ms.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function timeOnce(bin, command) {
  const out = join(mkdtempSync(join(tmpdir(), "kijun-bench-")), "site");
  const argv = command === "build" ? ["build", "--root", root, "--out", out] : ["check", "--root", root];
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  run(bin, argv);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = childrenCpuMs() - cpuBefore;
  const size = command === "build" ? treeBytes(out) : null;
  rmSync(join(out, ".."), { recursive: true, force: true });
  return { ms, cpu, size };
}

if (!existsSync(self)) run("cargo", ["build", "--release", "--quiet"], { cwd: repo, stdio: "inherit" });
const peer = peerBinary();
console.log(`site: ${root}\nthis: ${self}\npeer: ${peer}\nruns: ${runs} each, alternating, after one warm-up each\n`);
for (const command of ["build", "check"]) {
  const times = { this: [], peer: [] };
  const cpus = { this: [], peer: [] };
  let sizes = {};
  timeOnce(self, command); timeOnce(peer, command);
  for (let i = 0; i < runs; i++) {
    for (const [name, bin] of i % 2 ? [["peer", peer], ["this", self]] : [["this", self], ["peer", peer]]) {
      const r = timeOnce(bin, command);
      times[name].push(r.ms);
      cpus[name].push(r.cpu);
      sizes[name] = r.size;
    }
  }
  const m = { this: median(times.this), peer: median(times.peer) };
  const c = { this: median(cpus.this), peer: median(cpus.peer) };
  console.log(`kijun ${command}: wall median this ${m.this.toFixed(0)} ms, peer ${m.peer.toFixed(0)} ms, ratio ${(m.this / m.peer).toFixed(2)}; `
    + `CPU median this ${c.this.toFixed(0)} ms, peer ${c.peer.toFixed(0)} ms, ratio ${(c.this / c.peer).toFixed(2)}`);
  if (command === "build") {
    for (const name of ["this", "peer"]) {
      console.log(`  ${name}: ${sizes[name].files} files, ${(sizes[name].total / 1024 / 1024).toFixed(2)} MiB`);
    }
  }
}
