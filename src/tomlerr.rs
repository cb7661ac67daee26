//! Turning TOML parse and type errors into diagnostics with a precise position and a hint.

use crate::diagnostics::{Diagnostic, SourceText, did_you_mean};

/// A diagnostic for a TOML error inside `src`, where the TOML text starts at byte `base`.
pub fn toml_diagnostic(src: &SourceText, base: usize, err: &toml::de::Error) -> Diagnostic {
    let offset = base + err.span().map_or(0, |s| s.start);
    let message = err.message().trim().to_string();
    let mut diag = src.error(offset, first_line(&message));
    let help = hint_for(&message).or_else(|| syntax_help(&src.text, offset.min(src.text.len())));
    if let Some(help) = help {
        diag = diag.with_help(help);
    }
    diag
}

/// Plain words for a syntax error, from the line the parser stopped on (or the one before, as
/// an unclosed string is only noticed at the end of its line): what is wrong and the right form.
fn syntax_help(text: &str, offset: usize) -> Option<String> {
    let offset = (0..=offset).rev().find(|&i| text.is_char_boundary(i))?;
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    let previous = text[..start.saturating_sub(1)]
        .rsplit('\n')
        .next()
        .filter(|_| start > 0);
    line_help(line).or_else(|| previous.and_then(line_help))
}

/// The help for one line of TOML, if something about it is clearly wrong.
fn line_help(line: &str) -> Option<String> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    if trimmed.contains(['＝', '“', '”', '＂']) {
        return Some("write `=` and `\"` as plain ASCII characters: a Japanese input method may have typed a full-width ＝ or curly quotes “”, e.g. title = \"資産台帳\"".into());
    }
    if trimmed.starts_with('[') {
        return (!trimmed.contains(']'))
            .then(|| "close the table name with ], e.g. [[sector_notes]]".to_string());
    }
    let Some((key, value)) = trimmed.split_once('=') else {
        return Some(format!(
            "each line of front matter is `key = value`, e.g. level = 2 or title = \"資産台帳\"; this line has no `=`: {trimmed}"
        ));
    };
    let key = key.trim();
    let value = value.trim();
    let example = |v: &str| format!("{key} = {v}");
    if let Some(rest) = value.strip_prefix('=') {
        return Some(format!(
            "write a single `=` between the key and its value, e.g. {}",
            example(rest.trim())
        ));
    }
    if value.is_empty() {
        return Some(format!(
            "give `{key}` a value after `=`, e.g. {}",
            example("\"...\"")
        ));
    }
    if value.starts_with('"') && !value.starts_with("\"\"\"") && quotes_unbalanced(value) {
        return Some(format!(
            "the text of `{key}` must end with `\"` on the same line, e.g. {}; for text over several lines use \"\"\"...\"\"\", and write a quote inside text as \\\"",
            example("\"...\"")
        ));
    }
    if value.starts_with('[') && !value.contains(']') {
        return Some(format!(
            "close the list of `{key}` with ], e.g. {}",
            example("[\"gas\", \"water\"]")
        ));
    }
    let bare = value.split('#').next().unwrap_or(value).trim();
    let is_literal = bare.parse::<f64>().is_ok()
        || matches!(bare, "true" | "false")
        || bare.starts_with(['"', '\'', '[', '{', '+', '-']);
    if !is_literal {
        return Some(format!(
            "text needs double quotes: {}",
            example(&format!("\"{bare}\""))
        ));
    }
    None
}

/// Whether a value that opens with `"` is left unclosed on its line (escaped quotes aside).
fn quotes_unbalanced(value: &str) -> bool {
    let mut count = 0;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => count += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    count % 2 == 1
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("invalid TOML").to_string()
}

/// serde says "unknown field `leve`, expected one of `id`, `level`"; suggest the closest key.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next()?;
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        return Some(
            did_you_mean(unknown, expected.iter().copied())
                .unwrap_or_else(|| format!("remove it; known keys are: {}", expected.join(", "))),
        );
    }
    if message.starts_with("unknown variant") {
        return Some("use one of the values listed above".into());
    }
    if message.starts_with("missing field") {
        return Some("add the missing field".into());
    }
    if message.contains("recursion") {
        return Some(
            "values nested this deep are not supported: flatten the arrays or tables".into(),
        );
    }
    if message.starts_with("invalid type") {
        return Some(
            "check the value's type: text needs quotes, numbers and booleans do not".into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help_for(toml: &str) -> String {
        let err = toml::from_str::<toml::Table>(toml).unwrap_err();
        syntax_help(toml, err.span().unwrap().start).unwrap_or_default()
    }

    #[test]
    fn syntax_errors_get_plain_help() {
        let h = help_for("id = \"AM-1\"\ntitle = \"資産台帳\nlevel = 1\n");
        assert!(
            h.contains("the text of `title` must end with `\"` on the same line"),
            "{h}"
        );
        let h = help_for("title = 資産台帳\n");
        assert_eq!(h, "text needs double quotes: title = \"資産台帳\"");
        let h = help_for("title ＝ \"資産台帳\"\n");
        assert!(h.contains("full-width"), "{h}");
        let h = help_for("sectors = [\"gas\", \"water\"\nlevel = 1\n");
        assert!(h.contains("close the list of `sectors`"), "{h}");
        let h = help_for("level\n");
        assert!(h.contains("this line has no `=`"), "{h}");
        let h = help_for("level = = 1\n");
        assert_eq!(
            h,
            "write a single `=` between the key and its value, e.g. level = 1"
        );
        let h = help_for("level =\n");
        assert!(h.contains("give `level` a value"), "{h}");
    }

    #[test]
    fn unknown_field_gets_a_suggestion() {
        let hint = hint_for("unknown field `leve`, expected one of `id`, `level`, `order`");
        assert_eq!(hint.as_deref(), Some("did you mean `level`?"));
    }
}
