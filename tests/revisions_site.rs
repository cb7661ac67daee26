//! The revision history in a built site: changes pages, "last changed" on measure pages,
//! redirect pages at renumbered ids, Atom feeds, and errors in the history.
//!
//! tests/fixtures/history has three revisions (revisions/README.md there tells the story):
//! hist-0 → hist-1: AM-1 retitled, AM-2 added, NS-9 renumbered to AM-9, AC-9 split into AC-1 and
//! AC-2, AC-5 removed; hist-1 → hist-2 (the sources): AM-9 renumbered to AM-3, AC-1 level 2 → 1,
//! AM-2 also for medical and its T-3 row changed from not-related to intersects-with.

mod common;
use common::*;
use std::fs;
use std::path::Path;

fn built_history_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = build(&fixture("history"), &site);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, site)
}

fn read(site: &Path, rel: &str) -> String {
    fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text of the element with `id="…"` up to the end of its line (the templates put each
/// change on its own line).
fn line_with_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no id {id}"));
    let end = html[at..].find('\n').map_or(html.len(), |e| at + e);
    &html[at..end]
}

/// The href attributes in `html`, resolved against the page at `page` (site-relative).
fn links_from(page: &str, html: &str) -> Vec<String> {
    let base_depth = page.matches('/').count();
    html.split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .filter(|h| !h.starts_with("http") && !h.starts_with('#'))
        .map(|h| {
            let up = h.matches("../").count();
            assert_eq!(
                up, base_depth,
                "{h} is relative to the site root from {page}"
            );
            h.trim_start_matches("../").to_string()
        })
        .collect()
}

#[test]
fn the_changes_page_lists_every_change_of_each_revision_with_links() {
    let (_tmp, site) = built_history_site();
    let en = read(&site, "en/changes/index.html");
    // Newest first, each revision a section with its own anchor.
    let order: Vec<usize> = ["rev-hist-2", "rev-hist-1", "rev-hist-0"]
        .iter()
        .map(|a| {
            en.find(&format!("<section class=\"revision-changes\" id=\"{a}\""))
                .unwrap()
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "newest first");
    let current = &en[order[0]..order[1]];
    assert!(
        current.contains(
            "Compared with revision hist-1: 0 added, 1 renumbered, 2 changed, 0 removed."
        )
    );
    assert!(current.contains("<span class=\"badge badge-change\">Renumbered</span>\n      <span class=\"measure-id\">AM-9</span>"));
    assert!(
        line_with_id(current, "rev-hist-2-am-3")
            .contains("href=\"../../en/measures/am-3/index.html\"")
    );
    assert!(current.contains("<dt>Level</dt>\n        <dd>Lv.2 <span aria-hidden=\"true\">→</span><span class=\"visually-hidden\">became</span> Lv.1</dd>"));
    assert!(
        current.contains("<dt>Sectors</dt>\n        <dd>now also applies to: Medical care</dd>"),
        "{current}"
    );
    assert!(
        current.contains("<li>Changed T-3 (Not related → Intersects with)</li>"),
        "{current}"
    );

    let earlier = &en[order[1]..order[2]];
    assert!(
        earlier.contains(
            "Compared with revision hist-0: 1 added, 2 renumbered, 1 changed, 1 removed."
        )
    );
    assert!(line_with_id(earlier, "rev-hist-1-am-2").contains("Software bill of materials"));
    assert!(earlier.contains("<span class=\"badge badge-change\">Split</span>\n      <span class=\"measure-id\">AC-9</span>"));
    // AM-9 no longer exists: its entry links to where it lives now.
    assert!(
        line_with_id(earlier, "rev-hist-1-am-9")
            .contains("href=\"../../en/measures/am-3/index.html\"")
    );
    // A removed measure is listed without a link.
    let removed = line_with_id(earlier, "rev-hist-1-ac-5");
    assert!(
        removed.contains("AC-5</span> Smart cards") && !removed.contains("href"),
        "{removed}"
    );
    // Japanese text on the English page is marked as Japanese.
    assert!(
        earlier.contains("<dt>Title (日本語)</dt>\n        <dd lang=\"ja\">IT資産台帳"),
        "{earlier}"
    );
    assert!(en[order[2]..].contains("The oldest recorded revision"));

    let ja = read(&site, "ja/changes/index.html");
    assert!(
        ja.contains("改訂 hist-1 との比較： 追加 0件、番号変更等 1件、変更 2件、削除 0件。"),
        "{ja}"
    );
    assert!(ja.contains("<dd>Lv.2 <span aria-hidden=\"true\">→</span><span class=\"visually-hidden\">から</span> Lv.1</dd>"));
    // The page's language first: AM-1's Japanese title change comes before the English one,
    // on each page (#21).
    let (ja_title, en_title) = (
        ja.find("IT資産台帳").unwrap(),
        ja.find("IT asset register").unwrap(),
    );
    assert!(ja_title < en_title, "ja first on the ja page");
    let (ja_title, en_title) = (
        en.find("IT資産台帳").unwrap(),
        en.find("IT asset register").unwrap(),
    );
    assert!(en_title < ja_title, "en first on the en page");

    // Every link on the page leads to a file of the site.
    for page in ["en/changes/index.html", "ja/changes/index.html"] {
        for link in links_from(page, &read(&site, page)) {
            let path = link.split('#').next().unwrap();
            assert!(site.join(path).is_file(), "{page} links to missing {link}");
        }
    }
}

#[test]
fn measure_pages_say_in_which_revision_they_last_changed() {
    let (_tmp, site) = built_history_site();
    let changes = read(&site, "ja/changes/index.html");
    for (id, revision) in [
        ("am-1", "hist-1"),
        ("am-2", "hist-2"),
        ("am-3", "hist-2"),
        ("ac-1", "hist-2"),
        ("ac-2", "hist-1"),
    ] {
        let page = read(&site, &format!("ja/measures/{id}/index.html"));
        let anchor = format!("rev-{revision}-{id}");
        let expected = format!(
            "<dt>最終変更</dt><dd class=\"last-changed\"><a href=\"../../../ja/changes/index.html#{anchor}\">改訂 {revision}</a>"
        );
        assert!(page.contains(&expected), "{id}: {expected}");
        assert!(
            changes.contains(&format!("id=\"{anchor}\"")),
            "the link target {anchor} exists"
        );
    }
}

#[test]
fn old_measure_urls_lead_to_the_measures_that_replace_them() {
    let (_tmp, site) = built_history_site();
    // NS-9 (hist-0) became AM-9 (hist-1), then AM-3 (hist-2): both old URLs lead to AM-3.
    for (lang, old) in [
        ("ja", "ns-9"),
        ("ja", "am-9"),
        ("en", "ns-9"),
        ("en", "am-9"),
    ] {
        let page = read(&site, &format!("{lang}/measures/{old}/index.html"));
        let target = format!("../../../{lang}/measures/am-3/index.html");
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={target}\">"
            )),
            "{page}"
        );
        assert!(page.contains(&format!(
            "<link rel=\"canonical\" href=\"https://example.org/hist/{lang}/measures/am-3/\">"
        )));
        assert!(
            page.contains(&format!("<a href=\"{target}\">AM-3 ")),
            "visible link"
        );
        assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
    // AC-9 was split: its page lists both successors and does not redirect.
    let split = read(&site, "en/measures/ac-9/index.html");
    assert!(!split.contains("http-equiv=\"refresh\""));
    assert!(split.contains("<h1>AC-9 was split into AC-1, AC-2</h1>"));
    assert!(split.contains(
        "<a href=\"../../../en/measures/ac-1/index.html\">AC-1 Multi-factor authentication</a>"
    ));
    assert!(
        split.contains("<a href=\"../../../en/measures/ac-2/index.html\">AC-2 Account review</a>")
    );
    // A removed measure with no successor gets a page saying it was withdrawn (issue #21
    // withdrawn; tests/withdrawn.rs), not a redirect.
    let withdrawn = read(&site, "en/measures/ac-5/index.html");
    assert!(!withdrawn.contains("http-equiv=\"refresh\""));
    assert!(
        withdrawn.contains("<h1>AC-5 was withdrawn</h1>"),
        "{withdrawn}"
    );
    assert!(
        withdrawn.contains("#rev-hist-1\">hist-1</a>"),
        "{withdrawn}"
    );
}

#[test]
fn the_feed_is_atom_with_an_entry_per_revision() {
    let (_tmp, site) = built_history_site();
    for lang in ["ja", "en"] {
        let xml = read(&site, &format!("{lang}/feed.xml"));
        let doc =
            roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{lang}/feed.xml: {e}"));
        let atom = "http://www.w3.org/2005/Atom";
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().namespace(), Some(atom));
        assert_eq!(feed.tag_name().name(), "feed");
        let child = |n: roxmltree::Node<'_, '_>, name: &str| -> String {
            n.children()
                .find(|c| c.has_tag_name((atom, name)))
                .and_then(|c| c.text())
                .unwrap_or_else(|| panic!("<{name}> in {lang}/feed.xml"))
                .to_string()
        };
        let changes_url = format!("https://example.org/hist/{lang}/changes/");
        assert_eq!(
            child(feed, "id"),
            format!("https://example.org/hist/{lang}/feed.xml")
        );
        assert_eq!(
            child(feed, "updated"),
            "2026-03-01T00:00:00Z",
            "the newest revision's date"
        );
        assert!(!child(feed, "title").is_empty());
        let author = feed
            .children()
            .find(|c| c.has_tag_name((atom, "author")))
            .unwrap();
        assert!(!child(author, "name").is_empty());
        let self_link = feed
            .children()
            .find(|c| c.has_tag_name((atom, "link")) && c.attribute("rel") == Some("self"))
            .unwrap();
        assert_eq!(
            self_link.attribute("href"),
            Some(child(feed, "id").as_str())
        );

        let entries: Vec<_> = feed
            .children()
            .filter(|c| c.has_tag_name((atom, "entry")))
            .collect();
        let got: Vec<(String, String, String)> = entries
            .iter()
            .map(|e| {
                let link = e
                    .children()
                    .find(|c| {
                        c.has_tag_name((atom, "link")) && c.attribute("rel") == Some("alternate")
                    })
                    .and_then(|l| l.attribute("href"))
                    .unwrap()
                    .to_string();
                assert_eq!(child(*e, "id"), link);
                assert!(!child(*e, "title").is_empty() && !child(*e, "summary").is_empty());
                (child(*e, "updated"), link, child(*e, "summary"))
            })
            .collect();
        let expected = [
            ("hist-2", "2026-03-01"),
            ("hist-1", "2026-01-15"),
            ("hist-0", "2025-10-01"),
        ];
        assert_eq!(got.len(), expected.len());
        let page = read(&site, &format!("{lang}/changes/index.html"));
        for ((updated, link, _), (rev, date)) in got.iter().zip(expected) {
            assert_eq!(updated, &format!("{date}T00:00:00Z"));
            assert_eq!(link, &format!("{changes_url}#rev-{rev}"));
            assert!(
                page.contains(&format!("id=\"rev-{rev}\"")),
                "entry {rev} has a section"
            );
        }
        // Each change names the measure with its title, punctuated as the language is (#21).
        if lang == "en" {
            assert_eq!(
                got[0].2,
                "Compared with revision hist-1: Renumbered, split or merged: AM-9 → AM-3 Asset labels. Changed: AM-2 Software bill of materials, AC-1 Multi-factor authentication."
            );
        } else {
            assert_eq!(
                got[0].2,
                "改訂 hist-1 との比較：番号変更・分割・統合：AM-9 → AM-3 資産ラベルの貼付。変更：AM-2 ソフトウェア部品表（SBOM）、AC-1 多要素認証の導入。"
            );
        }
    }
}

#[test]
fn every_page_links_its_languages_feed_in_its_head() {
    let (_tmp, site) = built_history_site();
    let pages: Vec<_> = walk(&site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 50);
    for page in pages {
        let html = fs::read_to_string(&page).unwrap();
        let head = &html[..html.find("</head>").unwrap()];
        let rel = page
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let lang = if rel.starts_with("en/") { "en" } else { "ja" };
        // 404.html is shown at any missing address, so its links start from the site's path
        // (base_url `https://example.org/hist/`) rather than from its own folder.
        let root = if rel == "404.html" {
            "/hist/".to_string()
        } else {
            "../".repeat(rel.matches('/').count())
        };
        let href = format!("{root}{lang}/feed.xml");
        assert!(
            head.contains(&format!(
                "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{href}\""
            )),
            "{rel} links {href}"
        );
    }
}

#[test]
fn builds_with_a_history_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build(&fixture("history"), &a).status.success());
    assert!(build(&fixture("history"), &b).status.success());
    let files = |root: &Path| -> Vec<(String, Vec<u8>)> {
        walk(root)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(root).unwrap().display().to_string(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(files(&a), files(&b));
}

#[test]
fn a_site_without_history_still_has_a_changes_page_and_a_feed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(build(&fixture("mini"), &site).status.success());
    let page = read(&site, "en/changes/index.html");
    assert!(page.contains("No earlier revision is recorded for this site yet."));
    let xml = read(&site, "en/feed.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let entries = doc
        .root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .count();
    assert_eq!(entries, 1, "the current revision");
    assert!(!read(&site, "en/measures/am-1/index.html").contains("last-changed"));
}

#[test]
fn errors_in_the_history_name_the_file_and_keep_the_last_good_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    copy_dir(&fixture("history"), &root);
    let site = tmp.path().join("site");
    assert!(build(&root, &site).status.success());
    let before = fs::read(site.join("en/changes/index.html")).unwrap();
    let config = root.join("kijun.toml");

    // [previous] names a revision whose manifest is not there.
    edit(&config, "revision = \"hist-1\"", "revision = \"hist-9\"");
    let o = build(&root, &site);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("kijun.toml:9:1: error: the previous revision's manifest revisions/hist-9.json does not exist"), "{err}");
    assert!(
        err.contains("help: commit the baseline.json published with revision hist-9"),
        "{err}"
    );
    assert_eq!(
        fs::read(site.join("en/changes/index.html")).unwrap(),
        before,
        "site left as it was"
    );

    // It points at a manifest of another revision.
    edit(
        &config,
        "revision = \"hist-9\"",
        "revision = \"hist-1\"\nmanifest = \"revisions/hist-0.json\"",
    );
    let err = stderr(&build(&root, &site));
    assert!(err.contains("revisions/hist-0.json:1:1: error: this manifest is revision hist-0, but kijun.toml names the previous revision hist-1"), "{err}");
    edit(&config, "\nmanifest = \"revisions/hist-0.json\"", "");

    // A manifest of the history is damaged: file and line.
    let hist0 = root.join("revisions/hist-0.json");
    let text = fs::read_to_string(&hist0).unwrap();
    let broken = text.replacen("\"level\": 1,", "\"level\": \"one\",", 1);
    let line = broken[..broken.find("\"one\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    fs::write(&hist0, broken).unwrap();
    let o = kijun(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("revisions/hist-0.json:{line}:")),
        "{err}"
    );
    assert!(
        err.contains("the manifest does not have the expected shape"),
        "{err}"
    );
    fs::write(&hist0, text).unwrap();

    // The previous revision is dated after this one.
    edit(
        &config,
        "revision_date = \"2026-03-01\"",
        "revision_date = \"2026-01-01\"",
    );
    let err = stderr(&build(&root, &site));
    assert!(err.contains("kijun.toml:6:1: error: revision_date 2026-01-01 is before the previous revision's date 2026-01-15"), "{err}");
    assert_eq!(
        fs::read(site.join("en/changes/index.html")).unwrap(),
        before
    );
}
