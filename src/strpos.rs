//! Where a front-matter string value is written in its file, and where each of its characters
//! is: a TOML basic string with escapes (`\"`, `\u3042`, a line-ending backslash) is shorter or
//! longer than its source, so an offset in the value is not an offset in the file.

/// A string value located in its source: offsets in the value map to offsets in the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringPos {
    /// Byte offset in the file where the value's first character is written.
    pub base: usize,
    /// (offset in the value, offset in the file relative to `base`) after each escape, in order;
    /// empty when the source is the value verbatim.
    pub shifts: Vec<(usize, usize)>,
}

impl StringPos {
    /// Byte offset in the file of byte `offset` of the value.
    pub fn file_offset(&self, offset: usize) -> usize {
        Self::shifted(self.base, &self.shifts, offset)
    }

    /// [`StringPos::file_offset`] for a value at `base` with escape `shifts`.
    pub fn shifted(base: usize, shifts: &[(usize, usize)], offset: usize) -> usize {
        let i = shifts.partition_point(|&(v, _)| v <= offset);
        match i.checked_sub(1).map(|i| shifts[i]) {
            Some((v, s)) => base + s + (offset - v),
            None => base + offset,
        }
    }
}

/// Finds `value` in `text` (a front matter starting at byte `start` of its file): verbatim when
/// it is written so, else as a basic string whose unescaped value is `value`. `None` when
/// neither is found.
pub fn locate(text: &str, start: usize, value: &str) -> Option<StringPos> {
    if let Some(at) = text.find(value) {
        return Some(StringPos {
            base: start + at,
            shifts: vec![],
        });
    }
    // Only an escaped string can differ from its source; try each opening quote. Decoding stops
    // at the first character that differs from `value`, so this stays close to linear.
    text.match_indices('"').find_map(|(quote, _)| {
        let multiline = text[quote..].starts_with("\"\"\"");
        let mut body = quote + if multiline { 3 } else { 1 };
        // A newline right after the opening `"""` is not part of the value.
        if multiline {
            let rest = &text[body..];
            body += rest.len()
                - rest
                    .strip_prefix("\r\n")
                    .or(rest.strip_prefix('\n'))
                    .unwrap_or(rest)
                    .len();
        }
        let shifts = decode_matching(&text[body..], multiline, value)?;
        Some(StringPos {
            base: start + body,
            shifts,
        })
    })
}

/// Decodes the basic string starting at `src` and returns its escape shifts if its value is
/// exactly `value`.
fn decode_matching(src: &str, multiline: bool, value: &str) -> Option<Vec<(usize, usize)>> {
    let mut shifts = Vec::new();
    let (mut s, mut v) = (0, 0);
    let bytes = src.as_bytes();
    while v < value.len() {
        let rest = &src[s..];
        let c = rest.chars().next()?;
        if c == '"' || (!multiline && c == '\n') {
            return None;
        }
        if c != '\\' {
            if !value[v..].starts_with(c) {
                return None;
            }
            s += c.len_utf8();
            v += c.len_utf8();
            continue;
        }
        let (decoded, used) = escape(&rest[1..], multiline)?;
        s += 1 + used;
        if let Some(d) = decoded {
            if !value[v..].starts_with(d) {
                return None;
            }
            v += d.len_utf8();
        }
        shifts.push((v, s));
    }
    // The value must end here, at the closing quote.
    (bytes.get(s) == Some(&b'"')).then_some(shifts)
}

/// One escape after its backslash: the character it stands for (none for a line-ending
/// backslash in a multi-line string) and the source bytes it used.
fn escape(rest: &str, multiline: bool) -> Option<(Option<char>, usize)> {
    let simple = match rest.as_bytes().first()? {
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b'"' => '"',
        b'\\' => '\\',
        b'x' => return hex(rest, 2),
        b'u' => return hex(rest, 4),
        b'U' => return hex(rest, 8),
        b' ' | b'\t' | b'\r' | b'\n' if multiline => {
            let used = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            return Some((None, used));
        }
        _ => return None,
    };
    Some((Some(simple), 1))
}

fn hex(rest: &str, digits: usize) -> Option<(Option<char>, usize)> {
    let code = u32::from_str_radix(rest.get(1..1 + digits)?, 16).ok()?;
    Some((Some(char::from_u32(code)?), 1 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_value_is_found_where_written() {
        let text = "title = \"x\"\nstatement = \"see AM-9\"\n";
        let pos = locate(text, 4, "see AM-9").unwrap();
        assert_eq!(pos.file_offset(4), 4 + text.find("AM-9").unwrap());
    }

    #[test]
    fn offsets_after_escapes_point_at_the_source_character() {
        let text = "statement = \"a \\\"q\\\" \\u3042 [](measure:AM-9)\"\n";
        let value = "a \"q\" \u{3042} [](measure:AM-9)";
        let pos = locate(text, 10, value).unwrap();
        let in_value = value.find("[](").unwrap();
        assert_eq!(pos.file_offset(in_value), 10 + text.find("[](").unwrap());
        let q = value.find('q').unwrap();
        assert_eq!(pos.file_offset(q), 10 + text.find('q').unwrap());
    }

    #[test]
    fn multiline_strings_with_line_ending_backslash() {
        let text = "statement = \"\"\"\\\n   one \\\"two\\\" three\"\"\"\n";
        let value = "one \"two\" three";
        let pos = locate(text, 0, value).unwrap();
        assert_eq!(
            pos.file_offset(value.find("three").unwrap()),
            text.find("three").unwrap()
        );
    }

    #[test]
    fn a_value_that_is_not_there_is_not_found() {
        assert_eq!(locate("a = \"x\\ty\"\n", 0, "x\tz"), None);
    }
}
