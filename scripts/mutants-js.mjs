#!/usr/bin/env node
// Mutation testing of the self-assessment model (themes/default/static/js/assessment-model.js),
// the JavaScript counterpart of `cargo mutants` (issue 23). Each mutant is one small deliberate
// bug, made by the operators below at every place they apply; the mutant is written over the
// model in a site built once from tests/fixtures/assessment, and
// tests/node/assessment-model.test.mjs runs against that site (KIJUN_ASSESSMENT_SITE). A mutant
// is caught when the tests fail, missed when they pass, a timeout when they hang.
//
//   node scripts/mutants-js.mjs            # every mutant; prints the counts and the survivors
//   node scripts/mutants-js.mjs --list     # the mutants only, without running the tests
//   node scripts/mutants-js.mjs --summary F  # also writes "caught missed timeout unviable" to F
//
// Stryker was not used: it instruments the file in place with a global mutant switch, and the
// tests run the model as shipped in a built site, in a fresh `vm` context (another global).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MODEL = "themes/default/static/js/assessment-model.js";
// MUTANTS_JS_TEST: another test file (for instance an older version, to compare scores).
const TEST = process.env.MUTANTS_JS_TEST || "tests/node/assessment-model.test.mjs";

// Mutants that behave exactly as the original (equivalent), by their id (line:column operator),
// with the reason. They are listed, not run, and left out of the score.
const EQUIVALENT = {
  "26:19 false → true": "the index cached on the data object is hidden from enumeration for tidiness; nothing lists the data's keys, so showing it changes no result",
  "48:32 - → +": "applicable() sorts data.measures, which are in baseline order, and Array sort is stable: the last tie-break, on baseline order, only restates it",
  "36:46 1 → 2": "obligationRank only orders (required 0 before recommended): 2 sorts as 1 does",
  '5:3 "use strict" → ""': "strict mode changes nothing this code does (no sloppy-mode features used)",
};

/** Tokens of ES5 source: enough to tell code from comments, strings and regular expressions. */
function tokenize(src) {
  const tokens = [];
  let i = 0, line = 1, col = 1, prev = null;
  const push = (type, text) => {
    tokens.push({ type, text, start: i, line, col });
    if (type !== "comment" && type !== "space") prev = { type, text };
  };
  const advance = (n) => {
    for (let k = 0; k < n; k++) {
      if (src[i] === "\n") { line += 1; col = 1; } else col += 1;
      i += 1;
    }
  };
  const regexCanStart = () =>
    !prev || (prev.type === "punct" && !/^[)\]}]$/.test(prev.text)) || (prev.type === "word" && prev.text === "return");
  while (i < src.length) {
    const rest = src.slice(i);
    let m;
    if ((m = rest.match(/^\s+/))) { push("space", m[0]); advance(m[0].length); }
    else if ((m = rest.match(/^\/\/[^\n]*/)) || (m = rest.match(/^\/\*[\s\S]*?\*\//))) { push("comment", m[0]); advance(m[0].length); }
    else if ((m = rest.match(/^"(?:[^"\\\n]|\\.)*"|^'(?:[^'\\\n]|\\.)*'/))) { push("string", m[0]); advance(m[0].length); }
    else if (rest[0] === "/" && regexCanStart() && (m = rest.match(/^\/(?:[^/\\\n[]|\\.|\[(?:[^\]\\]|\\.)*\])+\/[gimsuy]*/))) { push("regex", m[0]); advance(m[0].length); }
    else if ((m = rest.match(/^(?:\d+(?:\.\d+)?)/))) { push("number", m[0]); advance(m[0].length); }
    else if ((m = rest.match(/^[A-Za-z_$][\w$]*/))) { push("word", m[0]); advance(m[0].length); }
    else if ((m = rest.match(/^(?:===|!==|<=|>=|&&|\|\||\+=|-=|\+\+|--|=>|[-+*/%<>=!?:;,.(){}[\]&|])/))) { push("punct", m[0]); advance(m[0].length); }
    else throw new Error(`cannot read ${MODEL} at line ${line}, column ${col}: ${rest.slice(0, 20)}`);
  }
  return tokens;
}

const SWAP = {
  "===": ["!=="], "!==": ["==="], "<": ["<="], "<=": ["<"], ">": [">="], ">=": [">"],
  "&&": ["||"], "||": ["&&"], "+=": ["-="], "-=": ["+="], "*": ["/"], "/": ["*"],
};

/** Every mutant of `src`: {id, text}. */
function mutants(src) {
  const tokens = tokenize(src);
  const code = tokens.filter((t) => t.type !== "space" && t.type !== "comment");
  const out = [];
  const replace = (t, by) => {
    out.push({
      id: `${t.line}:${t.col} ${t.text} → ${by}`,
      text: src.slice(0, t.start) + by + src.slice(t.start + t.text.length),
    });
  };
  code.forEach((t, k) => {
    const before = code[k - 1];
    const binary = before && (/^(?:number|string|word|regex)$/.test(before.type) || /^[)\]]$/.test(before.text));
    if (t.type === "punct" && SWAP[t.text]) SWAP[t.text].forEach((by) => replace(t, by));
    else if (t.type === "punct" && t.text === "+" && binary) replace(t, "-");
    else if (t.type === "punct" && t.text === "-" && binary) replace(t, "+");
    else if (t.type === "punct" && t.text === "!") replace(t, "");
    else if (t.type === "number") replace(t, String(Number(t.text) + 1));
    else if (t.type === "word" && (t.text === "true" || t.text === "false")) replace(t, t.text === "true" ? "false" : "true");
    else if (t.type === "string") replace(t, t.text.length > 2 ? '""' : '"x"');
    // `if (c)` → `if (!(c))`: the branch taken the wrong way.
    if (t.type === "word" && t.text === "if" && code[k + 1]?.text === "(") {
      let depth = 0, end = k + 1;
      for (; end < code.length; end++) {
        if (code[end].text === "(") depth += 1;
        else if (code[end].text === ")" && --depth === 0) break;
      }
      const open = code[k + 1], close = code[end];
      out.push({
        id: `${t.line}:${t.col} if (…) → if (!(…))`,
        text: src.slice(0, open.start + 1) + "!(" + src.slice(open.start + 1, close.start) + ")" + src.slice(close.start),
      });
    }
  });
  return out;
}

function buildFixtureSite() {
  const bin = process.env.KIJUN_BIN || join(root, "target/release/kijun");
  const site = join(mkdtempSync(join(tmpdir(), "kijun-mutants-js-")), "site");
  const r = spawnSync(bin, ["build", "--root", join(root, "tests/fixtures/assessment"), "--out", site], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`kijun build failed (${r.status}); build it first (cargo build --release)\n${r.stderr}`);
  return site;
}

/** "caught" | "missed" | "timeout" for the tests run against `site`. */
function runTests(site) {
  const r = spawnSync(process.execPath, ["--test", "--test-reporter=dot", join(root, TEST)], {
    env: { ...process.env, KIJUN_ASSESSMENT_SITE: site },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.error?.code === "ETIMEDOUT" || r.signal) return "timeout";
  return r.status === 0 ? "missed" : "caught";
}

/** Whether a mutant is still JavaScript (one that is not is unviable, as one that does not compile). */
function parses(text) {
  try {
    new vm.Script(text);
    return true;
  } catch {
    return false;
  }
}

function main() {
  const args = process.argv.slice(2);
  const src = readFileSync(join(root, MODEL), "utf8");
  const all = mutants(src);
  const todo = all.filter((m) => !(m.id in EQUIVALENT));
  const unknownEquivalents = Object.keys(EQUIVALENT).filter((id) => !all.some((m) => m.id === id));
  if (unknownEquivalents.length) {
    console.error(`equivalent mutants that no longer exist (update EQUIVALENT):\n  ${unknownEquivalents.join("\n  ")}`);
    process.exit(2);
  }
  if (args.includes("--list")) {
    for (const m of all) console.log(m.id in EQUIVALENT ? `${m.id}   [equivalent: ${EQUIVALENT[m.id]}]` : m.id);
    console.log(`${all.length} mutants, ${all.length - todo.length} excluded as equivalent`);
    return;
  }
  const site = buildFixtureSite();
  const shipped = join(site, "static/js/assessment-model.js");
  const original = join(dirname(site), "original.js");
  copyFileSync(shipped, original);
  if (runTests(site) !== "missed") throw new Error(`${TEST} fails without any mutant: fix the tests first`);
  const counts = { caught: 0, missed: 0, timeout: 0, unviable: 0 };
  const survivors = [];
  const started = Date.now();
  todo.forEach((m, n) => {
    writeFileSync(shipped, m.text);
    const outcome = parses(m.text) ? runTests(site) : "unviable";
    counts[outcome] += 1;
    if (outcome !== "caught") survivors.push(`${outcome}: ${m.id}`);
    process.stderr.write(`\r${n + 1}/${todo.length} mutants, ${counts.missed} missed`);
  });
  copyFileSync(original, shipped);
  process.stderr.write("\n");
  for (const s of survivors) console.log(s);
  const secs = Math.round((Date.now() - started) / 1000);
  console.log(`${MODEL}: ${todo.length} mutants (${all.length - todo.length} equivalent left out), ` +
    `${counts.caught} caught, ${counts.missed} missed, ${counts.timeout} timeout, ${secs} s`);
  const at = args.indexOf("--summary");
  if (at >= 0) writeFileSync(args[at + 1], `${counts.caught} ${counts.missed} ${counts.timeout} ${counts.unviable}\n`);
}

main();
