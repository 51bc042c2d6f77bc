//! The HTML report of the demo as a browser sees it, and `--output-dir` writing every
//! format.

use std::process::Command as Process;

use super::{demo, demo_json, phiscan, tool, NOW};

fn demo_count() -> usize {
    demo_json()["findings"].as_array().unwrap().len()
}

#[test]
fn html_is_self_contained() {
    let html = demo("html");
    for needle in ["http://", "https://", "src=", "url(", "@import", "<link"] {
        assert!(
            !html.contains(needle),
            "the HTML report contains {needle:?}"
        );
    }
    assert_eq!(html.matches("<tr class=\"finding\"").count(), demo_count());
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(chromium) = tool("chromium") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, demo("html")).unwrap();
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
    ];
    let run = |extra: &[String]| {
        let out = Process::new(&chromium)
            .args(base)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "chromium: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let dom = String::from_utf8(run(&["--dump-dom".into()]).stdout).unwrap();
    let n = demo_count();
    assert_eq!(
        dom.matches("class=\"finding\"").count(),
        n,
        "one row per finding"
    );
    // The inline script ran: it marks the body and counts the shown rows.
    assert!(
        dom.contains("data-js=\"ready\""),
        "the inline script did not run"
    );
    assert!(dom.contains(&format!("<span id=\"shown-count\">{n}</span>")));
    for chart in ["chart-controls", "chart-providers"] {
        assert!(dom.contains(&format!("id=\"{chart}\"")), "{chart} missing");
    }
    assert!(
        dom.matches("<rect class=\"seg").count() >= 6,
        "charts have no bars"
    );
    assert!(dom.contains("class=\"matrix\""), "control matrix missing");

    let shot = dir.path().join("report.png");
    run(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1280,1600".into(),
    ]);
    let decoder = png::Decoder::new(std::fs::File::open(&shot).expect("screenshot written"));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = bytes.chunks(channels).collect();
    let non_white = pixels
        .iter()
        .filter(|p| p.iter().take(3).any(|c| *c < 200))
        .count();
    let colors: std::collections::BTreeSet<&[u8]> = pixels.iter().copied().collect();
    let kept = std::env::temp_dir().join("phiscan-report-screenshot.png");
    std::fs::copy(&shot, &kept).unwrap();
    println!(
        "screenshot: {} (copy kept at {})",
        shot.display(),
        kept.display()
    );
    assert!(
        info.width >= 1000 && info.height >= 1000,
        "{}x{}",
        info.width,
        info.height
    );
    assert!(
        non_white * 100 > pixels.len(),
        "the page looks blank: {non_white} dark pixels"
    );
    assert!(
        colors.len() > 20,
        "the page looks blank: {} colours",
        colors.len()
    );
}

#[test]
fn output_dir_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    phiscan()
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--output-dir",
            out.to_str().unwrap(),
            "--format",
            "json",
            "--format",
            "sarif",
        ])
        .assert()
        .code(1)
        .stdout("");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["report.json", "report.sarif"]);
    let all = dir.path().join("all");
    phiscan()
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--output-dir",
            all.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    for (name, format) in [
        ("report.txt", "table"),
        ("report.json", "json"),
        ("report.csv", "csv"),
        ("report.sarif", "sarif"),
        ("report.junit.xml", "junit"),
        ("report.html", "html"),
        ("report.ocsf.json", "ocsf"),
        ("report.asff.json", "asff"),
        ("report.oscal.json", "oscal"),
    ] {
        let written = std::fs::read_to_string(all.join(name)).unwrap();
        assert_eq!(written, demo(format), "{name}");
    }
    let err = phiscan()
        .args(["scan", "--demo", "--format", "json", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("--output-dir"));
}
