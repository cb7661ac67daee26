/*!
 * kijun site search: the page part. The rules (tokenizer, folding, synonyms, ranking,
 * snippets) are in search-core.js (window.KijunSearch), which the page includes before this.
 *
 * Page contract: a form[role=search] holding #search-input (name="q"), #search-status
 * (role="status" aria-live="polite", data-msg-{empty,none,one,many,more,missing} with {q}, {n},
 * {shown}), an <ol id="search-results"> (data-kind-KIND, data-required, data-recommended,
 * data-exact: badge texts) and a #search-more button; <html lang> picks the index; <body
 * data-root> is the prefix to the site root.
 *
 * ?q= is searched on load. Typing searches as you type (debounced), without a page load; the
 * address follows (?q=): the first change of a burst of typing adds a history entry, the rest
 * of the burst replaces it, so Back returns to the query before. Enter on an exact page or item
 * ID opens that page. Nothing goes through innerHTML.
 */
(function () {
  'use strict';
  var K = window.KijunSearch;
  var doc = document;
  var list = doc.getElementById('search-results');
  var input = doc.getElementById('search-input');
  var status = doc.getElementById('search-status');
  if (!K || !list || !input || !status) return;

  var PAGE = K.PAGE_SIZE;
  /** A pause in typing longer than this starts a new history entry. */
  var BURST_MS = 1500;

  var FALLBACK = {
    empty: 'Enter a search term.', none: 'No pages match “{q}”.', one: '1 result for “{q}”',
    many: '{n} results for “{q}”', more: ' (showing the first {shown})',
    missing: 'The search index could not be loaded.'
  };

  function message(key, vars) {
    var text = status.getAttribute('data-msg-' + key);
    if (text == null) text = FALLBACK[key];
    return text.replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? String(vars[k]) : m; });
  }

  var form = input.form;
  var more = doc.getElementById('search-more');
  var lang = doc.documentElement.getAttribute('lang') || 'en';
  var rootPrefix = (doc.body && doc.body.getAttribute('data-root')) || '';
  var all = window.KIJUN_SEARCH || {};
  var data = all[lang] || all[lang.split('-')[0]];
  var splits = window.KIJUN_SEARCH_SPLIT || {};
  var meta = splits[lang] || splits[lang.split('-')[0]];
  if ((!data && !meta) || typeof window.lunr === 'undefined') {
    status.textContent = message('missing');
    return;
  }
  // Loaded once and kept while the reader stays on the page: the next query needs no parsing.
  var engine = data ? K.load(window.lunr, data) : K.loadSplit(window.lunr, meta, scriptLoader());

  /** Loads split-index parts with <script> tags (file:// and script-src 'self' allow them). */
  function scriptLoader() {
    return function (key) {
      return new Promise(function (resolve, reject) {
        var script = doc.createElement('script');
        script.src = rootPrefix + 'search/' + key + '.js';
        script.onload = function () {
          var parts = window.KIJUN_SEARCH_PARTS || {};
          var part = parts[key];
          delete parts[key];
          script.parentNode.removeChild(script);
          if (part === undefined) reject(new Error('search part ' + key + ' did not load'));
          else resolve(part);
        };
        script.onerror = function () {
          script.parentNode.removeChild(script);
          reject(new Error('cannot load search part ' + key));
        };
        doc.head.appendChild(script);
      });
    };
  }

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  /** Appends text with marked ranges, as text nodes and <mark> elements. */
  function appendMarked(node, text, ranges) {
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] > pos) node.appendChild(doc.createTextNode(text.slice(pos, r[0])));
      node.appendChild(el('mark', null, text.slice(r[0], r[1])));
      pos = r[1];
    });
    if (pos < text.length) node.appendChild(doc.createTextNode(text.slice(pos)));
  }

  function badge(kind, text) {
    return el('span', 'badge badge--' + kind, text);
  }

  /** The badges line: kind, exact-ID mark, ID, obligation, level, category. */
  function metaLine(result, plan) {
    var d = result.doc;
    var p = el('p', 'search-result__meta');
    var kindText = list.getAttribute('data-kind-' + d.kind);
    p.appendChild(badge('kind', kindText || d.kind));
    if (result.tier === 0) p.appendChild(badge('exact', list.getAttribute('data-exact') || 'ID'));
    if (d.id != null) {
      var id = el('span', 'search-result__id');
      appendMarked(id, d.id, K.markRanges(engine.lunr, d.id, plan));
      p.appendChild(id);
    }
    if (d.obligation) {
      p.appendChild(badge(d.obligation, list.getAttribute('data-' + d.obligation) || d.obligation));
    }
    if (d.level) p.appendChild(badge('level', 'Lv.' + d.level));
    if (d.category != null) p.appendChild(el('span', 'search-result__category', d.category));
    return p;
  }

  function resultItem(result, plan) {
    var d = result.doc;
    var li = el('li', 'search-result search-result--' + String(d.kind).replace(/[^a-z0-9-]/gi, ''));
    li.setAttribute('data-kind', d.kind);
    var heading = el('h2', 'search-result__title');
    var a = el('a');
    a.setAttribute('href', rootPrefix + d.url);
    appendMarked(a, d.title, K.markRanges(engine.lunr, d.title, plan));
    heading.appendChild(a);
    li.appendChild(heading);
    li.appendChild(metaLine(result, plan));
    var sn = K.sectionSnippet(engine.lunr, d, plan, 160);
    if (sn) {
      // the section's heading is a label of its own, never run into the text
      if (sn.heading) li.appendChild(el('p', 'search-result__section', sn.heading));
      var p = el('p', 'search-result__snippet');
      if (sn.before) p.appendChild(doc.createTextNode('…'));
      appendMarked(p, sn.text, sn.ranges);
      if (sn.after) p.appendChild(doc.createTextNode('…'));
      li.appendChild(p);
    }
    return li;
  }

  var current = null; // {q, outcome, shown}

  function render(q, outcome, quiet) {
    while (list.firstChild) list.removeChild(list.firstChild);
    current = { q: q, outcome: outcome, shown: 0 };
    var results = outcome.results;
    if (!outcome.plan.query) {
      // on arrival without a query, say nothing (a live region should not talk unprompted)
      status.textContent = quiet ? '' : message('empty');
    } else if (results.length === 0) {
      status.textContent = message('none', { q: q.trim() });
    }
    showMore(quiet);
  }

  /** Renders the next page of results (their display docs loaded first on a split index). */
  function showMore() {
    var c = current;
    var results = c.outcome.results;
    var upto = Math.min(results.length, c.shown + PAGE);
    var next = results.slice(c.shown, upto);
    var ready = engine.split ? K.loadResultDocs(engine, next) : Promise.resolve();
    return ready.then(function () {
      if (current !== c) return;
      var frag = doc.createDocumentFragment();
      next.forEach(function (r) { if (r.doc) frag.appendChild(resultItem(r, c.outcome.plan)); });
      list.appendChild(frag);
      c.shown = upto;
      if (more) more.parentNode.hidden = upto >= results.length;
      if (results.length) {
        var text = message(results.length === 1 ? 'one' : 'many', { q: c.q.trim(), n: results.length });
        if (upto < results.length) text += message('more', { shown: upto });
        status.textContent = text;
      }
    });
  }

  var last = null;
  var pending = 0;

  /** Searches the box's query. `how`: 'load', 'type', 'submit' or 'back'. */
  function run(how) {
    var q = input.value;
    if (q === last && how !== 'submit') return Promise.resolve();
    var quiet = last === null;
    last = q;
    if (how === 'type' || how === 'submit') address(q, how);
    var mine = ++pending;
    var searching = engine.split
      ? K.searchSplit(engine, q, PAGE)
      : Promise.resolve(K.search(engine, q));
    return searching.then(function (outcome) {
      if (mine !== pending) return;
      render(q, outcome, quiet);
      return outcome;
    }, function () {
      if (mine === pending) status.textContent = message('missing');
      last = null; // the same query, asked again, tries again
    });
  }

  var burstEnds = 0;
  /** Keeps ?q= in the address: a new history entry per burst of typing, replaced within it. */
  function address(q, how) {
    if (!window.history || !window.history.pushState) return;
    var query = q.trim();
    var url = window.location.pathname + (query ? '?q=' + encodeURIComponent(query) : '') + window.location.hash;
    var now = Date.now();
    try {
      if (how === 'type' && now < burstEnds) window.history.replaceState({ q: query }, '', url);
      else if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState({ q: query }, '', url);
      }
    } catch (e) { /* file:// in some browsers: the address just does not follow */ }
    burstEnds = how === 'type' ? now + BURST_MS : 0;
  }

  function queryOfAddress() {
    return new window.URLSearchParams(window.location.search).get('q');
  }

  var initial = queryOfAddress();
  if (initial != null) input.value = initial;
  run('load');

  var timer = null;
  input.addEventListener('input', function () {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; run('type'); }, 120);
  });
  window.addEventListener('popstate', function () {
    if (timer) { window.clearTimeout(timer); timer = null; }
    burstEnds = 0;
    input.value = queryOfAddress() || '';
    run('back');
  });
  if (more) more.addEventListener('click', function () { if (current) showMore(); });
  if (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (timer) { window.clearTimeout(timer); timer = null; }
      run('submit').then(function () {
        // Enter on an exact page or item ID opens that page
        var top = current && current.q === input.value && current.outcome.results[0];
        if (top && top.tier === 0 && top.doc) window.location.href = rootPrefix + top.doc.url;
      });
    });
  }
}());
