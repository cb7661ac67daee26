/*!
 * kijun site search (browser side).
 *
 * The search page includes, in this order: vendor/lunr/lunr.min.js, search-index.<lang>.js
 * (which sets window.KIJUN_SEARCH[lang]) and this file. Nothing is fetched, nothing is
 * evaluated, and no content goes through innerHTML, so it works from file:// and under
 * Content-Security-Policy: script-src 'self'.
 *
 * The tokenizer below mirrors src/search/tokenize.rs term for term (the Node test checks both
 * against src/search/testdata/tokenize-cases.json and rebuilds the shipped index with
 * lunr.Builder from it).
 *
 * Page contract: a form[role=search] holding #search-input (name="q"), #search-status
 * (role="status" aria-live="polite"), an <ol id="search-results">; <html lang> picks the index;
 * <body data-root> is the prefix to the site root. ?q= is searched on load, then input is
 * searched as typed (debounced) and the address follows (history.replaceState). Each result is
 * <li class="search-result search-result--KIND"> with h2.search-result__title > a,
 * p.search-result__meta > span.search-result__id + span.search-result__category, and
 * p.search-result__snippet, matches in <mark>. Status texts are built in for ja and en; a
 * template may override them with data-msg-{empty,none,one,many,more,missing} attributes on
 * #search-status (placeholders {q}, {n}, {shown}).
 *
 * In Node (tests), loaded as a CommonJS script, module.exports gives the pure functions and
 * nothing touches the DOM.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  } else if (root) {
    root.KijunSearch = api;
    if (typeof document !== 'undefined') {
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', function () { api.init(root, document); });
      } else {
        api.init(root, document);
      }
    }
  }
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Tokenizer (mirror of src/search/tokenize.rs)

  /** Code point ranges tokenized as CJK bigrams (tokenize.rs: CJK_RANGES). */
  var CJK_RANGES = [
    [0x1100, 0x11FF], [0x3005, 0x3007], [0x3041, 0x3096], [0x309D, 0x309F],
    [0x30A1, 0x30FA], [0x30FC, 0x30FF], [0x3131, 0x318E], [0x31F0, 0x31FF],
    [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xAC00, 0xD7A3], [0xF900, 0xFAFF],
    [0xFF66, 0xFF9F], [0x20000, 0x3FFFF]
  ];

  var WORD_RE;
  try {
    WORD_RE = new RegExp('^[\\p{Alphabetic}\\p{N}]$', 'u');
  } catch (e) {
    // engines without Unicode property escapes: ASCII letters and digits, Latin-1 and beyond
    // as letters (close enough; such engines are not supported for CJK anyway)
    WORD_RE = /^[0-9A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\uFFFF]$/;
  }

  function isCjk(ch) {
    var c = ch.codePointAt(0);
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (CJK_RANGES[i][0] <= c && c <= CJK_RANGES[i][1]) return true;
    }
    return false;
  }

  function isJoiner(ch) {
    return ch === '-' || ch === '.' || ch === '/' || ch === '(' || ch === ')';
  }

  function isWord(ch) {
    return WORD_RE.test(ch) && !isCjk(ch);
  }

  /** NFKC, lower case, U+2010 U+2011 U+2212 as '-' (tokenize.rs: fold). */
  function fold(s) {
    return String(s == null ? '' : s).normalize('NFKC').toLowerCase().replace(/[\u2010\u2011\u2212]/g, '-');
  }

  function count(chars, s, e, ch) {
    var n = 0;
    for (var i = s; i < e; i++) if (chars[i] === ch) n++;
    return n;
  }

  function matchingClose(chars, s, e) {
    var depth = 0;
    for (var i = s; i < e; i++) {
      if (chars[i] === '(') depth++;
      else if (chars[i] === ')') {
        depth--;
        if (depth === 0) return i;
      }
    }
    return -1;
  }

  /** Bounds [s, e) of the compound in chars[s..e) (tokenize.rs: trim_compound). */
  function trimCompound(chars, s, e) {
    for (;;) {
      var before = e - s;
      while (s < e && isJoiner(chars[s]) && chars[s] !== '(') s++;
      while (s < e && isJoiner(chars[e - 1]) && chars[e - 1] !== ')') e--;
      var open = count(chars, s, e, '('), close = count(chars, s, e, ')');
      if (s < e && chars[s] === '(' && open > close) {
        s++;
      } else if (s < e && chars[e - 1] === ')' && close > open) {
        e--;
      } else if (s < e && chars[s] === '(' && matchingClose(chars, s, e) === e - 1) {
        s++;
        e--;
      }
      if (e - s === before) return [s, e];
    }
  }

  /**
   * Segments of folded text: {type: 'cjk', text, start, end} for a CJK run, and
   * {type: 'chunk', compound: string|null, words: [{text, start, end}], start, end} for a chunk
   * of words and joiners. start/end are UTF-16 offsets into the folded string.
   */
  function segments(folded) {
    var chars = Array.from(folded);
    var offsets = new Array(chars.length + 1);
    var off = 0;
    for (var k = 0; k < chars.length; k++) { offsets[k] = off; off += chars[k].length; }
    offsets[chars.length] = off;

    var out = [];
    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      var start = i;
      if (isCjk(c)) {
        while (i < chars.length && isCjk(chars[i])) i++;
        out.push({ type: 'cjk', text: chars.slice(start, i).join(''), chars: chars.slice(start, i),
                   start: offsets[start], end: offsets[i] });
      } else if (isWord(c) || isJoiner(c)) {
        while (i < chars.length && (isWord(chars[i]) || isJoiner(chars[i]))) i++;
        var b = trimCompound(chars, start, i);
        var compound = null;
        var hasJoiner = false, hasWord = false;
        for (var m = b[0]; m < b[1]; m++) {
          if (isJoiner(chars[m])) hasJoiner = true; else if (isWord(chars[m])) hasWord = true;
        }
        if (hasJoiner && hasWord) compound = chars.slice(b[0], b[1]).join('');
        var words = [];
        var j = start;
        while (j < i) {
          if (isWord(chars[j])) {
            var w = j;
            while (j < i && isWord(chars[j])) j++;
            words.push({ text: chars.slice(w, j).join(''), start: offsets[w], end: offsets[j] });
          } else {
            j++;
          }
        }
        out.push({ type: 'chunk', compound: compound, cStart: offsets[b[0]], cEnd: offsets[b[1]],
                   words: words, start: offsets[start], end: offsets[i] });
      } else {
        i++;
      }
    }
    return out;
  }

  /** Tokens of text: [{text, kind: 'cjk'|'word'|'compound'}] (tokenize.rs: tokenize). */
  function tokenize(text) {
    var tokens = [];
    segments(fold(text)).forEach(function (seg) {
      if (seg.type === 'cjk') {
        if (seg.chars.length === 1) {
          tokens.push({ text: seg.text, kind: 'cjk' });
        } else {
          for (var i = 0; i + 1 < seg.chars.length; i++) {
            tokens.push({ text: seg.chars[i] + seg.chars[i + 1], kind: 'cjk' });
          }
        }
      } else {
        if (seg.compound !== null) tokens.push({ text: seg.compound, kind: 'compound' });
        seg.words.forEach(function (w) { tokens.push({ text: w.text, kind: 'word' }); });
      }
    });
    return tokens;
  }

  var ASCII_RE = /^[\x00-\x7f]*$/;

  /** lunr's Porter stemmer on an ASCII word; other words unchanged (tokenize.rs: term). */
  function stemWord(lunr, word) {
    if (!ASCII_RE.test(word)) return word;
    return lunr.stemmer(new lunr.Token(word)).toString();
  }

  /** Index terms of text, in order, repeats included (tokenize.rs: index_terms). */
  function indexTerms(lunr, text) {
    return tokenize(text).map(function (t) {
      return t.kind === 'word' ? stemWord(lunr, t.text) : t.text;
    });
  }

  /** Text of the `ids` field of a display doc (mod.rs: ids_text). */
  function idsText(doc) {
    var parts = [];
    if (doc.id != null) parts.push(doc.id);
    (doc.keywords || []).forEach(function (k) { parts.push(k); });
    return parts.join(' ');
  }

  // ---------------------------------------------------------------------------------------
  // Query

  /**
   * What a query asks for:
   * - terms: index terms every result must have (in any field): stemmed words, compounds
   *   (whole, instead of their words: AM-1 must not find AM-10), and the bigrams of CJK runs;
   *   a one-character CJK run becomes a wildcard `*X*` (any term containing it);
   * - phrases: the whitespace-separated parts of the query that contain CJK, trimmed of
   *   punctuation at their ends; a result's text must contain each one as a substring, as
   *   Ctrl+F would (bigrams alone could match 多要 and 要素 far apart);
   * - marks: what to highlight (substrings, and stems of words).
   */
  function parseQuery(lunr, q) {
    var folded = fold(q).trim();
    var plan = { query: folded, terms: [], phrases: [], substrings: [], stems: [] };
    var seen = Object.create(null);
    function addTerm(term, wildcard) {
      if (seen[term]) return;
      seen[term] = true;
      plan.terms.push({ term: term, wildcard: !!wildcard });
    }
    folded.split(/\s+/).forEach(function (part) {
      if (!part) return;
      var segs = segments(part);
      var hasCjk = segs.some(function (s) { return s.type === 'cjk'; });
      if (hasCjk) {
        var phrase = part.slice(segs[0].type === 'chunk' ? segs[0].cStart : segs[0].start,
                                segs[segs.length - 1].type === 'chunk'
                                  ? segs[segs.length - 1].cEnd : segs[segs.length - 1].end);
        if (phrase) plan.phrases.push(phrase);
      }
      segs.forEach(function (seg) {
        if (seg.type === 'cjk') {
          plan.substrings.push(seg.text);
          if (seg.chars.length === 1) {
            addTerm(seg.text, true);
          } else {
            for (var i = 0; i + 1 < seg.chars.length; i++) addTerm(seg.chars[i] + seg.chars[i + 1], false);
          }
        } else if (seg.compound !== null) {
          plan.substrings.push(seg.compound);
          addTerm(seg.compound, false);
        } else {
          seg.words.forEach(function (w) {
            var st = stemWord(lunr, w.text);
            plan.stems.push(st);
            addTerm(st, false);
          });
        }
      });
    });
    plan.phrases = plan.phrases.filter(function (p, i, a) { return p && a.indexOf(p) === i; });
    return plan;
  }

  /** An engine for one language: the loaded lunr index and the display docs. */
  function load(lunr, data) {
    var boosts = data.fieldBoosts || {};
    return {
      lunr: lunr,
      data: data,
      docs: data.docs,
      index: lunr.Index.load(data.index),
      fields: data.index.fields,
      titleFields: ['title', 'ids'],
      titleBoost: Math.max(10, boosts.title || 1),
      cache: Object.create(null)
    };
  }

  function docCache(engine, ref) {
    var c = engine.cache[ref];
    if (!c) {
      var d = engine.docs[ref];
      var head = d.title + '\n' + idsText(d);
      c = engine.cache[ref] = {
        head: fold(head),
        all: fold(head + '\n' + d.body),
        headTerms: null,
        id: d.id != null ? fold(d.id) : null
      };
    }
    return c;
  }

  function headTerms(engine, ref) {
    var c = docCache(engine, ref);
    if (!c.headTerms) {
      c.headTerms = Object.create(null);
      indexTerms(engine.lunr, engine.docs[ref].title + '\n' + idsText(engine.docs[ref]))
        .forEach(function (t) { c.headTerms[t] = true; });
    }
    return c.headTerms;
  }

  /** Does the page's title (or ID / keywords) hold the whole query? */
  function inHead(engine, ref, plan) {
    var c = docCache(engine, ref);
    var terms = headTerms(engine, ref);
    for (var i = 0; i < plan.terms.length; i++) {
      var t = plan.terms[i];
      if (t.wildcard ? c.head.indexOf(t.term) < 0 : !terms[t.term]) return false;
    }
    for (var j = 0; j < plan.phrases.length; j++) {
      if (c.head.indexOf(plan.phrases[j]) < 0) return false;
    }
    return true;
  }

  /**
   * Runs a query. Returns {plan, results: [{ref, doc, score, tier}]}, best first:
   * tier 0 = the query is the page's ID, 1 = the title / IDs hold the whole query, 2 = the rest;
   * within a tier, by lunr score, then by page order.
   */
  function search(engine, q) {
    var lunr = engine.lunr;
    var plan = parseQuery(lunr, q);
    if (plan.terms.length === 0) return { plan: plan, results: [] };
    var hits = engine.index.query(function (query) {
      plan.terms.forEach(function (t) {
        var term = t.wildcard ? '*' + t.term + '*' : t.term;
        query.term(term, {
          usePipeline: false,
          presence: lunr.Query.presence.REQUIRED,
          boost: 1
        });
        query.term(term, {
          fields: engine.titleFields,
          usePipeline: false,
          presence: lunr.Query.presence.OPTIONAL,
          boost: engine.titleBoost
        });
      });
    });
    var results = [];
    hits.forEach(function (hit) {
      var ref = hit.ref;
      var c = docCache(engine, ref);
      for (var i = 0; i < plan.phrases.length; i++) {
        if (c.all.indexOf(plan.phrases[i]) < 0) return;
      }
      var tier = c.id !== null && c.id === plan.query ? 0 : inHead(engine, ref, plan) ? 1 : 2;
      results.push({ ref: ref, doc: engine.docs[ref], score: hit.score, tier: tier });
    });
    results.sort(function (a, b) {
      return a.tier - b.tier || b.score - a.score || Number(a.ref) - Number(b.ref);
    });
    return { plan: plan, results: results };
  }

  // ---------------------------------------------------------------------------------------
  // Highlighting (pure: returns ranges; the DOM part is in render)

  /** Folds text one code point at a time, remembering where each folded unit came from. */
  function foldMap(text) {
    var s = '';
    var from = [];
    var to = [];
    var off = 0;
    Array.from(text).forEach(function (ch) {
      var f = fold(ch);
      for (var i = 0; i < f.length; i++) { from.push(off); to.push(off + ch.length); }
      s += f;
      off += ch.length;
    });
    return { s: s, from: from, to: to };
  }

  /** Ranges [start, end) of `text` (original offsets) to mark for the query plan. */
  function markRanges(lunr, text, plan) {
    var fm = foldMap(text);
    var ranges = [];
    function add(s, e) { if (e > s) ranges.push([fm.from[s], fm.to[e - 1]]); }
    plan.substrings.concat(plan.phrases).forEach(function (sub) {
      if (!sub) return;
      var at = fm.s.indexOf(sub);
      while (at >= 0) { add(at, at + sub.length); at = fm.s.indexOf(sub, at + sub.length); }
    });
    if (plan.stems.length) {
      var stems = Object.create(null);
      plan.stems.forEach(function (s) { stems[s] = true; });
      segments(fm.s).forEach(function (seg) {
        if (seg.type !== 'chunk') return;
        seg.words.forEach(function (w) {
          if (stems[stemWord(lunr, w.text)]) add(w.start, w.end);
        });
      });
    }
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /** A window of `text` around the first mark: {text, ranges (relative), before, after}. */
  function snippet(lunr, text, plan, size) {
    size = size || 160;
    var ranges = markRanges(lunr, text, plan);
    var start = 0;
    if (ranges.length && ranges[0][0] > size / 4) start = ranges[0][0] - Math.floor(size / 4);
    var end = Math.min(text.length, start + size);
    if (end - start < size) start = Math.max(0, end - size);
    // in spaced text, start and end at word boundaries when one is near
    if (start > 0 && /\S/.test(text.charAt(start - 1))) {
      var sp = text.slice(start, start + 20).search(/\s/);
      if (sp >= 0 && (!ranges.length || start + sp < ranges[0][0])) start += sp + 1;
    }
    if (end < text.length && /\S/.test(text.charAt(end))) {
      var tail = text.slice(Math.max(start, end - 20), end);
      var ws = tail.search(/\s\S*$/);
      if (ws >= 0) end = end - tail.length + ws;
    }
    // do not cut a surrogate pair
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(start))) start--;
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(end))) end++;
    var rel = [];
    ranges.forEach(function (r) {
      var s = Math.max(r[0], start), e = Math.min(r[1], end);
      if (e > s) rel.push([s - start, e - start]);
    });
    return { text: text.slice(start, end), ranges: rel, before: start > 0, after: end < text.length };
  }

  // ---------------------------------------------------------------------------------------
  // Page

  var MESSAGES = {
    ja: {
      empty: '検索語を入力してください。',
      none: '「{q}」に一致するページはありません。',
      one: '「{q}」の検索結果: 1件',
      many: '「{q}」の検索結果: {n}件',
      more: '（上位{shown}件を表示）',
      missing: '検索インデックスを読み込めませんでした。'
    },
    en: {
      empty: 'Enter a search term.',
      none: 'No pages match “{q}”.',
      one: '1 result for “{q}”',
      many: '{n} results for “{q}”',
      more: ' (showing the first {shown})',
      missing: 'The search index could not be loaded.'
    }
  };

  var MAX_SHOWN = 100;

  function message(status, lang, key, vars) {
    var attr = status && status.getAttribute('data-msg-' + key);
    var base = MESSAGES[lang] || MESSAGES[String(lang).split('-')[0]] || MESSAGES.en;
    var text = attr != null ? attr : base[key];
    return text.replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? String(vars[k]) : m; });
  }

  /** Appends text with marked ranges to el, as text nodes and <mark> elements. */
  function appendMarked(doc, el, text, ranges) {
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] > pos) el.appendChild(doc.createTextNode(text.slice(pos, r[0])));
      var mark = doc.createElement('mark');
      mark.textContent = text.slice(r[0], r[1]);
      el.appendChild(mark);
      pos = r[1];
    });
    if (pos < text.length) el.appendChild(doc.createTextNode(text.slice(pos)));
  }

  function render(doc, engine, list, status, lang, q, outcome, rootPrefix, quiet) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var plan = outcome.plan;
    var results = outcome.results;
    if (!plan.query) {
      // on arrival without a query, say nothing (a live region should not talk unprompted)
      status.textContent = quiet ? '' : message(status, lang, 'empty');
      return;
    }
    if (results.length === 0) {
      status.textContent = message(status, lang, 'none', { q: q.trim() });
      return;
    }
    var shown = Math.min(results.length, MAX_SHOWN);
    var text = message(status, lang, results.length === 1 ? 'one' : 'many', { q: q.trim(), n: results.length });
    if (shown < results.length) text += message(status, lang, 'more', { shown: shown });
    var frag = doc.createDocumentFragment();
    for (var i = 0; i < shown; i++) {
      var d = results[i].doc;
      var li = doc.createElement('li');
      li.className = 'search-result search-result--' + String(d.kind).replace(/[^a-z0-9-]/gi, '');
      li.setAttribute('data-kind', d.kind);

      var heading = doc.createElement('h2');
      heading.className = 'search-result__title';
      var a = doc.createElement('a');
      a.setAttribute('href', rootPrefix + d.url);
      appendMarked(doc, a, d.title, markRanges(engine.lunr, d.title, plan));
      heading.appendChild(a);
      li.appendChild(heading);

      if (d.id != null || d.category != null) {
        var meta = doc.createElement('p');
        meta.className = 'search-result__meta';
        if (d.id != null) {
          var id = doc.createElement('span');
          id.className = 'search-result__id';
          appendMarked(doc, id, d.id, markRanges(engine.lunr, d.id, plan));
          meta.appendChild(id);
        }
        if (d.category != null) {
          var cat = doc.createElement('span');
          cat.className = 'search-result__category';
          cat.textContent = d.category;
          meta.appendChild(cat);
        }
        li.appendChild(meta);
      }

      if (d.body) {
        var sn = snippet(engine.lunr, d.body, plan, 160);
        var p = doc.createElement('p');
        p.className = 'search-result__snippet';
        if (sn.before) p.appendChild(doc.createTextNode('…'));
        appendMarked(doc, p, sn.text, sn.ranges);
        if (sn.after) p.appendChild(doc.createTextNode('…'));
        li.appendChild(p);
      }
      frag.appendChild(li);
    }
    list.appendChild(frag);
    status.textContent = text;
  }

  /** Wires up the search page; does nothing on pages without #search-results. */
  function init(win, doc) {
    var list = doc.getElementById('search-results');
    var input = doc.getElementById('search-input');
    var status = doc.getElementById('search-status');
    if (!list || !input || !status) return;
    var form = input.form || (input.closest && input.closest('form'));
    var lang = doc.documentElement.getAttribute('lang') || 'en';
    var rootPrefix = (doc.body && doc.body.getAttribute('data-root')) || '';
    var all = win.KIJUN_SEARCH || {};
    var data = all[lang] || all[lang.split('-')[0]];
    if (!data || typeof win.lunr === 'undefined') {
      status.textContent = message(status, lang, 'missing');
      return;
    }
    var engine = load(win.lunr, data);
    var last = null;

    function run(pushUrl) {
      var q = input.value;
      if (q === last) return;
      var quiet = last === null;
      last = q;
      render(doc, engine, list, status, lang, q, search(engine, q), rootPrefix, quiet);
      if (pushUrl && win.history && win.history.replaceState) {
        try {
          var url = win.location.pathname + (q.trim() ? '?q=' + encodeURIComponent(q.trim()) : '') + win.location.hash;
          win.history.replaceState(null, '', url);
        } catch (e) { /* file:// in some browsers: the address just does not follow */ }
      }
    }

    var params = new win.URLSearchParams(win.location.search);
    var initial = params.get('q');
    if (initial != null) input.value = initial;
    run(false);

    var timer = null;
    input.addEventListener('input', function () {
      if (timer) win.clearTimeout(timer);
      timer = win.setTimeout(function () { timer = null; run(true); }, 200);
    });
    if (form) {
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        if (timer) { win.clearTimeout(timer); timer = null; }
        run(true);
      });
    }
  }

  return {
    CJK_RANGES: CJK_RANGES,
    fold: fold,
    isCjk: isCjk,
    tokenize: tokenize,
    stemWord: stemWord,
    indexTerms: indexTerms,
    idsText: idsText,
    parseQuery: parseQuery,
    load: load,
    search: search,
    markRanges: markRanges,
    snippet: snippet,
    init: init
  };
}));
