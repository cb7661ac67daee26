// The self-assessment's logic without the page: which measures apply, scores, the gap list,
// reading saved or imported ratings, and the JSON and CSV exports. No DOM here, so the Node tests
// run this file as it is (tests/node/assessment-model.test.mjs).
(function (global) {
  "use strict";

  var STATE_SCHEMA = "kijun-assessment-state/1";
  // Points per rating for the score; N/A and unrated measures are left out of it.
  var POINTS = { FI: 3, LI: 2, PI: 1, NI: 0 };
  var MAX_POINTS = 3;

  function emptyState() {
    return { sector: "", level: 1, ratings: {} };
  }

  function index(data) {
    if (data._index) return data._index;
    var byId = {}, categoryRank = {}, replacedBy = {};
    data.measures.forEach(function (m, i) { byId[m.id] = { measure: m, rank: i }; });
    data.categories.forEach(function (c, i) { categoryRank[c.id] = i; });
    data.measures.forEach(function (m) {
      (m.replaces || []).forEach(function (old) { replacedBy[old] = m.id; });
    });
    Object.defineProperty(data, "_index", {
      value: { byId: byId, categoryRank: categoryRank, replacedBy: replacedBy },
      enumerable: false,
    });
    return data._index;
  }

  function appliesTo(measure, sector) {
    return !sector || measure.sectors.length === 0 || measure.sectors.indexOf(sector) >= 0;
  }

  function obligationRank(m) {
    return m.obligation === "required" ? 0 : 1;
  }

  // The measures in scope: for the sector (or every sector when none is chosen), at or below the
  // target level. Checklist order: category, required before recommended, level, baseline order.
  function applicable(data, sector, level) {
    var idx = index(data);
    return data.measures
      .filter(function (m) { return m.level <= level && appliesTo(m, sector); })
      .sort(function (a, b) {
        return (idx.categoryRank[a.category] - idx.categoryRank[b.category]) ||
          (obligationRank(a) - obligationRank(b)) || (a.level - b.level) ||
          (idx.byId[a.id].rank - idx.byId[b.id].rank);
      });
  }

  function ratingOf(state, id) {
    var r = state.ratings[id];
    return (r && r.rating) || "";
  }

  // How a rating code is shown to people (pages, CSV): "N/A" as in the Excel checklist; files
  // and storage keep the code itself.
  function displayCode(rating) {
    return rating === "NA" ? "N/A" : rating;
  }

  function isGap(rating) {
    return rating === "" || rating === "PI" || rating === "NI";
  }

  // Applicable measures not rated, or rated PI or NI: required first, then by level, then in
  // baseline order.
  function gaps(data, state) {
    var idx = index(data);
    return applicable(data, state.sector, state.level)
      .filter(function (m) { return isGap(ratingOf(state, m.id)); })
      .sort(function (a, b) {
        return (obligationRank(a) - obligationRank(b)) || (a.level - b.level) ||
          (idx.byId[a.id].rank - idx.byId[b.id].rank);
      });
  }

  function tally(measures, state) {
    var t = { applicable: measures.length, rated: 0, counts: { FI: 0, LI: 0, PI: 0, NI: 0, NA: 0 }, score: null };
    var points = 0, scored = 0;
    measures.forEach(function (m) {
      var r = ratingOf(state, m.id);
      if (!r) return;
      t.rated += 1;
      t.counts[r] += 1;
      if (r in POINTS) { points += POINTS[r]; scored += 1; }
    });
    // Score: points earned as a share of the most the rated, applicable measures could earn.
    if (scored > 0) t.score = Math.round((100 * points) / (MAX_POINTS * scored));
    return t;
  }

  // Progress and score per category (categories with applicable measures) and overall.
  function summarize(data, state) {
    var measures = applicable(data, state.sector, state.level);
    var categories = data.categories
      .map(function (c) {
        var mine = measures.filter(function (m) { return m.category === c.id; });
        var t = tally(mine, state);
        t.id = c.id;
        t.title = c.title;
        return t;
      })
      .filter(function (t) { return t.applicable > 0; });
    return { categories: categories, overall: tally(measures, state) };
  }

  function cleanNote(note) {
    return typeof note === "string" ? note : "";
  }

  // Reads ratings saved in the browser or imported from a file, against this revision's measures.
  // Returns the usable state and what could not be used: measures this revision does not have
  // (`unknown`, with their entries kept in `orphans`), ratings carried over to the measure that
  // replaces a retired one (`carried`), and values that are not valid (`invalid`).
  function normalize(data, raw) {
    var idx = index(data);
    var result = { state: emptyState(), unknown: [], orphans: {}, carried: [], invalid: [] };
    if (!raw || typeof raw !== "object") return result;
    if (raw.sector !== undefined && raw.sector !== null && raw.sector !== "") {
      var known = data.sectors.some(function (s) { return s.id === raw.sector; });
      if (known) result.state.sector = raw.sector;
      else result.invalid.push("sector: " + String(raw.sector));
    }
    if (raw.level !== undefined && raw.level !== null) {
      var level = Number(raw.level);
      if (level === 1 || level === 2 || level === 3) result.state.level = level;
      else result.invalid.push("level: " + String(raw.level));
    }
    var entries = [];
    if (Array.isArray(raw.ratings)) {
      raw.ratings.forEach(function (e) {
        if (e && typeof e === "object" && typeof e.measure === "string") entries.push(e);
        else result.invalid.push("ratings: " + JSON.stringify(e));
      });
    } else if (raw.ratings && typeof raw.ratings === "object") {
      Object.keys(raw.ratings).forEach(function (id) {
        var e = raw.ratings[id];
        if (e && typeof e === "object") entries.push({ measure: id, rating: e.rating, note: e.note });
        else result.invalid.push(id + ": " + JSON.stringify(e));
      });
    }
    var later = [];
    entries.forEach(function (e) {
      var rating = e.rating === undefined || e.rating === null ? "" : e.rating;
      if (rating !== "" && data.ratings.indexOf(rating) < 0) {
        result.invalid.push(e.measure + ": " + JSON.stringify(rating));
        rating = "";
      }
      var entry = { rating: rating, note: cleanNote(e.note) };
      if (!entry.rating && !entry.note) return;
      if (idx.byId[e.measure]) result.state.ratings[e.measure] = entry;
      else later.push({ id: e.measure, entry: entry });
    });
    // Retired ids last, so a rating given to the new measure itself always wins.
    later.forEach(function (x) {
      var successor = idx.replacedBy[x.id];
      if (successor && !result.state.ratings[successor]) {
        result.state.ratings[successor] = x.entry;
        result.carried.push({ from: x.id, to: successor });
      } else {
        result.unknown.push(x.id);
        result.orphans[x.id] = x.entry;
      }
    });
    result.unknown.sort();
    return result;
  }

  // What the browser keeps: the state, plus ratings of measures this revision lacks, untouched.
  function toStored(data, state, orphans) {
    var ratings = {};
    Object.keys(orphans || {}).forEach(function (id) { ratings[id] = orphans[id]; });
    Object.keys(state.ratings).forEach(function (id) { ratings[id] = state.ratings[id]; });
    return { schema: STATE_SCHEMA, revision: data.revision, sector: state.sector, level: state.level, ratings: ratings };
  }

  function ratedEntries(data, state) {
    return data.measures
      .filter(function (m) { return state.ratings[m.id]; })
      .map(function (m) {
        var e = state.ratings[m.id];
        return { measure: m.id, rating: e.rating || null, note: e.note || "" };
      });
  }

  // The export file: every rating of this revision's measures, in baseline order.
  function toExport(data, state, date) {
    return {
      schema: data.export_schema,
      site: data.site,
      revision: data.revision,
      date: date,
      language: data.lang,
      sector: state.sector || null,
      level: state.level,
      ratings: ratedEntries(data, state),
    };
  }

  function ImportError(code, detail) {
    this.code = code;
    this.detail = detail;
  }

  // Parses an exported file; throws ImportError("json" | "schema", detail) when it is not one.
  function parseImport(data, text) {
    var raw;
    try {
      raw = JSON.parse(String(text).replace(/^\uFEFF/, ""));
    } catch (e) {
      throw new ImportError("json", e.message);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new ImportError("schema", typeof raw);
    if (raw.schema !== data.export_schema) throw new ImportError("schema", String(raw.schema));
    var result = normalize(data, raw);
    result.revision = typeof raw.revision === "string" ? raw.revision : "";
    result.date = typeof raw.date === "string" ? raw.date : "";
    return result;
  }

  // A CSV cell: quoted when needed (RFC 4180), and a leading = + - @ neutralised so that a
  // spreadsheet never runs a note as a formula.
  function csvCell(value) {
    var s = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    if (/[",\r\n]/.test(s)) s = '"' + s.replace(/"/g, '""') + '"';
    return s;
  }

  // The applicable measures as CSV for Excel: UTF-8 with a byte-order mark (Excel in Japanese
  // otherwise reads Shift_JIS) and CRLF line ends. `label(key)` gives interface strings.
  function toCsv(data, state, label) {
    var header = ["id", "category", "measure", "obligation", "level", "rating", "rating_label", "note"]
      .map(function (k) { return label("assessment_csv_" + k); })
      .concat(data.frameworks.map(function (f) { return f.title; }));
    var titles = {};
    data.categories.forEach(function (c) { titles[c.id] = c.title; });
    var rows = applicable(data, state.sector, state.level).map(function (m) {
      var e = state.ratings[m.id] || {};
      var rating = e.rating || "";
      return [
        m.id, m.category + " " + titles[m.category], m.title, label(m.obligation), m.level,
        displayCode(rating), label(rating ? "assessment_rating_" + rating : "assessment_rating_unrated"), e.note || "",
      ].concat(data.frameworks.map(function (f) {
        return m.mappings
          .filter(function (x) { return x.framework === f.id; })
          .map(function (x) { return x.item; })
          .join("; ");
      }));
    });
    return "\uFEFF" + [header].concat(rows).map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  // Today in the user's time zone, YYYY-MM-DD.
  function localDate(d) {
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  global.KijunAssessment = {
    STATE_SCHEMA: STATE_SCHEMA,
    POINTS: POINTS,
    emptyState: emptyState,
    applicable: applicable,
    displayCode: displayCode,
    gaps: gaps,
    summarize: summarize,
    normalize: normalize,
    toStored: toStored,
    toExport: toExport,
    parseImport: parseImport,
    ImportError: ImportError,
    toCsv: toCsv,
    csvCell: csvCell,
    localDate: localDate,
  };
})(typeof window !== "undefined" ? window : globalThis);
