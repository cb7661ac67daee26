// The self-assessment page: builds the rating checklist from assessment/data.<lang>.js, keeps the
// ratings in this browser (localStorage), and shows progress, scores and gaps; exports JSON and
// CSV, imports JSON. Nothing leaves the browser. The rules (scope, score, gaps, file formats) are
// in assessment-model.js; this file only deals with the page.
(function () {
  "use strict";
  var data = window.KIJUN_ASSESSMENT_DATA;
  var model = window.KijunAssessment;
  var app = document.getElementById("assessment-app");
  if (!app || !model || !data || data.schema !== "kijun-assessment-data/1") return;

  // One key per site, the same for every revision and language, so ratings outlive a revision
  // and the Japanese and English pages share them.
  var STORAGE_KEY = "kijun-assessment:" + data.site;
  var root = document.body.getAttribute("data-root") || "";

  function byId(id) { return document.getElementById(id); }
  var els = {
    messages: byId("assessment-messages"),
    scope: byId("assessment-scope"),
    sector: byId("assessment-sector"),
    checklist: byId("assessment-checklist"),
    progress: byId("assessment-progress"),
    progressBar: byId("assessment-progress-bar"),
    summaryBody: byId("assessment-summary-body"),
    summaryFoot: byId("assessment-summary-foot"),
    gaps: byId("assessment-gaps"),
    gapsCount: byId("assessment-gaps-count"),
    date: byId("assessment-date"),
    reportSector: byId("assessment-report-sector"),
    reportLevel: byId("assessment-report-level"),
    importButton: byId("assessment-import"),
    importFile: byId("assessment-import-file"),
  };

  var state = model.emptyState();
  // Saved ratings of measures this revision does not have: kept, not shown.
  var orphans = {};
  var storageFailed = false;

  function t(key, vars) {
    var s = data.strings[key];
    if (s === undefined) s = key;
    if (vars) {
      Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    }
    return s;
  }

  function list(ids) { return ids.join(t("assessment_list_separator")); }

  // Creates an element; `text` sets its text, other props become attributes. Never innerHTML.
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === null || v === undefined) return;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k === "className" ? "class" : k, v);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function slug(id) { return id.toLowerCase().replace(/[^a-z0-9_-]+/g, "_"); }

  function ratingLabel(r) {
    return r ? model.displayCode(r) + " " + t("assessment_rating_" + r) : t("assessment_rating_unrated");
  }

  function badges(m) {
    return [
      el("span", { className: "badge badge-" + m.obligation, text: t(m.obligation) }), " ",
      el("span", { className: "badge badge-level", text: "Lv." + m.level }),
    ];
  }

  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  // ---- storage

  function save() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(model.toStored(data, state, orphans)));
    } catch (e) {
      if (!storageFailed) {
        storageFailed = true;
        showMessages([message(t("assessment_storage_failed", { detail: e.message }), "error")], false);
      }
    }
  }

  function load() {
    var text;
    try {
      text = window.localStorage.getItem(STORAGE_KEY);
    } catch (e) {
      storageFailed = true;
      return [message(t("assessment_storage_failed", { detail: e.message }), "error")];
    }
    if (!text) return [];
    var raw;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return [message(t("assessment_invalid_values", { items: STORAGE_KEY }), "warning")];
    }
    var result = model.normalize(data, raw);
    state = result.state;
    orphans = result.orphans;
    var notes = loadNotes(result);
    if (result.unknown.length) {
      var discard = el("button", { type: "button", className: "button-secondary", text: t("assessment_discard_unknown") });
      discard.addEventListener("click", function () {
        orphans = {};
        save();
        showMessages([message(t("assessment_discarded"), "ok")], true);
      });
      notes.unshift(message(t("assessment_unknown_stored", { revision: data.revision, ids: list(result.unknown) }), "warning", [" ", discard]));
    }
    if (result.carried.length) save();
    return notes;
  }

  function loadNotes(result) {
    var notes = result.carried.map(function (c) {
      return message(t("assessment_carried_over", { from: c.from, to: c.to }), "ok");
    });
    if (result.invalid.length) {
      notes.push(message(t("assessment_invalid_values", { items: list(result.invalid) }), "warning"));
    }
    return notes;
  }

  // ---- messages (import results, errors): one region, focused when the user caused them

  function message(text, kind, extra) {
    return el("p", { className: "message message-" + kind }, [text].concat(extra || []));
  }

  function showMessages(nodes, focus) {
    els.messages.textContent = "";
    if (!nodes.length) {
      els.messages.hidden = true;
      return;
    }
    nodes.forEach(function (n) { els.messages.appendChild(n); });
    var dismiss = el("button", { type: "button", className: "button-secondary message-dismiss", text: t("assessment_dismiss") });
    dismiss.addEventListener("click", function () {
      showMessages([], false);
      els.importButton.focus();
    });
    els.messages.appendChild(el("p", null, [dismiss]));
    els.messages.hidden = false;
    if (focus) els.messages.focus();
  }

  // ---- scope: sector and target level

  function syncScope() {
    els.sector.value = state.sector;
    els.scope.querySelectorAll("input[name=level]").forEach(function (input) {
      input.checked = Number(input.value) === state.level;
    });
  }

  els.scope.addEventListener("change", function (e) {
    if (e.target.name === "sector") state.sector = e.target.value;
    else if (e.target.name === "level") state.level = Number(e.target.value);
    else return;
    save();
    renderChecklist();
    update();
  });
  els.scope.addEventListener("submit", function (e) { e.preventDefault(); });

  // ---- the checklist: one fieldset of native radios per measure

  function measureFieldset(m) {
    var s = slug(m.id);
    var entry = state.ratings[m.id] || {};
    var current = entry.rating || "";
    var options = el("div", { className: "rating-options" });
    [""].concat(data.ratings).forEach(function (r) {
      var input = el("input", { type: "radio", name: "rating-" + s, value: r, "data-measure": m.id });
      input.checked = r === current;
      var text = r ? [el("span", { className: "rating-code", text: model.displayCode(r) }), " " + t("assessment_rating_" + r)] : [t("assessment_rating_unrated")];
      options.appendChild(el("label", { className: "rating-option rating-" + (r || "unrated") }, [input, " "].concat(text)));
    });
    var noteId = "assessment-note-" + s;
    var note = el("textarea", { id: noteId, rows: "2", className: "assessment-note", "data-measure": m.id });
    note.value = entry.note || "";
    var fieldset = el("fieldset", { className: "assessment-measure", id: "m-" + s, "data-measure": m.id }, [
      el("legend", null, [el("span", { className: "measure-id", text: m.id }), " " + m.title + " "].concat(badges(m))),
      el("p", { className: "measure-statement", text: m.statement }),
      options,
      el("p", { className: "note-field" }, [el("label", { for: noteId, text: t("assessment_note_label") }), note]),
      el("p", { className: "print-only rating-print" }),
      el("p", { className: "print-only note-print" }),
      el("p", { className: "measure-link" }, [
        el("a", { href: root + m.href }, [t("assessment_details"), el("span", { className: "visually-hidden", text: " (" + m.id + ")" })]),
      ]),
    ]);
    updatePrintText(fieldset);
    return fieldset;
  }

  function renderChecklist() {
    var measures = model.applicable(data, state.sector, state.level);
    els.checklist.textContent = "";
    if (!measures.length) {
      els.checklist.appendChild(el("p", { text: t("assessment_no_measures") }));
      return;
    }
    data.categories.forEach(function (c) {
      var mine = measures.filter(function (m) { return m.category === c.id; });
      if (!mine.length) return;
      var headingId = "assessment-cat-" + slug(c.id);
      var section = el("section", { className: "assessment-category", "aria-labelledby": headingId }, [
        el("h3", { id: headingId }, [
          el("span", { className: "cat-id", text: c.id }), " " + c.title + " ",
          el("span", { className: "category-progress", "data-category": c.id }),
        ]),
      ]);
      mine.forEach(function (m) { section.appendChild(measureFieldset(m)); });
      els.checklist.appendChild(section);
    });
  }

  function setEntry(id, patch) {
    var old = state.ratings[id] || { rating: "", note: "" };
    var next = {
      rating: patch.rating !== undefined ? patch.rating : old.rating,
      note: patch.note !== undefined ? patch.note : old.note,
    };
    if (!next.rating && !next.note) delete state.ratings[id];
    else state.ratings[id] = next;
  }

  els.checklist.addEventListener("change", function (e) {
    if (e.target.type !== "radio") return;
    setEntry(e.target.getAttribute("data-measure"), { rating: e.target.value });
    save();
    updatePrintText(e.target.closest("fieldset"));
    update();
  });
  els.checklist.addEventListener("input", function (e) {
    if (e.target.tagName !== "TEXTAREA") return;
    var id = e.target.getAttribute("data-measure");
    setEntry(id, { note: e.target.value });
    save();
    updatePrintText(e.target.closest("fieldset"));
  });

  // What the printed report shows in place of the radios and the text box.
  function updatePrintText(fieldset) {
    var entry = state.ratings[fieldset.getAttribute("data-measure")] || {};
    fieldset.setAttribute("data-rating", entry.rating || "unrated");
    fieldset.querySelector(".rating-print").textContent = t("assessment_rating_print", { rating: ratingLabel(entry.rating || "") });
    var note = fieldset.querySelector(".note-print");
    note.textContent = entry.note ? t("assessment_note_print", { note: entry.note }) : "";
    note.hidden = !entry.note;
  }

  // ---- results: progress, summary table, gaps, report header

  function scoreText(score) {
    return score === null ? t("assessment_score_none") : t("assessment_score_value", { score: score });
  }

  function summaryRow(cells, header) {
    return el("tr", null, [el("th", { scope: "row" }, header)].concat(cells.map(function (c) {
      return el("td", { text: String(c) });
    })));
  }

  function tallyCells(x) {
    return [x.rated + " / " + x.applicable]
      .concat(data.ratings.map(function (r) { return x.counts[r]; }))
      .concat([scoreText(x.score)]);
  }

  function renderSummary(summary) {
    els.summaryBody.textContent = "";
    summary.categories.forEach(function (c) {
      els.summaryBody.appendChild(summaryRow(tallyCells(c), [el("span", { className: "cat-id", text: c.id }), " " + c.title]));
    });
    els.summaryFoot.textContent = "";
    els.summaryFoot.appendChild(summaryRow(tallyCells(summary.overall), [t("assessment_overall")]));
    summary.categories.forEach(function (c) {
      var span = els.checklist.querySelector('.category-progress[data-category="' + c.id + '"]');
      if (span) span.textContent = t("assessment_category_progress", { rated: c.rated, total: c.applicable });
    });
    var o = summary.overall;
    var text = t("assessment_progress", { rated: o.rated, total: o.applicable, score: scoreText(o.score) });
    // Only a real change reaches screen readers through the live region.
    if (els.progress.textContent !== text) els.progress.textContent = text;
    els.progressBar.max = Math.max(o.applicable, 1);
    els.progressBar.value = o.rated;
  }

  // Per framework: where the measure stands for an operator who follows it, the related items,
  // and what the measure asks beyond the framework.
  function mappingList(m) {
    var dl = el("dl", { className: "gap-mappings" });
    data.frameworks.forEach(function (f) {
      var rows = m.mappings.filter(function (x) { return x.framework === f.id; });
      var cw = (m.crosswalks || []).filter(function (x) { return x.framework === f.id; })[0];
      if (!rows.length && !cw) return;
      dl.appendChild(el("dt", { "data-framework": f.id }, [
        f.title + " ",
        cw ? el("span", { className: "gap-status status-" + cw.status, text: "(" + t(cw.status_key) + ")" }) : "",
      ]));
      rows.forEach(function (x) {
        dl.appendChild(el("dd", { "data-framework": f.id, "data-item": x.item }, [
          el("span", { className: "item-id", text: x.item }), " ",
          el("span", { lang: x.title_lang, text: x.title }), " ",
          el("span", { className: "relation", text: "(" + t("rel_" + x.relation) + ")" }),
        ]));
      });
      if (cw && cw.remains) {
        dl.appendChild(el("dd", { className: "gap-remains", "data-framework": f.id }, [
          el("strong", { text: t("what_remains_label") }), cw.remains,
        ]));
      }
    });
    if (!dl.children.length) return el("p", { className: "gap-mappings-none", text: t("assessment_no_mappings") });
    return el("div", { className: "gap-maps" }, [el("p", { className: "maps-to", text: t("assessment_maps_to") }), dl]);
  }

  // Gap entries are kept per measure and moved rather than rebuilt, so that one rating costs a
  // few DOM changes even when the list is long.
  var gapNodes = {};

  function gapNode(m) {
    var node = gapNodes[m.id];
    if (!node) {
      var link = el("a", { href: "#m-" + slug(m.id), className: "gap-link", "data-measure": m.id }, [
        el("span", { className: "measure-id", text: m.id }), " " + m.title,
      ]);
      node = el("li", { className: "gap", "data-measure": m.id }, [
        el("p", { className: "gap-title" }, [link, " "].concat(badges(m)).concat([" ", el("span", { className: "gap-rating" })])),
        mappingList(m),
      ]);
      gapNodes[m.id] = node;
    }
    var rating = (state.ratings[m.id] || {}).rating || "";
    var label = node.querySelector(".gap-rating");
    label.className = "gap-rating rating-" + (rating || "unrated");
    label.textContent = ratingLabel(rating);
    return node;
  }

  var noGaps = null;

  function renderGaps() {
    var nodes = model.gaps(data, state).map(gapNode);
    els.gapsCount.textContent = t("assessment_gaps_count", { n: nodes.length });
    if (!nodes.length) {
      noGaps = noGaps || el("li", { className: "no-gaps", text: t("assessment_no_gaps") });
      nodes = [noGaps];
    }
    var keep = new Set(nodes);
    Array.prototype.slice.call(els.gaps.children).forEach(function (child) {
      if (!keep.has(child)) child.remove();
    });
    var cursor = els.gaps.firstElementChild;
    nodes.forEach(function (node) {
      if (node === cursor) cursor = cursor.nextElementSibling;
      else els.gaps.insertBefore(node, cursor);
    });
  }

  // From a gap straight to its radios, for keyboard users.
  els.gaps.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a.gap-link");
    if (!link) return;
    var fieldset = byId("m-" + slug(link.getAttribute("data-measure")));
    if (!fieldset) return;
    e.preventDefault();
    var radio = fieldset.querySelector("input[type=radio]:checked") || fieldset.querySelector("input[type=radio]");
    fieldset.scrollIntoView();
    radio.focus();
  });

  function updateReport() {
    els.date.textContent = model.localDate(new Date());
    var sector = data.sectors.filter(function (s) { return s.id === state.sector; })[0];
    els.reportSector.textContent = sector ? sector.title : t("assessment_sector_any");
    els.reportLevel.textContent = "Lv." + state.level;
  }

  function update() {
    renderSummary(model.summarize(data, state));
    renderGaps();
    updateReport();
  }

  // ---- export, import, print, clear

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a", { href: url, download: name, hidden: "" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function fileName(date, ext) {
    return "kijun-assessment-" + String(data.revision).replace(/[^A-Za-z0-9._-]+/g, "_") + "-" + date + "." + ext;
  }

  byId("assessment-export-json").addEventListener("click", function () {
    var date = model.localDate(new Date());
    var json = JSON.stringify(model.toExport(data, state, date), null, 2) + "\n";
    download(fileName(date, "json"), "application/json", json);
  });

  byId("assessment-export-csv").addEventListener("click", function () {
    var date = model.localDate(new Date());
    download(fileName(date, "csv"), "text/csv;charset=utf-8", model.toCsv(data, state, t));
  });

  els.importButton.addEventListener("click", function () {
    els.importFile.value = "";
    els.importFile.click();
  });

  els.importFile.addEventListener("change", function () {
    var file = els.importFile.files && els.importFile.files[0];
    if (!file) return;
    file.text().then(function (text) { applyImport(file.name, text); }, function (err) {
      showMessages([message(t("assessment_import_unreadable", { file: file.name, detail: String(err && err.message || err) }), "error")], true);
    });
  });

  function applyImport(name, text) {
    var result;
    try {
      result = model.parseImport(data, text);
    } catch (e) {
      if (!(e instanceof model.ImportError)) throw e;
      var key = e.code === "json" ? "assessment_import_not_json" : "assessment_import_wrong_schema";
      showMessages([message(t(key, { file: name, detail: e.detail, schema: e.detail, expected: data.export_schema }), "error")], true);
      return;
    }
    var previous = { state: clone(state), orphans: clone(orphans) };
    state = result.state;
    orphans = {};
    save();
    syncScope();
    renderChecklist();
    update();
    var rated = Object.keys(state.ratings).filter(function (id) { return state.ratings[id].rating; }).length;
    var notes = [message(t("assessment_imported", { file: name, n: rated, revision: result.revision || "?", date: result.date || "?" }), "ok")];
    if (result.unknown.length) {
      notes.push(message(t("assessment_unknown_imported", { revision: data.revision, ids: list(result.unknown) }), "warning"));
    }
    notes = notes.concat(loadNotes(result));
    var undo = el("button", { type: "button", className: "button-secondary", text: t("assessment_undo_import") });
    undo.addEventListener("click", function () {
      state = previous.state;
      orphans = previous.orphans;
      save();
      syncScope();
      renderChecklist();
      update();
      showMessages([message(t("assessment_import_undone"), "ok")], true);
    });
    notes.push(el("p", null, [undo]));
    showMessages(notes, true);
  }

  byId("assessment-print").addEventListener("click", function () {
    updateReport();
    window.print();
  });
  window.addEventListener("beforeprint", updateReport);

  byId("assessment-clear").addEventListener("click", function () {
    if (!window.confirm(t("assessment_clear_confirm"))) return;
    state = { sector: state.sector, level: state.level, ratings: {} };
    orphans = {};
    save();
    renderChecklist();
    update();
    showMessages([message(t("assessment_cleared"), "ok")], true);
  });

  // Another tab of this site (the other language, say) saved: take its state, so that neither
  // tab overwrites the other's ratings with an older copy.
  window.addEventListener("storage", function (e) {
    if (e.key !== STORAGE_KEY && e.key !== null) return;
    var focused = focusSelector();
    state = model.emptyState();
    orphans = {};
    load();
    syncScope();
    renderChecklist();
    update();
    var again = focused && els.checklist.querySelector(focused);
    if (again) again.focus({ preventScroll: true });
  });

  // Where focus is in the checklist, as a selector that finds the same control once rebuilt.
  function focusSelector() {
    var a = document.activeElement;
    if (!a || !els.checklist.contains(a)) return null;
    if (a.id) return "#" + a.id;
    if (a.type === "radio") return 'input[name="' + a.name + '"][value="' + a.value + '"]';
    return null;
  }

  // ---- start

  var notes = load();
  syncScope();
  byId("assessment-static").hidden = true;
  app.hidden = false;
  renderChecklist();
  update();
  if (notes.length) showMessages(notes, false);
})();
