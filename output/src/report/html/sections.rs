//! The sections a report has only sometimes: the policy profile's promises, the waivers, and
//! readiness for the proposed 2025 rule.

use crate::report::text::xml;
use crate::report::{ProfileReport, Report};

/// The policy profile, promise by promise: the quoted sentence, its verdict with counts, and
/// the findings that break it (linked to their rows in the findings table).
pub(super) fn promises(report: &Report, pr: &ProfileReport) -> String {
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
        count(PromiseVerdict::Holds) + count(PromiseVerdict::HoldsAttested),
        count(PromiseVerdict::Broken),
        count(PromiseVerdict::NotVerified),
        count(PromiseVerdict::Manual),
    );
    out.push_str("<table id=\"promise-table\">\n<thead><tr><th>Promise</th><th>Verdict</th><th>PASS</th><th>FAIL</th><th>ERROR</th><th>Checks</th><th>Evidence</th></tr></thead>\n<tbody>\n");
    for r in &pr.results {
        let verdict = match r.verdict {
            PromiseVerdict::Holds => "holds",
            PromiseVerdict::HoldsAttested => "holds-attested",
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
        let platforms = crate::report::attested::platform_lines(report, r);
        let evidence = if platforms.is_empty() {
            evidence
        } else {
            format!(
                "{evidence}<ul class=\"platforms\">{}</ul>",
                platforms
                    .iter()
                    .map(|l| format!("<li>{}</li>", xml(l).replace('\n', "<br>")))
                    .collect::<String>()
            )
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
pub(super) fn readiness(report: &Report) -> String {
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
pub(super) fn waivers(report: &Report) -> String {
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
