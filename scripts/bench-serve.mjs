// The measuring half of scripts/bench-serve. A real client listens to the reload channel
// (server-sent events) the way the browser does; latency is from just before the file is
// written to the arrival of the reload event for that save.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { kijunBin, repoRoot } from "../tests/harness.mjs";

const EDITS = Number(process.argv[2] ?? 50);
const BUILD_EVERY = 5; // one full build per this many edits, interleaved so both see the same load
const PAUSE_MS = 120; // between saves, so that each is its own rebuild

const bin = kijunBin();
const root = mkdtempSync(join(tmpdir(), "kijun-bench-serve-"));
for (const part of ["kijun.toml", "content", "revisions", "themes"]) cpSync(join(repoRoot, part), join(root, part), { recursive: true });

// The three kinds of edit an author makes, each changing what the page shows.
const edits = [
  {
    kind: "measure", file: "content/measures/AM/AM-1.ja.md", page: "ja/measures/am-1/index.html",
    apply: (text, n) => text.replace(/\n*(<!-- bench -->.*\n)?$/s, `\n\n<!-- bench -->ベンチマーク編集 ${n}\n`),
  },
  {
    kind: "guideline", file: "content/guidelines/getting-started.ja.md", page: "ja/guidelines/getting-started/index.html",
    apply: (text, n) => text.replace(/\n*(<!-- bench -->.*\n)?$/s, `\n\n<!-- bench -->ベンチマーク編集 ${n}\n`),
  },
  {
    kind: "template", file: "themes/default/templates/measure.html", page: "ja/measures/am-1/index.html",
    apply: (text, n) => text.replace(/\{% block main %\}\n(<!-- bench \d+ -->\n)?/, `{% block main %}\n<!-- bench ${n} -->\n`),
  },
];
// Raw HTML is escaped in content, so the marker shows as text; either way the page changes.

function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);
const fmt = (ms) => `${ms.toFixed(0)} ms`;

/** One full `kijun build`: wall time, and CPU time (user + system) from /usr/bin/time. */
function fullBuild() {
  const out = join(root, "out-site");
  const started = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", bin, "build", "--root", root, "--out", out], { encoding: "utf8" });
  const elapsed = performance.now() - started;
  if (r.status !== 0) throw new Error(`kijun build failed:\n${r.stderr}`);
  const [, user, system] = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  cpuOfBuilds.push((Number(user) + Number(system)) * 1000);
  return elapsed;
}
const cpuOfBuilds = [];

/** CPU time the server process has used so far, in ms (all threads; 10 ms resolution). */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Starts `kijun serve` on a free port; resolves with its URL once the first build is served. */
function startServer() {
  const child = spawn(bin, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  child.stderr.setEncoding("utf8").on("data", (d) => log.push(d));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1], log });
    });
    child.on("exit", (code) => reject(new Error(`kijun serve exited (${code}):\n${log.join("")}`)));
  });
}

/** Listens to the reload channel; `next(name)` resolves with the next event of that name. */
function listen(url) {
  const waiters = [];
  let buffer = "";
  return new Promise((resolve, reject) => {
    const req = get(`${url}__kijun/events`, (res) => {
      res.setEncoding("utf8").on("data", (chunk) => {
        const arrived = performance.now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!name) continue;
          const event = { name, data: JSON.parse(data), arrived };
          if (name === "hello") resolve({ next, close: () => req.destroy() });
          const i = waiters.findIndex((w) => w.name === name && w.accepts(event));
          if (i >= 0) waiters.splice(i, 1)[0].resolve(event);
        }
      });
    });
    req.on("error", reject);
  });
  /** The next event called `name` that `accepts` (default: any). */
  function next(name, accepts = () => true, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const w = { name, accepts, resolve };
      waiters.push(w);
      setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) { waiters.splice(i, 1); reject(new Error(`no ${name} event within ${timeoutMs} ms`)); }
      }, timeoutMs);
    });
  }
}

/** Saves like an editor: in place (most editors) or write-then-rename (vim, VS Code atomic save). */
function save(path, text, atomically) {
  if (atomically) {
    writeFileSync(`${path}.kijun-bench-tmp`, text);
    renameSync(`${path}.kijun-bench-tmp`, path);
  } else {
    writeFileSync(path, text);
  }
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
/** How many times the server has finished the slow half (search index, downloads), from its log. */
const finishedCount = () => server.log.join("").split("\nfinished the search index").length - 1;
async function until(condition, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the server did not finish in time");
    await sleep(10);
  }
}

const load = loadavg()[0];
const builds = [fullBuild()]; // warm-up: the first run also pays for cold caches
builds.length = 0;
cpuOfBuilds.length = 0;
const server = await startServer();
const channel = await listen(server.url);
const samples = [];
const cpuBefore = cpuOf(server.child.pid);
let cpuAfter;
try {
  for (let n = 1; n <= EDITS; n++) {
    const edit = edits[(n - 1) % edits.length];
    const path = join(root, edit.file);
    const text = edit.apply(readFileSync(path, "utf8"), n);
    // Reloads that list the edited page; the search index follows in a reload of its own.
    const lists = (path) => (e) => e.data.changed === null || e.data.changed.includes(path);
    const reload = channel.next("reload", lists(edit.page));
    const indexed = edit.kind === "template" ? null : channel.next("reload", lists("search/search-index.ja.js"));
    const finishedBefore = finishedCount();
    const cpuAtSave = cpuOf(server.child.pid);
    const saved = performance.now();
    save(path, text, n % 2 === 0);
    const event = await reload;
    const cpuAtSignal = cpuOf(server.child.pid);
    // Let the search index and downloads catch up before the next save, as they would between
    // an author's saves (saving again sooner waits for them: see the report).
    const index = indexed && (await indexed);
    await until(() => finishedCount() > finishedBefore);
    samples.push({
      kind: edit.kind, ms: event.arrived - saved, cpu: cpuAtSignal - cpuAtSave,
      indexMs: index ? index.arrived - saved : null,
    });
    await sleep(PAUSE_MS);
    if (n % BUILD_EVERY === 0) builds.push(fullBuild());
  }
  cpuAfter = cpuOf(server.child.pid);
} finally {
  channel.close();
  server.child.kill();
  rmSync(root, { recursive: true, force: true });
}

const all = samples.map((s) => s.ms).sort((a, b) => a - b);
const p50 = percentile(all, 50);
const buildMedian = median(builds);
const rebuildLines = server.log.join("").split("\n").filter((l) => l.startsWith("rebuilt "));
const serverMs = rebuildLines.map((l) => Number(/ in (\d+) ms/.exec(l)?.[1])).filter(Number.isFinite);
console.log(`kijun serve benchmark: ${EDITS} edits of a copy of the bundled site; ${cpus().length} cores, load average ${load.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end`);
console.log(`save → reload signal: p50 ${fmt(p50)}, p95 ${fmt(percentile(all, 95))}, min ${fmt(all[0])}, max ${fmt(all.at(-1))}`);
for (const kind of ["measure", "guideline", "template"]) {
  const of = samples.filter((s) => s.kind === kind);
  const xs = of.map((s) => s.ms).sort((a, b) => a - b);
  const cpu = of.reduce((sum, s) => sum + s.cpu, 0) / of.length;
  console.log(`  ${kind.padEnd(9)} p50 ${fmt(percentile(xs, 50))}, p95 ${fmt(percentile(xs, 95))} (${xs.length} edits; server CPU until the signal, mean ${fmt(cpu)})`);
}
const indexMs = samples.map((s) => s.indexMs).filter((x) => x !== null).sort((a, b) => a - b);
console.log(`save → search index updated (content edits, after the pages): p50 ${fmt(percentile(indexMs, 50))}, p95 ${fmt(percentile(indexMs, 95))}`);
console.log(`server-side rebuild (from its log): median ${fmt(median(serverMs))} over ${serverMs.length} rebuilds`);
console.log(`server CPU time per rebuild, cleanup after the signal included (all threads, mean): ${fmt((cpuAfter - cpuBefore) / EDITS)}`);
console.log(`full \`kijun build\` in the same run: median ${fmt(buildMedian)} (${builds.length} runs, process start to exit); CPU time mean ${fmt(cpuOfBuilds.reduce((a, b) => a + b, 0) / cpuOfBuilds.length)}`);
console.log(`ratio serve p50 / full build median: ${(p50 / buildMedian).toFixed(2)}`);
console.log(`goal p50 < 200 ms: ${p50 < 200 ? "met" : "NOT met"}`);
