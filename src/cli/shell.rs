//! `phiscan completions SHELL` and `phiscan man`: generated from the clap definitions, so
//! they name exactly the subcommands and flags this binary has.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory};

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish. E.g. `phiscan completions bash >
    /// /etc/bash_completion.d/phiscan`, `phiscan completions zsh > "${fpath[1]}/_phiscan"`
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// Write phiscan.1 and one page per subcommand (phiscan-scan.1, ...) into this
    /// directory instead of printing the main page
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<i32> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "phiscan", &mut out);
    super::emit(&String::from_utf8(out)?, None)?;
    Ok(0)
}

pub fn man(args: ManArgs) -> anyhow::Result<i32> {
    let cmd = super::Cli::command();
    match args.dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            super::emit(&String::from_utf8(out)?, None)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("cannot write man pages to {}", dir.display()))?;
        }
    }
    Ok(0)
}
