/*!
 * kijun site search: the pure part (tokenizer, folding, synonyms, query, ranking, split-index
 * loading, highlighting and snippets). No DOM: search.js is the page part that uses it.
 *
 * The search page includes, in this order: vendor/lunr/lunr.min.js, the index
 * (search-index.<lang>.js, which sets window.KIJUN_SEARCH[lang], or search/<lang>/meta.js for a
 * split index: window.KIJUN_SEARCH_SPLIT[lang]), this file and search.js. Nothing is fetched and
 * nothing is evaluated, so it works from file:// and under script-src 'self'.
 *
 * The tokenizer and folding below mirror src/search/tokenize.rs term for term (the Node test
 * checks both against src/search/testdata/tokenize-cases.json and rebuilds the shipped index
 * with lunr.Builder from it).
 *
 * In a browser it sets window.KijunSearch; in Node (tests), loaded as a CommonJS script,
 * module.exports gives the same functions.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  } else if (root) {
    root.KijunSearch = api;
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

  /** Small kana (after hiragana became katakana) → their full-size forms (tokenize.rs: fold_kana). */
  var SMALL_KANA = {
    '\u30A1': '\u30A2', '\u30A3': '\u30A4', '\u30A5': '\u30A6', '\u30A7': '\u30A8', '\u30A9': '\u30AA',
    '\u30C3': '\u30C4', '\u30E3': '\u30E4', '\u30E5': '\u30E6', '\u30E7': '\u30E8', '\u30EE': '\u30EF',
    '\u30F5': '\u30AB', '\u30F6': '\u30B1',
    '\u31F0': '\u30AF', '\u31F1': '\u30B7', '\u31F2': '\u30B9', '\u31F3': '\u30C8', '\u31F4': '\u30CC',
    '\u31F5': '\u30CF', '\u31F6': '\u30D2', '\u31F7': '\u30D5', '\u31F8': '\u30D8', '\u31F9': '\u30DB',
    '\u31FA': '\u30E0', '\u31FB': '\u30E9', '\u31FC': '\u30EA', '\u31FD': '\u30EB', '\u31FE': '\u30EC',
    '\u31FF': '\u30ED'
  };

  /**
   * Kana folding: hiragana as katakana (ばっくあっぷ → バックアップ), small kana as full-size
   * (ッ → ツ), and the long-vowel mark ー dropped (サーバー = サーバ), so that the usual
   * spelling variants meet (tokenize.rs: fold_kana).
   */
  function foldKana(s) {
    return s.replace(/[\u3041-\u3096\u309D\u309E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 0x60);
    }).replace(/[\u30A1\u30A3\u30A5\u30A7\u30A9\u30C3\u30E3\u30E5\u30E7\u30EE\u30F5\u30F6\u31F0-\u31FF]/g, function (c) {
      return SMALL_KANA[c];
    }).replace(/\u30FC/g, '');
  }

  /** NFKC, lower case, U+2010 U+2011 U+2212 as '-', then kana folding (tokenize.rs: fold). */
  function fold(s) {
    return foldKana(String(s == null ? '' : s).normalize('NFKC').toLowerCase().replace(/[\u2010\u2011\u2212]/g, '-'));
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
  function indexTerms(lunr, text, synonyms) {
    var terms = tokenize(text).map(function (t) {
      return t.kind === 'word' ? stemWord(lunr, t.text) : t.text;
    });
    return synonyms ? terms.concat(synonymTokens(terms, synonyms)) : terms;
  }

  // ---------------------------------------------------------------------------------------
  // Synonyms (mirror of src/search/synonyms.rs): groups of words from the glossary

  /**
   * Compiles the shipped groups, [[token, [member, ...]], ...], into lookups: members by their
   * first index term (index time) and by their whole term sequence (query time).
   */
  function compileSynonyms(lunr, groups) {
    var syn = { groups: [], byFirst: Object.create(null), byKey: Object.create(null) };
    (groups || []).forEach(function (g, gi) {
      var group = { token: g[0], members: [] };
      g[1].forEach(function (text) {
        var terms = indexTerms(lunr, text);
        if (!terms.length) return;
        group.members.push({ text: text, terms: terms });
        (syn.byFirst[terms[0]] || (syn.byFirst[terms[0]] = [])).push({ group: gi, terms: terms });
        var key = terms.join('\u0000');
        if (!(key in syn.byKey)) syn.byKey[key] = gi;
      });
      syn.groups.push(group);
    });
    return syn;
  }

  /** The group tokens of the members found in `terms`, by place, one per group and place. */
  function synonymTokens(terms, syn) {
    var out = [];
    for (var i = 0; i < terms.length; i++) {
      var candidates = syn.byFirst[terms[i]];
      if (!candidates) continue;
      var here = [];
      candidates.forEach(function (m) {
        if (here.indexOf(m.group) >= 0 || i + m.terms.length > terms.length) return;
        for (var k = 1; k < m.terms.length; k++) if (terms[i + k] !== m.terms[k]) return;
        here.push(m.group);
      });
      here.sort(function (a, b) { return a - b; });
      here.forEach(function (g) { out.push(syn.groups[g].token); });
    }
    return out;
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

  /** Results shown on the page (the status still counts them all). */
  var MAX_SHOWN = 100;
  /** Results the page renders at once (with their snippets); "show more" adds as many again. */
  var PAGE_SIZE = 20;

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
  function parseQuery(lunr, q, synonyms) {
    var folded = fold(q).trim();
    var plan = { query: folded, terms: [], phrases: [], substrings: [], stems: [], groups: [] };
    var seen = Object.create(null);
    function addTerm(term, wildcard) {
      if (seen[term]) return;
      seen[term] = true;
      plan.terms.push({ term: term, wildcard: !!wildcard });
    }
    var parts = folded.split(/\s+/).filter(Boolean);
    var partTerms = parts.map(function (p) { return indexTerms(lunr, p); });
    for (var i = 0; i < parts.length;) {
      var group = synonyms ? synonymAt(partTerms, i, synonyms) : null;
      if (group) {
        addGroup(lunr, plan, synonyms.groups[group.index], addTerm);
        i = group.end;
      } else {
        addPart(lunr, plan, parts[i], addTerm);
        i++;
      }
    }
    plan.phrases = plan.phrases.filter(function (p, i, a) { return p && a.indexOf(p) === i; });
    return plan;
  }

  /** The longest run of whole query parts from `i` that is a member of a group: {index, end}. */
  function synonymAt(partTerms, i, synonyms) {
    for (var j = partTerms.length; j > i; j--) {
      var key = [].concat.apply([], partTerms.slice(i, j)).join('\u0000');
      if (key && key in synonyms.byKey) return { index: synonyms.byKey[key], end: j };
    }
    return null;
  }

  /** A part that is a synonym: its group's token is the term; every member is highlighted. */
  function addGroup(lunr, plan, group, addTerm) {
    addTerm(group.token, false);
    plan.groups.push(group.token);
    group.members.forEach(function (m) {
      segments(fold(m.text)).forEach(function (seg) {
        if (seg.type === 'cjk') plan.substrings.push(seg.text);
        else if (seg.compound !== null) plan.substrings.push(seg.compound);
        else seg.words.forEach(function (w) { plan.stems.push(stemWord(lunr, w.text)); });
      });
    });
  }

  /** A part as written: its terms, its phrase (if it holds CJK) and what to highlight. */
  function addPart(lunr, plan, part, addTerm) {
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
      synonyms: compileSynonyms(lunr, data.synonyms),
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
      indexTerms(engine.lunr, engine.docs[ref].title + '\n' + idsText(engine.docs[ref]), engine.synonyms)
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

  /** lunr's matches for a query plan: every term required, title and ID matches boosted. */
  function queryIndex(engine, index, plan) {
    var lunr = engine.lunr;
    return index.query(function (query) {
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
  }

  /**
   * A measure's place among measures of similar score (split.rs: rank): required before
   * recommended, then lower level first; other pages 0.
   */
  function docRank(doc) {
    if (!doc || doc.kind !== 'measure') return 0;
    return (doc.obligation === 'recommended' ? 3 : 0) + Math.max(0, Math.min(2, (doc.level || 1) - 1));
  }

  /**
   * Scores within a factor of SCORE_BAND of the best score of their tier count as similar:
   * band 0; then band 1 up to SCORE_BAND squared, and so on.
   */
  var SCORE_BAND = 1.5;

  /** Sorts results best first (see byRank), after setting each one's band. */
  function rankResults(results) {
    var best = {};
    results.forEach(function (r) { best[r.tier] = Math.max(best[r.tier] || 0, r.score); });
    results.forEach(function (r) {
      r.band = r.score > 0 ? Math.floor(Math.log(best[r.tier] / r.score) / Math.log(SCORE_BAND)) : 1e9;
    });
    return results.sort(byRank);
  }

  /**
   * Best first: by tier (0: the query is the page's ID; 1: the title or IDs hold the whole
   * query; 2: the rest), then by score band, then required before recommended and lower level
   * first, then by lunr score, then page order. docs/search.md describes it.
   */
  function byRank(a, b) {
    return a.tier - b.tier || a.band - b.band || a.rank - b.rank ||
      b.score - a.score || Number(a.ref) - Number(b.ref);
  }

  /**
   * Runs a query. Returns {plan, results: [{ref, doc, score, tier}]}, best first:
   * tier 0 = the query is the page's ID, 1 = the title / IDs hold the whole query, 2 = the rest;
   * within a tier, by lunr score, then by page order.
   */
  function search(engine, q) {
    var lunr = engine.lunr;
    var plan = parseQuery(lunr, q, engine.synonyms);
    if (plan.terms.length === 0) return { plan: plan, results: [] };
    var hits = queryIndex(engine, engine.index, plan);
    var results = [];
    hits.forEach(function (hit) {
      var ref = hit.ref;
      var c = docCache(engine, ref);
      for (var i = 0; i < plan.phrases.length; i++) {
        if (c.all.indexOf(plan.phrases[i]) < 0) return;
      }
      var tier = c.id !== null && c.id === plan.query ? 0 : inHead(engine, ref, plan) ? 1 : 2;
      var doc = engine.docs[ref];
      results.push({ ref: ref, doc: doc, score: hit.score, tier: tier, rank: docRank(doc) });
    });
    rankResults(results);
    return { plan: plan, results: results };
  }

  // ---------------------------------------------------------------------------------------
  // Split index (src/search/split.rs): parts loaded as a query needs them

  /** FNV-1a (32 bit) over UTF-16 code units (split.rs: hash). */
  function fnv1a(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    return h >>> 0;
  }

  function isAllCjk(chars) {
    for (var i = 0; i < chars.length; i++) if (!isCjk(chars[i])) return false;
    return chars.length > 0;
  }

  /**
   * An engine for a split index. `meta` is window.KIJUN_SEARCH_SPLIT[lang]; `loadPart(key)`
   * returns a Promise of the data of part `key` (e.g. "ja/t/12"), see scriptLoader.
   */
  function loadSplit(lunr, meta, loadPart) {
    var boosts = meta.fieldBoosts || {};
    return {
      boosts: meta.fields.map(function (f) { return boosts[f] == null ? 1 : boosts[f]; }),
      lunr: lunr,
      meta: meta,
      split: true,
      fields: meta.fields,
      titleFields: ['title', 'ids'],
      titleBoost: Math.max(10, boosts.title || 1),
      synonyms: compileSynonyms(lunr, meta.synonyms),
      loadPart: loadPart,
      parts: Object.create(null),
      loaded: Object.create(null),
      docs: Object.create(null),
      cache: Object.create(null)
    };
  }

  function termKey(engine, term) {
    return engine.meta.lang + '/t/' + (fnv1a(term) % engine.meta.termShards);
  }
  function positionsKey(engine, term) {
    return engine.meta.lang + '/p/' + (fnv1a(term) % engine.meta.termShards);
  }
  function charKey(engine, ch) {
    return engine.meta.lang + '/c/' + (fnv1a(ch) % engine.meta.charShards);
  }
  function docKey(engine, ref) {
    return engine.meta.lang + '/d/' + Math.floor(Number(ref) / engine.meta.docsPerShard);
  }
  function lengthsKey(engine, ref) {
    return engine.meta.lang + '/l/' + Math.floor(Number(ref) / engine.meta.lengthsPerShard);
  }

  /** Loads parts (each once); resolves when all are in engine.loaded. */
  function loadParts(engine, keys) {
    return Promise.all(keys.map(function (key) {
      if (!engine.parts[key]) {
        engine.parts[key] = Promise.resolve(engine.loadPart(key)).then(function (data) {
          if (data == null) throw new Error('search part ' + key + ' is missing');
          engine.loaded[key] = data;
        }).catch(function (e) {
          delete engine.parts[key]; // the next query tries again
          throw e;
        });
      }
      return engine.parts[key];
    }));
  }

  function loadDocs(engine, refs) {
    var keys = [];
    refs.forEach(function (ref) {
      var key = docKey(engine, ref);
      if (keys.indexOf(key) < 0) keys.push(key);
    });
    return loadParts(engine, keys).then(function () {
      refs.forEach(function (ref) {
        var n = Number(ref);
        engine.docs[ref] = engine.loaded[docKey(engine, ref)][n % engine.meta.docsPerShard];
      });
    });
  }

  function termEntry(engine, term) {
    var part = engine.loaded[termKey(engine, term)];
    return part && Object.prototype.hasOwnProperty.call(part.terms, term) ? part.terms[term] : null;
  }

  /** The keys of the l/ parts (field lengths) that the postings of `terms` need. */
  function lengthsKeys(engine, terms) {
    var keys = Object.create(null);
    var per = engine.meta.lengthsPerShard;
    terms.forEach(function (term) {
      var entry = termEntry(engine, term);
      if (!entry) return;
      for (var f = 2; f < entry.length; f++) {
        var list = entry[f];
        var ref = 0;
        for (var k = 0; k < list.length; k += 2) {
          ref += list[k];
          keys[engine.meta.lang + '/l/' + Math.floor(ref / per)] = true;
        }
      }
    });
    return Object.keys(keys);
  }

  /**
   * lunr's score of a term in a field vector (lunr::Builder::score in Rust): BM25 times the
   * field boost, rounded to 3 decimals, with the same floating-point operations in the same
   * order, so the numbers are those of the single-file index.
   */
  function fieldScore(engine, idf, tf, ref, f) {
    var meta = engine.meta;
    var lengths = engine.loaded[lengthsKey(engine, ref)];
    var len = lengths[(ref % meta.lengthsPerShard) * meta.fields.length + f];
    var k1 = meta.k1, b = meta.b;
    var score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (len / meta.averageFieldLength[f])) + tf);
    score *= engine.boosts[f];
    return Math.round(score * 1000) / 1000;
  }

  /**
   * A lunr.Index holding only `terms`, built from their parts: the field vectors keep just
   * these terms' entries, which are the only ones a query on them reads, so lunr scores
   * exactly as on the whole index.
   */
  function partialIndex(engine, terms) {
    var lunr = engine.lunr;
    var fields = engine.fields;
    var inverted = Object.create(null);
    var vectors = Object.create(null);
    var present = [];
    terms.forEach(function (term) {
      if (inverted[term]) return;
      var entry = termEntry(engine, term);
      if (!entry) return;
      var posting = { _index: entry[0] };
      fields.forEach(function (field, f) {
        var list = entry[f + 2];
        var docs = {};
        var ref = 0;
        for (var k = 0; k < list.length; k += 2) {
          ref += list[k];
          docs[ref] = {};
          var key = field + '/' + ref;
          (vectors[key] || (vectors[key] = [])).push([entry[0], fieldScore(engine, entry[1], list[k + 1], ref, f)]);
        }
        posting[field] = docs;
      });
      inverted[term] = posting;
      present.push(term);
    });
    var fieldVectors = Object.create(null);
    Object.keys(vectors).forEach(function (key) {
      var pairs = vectors[key].sort(function (a, b) { return a[0] - b[0]; });
      var elements = [];
      pairs.forEach(function (p) { elements.push(p[0], p[1]); });
      fieldVectors[key] = new lunr.Vector(elements);
    });
    present.sort();
    return new lunr.Index({
      invertedIndex: inverted,
      fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(present),
      fields: fields,
      pipeline: new lunr.Pipeline()
    });
  }

  /**
   * Where a pair of characters occurs (split.rs: p/ parts): per field, ref → sorted positions
   * in code points of the folded field text.
   */
  function positionsOf(engine, pair) {
    var key = 'pos:' + pair;
    if (engine.cache[key]) return engine.cache[key];
    var part = engine.loaded[positionsKey(engine, pair)];
    var raw = part && Object.prototype.hasOwnProperty.call(part, pair) ? part[pair] : [];
    var out = engine.fields.map(function (field, f) {
      var byRef = Object.create(null);
      var list = raw[f] || [];
      var ref = 0;
      var k = 0;
      while (k < list.length) {
        ref += list[k];
        var n = list[k + 1];
        var positions = new Array(n);
        var p = 0;
        for (var j = 0; j < n; j++) { p += list[k + 2 + j]; positions[j] = p; }
        byRef[ref] = positions;
        k += 2 + n;
      }
      return byRef;
    });
    engine.cache[key] = out;
    return out;
  }

  /**
   * The pairs of characters that pin a phrase down: those starting at offsets 0, 2, 4, ...
   * and at the last pair's offset, which together cover every character. [{pair, offset}]
   */
  function pairsOf(chars) {
    var pairs = [];
    for (var i = 0; i + 1 < chars.length; i += 2) pairs.push({ pair: chars[i] + chars[i + 1], offset: i });
    var last = chars.length - 2;
    if (last > 0 && last % 2 === 1) pairs.push({ pair: chars[last] + chars[last + 1], offset: last });
    return pairs;
  }

  /**
   * Does field `f` of doc `ref` contain the phrase (2 or more characters)? Exactly when its
   * pinning pairs (pairsOf) sit at their offsets from one start.
   */
  function phraseInField(engine, ref, chars, f) {
    var pairs = pairsOf(chars);
    var first = positionsOf(engine, pairs[0].pair)[f][ref];
    if (!first) return false;
    var rest = [];
    for (var i = 1; i < pairs.length; i++) {
      var at = positionsOf(engine, pairs[i].pair)[f][ref];
      if (!at) return false;
      rest.push(at);
    }
    for (var k = 0; k < first.length; k++) {
      var ok = true;
      for (var r = 0; r < rest.length && ok; r++) ok = rest[r].indexOf(first[k] + pairs[r + 1].offset) >= 0;
      if (ok) return true;
    }
    return false;
  }

  function phraseIn(engine, ref, chars, fieldNames) {
    for (var f = 0; f < engine.fields.length; f++) {
      if (fieldNames.indexOf(engine.fields[f]) >= 0 && phraseInField(engine, ref, chars, f)) return true;
    }
    return false;
  }

  /** Does a posting of `term` in one of `fieldNames` hold `ref`? */
  function termIn(engine, index, term, ref, fieldNames) {
    var posting = index.invertedIndex[term];
    if (!posting) return false;
    for (var i = 0; i < fieldNames.length; i++) {
      if (Object.prototype.hasOwnProperty.call(posting[fieldNames[i]], ref)) return true;
    }
    return false;
  }

  /**
   * search() on a split index: loads the parts the query needs, then returns (a Promise of)
   * the same {plan, results} as search() on the single-file index would. Phrases are checked
   * with the positions of their pairs of characters, so no page text is needed. Docs are
   * loaded for the first `shown` results (default MAX_SHOWN); later results have doc null.
   */
  function searchSplit(engine, q, shown) {
    var lunr = engine.lunr;
    var plan = parseQuery(lunr, q, engine.synonyms);
    if (plan.terms.length === 0) return Promise.resolve({ plan: plan, results: [] });
    shown = shown == null ? MAX_SHOWN : shown;
    var head = ['title', 'ids'];
    var exact = [];
    var wild = [];
    plan.terms.forEach(function (t) { (t.wildcard ? wild : exact).push(t.term); });
    var first = exact.concat([plan.query]).map(function (t) { return termKey(engine, t); })
      .concat(wild.map(function (x) { return charKey(engine, x); }));
    var expanded = Object.create(null);
    var terms;
    var index;
    // A one-character phrase is implied by its term, a two-character CJK one by its bigram;
    // the others are checked by the positions of their pairs.
    var phrases = plan.phrases.map(function (p) {
      var chars = Array.from(p);
      var pure = isAllCjk(chars);
      return { text: p, chars: chars, pure: pure, positional: chars.length >= 3 || (!pure && chars.length === 2) };
    });
    return loadParts(engine, first).then(function () {
      terms = exact.slice();
      wild.forEach(function (x) {
        var part = engine.loaded[charKey(engine, x)];
        expanded[x] = part && Object.prototype.hasOwnProperty.call(part, x) ? part[x] : [];
        terms = terms.concat(expanded[x]);
      });
      var keys = terms.map(function (t) { return termKey(engine, t); });
      phrases.forEach(function (p) {
        if (p.positional) pairsOf(p.chars).forEach(function (x) { keys.push(positionsKey(engine, x.pair)); });
      });
      return loadParts(engine, keys);
    }).then(function () {
      return loadParts(engine, lengthsKeys(engine, terms));
    }).then(function () {
      index = partialIndex(engine, terms);
      var idPart = engine.loaded[termKey(engine, plan.query)];
      var own = idPart && Object.prototype.hasOwnProperty.call(idPart.ids, plan.query)
        ? idPart.ids[plan.query].map(String) : [];
      var results = [];
      queryIndex(engine, index, plan).forEach(function (hit) {
        var ref = hit.ref;
        for (var i = 0; i < phrases.length; i++) {
          if (phrases[i].positional && !phraseIn(engine, ref, phrases[i].chars, engine.fields)) return;
        }
        var tier = own.indexOf(ref) >= 0 ? 0 : inHeadSplit(engine, index, ref, plan, phrases, expanded, head) ? 1 : 2;
        var rank = Number(engine.meta.ranks.charAt(Number(ref))) || 0;
        results.push({ ref: ref, doc: null, score: hit.score, tier: tier, rank: rank });
      });
      rankResults(results);
      var top = results.slice(0, shown).map(function (r) { return r.ref; });
      return loadDocs(engine, top).then(function () {
        results.forEach(function (r) { r.doc = engine.docs[r.ref] || null; });
        return { plan: plan, results: results };
      });
    });
  }

  /** inHead() from the postings: does the title or an ID hold every term and phrase? */
  function inHeadSplit(engine, index, ref, plan, phrases, expanded, head) {
    for (var i = 0; i < plan.terms.length; i++) {
      var t = plan.terms[i];
      var found = t.wildcard
        ? expanded[t.term].some(function (x) { return termIn(engine, index, x, ref, head); })
        : termIn(engine, index, t.term, ref, head);
      if (!found) return false;
    }
    for (var j = 0; j < phrases.length; j++) {
      var p = phrases[j];
      if (p.positional) {
        if (!phraseIn(engine, ref, p.chars, head)) return false;
      } else if (p.chars.length === 2) {
        if (!termIn(engine, index, p.text, ref, head)) return false;
      } else if (!expanded[p.text].some(function (x) { return termIn(engine, index, x, ref, head); })) {
        return false;
      }
    }
    return true;
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

  /**
   * The snippet of a display doc from the section that matched: the first section whose text
   * holds a mark (else the first section): {heading, text, ranges, before, after}, the heading
   * ('' for text before the first heading) apart from the text. null without a body.
   */
  function sectionSnippet(lunr, d, plan, size) {
    if (!d.body) return null;
    var secs = d.sections || [[0, 0]];
    var ranges = markRanges(lunr, d.body, plan);
    var end = function (k) { return k + 1 < secs.length ? secs[k + 1][0] - 1 : d.body.length; };
    var pick = -1;
    for (var k = 0; k < secs.length && pick < 0; k++) {
      for (var i = 0; i < ranges.length; i++) {
        if (ranges[i][0] >= secs[k][1] && ranges[i][0] < end(k)) { pick = k; break; }
      }
    }
    if (pick < 0) pick = 0;
    var sn = snippet(lunr, d.body.slice(secs[pick][1], end(pick)), plan, size);
    sn.heading = d.body.slice(secs[pick][0], secs[pick][1]).trim();
    return sn;
  }

  /** Loads the display docs of split-index results that have none yet (for the next page). */
  function loadResultDocs(engine, results) {
    var refs = results.filter(function (r) { return !r.doc; }).map(function (r) { return r.ref; });
    return loadDocs(engine, refs).then(function () {
      results.forEach(function (r) { if (!r.doc) r.doc = engine.docs[r.ref] || null; });
    });
  }

  return {
    sectionSnippet: sectionSnippet,
    loadResultDocs: loadResultDocs,
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
    loadSplit: loadSplit,
    searchSplit: searchSplit,
    fnv1a: fnv1a,
    MAX_SHOWN: MAX_SHOWN,
    PAGE_SIZE: PAGE_SIZE,
    compileSynonyms: compileSynonyms,
    docRank: docRank,
    markRanges: markRanges,
    snippet: snippet
  };
}));
