//! The last render steps, which need every other file: the downloads, the downloads page per
//! language (each file with its size, SHA-256 and purpose), the site map, and the offline bundle.
//!
//! The bundle contains the downloads page, and the page lists the bundle's checksum, so the page
//! is rendered twice: the copy inside the bundle lists everything but the bundle itself (and
//! points to the published site for it), the published copy lists the bundle too.

use super::context::Shared;
use crate::diagnostics::{Diagnostic, LineCol};
use crate::export::{self, Download, Kind, bundle};
use crate::output::{Made, SiteOutput};
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

/// What each download is (path, kind, language), in the order the downloads page lists them.
pub type Kinds = Vec<(String, Kind, Option<String>)>;

/// Puts the downloads into `out`.
pub fn exports(shared: &Shared, out: &SiteOutput) -> Result<Kinds, Diagnostic> {
    let b = shared.baseline;
    let lookup = |lang: &str, key: &str| shared.t(lang, key);
    let t = crate::timing::start("downloads: exports");
    // The first failure to write, kept whole: `export::downloads` only passes a message on.
    let write_failure = std::sync::Mutex::new(None);
    let put = |file: OutputFile| {
        out.put(file).map_err(|d| {
            let message = d.message.clone();
            write_failure.lock().expect("no panics").get_or_insert(d);
            message
        })
    };
    let downloads = export::downloads(b, &lookup, &put).map_err(|e| {
        if let Some(d) = write_failure.lock().expect("no panics").take() {
            return d;
        }
        Diagnostic::error(
            "content",
            LineCol::START,
            format!("cannot write the downloads: {e}"),
        )
        .with_help("this is a bug in kijun if `kijun check` reports nothing else; please report it")
    })?;
    drop(t);
    Ok(downloads
        .iter()
        .map(|d: &Download| (d.path.clone(), d.kind.clone(), d.lang.clone()))
        .collect())
}

/// Adds the downloads pages, `sitemap.xml`, `robots.txt` and (unless previewing) the offline
/// bundle with its checksum to `out`, which holds every other file, the downloads (`kinds`)
/// among them.
pub fn finish(
    shared: &Shared,
    theme: &Theme,
    out: &SiteOutput,
    mut kinds: Kinds,
) -> Result<(), Diagnostic> {
    let b = shared.baseline;

    // First pass: the pages as the bundle holds them.
    let t = crate::timing::start("downloads: pages, sitemap");
    let listed = out.with_made(|made| listing(made, &kinds));
    out.put_all(render_pages(shared, theme, &listed, false)?)?;
    let sitemap = out.with_made(|made| export::sitemap::files(b, made));
    out.put_all(sitemap)?;
    drop(t);
    // Live preview rebuilds on every save: it skips the bundle, which only a release needs.
    let t = crate::timing::start("downloads: zip");
    let name = bundle::name(&b.config.revision);
    let zip_name = format!("{name}.zip");
    let zip_path = format!("{}/{zip_name}", export::DIR);
    let Some(digest) = out.bundle(&zip_path) else {
        return Ok(());
    };
    let digest = digest?;
    let sum_path = format!("{zip_path}.sha256");
    out.put(OutputFile::new(
        sum_path.clone(),
        bundle::checksum_file(&digest, &zip_name),
    ))?;
    drop(t);

    // Second pass: the published pages, which list the bundle and its checksum too.
    let _t = crate::timing::start("downloads: second pass");
    kinds.push((zip_path, Kind::Bundle, None));
    kinds.push((sum_path, Kind::Checksum, None));
    let listed = out.with_made(|made| listing(made, &kinds));
    for page in render_pages(shared, theme, &listed, true)? {
        out.replace(page)?;
    }
    Ok(())
}

/// Every file under `downloads/`, in the order the exports were made.
fn listing(made: &[Made], kinds: &[(String, Kind, Option<String>)]) -> Vec<Listed> {
    let mut out: Vec<(usize, Listed)> = made
        .iter()
        .filter_map(|f| f.sha256.as_ref().map(|sha256| (f, sha256)))
        .map(|(f, sha256)| {
            let known = kinds.iter().position(|(p, _, _)| *p == f.path);
            let (kind, lang) = match known {
                Some(i) => (kinds[i].1.clone(), kinds[i].2.clone()),
                None if f.path == format!("{}/baseline.json", export::DIR) => {
                    (Kind::Manifest, None)
                }
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
                    bytes: f.len,
                    sha256: sha256.clone(),
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
