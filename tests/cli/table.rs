//! Reads back the tables the catalogue commands print (comfy-table's UTF8_FULL_CONDENSED
//! preset), so tests can assert on cells instead of snapshotting a whole table whose column
//! widths follow the longest check id or title in the registry.

/// The body rows of the first table in `text`, one `Vec` of cells per row. A cell wrapped
/// over several lines comes back with its lines joined by `\n`. A row starts at a line whose
/// cell in column `key` is not empty: pick a column that never wraps (the first one in the
/// catalogue tables; a count when the first column wraps).
pub fn rows(text: &str, key: usize) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let body = text
        .lines()
        .skip_while(|l| !l.starts_with('╞'))
        .skip(1)
        .take_while(|l| l.starts_with('│'));
    for line in body {
        let inner = line.trim_start_matches('│').trim_end_matches('│');
        let cells: Vec<&str> = inner.split('┆').map(str::trim).collect();
        match rows.last_mut() {
            Some(row) if cells[key].is_empty() => {
                for (cell, more) in row.iter_mut().zip(cells) {
                    if !more.is_empty() {
                        if !cell.is_empty() {
                            cell.push('\n');
                        }
                        cell.push_str(more);
                    }
                }
            }
            _ => rows.push(cells.into_iter().map(String::from).collect()),
        }
    }
    rows
}

/// A wrapped prose cell as one line.
pub fn unwrap(cell: &str) -> String {
    cell.replace('\n', " ")
}
