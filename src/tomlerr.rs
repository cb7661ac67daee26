//! Turning TOML parse and type errors into diagnostics with a precise position and a hint.

use crate::diagnostics::{Diagnostic, SourceText, did_you_mean};

/// A diagnostic for a TOML error inside `src`, where the TOML text starts at byte `base`.
pub fn toml_diagnostic(src: &SourceText, base: usize, err: &toml::de::Error) -> Diagnostic {
    let offset = base + err.span().map_or(0, |s| s.start);
    let message = err.message().trim().to_string();
    let mut diag = src.error(offset, first_line(&message));
    if let Some(help) = hint_for(&message) {
        diag = diag.with_help(help);
    }
    diag
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

    #[test]
    fn unknown_field_gets_a_suggestion() {
        let hint = hint_for("unknown field `leve`, expected one of `id`, `level`, `order`");
        assert_eq!(hint.as_deref(), Some("did you mean `level`?"));
    }
}
