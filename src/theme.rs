//! The theme: tera templates, static files (CSS, JS) and interface strings per language.
//!
//! `themes/<name>/` under the site root wins; otherwise the default theme embedded in the binary
//! is used, so a site without a `themes/` folder still builds.

use crate::diagnostics::{Diagnostic, LineCol};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::Path;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    pub tera: tera::Tera,
    /// Files under `static/`, copied to `site/static/`.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Interface strings: language → key → text.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Where the theme came from, for messages.
    pub origin: String,
}

/// Files of a theme, wherever they come from: relative path → bytes.
type ThemeFiles = BTreeMap<String, Vec<u8>>;

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            let files = read_dir_files(&dir).map_err(|e| {
                Diagnostic::error(
                    format!("themes/{name}"),
                    LineCol::START,
                    format!("cannot read the theme: {e}"),
                )
            })?;
            Theme::from_files(files, format!("themes/{name}"))
        } else if name == "default" {
            let mut files = ThemeFiles::new();
            collect_embedded(&DEFAULT_THEME, &mut files);
            Theme::from_files(files, "the built-in default theme".into())
        } else {
            Err(Diagnostic::error(
                "kijun.toml",
                LineCol::START,
                format!("theme `{name}` not found in themes/"),
            )
            .with_help(
                "create themes/<name>/ or remove the theme setting to use the built-in theme",
            ))
        }
    }

    fn from_files(files: ThemeFiles, origin: String) -> Result<Theme, Diagnostic> {
        let mut tera = tera::Tera::default();
        let mut templates = Vec::new();
        let mut static_files = Vec::new();
        let mut strings = BTreeMap::new();
        for (path, bytes) in files {
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::error(
                        format!("{origin}/{path}"),
                        LineCol::START,
                        "template is not valid UTF-8",
                    )
                })?;
                templates.push((name.to_string(), text));
            } else if let Some(rel) = path.strip_prefix("static/") {
                static_files.push((rel.to_string(), bytes));
            } else if let Some(file) = path.strip_prefix("i18n/") {
                let lang = file.trim_end_matches(".toml").to_string();
                let text = String::from_utf8_lossy(&bytes).to_string();
                let table: BTreeMap<String, String> = toml::from_str(&text).map_err(|e| {
                    let src = crate::diagnostics::SourceText::named(
                        format!("{origin}/{path}"),
                        text.clone(),
                    );
                    crate::tomlerr::toml_diagnostic(&src, 0, &e)
                })?;
                strings.insert(lang, table);
            }
        }
        tera.add_raw_templates(templates).map_err(|e| {
            Diagnostic::error(
                format!("{origin}/templates"),
                LineCol::START,
                format!("template error: {}", error_chain(&e)),
            )
            .with_help("fix the template syntax (see the message above)")
        })?;
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_function("tr", translate(strings.clone()));
        Ok(Theme {
            tera,
            static_files,
            strings,
            origin,
        })
    }
}

/// Tera nests the useful message in its sources.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

fn collect_embedded(dir: &Dir, out: &mut ThemeFiles) {
    for file in dir.files() {
        out.insert(
            file.path().to_string_lossy().replace('\\', "/"),
            file.contents().to_vec(),
        );
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn read_dir_files(dir: &Path) -> std::io::Result<ThemeFiles> {
    let mut out = ThemeFiles::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path())?,
            );
        }
    }
    Ok(out)
}

/// `tr(lang=lang, key="rel_" ~ r.relation)`: an interface string whose key is computed in the
/// template (tera cannot index with an expression).
fn translate(strings: BTreeMap<String, BTreeMap<String, String>>) -> impl tera::Function {
    move |args: &std::collections::HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let lang = args
            .get("lang")
            .and_then(|v| v.as_str())
            .ok_or("tr() needs lang=")?;
        let key = args
            .get("key")
            .and_then(|v| v.as_str())
            .ok_or("tr() needs key=")?;
        let text = strings
            .get(lang)
            .and_then(|t| t.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string());
        Ok(tera::Value::String(text))
    }
}

/// Escapes the five characters that matter in HTML text and attributes; unlike tera's default it
/// leaves `/` alone, so URLs stay readable and pages smaller.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    // The five characters are ASCII: copy the runs between them whole.
    let mut plain = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&input[plain..]);
    out
}

#[cfg(test)]
mod escape_tests {
    use super::escape_html;

    #[test]
    fn escapes_the_five_characters_and_nothing_else() {
        assert_eq!(
            escape_html(r#"<a href="x?a=1&b='2'">資産/台帳</a>"#),
            "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;資産/台帳&lt;/a&gt;"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain テキスト"), "plain テキスト");
    }
}
