// kijun serve's live-reload client: reloads the page when a rebuild changed it, and shows
// build errors over the page until they are fixed. Served by `kijun serve` only; a built site
// never contains it. Everything shown is built with DOM APIs and textContent (no innerHTML).
(function () {
  "use strict";
  var script = document.currentScript;
  var own = new URL(script.src);
  var eventsUrl = new URL("events", own).href;
  var scrollKey = "kijun-serve-scroll";
  // The build this page was served from (added to the script URL by the server).
  var build = own.searchParams.get("build");
  var source = null;
  var root = document.documentElement;
  // A 404 or "not built yet" page may become a real page with any rebuild.
  var anyChange = document.body === null || document.body.classList.contains("kind-404") ||
    root.hasAttribute("data-kijun-waiting");

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("live-reload.css", own).href;
  document.head.appendChild(style);

  restoreScroll();

  /** The site file a URL on this server names: `/ja/x/` → `ja/x/index.html`. */
  function sitePath(url) {
    var parsed = new URL(url, location.href);
    if (parsed.origin !== location.origin) return null;
    var path = decodeURIComponent(parsed.pathname).replace(/^\//, "");
    if (path === "" || path.charAt(path.length - 1) === "/") path += "index.html";
    return path;
  }

  /** This page and the scripts and stylesheets it loads (such as the search index). */
  function filesOfThisPage() {
    var files = [sitePath(location.href)];
    document.querySelectorAll("script[src], link[rel~=stylesheet][href]").forEach(function (el) {
      var path = sitePath(el.src || el.href);
      if (path) files.push(path);
    });
    return files;
  }

  function concernsThisPage(changed) {
    if (changed === null || anyChange) return true;
    var mine = filesOfThisPage();
    // A page with a search index loads the parts of a split one as queries need them, and
    // drops their script tags: any part may be one it holds.
    var searches = mine.some(function (path) { return path.indexOf("search/") === 0; });
    return changed.some(function (path) {
      // Theme files (images, fonts, CSS) may be used by any page.
      return mine.indexOf(path) >= 0 || path.indexOf("static/") === 0 ||
        (searches && path.indexOf("search/") === 0);
    });
  }

  // Whether a build after this page's changed it (or it cannot tell: too long ago).
  function missedChanges(recent) {
    var since = -1;
    (recent || []).forEach(function (r, i) { if (r.build === build) since = i; });
    if (since < 0) return true;
    return recent.slice(since + 1).some(function (r) { return concernsThisPage(r.changed); });
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ path: location.pathname, x: scrollX, y: scrollY }));
    } catch (e) { /* storage off: reload at the top */ }
    root.setAttribute("data-kijun-live", "reloading");
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(scrollKey));
      sessionStorage.removeItem(scrollKey);
    } catch (e) { return; }
    if (saved && saved.path === location.pathname) {
      addEventListener("load", function () { scrollTo(saved.x, saved.y); });
    }
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function hideProblems() {
    var old = document.getElementById("kijun-problems");
    if (old) old.remove();
    root.removeAttribute("data-kijun-problems");
  }

  function showProblems(diagnostics) {
    hideProblems();
    var errors = diagnostics.filter(function (d) { return d.severity === "error"; });
    var box = element("section", "kijun-problems");
    box.id = "kijun-problems";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "kijun-problems-title");
    var title = element("h2", "kijun-problems-title",
      "ビルドエラー " + errors.length + " 件 — the build failed with " + errors.length + " error(s)");
    title.id = "kijun-problems-title";
    box.appendChild(title);
    box.appendChild(element("p", "kijun-problems-note",
      "前回成功したビルドを表示しています。ファイルを直して保存すると、この表示は消えます。" +
      " The last good build is shown; fix the file and save to clear this."));
    var list = element("ol", "kijun-problems-list");
    var shown = diagnostics.slice(0, 50);
    shown.forEach(function (d) {
      var item = element("li", "kijun-problem kijun-problem-" + d.severity);
      var where = element("code", "kijun-problem-where", d.file + ":" + d.line + ":" + d.column);
      item.appendChild(where);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("strong", "kijun-problem-severity", d.severity + ":"));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", "kijun-problem-message", d.message));
      if (d.help) item.appendChild(element("p", "kijun-problem-help", "help: " + d.help));
      list.appendChild(item);
    });
    box.appendChild(list);
    if (diagnostics.length > shown.length) {
      box.appendChild(element("p", "kijun-problems-more",
        "… " + (diagnostics.length - shown.length) + " more in the terminal"));
    }
    var close = element("button", "kijun-problems-close", "閉じる / Dismiss");
    close.type = "button";
    close.addEventListener("click", hideProblems);
    box.appendChild(close);
    document.body.appendChild(box);
    root.setAttribute("data-kijun-problems", String(errors.length));
  }

  function connect() {
    if (source) return;
    source = new EventSource(eventsUrl);
    source.addEventListener("hello", function (e) {
      var status = JSON.parse(e.data);
      // Rebuilds happened while this page was loading or away: reload if one changed it.
      if (build !== null && status.build !== build && missedChanges(status.recent)) { reload(); return; }
      build = status.build;
      if (status.problems) showProblems(status.problems); else hideProblems();
      root.setAttribute("data-kijun-live", "connected");
    });
    source.addEventListener("reload", function (e) {
      var news = JSON.parse(e.data);
      build = news.build;
      if (concernsThisPage(news.changed)) { reload(); return; }
      hideProblems();
    });
    source.addEventListener("problems", function (e) {
      showProblems(JSON.parse(e.data).diagnostics);
    });
    // EventSource reconnects by itself after the server restarts; the hello then tells.
  }

  function disconnect() {
    if (source) { source.close(); source = null; }
    root.setAttribute("data-kijun-live", "paused");
  }

  // Browsers allow only a few connections per server: hidden tabs give theirs up and catch
  // up (reloading if they missed a rebuild) when shown again.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") disconnect(); else connect();
  });
  addEventListener("pagehide", disconnect);
  addEventListener("pageshow", function () { if (document.visibilityState !== "hidden") connect(); });
  if (document.visibilityState !== "hidden") connect();
}());
