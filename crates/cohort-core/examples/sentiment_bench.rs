//! Measures the sentiment scorer's throughput on short chat messages, on one core.
//!
//! `cargo run --release -p cohort-core --example sentiment_bench [-- seconds]` scores a mix
//! of typical messages over and over for about two seconds (or the given number) and prints
//! messages per second.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cohort_core::sentiment::{quantize, score};

/// Messages per second of this benchmark before issue 11's changes (AFINN words, sarcasm,
/// code-switched chat), on the same 2-core machine: the figure to compare with.
const BASELINE_PER_SECOND: f64 = 2.89e6;
/// What issue 11 asks for on one core.
const TARGET_PER_SECOND: f64 = 1.0e6;

/// A mix of what users send a business bot: answers, questions, praise, complaints, emoji.
const MESSAGES: &[&str] = &[
    "hello",
    "hi there",
    "ok",
    "yes please",
    "no thanks",
    "thanks!",
    "thank you so much 🙏",
    "hahaha",
    "lol that's perfect",
    "so slow!",
    "still waiting for my refund",
    "where is my order?",
    "can I change my delivery address?",
    "my order number is 48213",
    "the pizza was amazing 😍😍",
    "sooo gooood",
    "this bot is useless, I want to talk to a real person",
    "the app doesn't work :(",
    "not helpful at all",
    "it was kinda slow but the food was delicious",
    "GREAT service!!!",
    "I don't like the new update",
    "👍🏽",
    "❤️",
    "what time do you close?",
    "I've been waiting for an hour and nobody answers the phone",
    "good morning, do you deliver on Sundays?",
    "never again",
    "can you send it to my work address instead?",
    "you guys are the best, 10/10 would order again",
];

fn main() {
    let seconds = std::env::args()
        .nth(1)
        .and_then(|argument| argument.parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
        .unwrap_or(2.0);
    let budget = Duration::from_secs_f64(seconds);
    let bytes: usize = MESSAGES.iter().map(|message| message.len()).sum();

    // Builds the lexicon before timing, as a running server will have.
    let mut checksum = i64::from(quantize(score("warm up").score));
    let started = Instant::now();
    let mut messages: u64 = 0;
    while started.elapsed() < budget {
        for _ in 0..1_000 {
            for message in MESSAGES {
                checksum += i64::from(quantize(score(black_box(message)).score));
            }
        }
        messages += 1_000 * MESSAGES.len() as u64;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = messages as f64 / elapsed;
    println!(
        "{messages} messages in {elapsed:.2} s: {:.2} M messages/s, {:.0} ns/message, \
         {:.0} MB/s (mean {:.0} bytes/message; checksum {})",
        rate / 1e6,
        1e9 / rate,
        rate * bytes as f64 / MESSAGES.len() as f64 / 1e6,
        bytes as f64 / MESSAGES.len() as f64,
        black_box(checksum)
    );
    println!(
        "before issue 11: {:.2} M messages/s (now {:.0}% of it); target {:.2} M messages/s: {}",
        BASELINE_PER_SECOND / 1e6,
        100.0 * rate / BASELINE_PER_SECOND,
        TARGET_PER_SECOND / 1e6,
        if rate >= TARGET_PER_SECOND {
            "met"
        } else {
            "NOT met"
        }
    );
}
