//! `kijun serve` end to end: the real binary on a free port, serving a temporary copy of the
//! mini fixture, edited while it runs.

mod serve_support;

use serve_support::{Server, TempSite, kijun};
use std::time::Duration;

const AM1_JA: &str = "content/measures/AM/AM-1.ja.md";
const AM1_PAGE: &str = "/ja/measures/am-1/";
const AM1_FILE: &str = "ja/measures/am-1/index.html";

fn changed(event: &serve_support::Event) -> Vec<String> {
    event.data["changed"]
        .as_array()
        .expect("a list of changed files")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_edit_rebuilds_the_page_and_signals_a_reload() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let before = server.get(AM1_PAGE);
    assert_eq!(before.status, 200);
    assert!(before.body.contains("資産台帳の整備"));
    assert!(
        before.body.contains("__kijun/live-reload.js?build="),
        "serve injects the reload client, stamped with the build"
    );

    let events = server.events();
    assert!(events.hello.data["problems"].is_null());
    site.replace(
        AM1_JA,
        "title = \"資産台帳の整備\"",
        "title = \"資産台帳の整備と更新\"",
    );
    let reload = events.next("reload");
    assert_ne!(reload.data["build"], events.hello.data["build"]);
    assert!(
        changed(&reload).contains(&AM1_FILE.to_string()),
        "{reload:?}"
    );
    let after = server.get(AM1_PAGE);
    assert!(
        after.body.contains("資産台帳の整備と更新"),
        "{}",
        after.body
    );

    // The search index and the downloads follow, after the pages, in a reload of their own.
    let rest = events.reload_changing("search/search-index.ja.js");
    assert!(!changed(&rest).contains(&AM1_FILE.to_string()), "{rest:?}");
    let index_js = server.get("/search/search-index.ja.js").body;
    assert!(index_js.contains("資産台帳の整備と更新"));

    // Editors that save by writing a temporary file and renaming it over the original.
    let text = site
        .read(AM1_JA)
        .replace("表計算ソフトで始める。", "台帳（改名で保存）");
    site.write_by_rename(AM1_JA, &text);
    let reload = events.reload_changing(AM1_FILE);
    assert!(server.get(AM1_PAGE).body.contains("台帳（改名で保存）"));
    // Only the pages whose bytes changed are listed: a body edit leaves other measures alone.
    assert!(!changed(&reload).contains(&"ja/measures/am-2/index.html".to_string()));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_file_and_line() {
    let site = TempSite::mini();
    let mut server = Server::start(site.root(), &[]);
    let events = server.events();
    let good = site.read(AM1_JA);
    site.replace(AM1_JA, "level = 1", "level = \"high\"");

    let problems = events.next("problems");
    // The error in the file just saved comes first, before its echoes in other files.
    let error = &problems.data["diagnostics"][0];
    assert_eq!(error["severity"], "error");
    assert_eq!(error["file"], AM1_JA);
    assert_eq!(error["line"], 5);
    assert!(
        server
            .stderr()
            .contains("content/measures/AM/AM-1.ja.md:5:")
    );
    server.wait_for_log("still serving the last good build");

    assert!(server.is_running(), "a bad edit must not stop the server");
    let page = server.get(AM1_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("資産台帳の整備"), "the last good page");
    // A page opened now learns about the problem as soon as it connects.
    let late = server.events();
    assert_eq!(late.hello.data["problems"][0]["file"], AM1_JA);

    site.write(AM1_JA, &good);
    events.next("reload");
    assert!(server.events().hello.data["problems"].is_null(), "fixed");
    server.wait_for_log("errors cleared");
}

#[test]
fn a_site_that_never_built_waits_for_the_fix() {
    let site = TempSite::mini();
    site.replace(AM1_JA, "level = 1", "level = \"high\"");
    let server = Server::start(site.root(), &[]);
    let waiting = server.get(AM1_PAGE);
    assert_eq!(waiting.status, 503);
    assert!(waiting.body.contains("/__kijun/live-reload.js"));
    let events = server.events();
    let problems = events.hello.data["problems"].as_array().unwrap().clone();
    assert!(
        problems
            .iter()
            .any(|d| d["file"] == AM1_JA && d["line"] == 5),
        "{problems:?}"
    );

    site.replace(AM1_JA, "level = \"high\"", "level = 1");
    events.next("reload");
    assert_eq!(server.get(AM1_PAGE).status, 200);
}

#[test]
fn traversal_in_any_form_is_refused() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    // The raw client itself works: a plain path is served.
    let ok = server.raw(b"GET /ja/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(ok.status, 200);
    let secret = site.path("secret.txt");
    std::fs::write(&secret, "top secret").unwrap();
    for target in [
        "/../kijun.toml",
        "/ja/../../kijun.toml",
        "/%2e%2e/kijun.toml",
        "/%2E%2E%2Fkijun.toml",
        "/%252e%252e/kijun.toml",
        "/..%2fkijun.toml",
        "/..%5ckijun.toml",
        "/..\\kijun.toml",
        "/static/..\\..\\secret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/index.html%00.css",
        "/../../../../../../etc/passwd",
        "/C:/Windows/win.ini",
        "http://127.0.0.1/../kijun.toml",
        "../kijun.toml",
        "/.git/config",
    ] {
        let raw = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let r = server.raw(raw.as_bytes());
        // 400, not 404: refused as a request, not looked up and missed.
        assert_eq!(r.status, 400, "{target} gave {} {}", r.status, r.body);
        assert!(!r.body.contains("top secret") && !r.body.contains("root:"));
        assert!(!r.body.contains("base_url"), "{target} leaked kijun.toml");
    }
    // An absolute file-system path is just a path into the site, which has no such file.
    let r = server.get("/etc/passwd");
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("root:"));
    // A raw NUL byte in the request line.
    let r = server
        .raw(b"GET /ja/\0/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 400, "{r:?}");
    // Files next to the site that are not part of it are never served.
    assert_eq!(server.get("/secret.txt").status, 404);
    assert_eq!(server.get("/kijun.toml").status, 404);
    assert_eq!(server.get("/content/measures/AM/AM-1.ja.md").status, 404);
}

#[test]
fn serves_like_a_static_host() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/ja/", "text/html; charset=utf-8"),
        ("/static/css/kijun.css", "text/css; charset=utf-8"),
        (
            "/downloads/baseline.json",
            "application/json; charset=utf-8",
        ),
        ("/__kijun/live-reload.js", "text/javascript; charset=utf-8"),
        ("/__kijun/live-reload.css", "text/css; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(content_type), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    let json: serde_json::Value =
        serde_json::from_str(&server.get("/downloads/baseline.json").body).unwrap();
    assert_eq!(json["schema"], "kijun-baseline/1");

    let folder = server.get("/ja/measures/am-1?x=1");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/ja/measures/am-1/?x=1"));

    let missing = server.get("/ja/measures/zz-9/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's 404 page");
    assert!(missing.body.contains("__kijun/live-reload.js"));

    let head = server.raw(b"HEAD /ja/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = server.raw(
        b"POST /ja/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(post.status, 405);
}

#[test]
fn theme_folders_created_later_are_watched_and_template_edits_reload() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    // The mini site uses the built-in theme until it gets a themes/default/ of its own.
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    serve_support::copy_tree(&theme, &site.path("themes/default"));
    // The rebuild that picked up the new folder has also started watching inside it.
    events.next("reload");

    let template = "themes/default/templates/measure.html";
    site.replace(
        template,
        "{% block main %}",
        "{% block main %}<p class=\"preview-marker\">テンプレート編集</p>",
    );
    events.reload_changing(AM1_FILE);
    assert!(server.get(AM1_PAGE).body.contains("preview-marker"));
    assert!(!server.get("/ja/").body.contains("preview-marker"));
}

#[test]
fn drafts_are_previewed_with_a_badge_and_left_out_of_builds() {
    let site = TempSite::mini();
    // AM-3: a new measure, marked draft in its ja file (where language-neutral fields live).
    let ja = site
        .read("content/measures/AM/AM-2.ja.md")
        .replacen("+++\n", "+++\ndraft = true\n", 1)
        .replace("id = \"AM-2\"", "id = \"AM-3\"")
        .replace("order = 2", "order = 3");
    site.write("content/measures/AM/AM-3.ja.md", &ja);
    let en = site.read("content/measures/AM/AM-2.en.md");
    site.write("content/measures/AM/AM-3.en.md", &en);
    let draft_page = "ja/measures/am-3/index.html";

    let out = tempfile::tempdir().unwrap();
    let published = out.path().join("published");
    let root = site.root().to_str().unwrap();
    let (code, _, err) = kijun(&[
        "build",
        "--root",
        root,
        "--out",
        published.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(published.join("ja/measures/am-1/index.html").exists());
    assert!(
        !published.join(draft_page).exists(),
        "drafts stay out of builds"
    );
    let manifest = std::fs::read_to_string(published.join("downloads/baseline.json")).unwrap();
    assert!(manifest.contains("\"AM-2\"") && !manifest.contains("\"AM-3\""));
    let built = std::fs::read_to_string(published.join("ja/index.html")).unwrap();
    assert!(!built.contains("__kijun"), "no reload client outside serve");

    let with_drafts = out.path().join("drafts");
    let (code, _, err) = kijun(&[
        "build",
        "--root",
        root,
        "--out",
        with_drafts.to_str().unwrap(),
        "--drafts",
    ]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(with_drafts.join(draft_page)).unwrap();
    assert!(page.contains("notice-draft"), "drafts carry the badge");

    let server = Server::start(site.root(), &[]);
    let served = server.get("/ja/measures/am-3/");
    assert_eq!(served.status, 200, "serve shows drafts by default");
    assert!(served.body.contains("notice-draft") && served.body.contains("badge-draft"));
    assert!(!server.get(AM1_PAGE).body.contains("notice-draft"));
    drop(server);

    let published_view = Server::start(site.root(), &["--no-drafts"]);
    assert_eq!(published_view.get("/ja/measures/am-3/").status, 404);
    assert_eq!(published_view.get("/ja/measures/am-2/").status, 200);
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = TempSite::mini();
    let root = site.root().to_str().unwrap();
    let (code, _, err) = kijun(&["serve", "--root", root, "--port", &port]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot listen on 127.0.0.1:"), "{err}");
    assert!(err.contains("--port 0"), "{err}");
}

#[test]
fn a_non_loopback_address_is_warned_about() {
    let site = TempSite::mini();
    let root = site.root().to_str().unwrap();
    // 192.0.2.1 (TEST-NET-1) is not this machine's, so nothing is exposed: binding fails after
    // the warning.
    let (code, _, err) = kijun(&[
        "serve",
        "--root",
        root,
        "--bind",
        "192.0.2.1",
        "--port",
        "0",
    ]);
    assert!(
        err.contains("warning: listening on 192.0.2.1 makes the preview"),
        "{err}"
    );
    assert_eq!(code, 2);
}

#[test]
fn unrelated_files_do_not_trigger_rebuilds() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    std::fs::create_dir_all(site.path("site")).unwrap();
    std::fs::write(site.path("site/index.html"), "output").unwrap();
    std::fs::write(site.path("notes.txt"), "x").unwrap();
    std::fs::write(site.path("content/measures/AM/.AM-1.ja.md.swp"), "x").unwrap();
    assert!(
        events.next_within(Duration::from_millis(800)).is_none(),
        "no rebuild for files the site does not read"
    );
}

#[test]
fn a_save_caught_halfway_shows_no_error() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    let text = site
        .read(AM1_JA)
        .replace("資産台帳の整備", "資産台帳（二段階で保存）");
    // A slow editor: the file is truncated, and written a moment later. A rebuild that runs in
    // between fails (an empty file), but its error is held back while the next save follows.
    site.write(AM1_JA, "");
    std::thread::sleep(Duration::from_millis(40));
    site.write(AM1_JA, &text);
    let first = events.next_within(serve_support::WAIT).expect("an event");
    assert_eq!(first.name, "reload", "{first:?}");
    assert!(
        server
            .get(AM1_PAGE)
            .body
            .contains("資産台帳（二段階で保存）")
    );
    assert!(!server.stderr().contains("failed"), "{}", server.stderr());
}

#[test]
fn kijun_toml_saved_by_rename_stays_watched() {
    let site = TempSite::mini();
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    let config = site.read("kijun.toml");
    // Atomic replace gives kijun.toml a new inode; the watch must follow the name.
    site.write_by_rename("kijun.toml", &config.replace("ミニ基準", "ミニ基準（改）"));
    events.reload_changing("ja/index.html");
    assert!(server.get("/ja/").body.contains("ミニ基準（改）"));
    site.write("kijun.toml", &config.replace("ミニ基準", "ミニ基準（再）"));
    events.reload_changing("ja/index.html");
    assert!(server.get("/ja/").body.contains("ミニ基準（再）"));
    // A typo in kijun.toml is reported with its line, like any source.
    site.write("kijun.toml", &config.replace("revision = ", "revison = "));
    let problems = events.next("problems");
    assert_eq!(problems.data["diagnostics"][0]["file"], "kijun.toml");
    assert_eq!(problems.data["diagnostics"][0]["line"], 3);
}

#[test]
fn a_folder_without_kijun_toml_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = kijun(&[
        "serve",
        "--root",
        empty.path().to_str().unwrap(),
        "--port",
        "0",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("has no kijun.toml"), "{err}");
}
