//! The measure list as CSV for spreadsheets, one file per language.
//!
//! Japanese Excel opens a CSV as Shift_JIS unless it starts with a UTF-8 byte order mark, so the
//! file starts with one; records end in CRLF and fields are quoted as RFC 4180 says (only when
//! needed). Line breaks inside a cell stay LF, as Excel itself writes them.
//!
//! A cell a spreadsheet would read as a formula (OWASP "CSV injection": it starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`, which Excel and
//! LibreOffice show as text. The workbook needs no such care: its cells are typed strings.

use super::table::Table;

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(&mut out);
        w.write_record(table.columns.iter().map(|c| neutralise(c.header.clone())))
            .map_err(|e| e.to_string())?;
        for row in &table.rows {
            w.write_record(row.iter().map(|v| neutralise(v.as_text())))
                .map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Characters that make a spreadsheet read a cell as a formula when they start it.
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell`, prefixed with `'` when it starts with a formula trigger.
pub fn neutralise(cell: String) -> String {
    if cell.starts_with(FORMULA_TRIGGERS) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{Column, Value};
    use super::*;

    #[test]
    fn bom_crlf_and_quoting() {
        let table = Table {
            columns: vec![
                Column {
                    header: "ID".into(),
                    width: 1.0,
                    wrap: false,
                },
                Column {
                    header: "説明".into(),
                    width: 1.0,
                    wrap: false,
                },
            ],
            rows: vec![vec![
                Value::Text("AM-1".into()),
                Value::Text("「台帳」, \"表\"\n二行目".into()),
            ]],
        };
        let bytes = write(&table).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text, "ID,説明\r\nAM-1,\"「台帳」, \"\"表\"\"\n二行目\"\r\n");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_start_with_a_quote() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"click\")",
                "'=HYPERLINK(\"http://x\",\"click\")",
            ),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("", ""),
            ("資産-1", "資産-1"),
        ] {
            assert_eq!(neutralise(cell.to_string()), written);
        }
    }
}
