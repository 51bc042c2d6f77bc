//! `phiscan completions SHELL` and `phiscan man`: generated from the clap definitions, they
//! name the subcommands and flags the binary has.

use super::phiscan;

fn stdout(args: &[&str]) -> String {
    let out = phiscan().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_for_every_shell_name_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        // Flags without their dashes: fish writes `-l fail-on`.
        for word in ["scan", "merge", "format", "fail-on", "scope-untagged"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    // The bash script is valid bash.
    let script = stdout(&["completions", "bash"]);
    let status = std::process::Command::new("bash")
        .args(["-n", "-c", &script])
        .status()
        .expect("bash runs");
    assert!(status.success());
    let out = phiscan().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_pages_document_every_subcommand() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH phiscan 1"), "{page}");
    for sub in ["scan", "checks", "evidence", "diff", "merge", "completions"] {
        assert!(page.contains(sub), "the man page lacks {sub}");
    }
    let dir = tempfile::tempdir().unwrap();
    stdout(&["man", "--dir", dir.path().to_str().unwrap()]);
    let scan = std::fs::read_to_string(dir.path().join("phiscan-scan.1")).unwrap();
    assert!(scan.contains(".TH phiscan-scan 1"));
    assert!(scan.contains("fail\\-on"), "the scan page lacks --fail-on");
}
