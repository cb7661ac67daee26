// Shared helpers for kijun's Node and browser tests: build a site with the real binary, serve a
// folder over HTTP on loopback, and launch Debian's Chromium through playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, extname, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The kijun binary under test: $KIJUN_BIN, else target/release, else target/debug. */
export function kijunBin() {
  if (process.env.KIJUN_BIN) return process.env.KIJUN_BIN;
  for (const profile of ["release", "debug"]) {
    const p = join(repoRoot, "target", profile, "kijun");
    if (existsSync(p)) return p;
  }
  throw new Error("no kijun binary: run `cargo build --release` or set KIJUN_BIN");
}

/** Runs the binary; returns {status, stdout, stderr}. */
export function runKijun(args, opts = {}) {
  const r = spawnSync(kijunBin(), args, { encoding: "utf8", ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts `kijun serve` on `siteRoot` on a free port; resolves with {child, url, stderr()} once it
 * serves (stderr() is everything the server printed to stderr so far).
 */
export function startServe(siteRoot) {
  const child = spawn(kijunBin(), ["serve", "--root", siteRoot, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (d) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1], stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`kijun serve exited with ${code}:\n${err}`)));
  });
}

/** Builds `root` (default: the bundled site) into a fresh temp folder and returns its path. */
export function buildSite(root = repoRoot, extraArgs = []) {
  const out = join(mkdtempSync(join(tmpdir(), "kijun-test-")), "site");
  const r = runKijun(["build", "--root", root, "--out", out, ...extraArgs]);
  if (r.status !== 0) throw new Error(`kijun build failed (${r.status}):\n${r.stderr}`);
  return out;
}

/** The bundled site built once per test process ($KIJUN_SITE if the runner built it already). */
let bundled;
export function bundledSite() {
  if (process.env.KIJUN_SITE) return process.env.KIJUN_SITE;
  bundled ??= buildSite();
  return bundled;
}

const MIME = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8", ".xml": "application/xml; charset=utf-8", ".svg": "image/svg+xml",
  ".png": "image/png", ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
  ".zip": "application/zip", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * Serves `dir` on 127.0.0.1 under `prefix` (e.g. "/sub/path/") like a static host:
 * `/x/` → `/x/index.html`, unknown paths → 404.html. Returns {url, close}.
 */
export async function serveStatic(dir, prefix = "/") {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); res.end(); return; }
    path = "/" + path.slice(prefix.length);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir))) { res.writeHead(403); res.end(); return; }
    let status = 200, target = file;
    try { if (!statSync(target).isFile()) throw new Error(); }
    catch { status = 404; target = join(dir, "404.html"); }
    const body = existsSync(target) ? readFileSync(target) : Buffer.from("not found");
    res.writeHead(status, { "content-type": MIME[extname(target)] ?? "application/octet-stream" });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium through playwright-core, with the flags this machine needs. */
export async function launchBrowser() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"],
  });
}
