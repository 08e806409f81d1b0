//! Scores a labelled chat set with Cohort's sentiment scorer and prints accuracy and
//! macro-recall (the mean of the per-label recalls).
//!
//! `cargo run -p cohort-core --example sentiment_eval [-- path.tsv] [--misses] [--explain]`;
//! `--misses` lists the messages scored wrong, `--explain` also what moved each one. The set
//! defaults to `tests/data/sentiment_chat.tsv` (`label<TAB>text` after a header line).

use std::process::ExitCode;

use cohort_core::sentiment::{Label, explain, score};

const LABELS: [Label; 3] = [Label::Positive, Label::Neutral, Label::Negative];

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let show_causes = arguments.iter().any(|argument| argument == "--explain");
    let show_misses = show_causes || arguments.iter().any(|argument| argument == "--misses");
    let path = arguments
        .iter()
        .find(|argument| !argument.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sentiment_chat.tsv").to_owned()
        });
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
    };

    let mut hits = [0u32; 3];
    let mut totals = [0u32; 3];
    for (number, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let expected = line
            .split_once('\t')
            .and_then(|(label, text)| Some((label_index(label)?, text)));
        let Some((expected, message)) = expected else {
            eprintln!("{path}:{}: expected `label<TAB>text`", number + 1);
            return ExitCode::FAILURE;
        };
        let scored = score(message);
        if let Some(total) = totals.get_mut(expected) {
            *total += 1;
        }
        if LABELS.get(expected) == Some(&scored.label) {
            if let Some(hit) = hits.get_mut(expected) {
                *hit += 1;
            }
        } else if show_misses {
            let expected = LABELS.get(expected).map_or("?", |label| label.as_str());
            println!(
                "  miss: expected {expected:8} got {:8} ({:+.4})  {message}",
                scored.label.as_str(),
                scored.score
            );
            if show_causes {
                for contribution in explain(message).contributions {
                    println!(
                        "        {:+.3} {:?} {:?}",
                        contribution.effect, contribution.cause, contribution.text
                    );
                }
            }
        }
    }

    let total: u32 = totals.iter().sum();
    let correct: u32 = hits.iter().sum();
    if total == 0 {
        eprintln!("{path}: no labelled messages");
        return ExitCode::FAILURE;
    }
    let recalls: Vec<f64> = hits
        .iter()
        .zip(totals)
        .filter(|&(_, total)| total > 0)
        .map(|(&hit, total)| f64::from(hit) / f64::from(total))
        .collect();
    let macro_recall = recalls.iter().sum::<f64>() / recalls.len() as f64;
    let per_label: Vec<String> = LABELS
        .iter()
        .zip(hits.iter().zip(totals))
        .map(|(label, (&hit, total))| {
            let recall = if total > 0 {
                f64::from(hit) / f64::from(total)
            } else {
                0.0
            };
            format!("{} {recall:.3} ({hit}/{total})", label.as_str())
        })
        .collect();
    println!(
        "Cohort  accuracy {:.3}  macro-recall {macro_recall:.3}  recall: {}",
        f64::from(correct) / f64::from(total),
        per_label.join(", ")
    );
    ExitCode::SUCCESS
}

fn label_index(label: &str) -> Option<usize> {
    LABELS
        .iter()
        .position(|candidate| candidate.as_str() == label)
}
