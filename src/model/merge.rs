//! Language-neutral fields are written once; when several language files give one, they must agree.

use crate::diagnostics::{Diagnostic, SourceText};
use crate::load::SourceDoc;
use std::fmt::Debug;
use std::sync::Arc;
use toml::Spanned;

/// A value with the place it was written, for later diagnostics.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub src: Arc<SourceText>,
    pub offset: usize,
    /// Where the front matter starts, for positions of nested spanned values.
    pub base: usize,
}

impl<T> At<T> {
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        self.src.error(self.offset, message)
    }
}

/// The parsed front matter of every language file of one page, default language first.
pub struct Variants<'a, F> {
    pub files: Vec<(&'a SourceDoc, F)>,
}

impl<'a, F> Variants<'a, F> {
    pub fn first(&self) -> &'a SourceDoc {
        self.files[0].0
    }

    /// The neutral field `name`: the first value given (default language first); any other
    /// language that repeats it with a different value is an error at that value.
    pub fn neutral<T: PartialEq + Clone + Debug>(
        &self,
        name: &str,
        get: impl Fn(&F) -> Option<&Spanned<T>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<At<T>> {
        let mut chosen: Option<At<T>> = None;
        for (doc, front) in &self.files {
            let Some(value) = get(front) else { continue };
            let at = At {
                value: value.get_ref().clone(),
                src: doc.src.clone(),
                offset: doc.front.start + value.span().start,
                base: doc.front.start,
            };
            match &chosen {
                None => chosen = Some(at),
                Some(first) if first.value != at.value => diags.push(
                    at.error(format!(
                        "`{name}` is {:?} here but {:?} in {}",
                        at.value, first.value, first.src.display_path
                    ))
                    .with_help(format!(
                        "language-neutral fields are written once, in {}: delete `{name}` from this file",
                        first.src.display_path
                    )),
                ),
                Some(_) => {}
            }
        }
        chosen
    }

    /// Like `neutral`, but a missing value is an error on the default-language file.
    pub fn required<T: PartialEq + Clone + Debug>(
        &self,
        name: &str,
        get: impl Fn(&F) -> Option<&Spanned<T>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<At<T>> {
        let found = self.neutral(name, get, diags);
        if found.is_none() {
            let doc = self.first();
            diags.push(
                doc.src
                    .error(doc.front.start, format!("missing field `{name}`"))
                    .with_help(format!(
                        "add `{name} = ...` to the front matter of {}",
                        doc.src.display_path
                    )),
            );
        }
        found
    }
}

/// Turns a merged spanned list into positioned values.
pub fn items(list: &At<Vec<Spanned<String>>>) -> Vec<At<String>> {
    list.value
        .iter()
        .map(|s| At {
            value: s.get_ref().clone(),
            src: list.src.clone(),
            offset: list.base + s.span().start,
            base: list.base,
        })
        .collect()
}
