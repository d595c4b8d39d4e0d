//! The book on paper: `sockbook pdf` prints both editions with headless
//! Chromium, and poppler-utils reads the PDFs back: enough pages, every
//! font embedded and a Noto CJK font among them for the Chinese edition,
//! the chapters' Chinese headings extracted as the right characters (no
//! tofu), and every diagram drawn (its labels are text, its mermaid source
//! is not).
//!
//! Run with `cargo test --features browser --test print`. Without Chromium,
//! poppler-utils or a CJK font (`fc-list :lang=zh`) the test says why and
//! skips; under `CI=true` that is a failure.

use std::path::Path;
use std::process::Command;

#[allow(dead_code)]
mod common;

/// Fewer pages than this is a book that lost its chapters (400 and 454 on
/// 2026-11-21).
const MIN_PAGES: u32 = 200;

/// Runs a poppler tool (or `fc-list`) and returns its output, or skips.
fn tool(program: &str, args: &[&str]) -> Option<String> {
    match Command::new(program).args(args).output() {
        Ok(output) if output.status.success() => {
            Some(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Ok(output) => panic!(
            "{program} {args:?}: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(err) => {
            let why = format!("cannot run {program} ({err}): install poppler-utils");
            sockbook::netns::skip("the PDF test", &why);
            None
        }
    }
}

fn pages(pdf: &str) -> u32 {
    let info = tool("pdfinfo", &[pdf]).unwrap();
    let line = info
        .lines()
        .find(|line| line.starts_with("Pages:"))
        .unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The chapters' `# ` headings, as written in book/.
fn headings() -> Vec<String> {
    common::chapters()
        .iter()
        .map(|chapter| {
            let text = std::fs::read_to_string(Path::new("book").join(chapter)).unwrap();
            let first = text.lines().find(|line| line.starts_with("# ")).unwrap();
            first[2..].trim().to_string()
        })
        .collect()
}

/// The first line of every mermaid diagram in book/ ("flowchart TB",
/// "sequenceDiagram"…): on paper, the source of an undrawn diagram.
fn diagram_kinds() -> Vec<String> {
    let mut kinds: Vec<String> = common::chapters()
        .iter()
        .flat_map(|chapter| {
            let text = std::fs::read_to_string(Path::new("book").join(chapter)).unwrap();
            text.split("```mermaid\n")
                .skip(1)
                .map(|block| block.lines().next().unwrap().trim().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The quoted labels of every mermaid diagram in book/, diagram by diagram.
fn diagram_labels() -> Vec<(String, Vec<String>)> {
    let mut diagrams = Vec::new();
    for chapter in common::chapters() {
        let text = std::fs::read_to_string(Path::new("book").join(&chapter)).unwrap();
        for block in text.split("```mermaid\n").skip(1) {
            let source = block.split("```").next().unwrap();
            let labels = source
                .split('"')
                .skip(1)
                .step_by(2)
                .map(|label| label.split_whitespace().collect())
                .collect();
            diagrams.push((chapter.clone(), labels));
        }
    }
    diagrams
}

#[test]
fn both_editions_print_with_their_fonts_and_diagrams() {
    let Some(_) = common::browser::chromium("the PDF test") else {
        return;
    };
    let Some(cjk) = tool("fc-list", &[":lang=zh", "family"]) else {
        return;
    };
    if !cjk.contains("Noto Sans CJK") {
        let why = format!("no Noto CJK font (fc-list :lang=zh: {cjk:?}): install fonts-noto-cjk");
        sockbook::netns::skip("the PDF test", &why);
        return;
    }
    let Some(_) = tool("pdfinfo", &["-v"]) else {
        return;
    };

    let site = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sockbook"))
        .arg("pdf")
        .env("MDBOOK_BUILD__BUILD_DIR", site.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "sockbook pdf: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    let zh = site.path().join("sockbook-zh.pdf");
    let en = site.path().join("sockbook-en.pdf");
    assert_eq!(
        printed.lines().collect::<Vec<_>>(),
        [zh.to_str().unwrap(), en.to_str().unwrap()]
    );

    for pdf in [&zh, &en] {
        let pdf = pdf.to_str().unwrap();
        let count = pages(pdf);
        println!("{pdf}: {count} pages");
        assert!(count >= MIN_PAGES, "{pdf}: {count} pages");
        // pdffonts: name, type, encoding, then emb sub uni and the object.
        let fonts = tool("pdffonts", &[pdf]).unwrap();
        for font in fonts.lines().skip(2) {
            let columns: Vec<&str> = font.split_whitespace().collect();
            let emb = columns[columns.len() - 5];
            assert_eq!(emb, "yes", "{pdf}: a font is not embedded: {font}");
        }
        let text = tool("pdftotext", &[pdf, "-"]).unwrap();
        assert!(!text.contains('\u{fffd}'), "{pdf}: characters lost");
        for source in diagram_kinds() {
            assert!(
                !text.contains(&source),
                "{pdf}: an undrawn diagram (its source, {source:?}, is printed)"
            );
        }
    }

    // Chromium embeds Noto CJK (CFF outlines) as Type 3 subsets, which
    // pdffonts lists without a name; their descriptors keep it.
    let bytes = std::fs::read(&zh).unwrap();
    let noto = bytes
        .windows(b"+NotoSansCJK".len())
        .filter(|window| window == b"+NotoSansCJK")
        .count();
    assert!(noto > 0, "no Noto Sans CJK font in {}", zh.display());

    // Compared without white space: pdftotext breaks lines where the page
    // does.
    let text: String = tool("pdftotext", &[zh.to_str().unwrap(), "-"])
        .unwrap()
        .split_whitespace()
        .collect();
    let missing: Vec<String> = headings()
        .into_iter()
        .filter(|heading| !text.contains(&heading.split_whitespace().collect::<String>()))
        .collect();
    assert!(
        missing.is_empty(),
        "headings not in the PDF's text: {missing:?}"
    );
    let diagrams = diagram_labels();
    assert!(diagrams.len() > 10, "{diagrams:?}");
    for (chapter, labels) in &diagrams {
        assert!(
            labels.iter().any(|label| text.contains(label)),
            "{chapter}: a diagram's labels are not in the PDF: {labels:?}"
        );
    }
    println!(
        "{} headings and {} diagrams found in the Chinese PDF",
        headings().len(),
        diagrams.len()
    );
}
