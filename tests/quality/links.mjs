// Link checking on the filesystem: every reference a built page makes (href, src, srcset, form
// action, meta refresh), resolved the way a browser would for a given place the site is served
// from, must land on a file of the site, and a `#fragment` on an element with that id.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "parse5";
import { htmlFiles, listFiles } from "./site.mjs";

/** Attributes that hold a URL, per element (HTML's list, restricted to what a page can load or follow). */
const URL_ATTRS = {
  a: ["href"], area: ["href"], link: ["href"], base: ["href"], script: ["src"], img: ["src", "srcset"],
  source: ["src", "srcset"], iframe: ["src"], embed: ["src"], object: ["data"], audio: ["src"],
  video: ["src", "poster"], track: ["src"], input: ["src"], form: ["action"], button: ["formaction"],
  blockquote: ["cite"], q: ["cite"], ins: ["cite"], del: ["cite"],
};

/** References that load something into the page (as opposed to navigating away from it). */
const isResource = (ref) =>
  !["a", "area", "form", "button", "blockquote", "q", "ins", "del"].includes(ref.tag) &&
  !(ref.tag === "link" && /\b(canonical|alternate)\b/.test(ref.rel ?? ""));

/** One parsed page: its references with line numbers, its ids, and its `<base href>`. */
export function parsePage(html) {
  const refs = [];
  const ids = new Set();
  let base = null;
  const walk = (node) => {
    if (node.attrs) {
      const attr = (name) => node.attrs.find((a) => a.name === name)?.value;
      const line = node.sourceCodeLocation?.startLine ?? 0;
      for (const a of node.attrs) if (a.name === "id" || (node.tagName === "a" && a.name === "name")) ids.add(a.value);
      for (const name of URL_ATTRS[node.tagName] ?? []) {
        const value = attr(name);
        if (value === undefined) continue;
        if (node.tagName === "base") { base ??= value; continue; }
        const urls = name === "srcset" ? value.split(",").map((c) => c.trim().split(/\s+/)[0]).filter(Boolean) : [value];
        for (const url of urls) refs.push({ tag: node.tagName, attr: name, url, line, rel: attr("rel") });
      }
      if (node.tagName === "meta" && /^refresh$/i.test(attr("http-equiv") ?? "")) {
        const url = /url\s*=\s*(.+)$/i.exec(attr("content") ?? "")?.[1];
        if (url) refs.push({ tag: "meta", attr: "refresh", url: url.trim(), line });
      }
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content); // <template>
  };
  walk(parse(html, { sourceCodeLocationInfo: true }));
  return { refs, ids, base };
}

/**
 * Where a built site is opened from. `siteUrl` is the URL of the site's root folder; `http`
 * says a server maps `…/` to `…/index.html` and shows 404.html for anything missing.
 */
export const MODES = {
  root: { siteUrl: "https://kijun.test/", http: true, baseUrl: "https://kijun.test/" },
  "sub-path": { siteUrl: "https://kijun.test/kijun/sub/", http: true, baseUrl: "https://kijun.test/kijun/sub/" },
  "file://": { http: false },
};

/**
 * Checks every page of the site in `dir` as opened from `mode`. Returns a list of problems, each
 * "page:line: <tag attr="url"> problem". `siteUrl` for file:// is the folder's own file: URL.
 */
export function checkLinks(dir, mode) {
  const siteUrl = mode.siteUrl ?? pathToFileURL(dir).href.replace(/\/?$/, "/");
  const files = new Set(listFiles(dir));
  const parsed = new Map();
  const page = (path) => {
    if (!parsed.has(path)) parsed.set(path, parsePage(readFileSync(join(dir, path), "utf8")));
    return parsed.get(path);
  };
  const problems = [];
  for (const path of htmlFiles(dir)) {
    // A server shows 404.html at whatever missing address was asked for, so its links must
    // work from any depth; from disk nobody is ever shown it.
    if (path === "404.html" && !mode.http) continue;
    const pageUrl = new URL(path === "404.html" ? "no/such/deep/page/" : path, siteUrl);
    const { refs, base } = page(path);
    const docBase = base !== null ? new URL(base, pageUrl) : pageUrl;
    for (const ref of refs) {
      const where = `${path}:${ref.line}: <${ref.tag} ${ref.attr}="${ref.url}">`;
      const problem = ref.url.startsWith("#") && ref.url.length > 1
        ? samePage(ref, docBase, pageUrl) ?? ownFragment(ref, page(path))
        : checkRef(ref, docBase, siteUrl, mode, files, page);
      if (problem) problems.push(`${where} ${problem}`);
    }
  }
  return problems;
}

function checkRef(ref, docBase, siteUrl, mode, files, page) {
  if (ref.url.trim() === "" || ref.url === "#") return "is empty: link to a real target";
  if (/^(mailto|tel):/i.test(ref.url)) return null;
  if (/^javascript:/i.test(ref.url)) return "is a javascript: URL (the CSP blocks it; use a real link)";
  if (/^data:/i.test(ref.url)) return ref.tag === "img" ? null : "is a data: URL";
  let url;
  try { url = new URL(ref.url, docBase); } catch { return "is not a valid URL"; }
  const site = new URL(siteUrl);
  const internal = url.origin === site.origin && url.protocol === site.protocol;
  if (!internal) {
    if (isResource(ref)) return `loads a resource from outside the site (${url.origin}): ship it with the site`;
    if (ref.tag === "link") return canonicalProblem(url, mode, files);
    return null; // an ordinary link to another web site
  }
  if (!url.href.startsWith(siteUrl)) {
    return `resolves to ${url.pathname}, outside the site's folder ${site.pathname}: use a relative link`;
  }
  let rest = decodeURIComponent(url.pathname.slice(site.pathname.length));
  if (mode.http) {
    if (rest === "" || rest.endsWith("/")) rest += "index.html";
  } else if (rest === "" || rest.endsWith("/") || files.has(`${rest}/index.html`)) {
    return "opens a folder, not a page, from disk: link to …/index.html";
  }
  if (!files.has(rest)) return `points to ${rest}, which is not in the built site`;
  const fragment = decodeURIComponent(url.hash.slice(1));
  if (fragment && rest.endsWith(".html") && !page(rest).ids.has(fragment)) {
    return `points to #${fragment}, but ${rest} has no element with that id`;
  }
  return null;
}

/** `href="#x"` must stay on the page: a <base> would send it to another document. */
function samePage(ref, docBase, pageUrl) {
  const target = new URL(ref.url, docBase);
  target.hash = "";
  const here = new URL(pageUrl);
  here.hash = "";
  return target.href === here.href ? null : `leaves the page for ${target.href} (the page's <base> redirects it): link to the page itself`;
}

/** `href="#x"` on the page itself: an element with id x must be there. */
function ownFragment(ref, parsed) {
  const id = decodeURIComponent(ref.url.slice(1));
  return parsed.ids.has(id) ? null : `points to #${id}, but the page has no element with that id`;
}

/** rel=canonical / alternate: absolute URLs under the site's base URL, naming a page that exists. */
function canonicalProblem(url, mode, files) {
  if (!mode.baseUrl) return null; // the default build's base URL is not where it is opened from
  if (!url.href.startsWith(mode.baseUrl)) return `is not under the site's base URL ${mode.baseUrl}`;
  let rest = decodeURIComponent(url.pathname.slice(new URL(mode.baseUrl).pathname.length));
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  return files.has(rest) ? null : `names ${rest}, which is not in the built site`;
}

/** CSS may only use the site's own files: no url() or @import pointing elsewhere. */
export function remoteInCss(dir) {
  const problems = [];
  const files = listFiles(dir);
  for (const path of files.filter((f) => f.endsWith(".css"))) {
    readFileSync(join(dir, path), "utf8").split("\n").forEach((text, i) => {
      for (const m of text.matchAll(/(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)/g)) {
        const target = m[1];
        if (/^(data:|#)/.test(target)) continue;
        if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(target)) problems.push(`${path}:${i + 1}: ${m[0]} loads from outside the site`);
        else if (!files.includes(new URL(target, `file:///x/${path}`).pathname.slice(3))) {
          problems.push(`${path}:${i + 1}: ${m[0]} points to a file that is not in the built site`);
        }
      }
    });
  }
  return problems;
}
