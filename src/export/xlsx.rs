//! The Excel workbook, one per language: the measure list, a self-assessment checklist with a
//! drop-down for the rating, one sheet per framework crosswalk, and a sheet about the workbook.
//!
//! Every sheet starts with a title row that carries the revision and, for a draft, the draft
//! notice; the header row under it is frozen and filtered. The document's creation date is the
//! revision date, so the same sources give the same bytes.

use super::Labels;
use super::refs::Refs;
use super::table::{Table, Value, measure_table, sector_list};
use crate::derive;
use crate::model::{Baseline, Crosswalk, Framework};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

/// The ratings of the self-assessment, in the order of the drop-down (ISO/IEC 33020's
/// achievement scale, plus "not applicable").
pub const RATINGS: [&str; 5] = ["FI", "LI", "PI", "NI", "N/A"];

/// Rows above the data: the title row and the header row.
const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = 2;

struct Formats {
    title: Format,
    header: Format,
    cell: Format,
    wrap: Format,
    input: Format,
    label: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_align(FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_font_size(12),
            header: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            cell: base.clone(),
            wrap: base.clone().set_text_wrap(),
            input: base
                .clone()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xFFF2CC)),
            label: base.set_bold(),
        }
    }
}

/// The tables that the CSVs and the workbook both hold, made once per language.
pub struct SheetTables<'b> {
    pub measures: Table,
    /// Framework, its crosswalk and their table, in framework order.
    pub crosswalks: Vec<(&'b Framework, &'b Crosswalk, Table)>,
}

impl<'b> SheetTables<'b> {
    pub fn new(b: &'b Baseline, refs: &Refs, labels: &Labels) -> SheetTables<'b> {
        SheetTables {
            measures: measure_table(b, refs, labels),
            crosswalks: b
                .frameworks
                .iter()
                .filter_map(|fw| {
                    let cw = b.crosswalks.iter().find(|c| c.framework == fw.id)?;
                    Some((fw, cw, crosswalk_table(b, fw, cw, labels)))
                })
                .collect(),
        }
    }
}

pub fn write(b: &Baseline, labels: &Labels, tables: &SheetTables) -> Result<Vec<u8>, String> {
    build(b, labels, tables).map_err(|e| e.to_string())
}

fn build(b: &Baseline, labels: &Labels, tables: &SheetTables) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    // As the offline bundle: much faster than the default 6 for a slightly larger file.
    workbook.set_zip_compression_level(3);
    workbook.set_properties(&properties(b, labels)?);
    let title = title_line(b, labels);

    let measures = workbook.add_worksheet();
    measures.set_name(sheet_name(&labels.get("baseline_title"), &[]))?;
    write_table(measures, &f, &title, &tables.measures)?;

    let checklist_name = sheet_name(&labels.get("assessment_title"), &[]);
    let checklist = workbook.add_worksheet();
    checklist.set_name(&checklist_name)?;
    write_checklist(checklist, &f, &title, b, labels)?;

    let mut used = vec![
        labels.get("baseline_title"),
        checklist_name.clone(),
        labels.get("export_about_sheet"),
    ];
    for &(fw, cw, ref table) in &tables.crosswalks {
        let name = sheet_name(fw.short_name(), &used);
        used.push(name.clone());
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        let heading = format!(
            "{title} — {} {} ({}, {})",
            labels.get("crosswalk_to"),
            fw.short_name(),
            labels.get(&format!("status_{}", cw.status.as_str())),
            cw.date
        );
        write_table(sheet, &f, &heading, table)?;
        // The same rows in the column layout of NIST's OLIR submission template.
        let olir_name = sheet_name(&format!("OLIR {}", fw.short_name()), &used);
        used.push(olir_name.clone());
        let olir_sheet = workbook.add_worksheet();
        olir_sheet.set_name(&olir_name)?;
        let olir_heading = format!(
            "OLIR — {} / {}",
            b.config.language("en").title,
            fw.meta.name
        );
        write_table(
            olir_sheet,
            &f,
            &olir_heading,
            &super::olir::olir_table(b, fw, cw),
        )?;
    }

    let about = workbook.add_worksheet();
    about.set_name(sheet_name(&labels.get("export_about_sheet"), &[]))?;
    write_about(about, &f, b, labels, &checklist_name)?;

    workbook.save_to_buffer()
}

fn properties(b: &Baseline, labels: &Labels) -> Result<DocProperties, XlsxError> {
    let c = &b.config;
    let created = ExcelDateTime::parse_from_str(&c.revision_date)?;
    let mut props = DocProperties::new()
        .set_title(format!("{} {}", c.language(labels.lang).title, c.revision))
        .set_subject(labels.get("baseline_title"))
        .set_author("kijun")
        .set_keywords("kijun, baseline, crosswalk, OSCAL")
        .set_creation_datetime(&created)
        .set_custom_property("revision", c.revision.as_str())
        .set_custom_property("revision_date", c.revision_date.as_str());
    if c.draft {
        props = props.set_comment(labels.get("draft_notice"));
    }
    Ok(props)
}

/// "Title — revision X (date) — DRAFT: notice", the first row of every sheet.
fn title_line(b: &Baseline, labels: &Labels) -> String {
    let c = &b.config;
    let mut line = format!(
        "{} — {} {} ({})",
        c.language(labels.lang).title,
        labels.get("revision"),
        c.revision,
        c.revision_date
    );
    if c.draft {
        line.push_str(&format!(
            " — {}{}{}",
            labels.get("draft"),
            labels.get("export_label_colon"),
            labels.get("draft_notice")
        ));
    }
    line
}

fn write_header(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    columns: &[super::table::Column],
    rows: u32,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(TITLE_ROW, 0, title, &f.title)?;
    for (i, col) in columns.iter().enumerate() {
        let i = i as u16;
        sheet.write_string_with_format(HEADER_ROW, i, &col.header, &f.header)?;
        sheet.set_column_width(i, col.width)?;
    }
    let last_col = columns.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(FIRST_DATA_ROW, 1)?;
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + rows, last_col)?;
    sheet.set_repeat_rows(TITLE_ROW, HEADER_ROW)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn write_table(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    table: &Table,
) -> Result<(), XlsxError> {
    write_header(sheet, f, title, &table.columns, table.rows.len() as u32)?;
    for (r, row) in table.rows.iter().enumerate() {
        let r = FIRST_DATA_ROW + r as u32;
        for (c, value) in row.iter().enumerate() {
            let format = if table.columns[c].wrap {
                &f.wrap
            } else {
                &f.cell
            };
            let c = c as u16;
            match value {
                Value::Text(s) if s.is_empty() => {}
                Value::Text(s) => {
                    sheet.write_string_with_format(r, c, fit_cell(s), format)?;
                }
                Value::Number(n) => {
                    sheet.write_number_with_format(r, c, f64::from(*n), format)?;
                }
                Value::Url(u) => {
                    sheet.write_url(r, c, u.as_str())?;
                }
            }
        }
    }
    Ok(())
}

fn write_checklist(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    b: &Baseline,
    labels: &Labels,
) -> Result<(), XlsxError> {
    let lang = labels.lang;
    let col = |key: &str, width: f64, wrap: bool| super::table::Column {
        header: labels.get(key),
        width,
        wrap,
    };
    let columns = vec![
        col("id", 9.0, false),
        col("export_measure_title", 32.0, true),
        col("obligation", 16.0, true),
        col("level", 8.0, false),
        col("sectors", 16.0, true),
        col("statement", 60.0, true),
        col("export_rating", 10.0, false),
        col("export_evidence", 40.0, true),
        col("export_owner", 14.0, true),
        col("export_due", 12.0, false),
        col("export_notes", 30.0, true),
    ];
    let rating_col = 6u16;
    let rows = b.measures.len() as u32;
    write_header(sheet, f, title, &columns, rows)?;
    for (i, m) in b.measures.iter().enumerate() {
        let r = FIRST_DATA_ROW + i as u32;
        let text = &m.text[lang];
        sheet.write_string_with_format(r, 0, &m.id, &f.cell)?;
        sheet.write_string_with_format(r, 1, fit_cell(&text.page.title), &f.wrap)?;
        sheet.write_string_with_format(
            r,
            2,
            labels.get(&format!("{}_long", m.obligation.as_str())),
            &f.wrap,
        )?;
        sheet.write_number_with_format(r, 3, f64::from(m.level), &f.cell)?;
        sheet.write_string_with_format(r, 4, sector_list(b, m, labels), &f.wrap)?;
        sheet.write_string_with_format(r, 5, fit_cell(&text.statement_plain), &f.wrap)?;
        for c in rating_col..columns.len() as u16 {
            sheet.write_blank(r, c, &f.input)?;
        }
    }
    if rows > 0 {
        let validation = DataValidation::new()
            .allow_list_strings(&RATINGS)?
            .ignore_blank(true)
            .set_input_title(labels.get("export_rating"))?
            .set_input_message(labels.get("export_rating_help"))?
            .set_error_title(labels.get("export_rating"))?
            .set_error_message(labels.get("export_rating_error"))?
            .set_error_style(DataValidationErrorStyle::Stop);
        sheet.add_data_validation(
            FIRST_DATA_ROW,
            rating_col,
            FIRST_DATA_ROW + rows - 1,
            rating_col,
            &validation,
        )?;
    }
    Ok(())
}

/// Rows of one crosswalk, in baseline order, each with its measure's status and what remains;
/// then the measures with no row, then the framework's items nobody mapped.
pub(super) fn crosswalk_table(
    b: &Baseline,
    fw: &Framework,
    cw: &crate::model::Crosswalk,
    labels: &Labels,
) -> Table {
    let lang = labels.lang;
    let col = |header: String, width: f64, wrap: bool| super::table::Column {
        header,
        width,
        wrap,
    };
    let columns = vec![
        col(labels.get("id"), 9.0, false),
        col(labels.get("export_measure_title"), 32.0, true),
        col(labels.get("item"), 12.0, false),
        col(labels.get("export_item_title"), 48.0, true),
        col(labels.get("relation"), 14.0, false),
        col(labels.get("export_relation_token"), 16.0, false),
        col(labels.get("rationale"), 12.0, false),
        col(labels.get("strength"), 8.0, false),
        col(labels.get("justification"), 60.0, true),
        col(labels.get("status_for_framework"), 16.0, true),
        col(labels.get("what_remains"), 60.0, true),
    ];
    // Per measure: its status for a follower of the framework and what remains, on every row.
    let status = |measure: &str| {
        let credit = derive::credit(Some(cw), measure);
        let remains = derive::remains_text(Some(cw), measure, lang, &b.config.default_language);
        [
            Value::Text(labels.get(credit.key())),
            Value::Text(remains.unwrap_or_default().to_string()),
        ]
    };
    let item_title = |id: &str| {
        fw.item(id)
            .map(|i| crate::render::item_title(i, lang))
            .unwrap_or_default()
    };
    let mut mapped: Vec<&crate::model::CrosswalkRow> = cw.rows.iter().collect();
    mapped.sort_by_key(|r| (b.measure_position(&r.measure), fw.item_position(&r.item)));
    let mut rows: Vec<Vec<Value>> = mapped
        .iter()
        .map(|r| {
            let justification = r
                .justification
                .get(lang)
                .or_else(|| r.justification.get(&b.config.default_language))
                .cloned()
                .unwrap_or_default();
            let mut row = vec![
                Value::Text(r.measure.clone()),
                Value::Text(
                    b.measure(&r.measure)
                        .map(|m| m.text[lang].page.title.clone())
                        .unwrap_or_default(),
                ),
                Value::Text(r.item.clone()),
                Value::Text(item_title(&r.item)),
                Value::Text(labels.get(&format!("rel_{}", r.relation.as_str()))),
                Value::Text(r.relation.as_str().to_string()),
                Value::Text(labels.get(&format!("rat_{}", r.rationale.as_str()))),
                match r.strength {
                    Some(s) => Value::Number(u32::from(s)),
                    None => Value::Text(String::new()),
                },
                Value::Text(justification),
            ];
            row.extend(status(&r.measure));
            row
        })
        .collect();
    // Measures with no row: nobody has mapped them yet (never "reviewed, none").
    for m in b
        .measures
        .iter()
        .filter(|m| cw.rows_of(&m.id).next().is_none())
    {
        let mut row = vec![
            Value::Text(m.id.clone()),
            Value::Text(m.text[lang].page.title.clone()),
        ];
        row.extend((0..7).map(|_| Value::Text(String::new())));
        row.extend(status(&m.id));
        rows.push(row);
    }
    // Items no measure maps to: a known gap when the crosswalk notes it, else not yet mapped.
    let level = cw.level.as_deref();
    for item in fw.items.iter().filter(|i| fw.is_mappable(i, level)) {
        let note = cw
            .not_covered_of(&item.id)
            .and_then(|n| derive::note_text(n, lang, &b.config.default_language));
        if note.is_none() && cw.rows.iter().any(|r| r.item == item.id) {
            continue;
        }
        let (label, token, text) = match note {
            Some(text) => ("not_covered_label", "not-covered", text.to_string()),
            None => ("unmapped_label", "unmapped", labels.get("unmapped_help")),
        };
        let mut row = vec![Value::Text(String::new()), Value::Text(String::new())];
        row.extend([
            Value::Text(item.id.clone()),
            Value::Text(item_title(&item.id)),
            Value::Text(labels.get(label)),
            Value::Text(token.into()),
            Value::Text(String::new()),
            Value::Text(String::new()),
            Value::Text(text),
            Value::Text(String::new()),
            Value::Text(String::new()),
        ]);
        rows.push(row);
    }
    Table { columns, rows }
}

fn write_about(
    sheet: &mut Worksheet,
    f: &Formats,
    b: &Baseline,
    labels: &Labels,
    checklist: &str,
) -> Result<(), XlsxError> {
    let c = &b.config;
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 90)?;
    sheet.write_string_with_format(0, 0, &c.language(labels.lang).title, &f.title)?;
    let mut row = 2u32;
    let mut pair = |sheet: &mut Worksheet, key: String, value: String| -> Result<(), XlsxError> {
        sheet.write_string_with_format(row, 0, key, &f.label)?;
        sheet.write_string_with_format(row, 1, value, &f.wrap)?;
        row += 1;
        Ok(())
    };
    pair(
        sheet,
        labels.get("revision"),
        format!("{} ({})", c.revision, c.revision_date),
    )?;
    if c.draft {
        pair(sheet, labels.get("draft"), labels.get("draft_notice"))?;
    }
    pair(sheet, labels.get("export_source"), c.base_url())?;
    pair(
        sheet,
        labels.get("export_sheets"),
        labels.get("export_sheets_help"),
    )?;
    row += 1;
    sheet.write_string_with_format(row, 0, labels.get("export_rating_legend"), &f.label)?;
    row += 1;
    // Counts per rating from the checklist, recomputed by Excel as the operator fills it in.
    let last = FIRST_DATA_ROW + b.measures.len() as u32;
    let range = format!(
        "'{}'!$G${}:$G${}",
        checklist.replace('\'', "''"),
        FIRST_DATA_ROW + 1,
        last.max(FIRST_DATA_ROW + 1)
    );
    for rating in RATINGS {
        let key = format!("export_rating_{}", rating.replace('/', "").to_lowercase());
        sheet.write_string_with_format(row, 0, rating, &f.label)?;
        sheet.write_string_with_format(row, 1, labels.get(&key), &f.wrap)?;
        sheet.write_formula(
            row,
            2,
            Formula::new(format!("=COUNTIF({range},\"{rating}\")")),
        )?;
        row += 1;
    }
    sheet.set_column_width(2, 8)?;
    Ok(())
}

/// Excel holds at most 32,767 characters in a cell; longer text is cut (the full text is on the
/// measure's page, linked from the same row) rather than failing the build.
fn fit_cell(s: &str) -> std::borrow::Cow<'_, str> {
    const LIMIT: usize = 32_767;
    if s.chars().count() <= LIMIT {
        return s.into();
    }
    let mut cut: String = s.chars().take(LIMIT - 1).collect();
    cut.push('…');
    cut.into()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the workbook.
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = clean.chars().take(31).collect();
    let base = if base.is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        assert_eq!(fit_cell("短い"), "短い");
        let long = "あ".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), 32_767);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn sheet_names_are_legal_and_unique() {
        assert_eq!(sheet_name("NIS2 Art. 21", &[]), "NIS2 Art. 21");
        assert_eq!(sheet_name("A/B: [x]", &[]), "A_B_ _x_");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        assert_eq!(sheet_name("TFW", &["TFW".into()]), "TFW (2)");
    }
}
