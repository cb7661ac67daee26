//! The measure list as CSV for spreadsheets, one file per language.
//!
//! Japanese Excel opens a CSV as Shift_JIS unless it starts with a UTF-8 byte order mark, so the
//! file starts with one; records end in CRLF and fields are quoted as RFC 4180 says (only when
//! needed). Line breaks inside a cell stay LF, as Excel itself writes them.

use super::table::Table;

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(&mut out);
        w.write_record(table.columns.iter().map(|c| c.header.as_str()))
            .map_err(|e| e.to_string())?;
        for row in &table.rows {
            w.write_record(row.iter().map(|v| v.as_text()))
                .map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
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
}
