//! The release workflow (ci/templates/release.yml) builds both Linux targets, checksums and
//! a CycloneDX SBOM, and attaches them to the release; the scheduled templates install one of
//! those archives, and their install script, run here against a local copy of a release,
//! installs a matching archive and refuses one whose checksum differs.

use std::process::Command;

use super::*;

/// The targets of the release's build matrix.
fn release_targets(release: &Value) -> Vec<String> {
    release["jobs"]["build"]["strategy"]["matrix"]["target"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn release_workflow_builds_both_targets_with_checksums_and_an_sbom() {
    let (_, yaml) = template("release.yml");
    assert!(yaml["on"]["push"]["tags"][0]
        .as_str()
        .is_some_and(|t| t.starts_with('v')));
    assert_eq!(
        release_targets(&yaml),
        ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"]
    );
    assert_eq!(yaml["env"]["CARGO_PROFILE_RELEASE_STRIP"], "symbols");
    let build = all_text(&yaml["jobs"]["build"]["steps"]);
    assert!(
        build.contains("build --release --locked --target \"${{ matrix.target }}\""),
        "{build}"
    );
    assert!(build.contains("phiscan-${GITHUB_REF_NAME}-${{ matrix.target }}"));
    let sbom = all_text(&yaml["jobs"]["sbom"]["steps"]);
    assert!(sbom.contains("cargo cyclonedx --format json"), "{sbom}");
    let release = &yaml["jobs"]["release"];
    assert_eq!(
        release["needs"],
        serde_norway::from_str::<Value>("[build, sbom]").unwrap()
    );
    assert_eq!(release["permissions"]["contents"], "write");
    let steps = all_text(&release["steps"]);
    for says in [
        "sha256sum phiscan-*.tar.gz phiscan-*.cdx.json > SHA256SUMS",
        "gh release upload",
        "dist/phiscan-*.tar.gz dist/phiscan-*.cdx.json dist/SHA256SUMS",
    ] {
        assert!(steps.contains(says), "{says}: {steps}");
    }
}

/// Each scheduled template's install script: GitHub's "Install phiscan" steps (all alike),
/// GitLab's `.phiscan` before_script without its apt-get line.
fn install_scripts() -> Vec<(&'static str, String)> {
    let (_, gh) = template("github-actions.yml");
    let mut steps: Vec<String> = Vec::new();
    for (_, job) in gh["jobs"].as_mapping().unwrap() {
        for s in job["steps"].as_sequence().unwrap() {
            if s["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Install phiscan"))
            {
                steps.push(s["run"].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(
        steps.len(),
        3,
        "scan, merge and scan-clouds install phiscan"
    );
    assert!(steps.iter().all(|s| *s == steps[0]), "{steps:?}");
    let (_, gl) = template("gitlab-ci.yml");
    let before: Vec<&str> = gl[".phiscan"]["before_script"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|l| !l.starts_with("apt-get"))
        .collect();
    vec![
        ("github-actions.yml", steps[0].clone()),
        ("gitlab-ci.yml", before.join("\n")),
    ]
}

/// A local release `v9.9.9` in `dir/releases` whose SHA256SUMS matches the archive, or not.
fn local_release(dir: &Path, target: &str, honest: bool) {
    let name = format!("phiscan-v9.9.9-{target}");
    let pack = dir.join("pack").join(&name);
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(pack.join("phiscan"), "#!/bin/sh\necho released\n").unwrap();
    let releases = dir.join("releases/v9.9.9");
    std::fs::create_dir_all(&releases).unwrap();
    let archive = releases.join(format!("{name}.tar.gz"));
    let ok = Command::new("tar")
        .arg("-C")
        .arg(dir.join("pack"))
        .arg("-czf")
        .arg(&archive)
        .arg(&name)
        .status()
        .unwrap();
    assert!(ok.success());
    use sha2::Digest;
    let mut digest = sha2::Sha256::digest(std::fs::read(&archive).unwrap()).to_vec();
    if !honest {
        digest[0] ^= 1;
    }
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(
        releases.join("SHA256SUMS"),
        format!("{hex}  {name}.tar.gz\n0000  phiscan-v9.9.9.cdx.json\n"),
    )
    .unwrap();
}

#[test]
fn scheduled_templates_install_a_released_binary_only_when_its_checksum_matches() {
    let (_, release) = template("release.yml");
    let targets = release_targets(&release);
    for (file, script) in install_scripts() {
        assert!(!script.contains("cargo install"), "{file}: compiles");
        let target = targets
            .iter()
            .find(|t| script.contains(&format!("-{t}.tar.gz")))
            .unwrap_or_else(|| panic!("{file} downloads no archive the release builds"));
        for honest in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            local_release(dir.path(), target, honest);
            let bin = dir.path().join("bin/phiscan");
            std::fs::create_dir_all(dir.path().join("bin")).unwrap();
            // The script as the CI runs it, installing into the test's directory.
            let script = script
                .replace("sudo install", "install")
                .replace("/usr/local/bin/phiscan", bin.to_str().unwrap());
            let work = dir.path().join("work");
            std::fs::create_dir_all(&work).unwrap();
            let out = Command::new("bash")
                .args(["-e", "-c", &script])
                .current_dir(&work)
                .env(
                    "PHISCAN_RELEASES",
                    format!("file://{}", dir.path().join("releases").display()),
                )
                .env("PHISCAN_VERSION", "v9.9.9")
                .output()
                .unwrap();
            let log = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.success(),
                honest,
                "{file} honest={honest}: {log}"
            );
            assert_eq!(bin.exists(), honest, "{file} honest={honest}");
        }
    }
}
