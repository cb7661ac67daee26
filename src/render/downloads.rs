//! The last render steps, which need every other file: the downloads, the downloads page per
//! language (each file with its size, SHA-256 and purpose), the site map, and the offline bundle.
//!
//! The bundle contains the downloads page, and the page lists the bundle's checksum, so the page
//! is rendered twice: the copy inside the bundle lists everything but the bundle itself (and
//! points to the published site for it), the published copy lists the bundle too.

use super::context::Shared;
use crate::diagnostics::{Diagnostic, LineCol};
use crate::export::{self, Download, Kind, bundle};
use crate::theme::Theme;
use crate::urls;
use crate::write::OutputFile;
use serde::Serialize;

/// What the downloads page knows of one file.
struct Listed {
    path: String,
    kind: Kind,
    lang: Option<String>,
    bytes: usize,
    sha256: String,
}

#[derive(Serialize)]
struct FileRow {
    href: String,
    name: String,
    purpose: String,
    format: &'static str,
    lang: Option<String>,
    language: String,
    bytes: usize,
    size: String,
    sha256: String,
}

#[derive(Serialize)]
struct Group {
    id: &'static str,
    title: String,
    intro: String,
    files: Vec<FileRow>,
}

/// Adds the downloads, the downloads pages, `sitemap.xml`, `robots.txt` and (unless previewing)
/// the offline bundle with its checksum to `files`.
pub fn finish(
    shared: &Shared,
    theme: &Theme,
    files: &mut Vec<OutputFile>,
) -> Result<(), Diagnostic> {
    let b = shared.baseline;
    let lookup = |lang: &str, key: &str| shared.t(lang, key);
    let downloads = export::downloads(b, &lookup).map_err(|e| {
        Diagnostic::error(
            "content",
            LineCol::START,
            format!("cannot write the downloads: {e}"),
        )
        .with_help("this is a bug in kijun if `kijun check` reports nothing else; please report it")
    })?;
    let kinds: Vec<(String, Kind, Option<String>)> = downloads
        .iter()
        .map(|d| (d.file.path.clone(), d.kind.clone(), d.lang.clone()))
        .collect();
    files.extend(downloads.into_iter().map(|d: Download| d.file));

    // First pass: the pages as the bundle holds them.
    let listed = listing(files, &kinds);
    let pages = render_pages(shared, theme, &listed, false)?;
    files.extend(pages);
    let sitemap = export::sitemap::files(b, files);
    files.extend(sitemap);
    // Live preview rebuilds on every save: it skips the bundle, which only a release needs.
    if shared.opts.live_reload {
        return Ok(());
    }

    let name = bundle::name(&b.config.revision);
    let zip = bundle::zip(files, &name, &b.config.revision_date).map_err(|e| {
        Diagnostic::error(
            "content",
            LineCol::START,
            format!("cannot write the offline bundle: {e}"),
        )
    })?;
    let digest = bundle::sha256_hex(&zip);
    let zip_name = format!("{name}.zip");
    let zip_path = format!("{}/{zip_name}", export::DIR);
    let sum_path = format!("{zip_path}.sha256");
    files.push(OutputFile::new(zip_path.clone(), zip));
    files.push(OutputFile::new(
        sum_path.clone(),
        bundle::checksum_file(&digest, &zip_name),
    ));

    // Second pass: the published pages, which list the bundle and its checksum too.
    let mut kinds = kinds;
    kinds.push((zip_path, Kind::Bundle, None));
    kinds.push((sum_path, Kind::Checksum, None));
    let listed = listing(files, &kinds);
    for page in render_pages(shared, theme, &listed, true)? {
        if let Some(old) = files.iter_mut().find(|f| f.path == page.path) {
            *old = page;
        }
    }
    Ok(())
}

/// Every file under `downloads/`, in the order the exports were made.
fn listing(files: &[OutputFile], kinds: &[(String, Kind, Option<String>)]) -> Vec<Listed> {
    let prefix = format!("{}/", export::DIR);
    let mut out: Vec<(usize, Listed)> = files
        .iter()
        .filter(|f| f.path.starts_with(&prefix))
        .map(|f| {
            let known = kinds.iter().position(|(p, _, _)| *p == f.path);
            let (kind, lang) = match known {
                Some(i) => (kinds[i].1.clone(), kinds[i].2.clone()),
                None if f.path == format!("{prefix}baseline.json") => (Kind::Manifest, None),
                None => (Kind::Other, None),
            };
            // The manifest first, then the exports in their order, then anything else.
            let order = match (&kind, known) {
                (Kind::Manifest, _) => 0,
                (_, Some(i)) => i + 1,
                (_, None) => usize::MAX,
            };
            (
                order,
                Listed {
                    path: f.path.clone(),
                    kind,
                    lang,
                    bytes: f.bytes.len(),
                    sha256: bundle::sha256_hex(&f.bytes),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| (a.0, &a.1.path).cmp(&(b.0, &b.1.path)));
    out.into_iter().map(|(_, l)| l).collect()
}

fn render_pages(
    shared: &Shared,
    theme: &Theme,
    listed: &[Listed],
    published: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    shared
        .baseline
        .languages
        .iter()
        .map(|lang| {
            let job = page(shared, lang, listed, published);
            super::render_job(theme, shared, &mut std::collections::BTreeMap::new(), job)
        })
        .collect()
}

fn page(shared: &Shared, lang: &str, listed: &[Listed], published: bool) -> super::PageJob {
    let href = urls::section(lang, "downloads");
    let title = shared.t(lang, "downloads_title");
    let mut ctx = shared.base_context(lang, &href, "downloads", &title, shared.crumbs(lang, &[]));
    let row = |l: &Listed| FileRow {
        href: l.path.clone(),
        // The path under downloads/ tells same-named files apart (oscal/ja/catalog.json).
        name: l
            .path
            .strip_prefix(&format!("{}/", export::DIR))
            .unwrap_or(&l.path)
            .to_string(),
        purpose: shared.t(lang, l.kind.key()).replace("{x}", l.kind.detail()),
        format: l.kind.format(),
        lang: l.lang.clone(),
        language: l
            .lang
            .as_deref()
            .map(|x| shared.t(x, "language_name"))
            .unwrap_or_default(),
        bytes: l.bytes,
        size: human_size(l.bytes),
        sha256: l.sha256.clone(),
    };
    let group = |id: &'static str, pick: &dyn Fn(&Kind) -> bool| Group {
        id,
        title: shared.t(lang, &format!("dl_group_{id}")),
        intro: shared.t(lang, &format!("dl_group_{id}_intro")),
        files: listed.iter().filter(|l| pick(&l.kind)).map(row).collect(),
    };
    let groups: Vec<Group> = vec![
        group("spreadsheets", &|k| {
            matches!(k, Kind::Csv | Kind::CrosswalkCsv(_) | Kind::Xlsx)
        }),
        group("oscal", &|k| {
            matches!(
                k,
                Kind::OscalCatalog | Kind::OscalProfile(_) | Kind::OscalMapping(_)
            )
        }),
        group("data", &|k| matches!(k, Kind::Manifest | Kind::Other)),
        group("offline", &|k| matches!(k, Kind::Bundle | Kind::Checksum)),
    ]
    .into_iter()
    .filter(|g| !g.files.is_empty())
    .collect();
    let bundle = listed.iter().find(|l| l.kind == Kind::Bundle);
    ctx.insert("groups", &groups);
    ctx.insert("published", &published);
    ctx.insert(
        "bundle_name",
        &bundle.map(|l| l.path.rsplit('/').next().unwrap_or_default().to_string()),
    );
    ctx.insert(
        "bundle_folder",
        &bundle::name(&shared.baseline.config.revision),
    );
    ctx.insert(
        "online_url",
        &crate::export::refs::absolute_url(&shared.baseline.config.base_url(), &href),
    );
    super::PageJob {
        href,
        template: "downloads.html",
        context: ctx,
    }
}

/// `1234` → `1.2 KB`; binary multiples, as file managers show them.
fn human_size(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
    }
}
