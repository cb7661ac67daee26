// The OSCAL exports validate against NIST's published OSCAL 1.2.1 JSON schemas (tests/data/oscal/),
// and hold together where the schemas cannot tell: relationship tokens, references between the
// catalog, its profiles and the mapping collections, and one control per measure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { buildSite, bundledSite, repoRoot } from "../harness.mjs";

const schemaDir = join(repoRoot, "tests", "data", "oscal");
const ROOTS = {
  catalog: "oscal_catalog_schema.json",
  profile: "oscal_profile_schema.json",
  "mapping-collection": "oscal_mapping_schema.json",
};
// OSCAL's allowed values for map/relationship in its own namespace (NIST IR 8477); the JSON schema
// only requires a token.
const RELATIONSHIPS = ["equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship"];

const validators = {};
function validatorFor(root) {
  if (!validators[root]) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validators[root] = ajv.compile(JSON.parse(readFileSync(join(schemaDir, ROOTS[root]), "utf8")));
  }
  return validators[root];
}

/** Schema errors of an OSCAL document, as readable lines (empty when valid). */
function schemaErrors(doc) {
  const root = Object.keys(doc).find((k) => k in ROOTS);
  if (!root) return [`no OSCAL root element among ${Object.keys(doc).join(", ")}`];
  const validate = validatorFor(root);
  return validate(doc) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** What kijun checks beyond the schema in a mapping collection. */
function tokenErrors(doc) {
  const errors = [];
  for (const mapping of doc["mapping-collection"]?.mappings ?? []) {
    for (const map of mapping.maps) {
      if (!map.ns && !RELATIONSHIPS.includes(map.relationship)) errors.push(`relationship ${map.relationship}`);
    }
  }
  return errors;
}

function oscalFiles(site) {
  const base = join(site, "downloads", "oscal");
  const out = [];
  for (const lang of readdirSync(base)) {
    for (const name of readdirSync(join(base, lang))) out.push({ lang, name, path: join(base, lang, name) });
  }
  return out;
}

const load = (p) => JSON.parse(readFileSync(p, "utf8"));
const controlsOf = (catalog) => catalog.catalog.groups.flatMap((g) => g.controls ?? []);

function checkSite(site) {
  const manifest = load(join(site, "downloads", "baseline.json"));
  const files = oscalFiles(site);
  const langs = [...new Set(files.map((f) => f.lang))].sort();
  assert.deepEqual(langs, [...manifest.languages].sort(), "an OSCAL set per language");
  for (const f of files) {
    const doc = load(f.path);
    assert.deepEqual(schemaErrors(doc), [], `${f.lang}/${f.name} is valid OSCAL 1.2.1`);
    assert.deepEqual(tokenErrors(doc), [], `${f.lang}/${f.name} uses OSCAL relationship tokens`);
  }
  for (const lang of langs) {
    const dir = join(site, "downloads", "oscal", lang);
    const catalog = load(join(dir, "catalog.json"));
    const controls = controlsOf(catalog);
    assert.deepEqual(controls.map((c) => c.props.find((p) => p.name === "label").value), manifest.measures.map((m) => m.id),
      "one control per measure, in baseline order");
    const ids = new Set(controls.map((c) => c.id));
    for (const m of manifest.measures) {
      const c = controls.find((x) => x.id === m.id.toLowerCase());
      const prop = (n) => c.props.filter((p) => p.name === n).map((p) => p.value);
      assert.deepEqual(prop("level"), [String(m.level)], `${m.id} level`);
      assert.deepEqual(prop("obligation"), [m.obligation], `${m.id} obligation`);
      assert.deepEqual(prop("sector"), m.sectors, `${m.id} sectors`);
      assert.ok(c.parts.some((p) => p.name === "statement" && p.prose), `${m.id} has a statement`);
    }
    // Profiles select existing controls, by level.
    for (const [file, maxLevel] of [["profile-level-1.json", 1], ["profile-level-1-2.json", 2], ["profile-all.json", 3]]) {
      const p = join(dir, file);
      const expected = manifest.measures.filter((m) => m.level <= maxLevel).map((m) => m.id.toLowerCase());
      if (expected.length === 0) { assert.ok(!existsSync(p), `${file} is left out when empty`); continue; }
      const imp = load(p).profile.imports[0];
      assert.equal(imp.href, "catalog.json");
      const selected = imp["include-all"] ? [...ids] : imp["include-controls"].flatMap((s) => s["with-ids"]);
      assert.deepEqual(selected.sort(), expected.sort(), `${lang}/${file} selects Lv.≤${maxLevel}`);
    }
    // Each crosswalk with rows is a mapping collection whose sources are controls of the catalog.
    for (const fw of manifest.frameworks.filter((f) => f.crosswalk && f.crosswalk.rows > 0)) {
      const doc = load(join(dir, `mapping-${fw.id.toLowerCase()}.json`))["mapping-collection"];
      const maps = doc.mappings.flatMap((m) => m.maps);
      assert.equal(maps.length, fw.crosswalk.rows, `${fw.id}: a map per crosswalk row`);
      for (const map of maps) {
        for (const s of map.sources) assert.ok(ids.has(s["id-ref"]), `${fw.id}: source ${s["id-ref"]} is a control`);
      }
      const expected = manifest.measures.flatMap((m) => m.mappings.filter((x) => x.framework === fw.id)
        .map((x) => `${m.id.toLowerCase()} ${x.ref}`)).sort();
      assert.deepEqual(maps.map((x) => `${x.sources[0]["id-ref"]} ${x.targets[0]["id-ref"]}`).sort(), expected);
      assert.equal(new Set(maps.map((x) => x.uuid)).size, maps.length, "map UUIDs are unique");
    }
  }
}

test("the mini site's OSCAL documents are valid and consistent", () => {
  const site = buildSite(join(repoRoot, "tests", "fixtures", "mini"));
  checkSite(site);
  const mapping = load(join(site, "downloads", "oscal", "ja", "mapping-test-fw.json"))["mapping-collection"];
  const byPair = Object.fromEntries(mapping.mappings[0].maps.map((m) => [`${m.sources[0]["id-ref"]}>${m.targets[0]["id-ref"]}`, m]));
  // The relation states the measure relative to the item, as OSCAL's source relative to target.
  assert.equal(byPair["am-1>T-1"].relationship, "equal-to");
  assert.equal(byPair["ac-1>T-2"].relationship, "subset-of");
  assert.equal(byPair["am-2>T-3"].relationship, "no-relationship");
  assert.equal(byPair["ac-1>T-2"]["matching-rationale"], "functional");
  assert.equal(byPair["am-1>T-1"].remarks, "どちらも資産台帳を求める。");
  assert.equal(mapping.provenance.status, "draft");
  // Cross-references in guidance become links to the control they name.
  const am1 = controlsOf(load(join(site, "downloads", "oscal", "ja", "catalog.json"))).find((c) => c.id === "am-1");
  const guidance = am1.parts.find((p) => p.name === "guidance").parts;
  assert.equal(guidance.find((p) => p.name === "minimal").prose, "表計算ソフトで始める。[AC-1 多要素認証の導入](#ac-1) も参照。");
  assert.ok(am1.links.some((l) => l.rel === "related" && l.text === "TFW T-1 (equal-to)"));
});

test("the bundled site's OSCAL documents are valid and consistent", () => {
  checkSite(bundledSite());
});

test("the schemas reject broken documents, and kijun's token check catches what they let through", () => {
  const site = buildSite(join(repoRoot, "tests", "fixtures", "mini"));
  const catalog = load(join(site, "downloads", "oscal", "en", "catalog.json"));
  const mapping = load(join(site, "downloads", "oscal", "en", "mapping-test-fw.json"));
  const profile = load(join(site, "downloads", "oscal", "en", "profile-level-1.json"));
  assert.deepEqual(schemaErrors(catalog), []);
  const broken = (doc, change) => { const copy = structuredClone(doc); change(copy); return schemaErrors(copy); };
  assert.notDeepEqual(broken(catalog, (d) => delete d.catalog.metadata.title), [], "metadata needs a title");
  assert.notDeepEqual(broken(catalog, (d) => { d.catalog.groups[0].controls[0].id = "1 bad"; }), [], "control ids are tokens");
  assert.notDeepEqual(broken(catalog, (d) => { d.catalog.uuid = "not-a-uuid"; }), [], "uuids are checked");
  assert.notDeepEqual(broken(catalog, (d) => { d.catalog.metadata["last-modified"] = "2026-01-15"; }), [], "timestamps need a time and zone");
  assert.notDeepEqual(broken(catalog, (d) => { d.catalog.groups[0].controls[0].colour = "red"; }), [], "unknown fields are rejected");
  assert.notDeepEqual(broken(profile, (d) => { d.profile.imports = []; }), [], "a profile imports something");
  assert.notDeepEqual(broken(mapping, (d) => { d["mapping-collection"].provenance.method = "guesswork"; }), [], "provenance method is an enum");
  // A relationship that is a token but not an IR 8477 one passes the schema; kijun's check stops it.
  const odd = structuredClone(mapping);
  odd["mapping-collection"].mappings[0].maps[0].relationship = "equals";
  assert.deepEqual(schemaErrors(odd), [], "the schema does not check relationship tokens");
  assert.deepEqual(tokenErrors(odd), ["relationship equals"]);
});
