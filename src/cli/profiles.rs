//! `phiscan profiles list|show`: the shipped policy profiles and what each promise is
//! verified by.

use clap::Subcommand;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use phiscan_core::profiles::{self, Profile};

#[derive(Subcommand)]
pub enum ProfilesCommand {
    /// List the shipped policy profiles
    List,
    /// Show a profile's promises: the quoted sentence, the references the policy cites, and
    /// the checks that verify it (or why it is manual)
    Show {
        /// A shipped profile name or a profile file
        name: String,
    },
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(super::table_width(false));
    t
}

pub fn run(cmd: ProfilesCommand) -> anyhow::Result<i32> {
    let registry = phiscan_checks::registry();
    let metas: Vec<_> = registry.iter().map(|c| c.meta()).collect();
    match cmd {
        ProfilesCommand::List => {
            let mut t = table();
            t.set_header(vec!["Profile", "Policy", "Clouds", "Promises", "Checks"]);
            for p in profiles::builtin() {
                let manual = p.promises.iter().filter(|x| x.manual.is_some()).count();
                t.add_row(vec![
                    p.name.clone(),
                    format!("{}\n{}", p.title, p.document),
                    p.providers
                        .iter()
                        .map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    format!("{} ({manual} manual)", p.promises.len()),
                    p.check_ids().len().to_string(),
                ]);
            }
            super::emit(
                &format!("{t}\nScan with one: phiscan scan --demo --profile qolty\n"),
                None,
            )?;
        }
        ProfilesCommand::Show { name } => {
            let p = Profile::load(&name)?;
            p.validate(&metas, &name)?;
            let mut out = format!(
                "{} ({})\n{}; {}\nClouds: {}\n\n",
                p.title,
                p.name,
                p.document,
                p.version,
                p.providers
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut t = table();
            t.set_header(vec!["Promise", "Policy cites", "Verified by"]);
            for pr in &p.promises {
                let refs = pr
                    .references
                    .iter()
                    .map(|r| match (&r.control, &r.note) {
                        (Some(c), _) => format!("{} {} (= {c})", r.framework, r.cited),
                        (None, _) => format!("{} {}", r.framework, r.cited),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let by = match &pr.manual {
                    Some(why) => format!("manual: {why}"),
                    None => {
                        let mut s = pr
                            .checks
                            .iter()
                            .map(|c| match &c.params {
                                Some(params) => format!(
                                    "{} {}",
                                    c.id,
                                    serde_json::to_string(params).unwrap_or_default()
                                ),
                                None => c.id.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join("\n");
                        if let Some(a) = &pr.attested {
                            s.push_str(&format!(
                                "\nattested on {}: {}",
                                a.platforms.join(", "),
                                a.rules.join(", ")
                            ));
                        }
                        if let Some(note) = &pr.note {
                            s.push_str(&format!("\nnote: {note}"));
                        }
                        s
                    }
                };
                t.add_row(vec![
                    format!("{}\n{}: \"{}\"", pr.id, pr.section, pr.quote),
                    refs,
                    by,
                ]);
            }
            out.push_str(&t.to_string());
            out.push('\n');
            super::emit(&out, None)?;
        }
    }
    Ok(0)
}
