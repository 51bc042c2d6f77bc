//! `phiscan config check`: validate phiscan.toml without scanning.

use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;
use phiscan_core::config_file;

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Validate a configuration file (docs/config.md) without scanning: exit 0 when valid,
    /// 2 with the file, line, column and key of the first problem otherwise
    Check {
        /// The file to check. Default: phiscan.toml in the working directory
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

pub fn run(command: ConfigCommand) -> anyhow::Result<i32> {
    match command {
        ConfigCommand::Check { config } => {
            let Some(path) = config_file::locate(config.as_deref()) else {
                bail!(
                    "no {} in the working directory (give one with --config FILE)",
                    config_file::DEFAULT_FILE
                );
            };
            let loaded = config_file::load(&path, &phiscan_checks::registry())?;
            let f = &loaded.file;
            let o = &f.output;
            let [output, output_dir, evidence] = [&o.output, &o.output_dir, &o.evidence]
                .map(|p| p.as_ref().map(|p| loaded.resolve(p.get_ref())));
            super::output::check_destinations(
                output.as_deref(),
                output_dir.as_deref(),
                evidence.as_deref(),
                |key| format!("{}: output.{}", path.display(), key.replace('-', "_")),
            )?;
            println!(
                "{}: valid ({} waiver(s), {} severity override(s), {} check parameter override(s){})",
                path.display(),
                loaded.waivers().len(),
                f.severity.len(),
                f.check_params.len(),
                if f.scope.classifications.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", scope {}",
                        f.scope
                            .classifications
                            .iter()
                            .map(|c| c.get_ref().as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                }
            );
            Ok(0)
        }
    }
}
