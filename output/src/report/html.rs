//! HTML: one self-contained page for people. Summary charts (inline SVG) per HIPAA control and
//! per provider, a filterable findings table (a few lines of inline JavaScript) and the control
//! matrix. No external resource of any kind: no stylesheet, font, script or image is fetched,
//! and no external URL appears in the file (`://` in text is written as `&#58;//`), so the page
//! opens the same on an air-gapped auditor's laptop.

use std::collections::BTreeMap;

use super::text::{status_label, xml};
use super::{Counts, Report, Source};
use crate::frameworks::hipaa::Coverage;

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1d2433;background:#fff}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d6dae3}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #d6dae3;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f4f8}td.spec{padding-left:1.4rem}code{font-size:.8rem;word-break:break-all}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.75rem;font-weight:600;color:#fff;background:#6b7280}
.badge.pass{background:#1a7f37}.badge.fail{background:#cf222e}.badge.error{background:#bf8700}.badge.waived,.badge.unmatched,.badge.expired,.badge.applied{background:#9a6700}.badge.not-applicable,.badge.not-evaluated{background:#8c959f}
.badge.inherited{background:#0969da}.badge.organizational{background:#8250df}
.badge.holds{background:#1a7f37}.badge.broken{background:#cf222e}.badge.not-verified{background:#bf8700}.badge.manual{background:#8250df}
blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #d6dae3;font-style:italic}
.cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{border:1px solid #d6dae3;border-radius:.4rem;padding:.5rem .9rem;min-width:7rem}
.card b{display:block;font-size:1.4rem}.charts{display:flex;gap:2rem;flex-wrap:wrap}.chart{max-width:100%}
.legend span{margin-right:1rem;font-size:.8rem}.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.25rem;vertical-align:middle}
.filters{margin:.5rem 0;display:flex;gap:.6rem;align-items:center}input,select{font:inherit;padding:.2rem .4rem}
pre{margin:0;white-space:pre-wrap;font-size:.75rem}details summary{cursor:pointer}
"#;

const SCRIPT: &str = r#"
(function(){
  var q=document.getElementById('filter-text'),s=document.getElementById('filter-status'),
      p=document.getElementById('filter-provider'),n=document.getElementById('shown-count'),
      rows=Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr.finding'));
  function apply(){
    var t=q.value.toLowerCase(),st=s.value,pv=p.value,shown=0;
    rows.forEach(function(r){
      var ok=(!st||r.getAttribute('data-status')===st)&&(!pv||r.getAttribute('data-provider')===pv)&&
             (!t||r.textContent.toLowerCase().indexOf(t)>=0);
      r.hidden=!ok;if(ok)shown++;
    });
    n.textContent=String(shown);
  }
  q.addEventListener('input',apply);s.addEventListener('change',apply);p.addEventListener('change',apply);
  apply();document.body.setAttribute('data-js','ready');
})();
"#;

const COLORS: [(&str, &str); 5] = [
    ("pass", "#1a7f37"),
    ("fail", "#cf222e"),
    ("error", "#bf8700"),
    ("not-applicable", "#8c959f"),
    ("waived", "#9a6700"),
];

/// `<!DOCTYPE html>` up to and including `<body>`, with the shared inline style.
pub fn page_head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        xml(title)
    )
}

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
fn bar_chart(id: &str, title: &str, rows: &[(String, Counts)]) -> String {
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

fn legend() -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (name, color) in COLORS {
        out.push_str(&format!(
            "<span><i class=\"sw\" style=\"background:{color}\"></i>{name}</span>"
        ));
    }
    out.push_str("</p>\n");
    out
}

pub fn render(report: &Report) -> String {
    let s = &report.scan;
    let mut out = page_head("phiscan HIPAA report");
    let source = match &s.source {
        Source::Demo => "built-in demo estate".to_string(),
        Source::Inventory(p) => format!("inventory {p}"),
        Source::Live(p) => format!("live {p} scan"),
    };
    let time =
        |t: &chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    out.push_str(&format!(
        "<h1>phiscan HIPAA Security Rule report</h1>\n<p>phiscan {} — {} — collected {} to {}, evaluated at {} — exit code {}</p>\n<ul>\n",
        xml(&s.version),
        xml(&source),
        time(&s.started_at),
        time(&s.finished_at),
        time(&s.evaluated_at),
        report.exit_code
    ));
    for scope in &s.scope {
        out.push_str(&format!(
            "<li>{} {} <code>{}</code>{}{}</li>\n",
            scope.provider,
            scope.provider.scope_noun(),
            xml(&scope.account),
            scope
                .name
                .as_deref()
                .map(|n| format!(" ({})", xml(n)))
                .unwrap_or_default(),
            if scope.regions.is_empty() {
                String::new()
            } else {
                format!(": {}", xml(&scope.regions.join(", ")))
            }
        ));
    }
    out.push_str("</ul>\n<div class=\"cards\">");
    let c = &report.counts;
    for (label, n, cls) in [
        ("findings", c.total(), ""),
        ("pass", c.pass, "pass"),
        ("fail", c.fail, "fail"),
        ("error", c.error, "error"),
        ("not applicable", c.not_applicable, "not-applicable"),
        ("waived", c.waived, "waived"),
    ] {
        out.push_str(&format!(
            "<div class=\"card {cls}\"><b>{n}</b>{label}</div>"
        ));
    }
    out.push_str("</div>\n");

    // Charts.
    let per_control: Vec<(String, Counts)> = report
        .controls
        .iter()
        .filter(|r| r.control.coverage() == Coverage::Tested && r.counts.total() > 0)
        .map(|r| (r.control.citation().to_string(), r.counts.clone()))
        .collect();
    let mut per_provider: BTreeMap<crate::Provider, Counts> = BTreeMap::new();
    for f in &report.findings {
        per_provider
            .entry(f.resource().provider)
            .or_default()
            .add(f.status());
    }
    let per_provider: Vec<(String, Counts)> = per_provider
        .into_iter()
        .map(|(p, c)| (p.to_string(), c))
        .collect();
    out.push_str("<h2>Summary</h2>\n");
    out.push_str(&legend());
    out.push_str("<div class=\"charts\">\n");
    out.push_str(&bar_chart(
        "chart-controls",
        "Findings per tested HIPAA control",
        &per_control,
    ));
    out.push_str(&bar_chart(
        "chart-providers",
        "Findings per provider",
        &per_provider,
    ));
    out.push_str("</div>\n");
    if let Some(pr) = &report.profile {
        out.push_str(&promises(report, pr));
    }

    // Findings.
    out.push_str(&format!(
        "<h2>Findings</h2>\n<div class=\"filters\"><input id=\"filter-text\" type=\"search\" placeholder=\"Filter: check, resource, reason…\" aria-label=\"Filter findings\"><select id=\"filter-status\" aria-label=\"Status\"><option value=\"\">every status</option><option value=\"fail\">FAIL</option><option value=\"error\">ERROR</option><option value=\"pass\">PASS</option><option value=\"not-applicable\">NOT_APPLICABLE</option><option value=\"waived\">WAIVED</option></select><select id=\"filter-provider\" aria-label=\"Provider\"><option value=\"\">every provider</option><option value=\"aws\">aws</option><option value=\"gcp\">gcp</option><option value=\"azure\">azure</option></select><span><span id=\"shown-count\">{}</span> of {} shown</span></div>\n",
        report.findings.len(),
        report.findings.len()
    ));
    out.push_str("<table id=\"findings\">\n<thead><tr><th>Status</th><th>Severity</th><th>Check</th><th>Provider</th><th>Account</th><th>Region</th><th>Resource</th><th>Controls</th><th>Reason</th><th>Evidence</th></tr></thead>\n<tbody>\n");
    for (i, f) in report.findings.iter().enumerate() {
        let r = f.resource();
        let status = status_label(f.status());
        let controls = f
            .meta
            .controls
            .iter()
            .map(|c| {
                format!(
                    "<a href=\"#control-{}\">{}</a>",
                    super::controls::anchor(c.citation()),
                    xml(c.citation())
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        // Plain JSON values: serialization cannot fail.
        let evidence =
            serde_json::to_string_pretty(&f.finding.evidence).expect("evidence serializes");
        let reference = f
            .evidence_ref
            .as_deref()
            .map(|r| format!("<br><a href=\"{0}\">{0}</a>", xml(r)))
            .unwrap_or_default();
        let waiver = f
            .finding
            .waiver
            .as_ref()
            .map(|w| {
                format!(
                    "<br><small class=\"waiver\">Waived: {} (approved by {}, until {})</small>",
                    xml(&w.justification),
                    xml(&w.approver),
                    w.expires
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "<tr class=\"finding\" id=\"finding-{i}\" data-status=\"{status}\" data-provider=\"{prov}\"><td><span class=\"badge {status}\">{label}</span></td><td>{sev}</td><td><code>{check}</code><br>{title}</td><td>{prov}</td><td><code>{acct}</code></td><td>{region}</td><td>{name}<br><code>{id}</code></td><td>{controls}</td><td>{reason}{waiver}</td><td><details><summary>observed</summary><pre>{evidence}</pre>{reference}</details></td></tr>\n",
            label = f.status(),
            sev = f.severity,
            check = xml(f.meta.id),
            title = xml(f.meta.title),
            prov = r.provider,
            acct = xml(&r.account),
            region = xml(&r.region),
            name = xml(&r.name),
            id = xml(&r.id),
            reason = xml(&f.finding.reason),
            evidence = xml(&evidence),
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    if !report.waivers.is_empty() {
        out.push_str(&waivers(report));
    }

    out.push_str("<h2>HIPAA Security Rule control matrix</h2>\n");
    out.push_str(&super::controls::html_table(report, false));
    if !report.readiness.is_empty() {
        out.push_str(&readiness(report));
    }
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}

/// The policy profile, promise by promise: the quoted sentence, its verdict with counts, and
/// the findings that break it (linked to their rows in the findings table).
fn promises(report: &Report, pr: &super::ProfileReport) -> String {
    use crate::profiles::PromiseVerdict;
    let p = &pr.profile;
    let count = |v: PromiseVerdict| pr.results.iter().filter(|r| r.verdict == v).count();
    let mut out = format!(
        "<h2 id=\"promises\">Policy promises</h2>\n<p>{} — {} ({}), {}: {} promises, {} kept, {} broken, {} could not be verified, {} manual.</p>\n",
        xml(&p.title),
        xml(&p.document),
        xml(&p.version),
        xml(&p.organization),
        pr.results.len(),
        count(PromiseVerdict::Holds),
        count(PromiseVerdict::Broken),
        count(PromiseVerdict::NotVerified),
        count(PromiseVerdict::Manual),
    );
    out.push_str("<table id=\"promise-table\">\n<thead><tr><th>Promise</th><th>Verdict</th><th>PASS</th><th>FAIL</th><th>ERROR</th><th>Checks</th><th>Evidence</th></tr></thead>\n<tbody>\n");
    for r in &pr.results {
        let verdict = match r.verdict {
            PromiseVerdict::Holds => "holds",
            PromiseVerdict::Broken => "broken",
            PromiseVerdict::NotVerified => "not-verified",
            PromiseVerdict::Manual => "manual",
        };
        let checks = r
            .promise
            .checks
            .iter()
            .map(|c| format!("<code>{}</code>", xml(&c.id)))
            .collect::<Vec<_>>()
            .join("<br>");
        let evidence = match &r.promise.manual {
            Some(why) => format!("manual: {}", xml(why)),
            None if r.failing.is_empty() && r.pass > 0 => {
                format!("{} passing finding(s)", r.pass)
            }
            None if r.failing.is_empty() => "no resource in scope was evaluated".to_string(),
            None => {
                let items: Vec<String> = r
                    .failing
                    .iter()
                    .filter_map(|&i| report.findings.get(i).map(|f| (i, f)))
                    .map(|(i, f)| {
                        format!(
                            "<li><a href=\"#finding-{i}\">{} {}</a>: {}</li>",
                            f.status(),
                            xml(&f.resource().name),
                            xml(&f.finding.reason)
                        )
                    })
                    .collect();
                format!("<ul>{}</ul>", items.join(""))
            }
        };
        let note = r
            .promise
            .note
            .as_deref()
            .map(|n| format!("<br><small>{}</small>", xml(n)))
            .unwrap_or_default();
        out.push_str(&format!(
            "<tr class=\"promise\" id=\"promise-{id}\" data-verdict=\"{verdict}\"><td><code>{id}</code> — {section}<blockquote>{quote}</blockquote>{note}</td><td><span class=\"badge {verdict}\">{label}</span></td><td>{pass}</td><td>{fail}</td><td>{error}</td><td>{checks}</td><td>{evidence}</td></tr>\n",
            id = xml(&r.promise.id),
            section = xml(&r.promise.section),
            quote = xml(&r.promise.quote),
            label = r.verdict.label().to_uppercase(),
            pass = r.pass,
            fail = r.fail,
            error = r.error,
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Readiness for the 2025 proposed rule, every proposed standard with its verdict.
fn readiness(report: &Report) -> String {
    use crate::frameworks::nprm2025;
    let mut out = format!(
        "<h2 id=\"readiness\">Readiness for the proposed 2025 Security Rule</h2>\n<p><strong>{}</strong><br>{}</p>\n<table id=\"readiness-table\">\n<thead><tr><th>Proposed</th><th>Name</th><th>Verdict</th><th>PASS</th><th>FAIL</th><th>ERROR</th><th>Checks / reason</th></tr></thead>\n<tbody>\n",
        xml(nprm2025::STATUS),
        xml(nprm2025::CITATION)
    );
    for row in &report.readiness {
        let r = row.requirement;
        let detail = match r.coverage().reason() {
            Some(why) => xml(why),
            None => row
                .checks
                .iter()
                .map(|c| format!("<code>{}</code>", xml(c)))
                .collect::<Vec<_>>()
                .join("<br>"),
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}<br><small>{}</small></td><td><span class=\"badge {v}\">{v}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{detail}</td></tr>\n",
            xml(r.citation()),
            xml(r.name()),
            xml(r.summary()),
            row.counts.pass,
            row.counts.fail,
            row.counts.error,
            v = row.verdict(),
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Every waiver whose check ran, with its state: expired and unmatched ones need cleaning up.
fn waivers(report: &Report) -> String {
    let mut out = String::from("<h2>Waivers</h2>\n<table id=\"waivers\">\n<thead><tr><th>State</th><th>Check</th><th>Resource pattern</th><th>Justification</th><th>Approver</th><th>Expires</th><th>Findings</th></tr></thead>\n<tbody>\n");
    for w in &report.waivers {
        out.push_str(&format!(
            "<tr class=\"waiver\" data-state=\"{s}\"><td><span class=\"badge {s}\">{s}</span></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            xml(&w.check),
            xml(&w.resource),
            xml(&w.justification),
            xml(&w.approver),
            w.expires,
            w.findings,
            s = w.state.as_str(),
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
