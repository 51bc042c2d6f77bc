//! The summary charts: inline SVG stacked bars of finding counts, one colour per status.

use crate::report::text::xml;
use crate::report::Counts;

const COLORS: [(&str, &str); 5] = [
    ("pass", "#1a7f37"),
    ("fail", "#cf222e"),
    ("error", "#bf8700"),
    ("not-applicable", "#8c959f"),
    ("waived", "#9a6700"),
];

fn segments(c: &Counts) -> [(usize, &'static str, &'static str); 5] {
    [
        (c.pass, COLORS[0].0, COLORS[0].1),
        (c.fail, COLORS[1].0, COLORS[1].1),
        (c.error, COLORS[2].0, COLORS[2].1),
        (c.not_applicable, COLORS[3].0, COLORS[3].1),
        (c.waived, COLORS[4].0, COLORS[4].1),
    ]
}

/// A horizontal stacked bar chart: one bar per (label, counts), widths proportional to the
/// largest total.
pub(super) fn bar_chart(id: &str, title: &str, rows: &[(String, Counts)]) -> String {
    const LABEL_W: usize = 190;
    const BAR_W: usize = 420;
    const ROW_H: usize = 22;
    let max = rows
        .iter()
        .map(|(_, c)| c.total())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = rows.len() * ROW_H + 8;
    let mut out = format!(
        "<figure><figcaption>{}</figcaption><svg class=\"chart\" id=\"{id}\" role=\"img\" aria-label=\"{}\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\">\n",
        xml(title),
        xml(title),
        w = LABEL_W + BAR_W + 60
    );
    for (i, (label, counts)) in rows.iter().enumerate() {
        let y = 4 + i * ROW_H;
        out.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 14,
            xml(label)
        ));
        let mut x = LABEL_W;
        for (n, status, color) in segments(counts) {
            if n == 0 {
                continue;
            }
            let w = (n * BAR_W).div_ceil(max);
            out.push_str(&format!(
                "<rect class=\"seg {status}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{color}\"><title>{} {status}: {n}</title></rect>",
                ROW_H - 6,
                xml(label)
            ));
            x += w;
        }
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>\n",
            x + 6,
            y + 14,
            counts.total()
        ));
    }
    out.push_str("</svg></figure>\n");
    out
}

pub(super) fn legend() -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (name, color) in COLORS {
        out.push_str(&format!(
            "<span><i class=\"sw\" style=\"background:{color}\"></i>{name}</span>"
        ));
    }
    out.push_str("</p>\n");
    out
}
