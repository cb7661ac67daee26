//! Cross-references (`[](measure:AM-1)`) as exports need them: a label, and an absolute URL,
//! since a spreadsheet or an OSCAL file is read away from the site. The model has already checked
//! every reference, so an unknown one here can only be a draft left out of the build.

use crate::model::Baseline;
use crate::urls;

pub struct Refs<'a> {
    baseline: &'a Baseline,
    lang: &'a str,
    base_url: String,
}

/// Where a reference points.
pub struct Target {
    pub kind: &'static str,
    pub id: String,
    pub label: String,
    /// Absolute URL of the page on the published site.
    pub url: String,
}

impl<'a> Refs<'a> {
    pub fn new(baseline: &'a Baseline, lang: &'a str) -> Refs<'a> {
        Refs {
            baseline,
            lang,
            base_url: baseline.config.base_url(),
        }
    }

    pub fn lang(&self) -> &str {
        self.lang
    }

    /// Absolute URL of a site-relative href such as `ja/measures/am-1/index.html#x`.
    pub fn absolute(&self, href: &str) -> String {
        absolute_url(&self.base_url, href)
    }

    /// Resolves `kind:id`; `None` for anything that is not a cross-reference kijun knows.
    pub fn resolve(&self, dest: &str) -> Option<Target> {
        let (kind, id) = dest.split_once(':')?;
        let b = self.baseline;
        let lang = self.lang;
        let (kind, label, href) = match kind {
            "measure" => {
                let m = b.measure(id)?;
                let label = format!("{} {}", m.id, m.text[lang].page.title);
                ("measure", label, urls::measure(lang, id))
            }
            "category" => {
                let c = b.category(id)?;
                (
                    "category",
                    c.text[lang].title.clone(),
                    urls::category(lang, id),
                )
            }
            "guideline" => {
                let g = b.guidelines.iter().find(|g| g.id == id)?;
                (
                    "guideline",
                    g.text[lang].title.clone(),
                    urls::guideline(lang, id),
                )
            }
            "sector" => {
                let s = b.sectors.iter().find(|s| s.id == id)?;
                ("sector", s.text[lang].title.clone(), urls::sector(lang, id))
            }
            "page" => {
                let p = b.pages.iter().find(|p| p.id == id)?;
                ("page", p.text[lang].title.clone(), urls::page(lang, id))
            }
            "glossary" => {
                let t = b.glossary.iter().find(|t| t.id == id)?;
                let name = t.names.get(lang).cloned().unwrap_or_else(|| t.id.clone());
                ("glossary", name, urls::glossary_term(lang, id))
            }
            _ => return None,
        };
        Some(Target {
            kind,
            id: id.to_string(),
            label,
            url: self.absolute(&href),
        })
    }
}

/// `https://example.jp/kijun/` + `ja/glossary/index.html#term-mfa` →
/// `https://example.jp/kijun/ja/glossary/#term-mfa`.
pub fn absolute_url(base_url: &str, href: &str) -> String {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let mut url = format!("{}{}", base_url, urls::pretty(path).trim_start_matches('/'));
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_are_pretty_and_keep_fragments() {
        assert_eq!(
            absolute_url("https://x.jp/k/", "ja/glossary/index.html#term-mfa"),
            "https://x.jp/k/ja/glossary/#term-mfa"
        );
        assert_eq!(
            absolute_url("https://x.jp/", "downloads/a.csv"),
            "https://x.jp/downloads/a.csv"
        );
    }
}
