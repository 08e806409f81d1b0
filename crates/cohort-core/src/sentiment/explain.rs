//! Why a text scored as it did: the scorer's rules run with a `Ledger` that keeps every
//! share of the raw valence with its cause, and the shares become the text's contributions
//! on the score's own scale.
//!
//! The normalisation `x / sqrt(x² + 15)` is one factor for the whole sum, so each share is
//! scaled by that factor: the contributions of a text add up to its (unrounded) score.

use crate::api::{SentimentCause, SentimentContribution};

use super::record::{EmphasisMarks, Recorder};
use super::tokens::Span;
use super::{ALPHA, Score, lexicon, rules, score_of};

/// How many contributions an explanation lists at most.
pub const MAX_CONTRIBUTIONS: usize = 5;

/// A text's score and what moved it most.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Exactly what `score` gives for the text.
    pub score: Score,
    /// What moved the score most, largest `|effect|` first, at most `MAX_CONTRIBUTIONS`;
    /// empty when nothing in the text carries sentiment.
    pub contributions: Vec<SentimentContribution>,
}

/// The score of `text` (the same as `score(text)`) and the words, symbols and rules that
/// moved it most.
pub fn explain(text: &str) -> Explanation {
    let (raw, ledger) = rules::valence::<Ledger>(text, lexicon::lexicon());
    Explanation {
        score: score_of(raw),
        contributions: contributions(text, raw, ledger.entries, MAX_CONTRIBUTIONS),
    }
}

/// Where a cause is written: a span of the text, or marks counted over the whole text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Written {
    Span(Span),
    Marks(EmphasisMarks),
}

/// One share of the raw valence.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Share {
    cause: SentimentCause,
    written: Written,
    amount: f64,
    factor: Option<f64>,
}

/// The recorder that keeps every share.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    /// The shares of the token being scored.
    current: Vec<Share>,
    /// The shares that count.
    entries: Vec<Share>,
}

impl Ledger {
    fn current_sum(&self) -> f64 {
        self.current.iter().map(|share| share.amount).sum()
    }

    fn push_current(
        &mut self,
        cause: SentimentCause,
        span: Span,
        amount: f64,
        factor: Option<f64>,
    ) {
        self.current.push(Share {
            cause,
            written: Written::Span(span),
            amount,
            factor,
        });
    }
}

impl Recorder for Ledger {
    type Span = Span;

    fn span(span: Span) -> Span {
        span
    }

    fn join(first: Span, last: Span) -> Span {
        Span {
            start: first.start.min(last.start),
            end: first.end.max(last.end),
        }
    }

    fn part(&mut self, cause: SentimentCause, span: Span, amount: f64) {
        self.push_current(cause, span, amount, None);
    }

    fn rest(&mut self, cause: SentimentCause, span: Span, value: f64) {
        let rest = value - self.current_sum();
        self.push_current(cause, span, rest, None);
    }

    fn factor(&mut self, cause: SentimentCause, span: Span, factor: f64) {
        let delta = (factor - 1.0) * self.current_sum();
        self.push_current(cause, span, delta, Some(factor));
    }

    fn weight(&mut self, factor: f64) {
        for share in &mut self.current {
            share.amount *= factor;
        }
    }

    fn commit(&mut self) {
        self.entries.append(&mut self.current);
    }

    fn adjust(&mut self, cause: SentimentCause, span: Span, delta: f64, factor: Option<f64>) {
        self.entries.push(Share {
            cause,
            written: Written::Span(span),
            amount: delta,
            factor,
        });
    }

    fn emphasis(&mut self, marks: EmphasisMarks, delta: f64, factor: f64) {
        self.entries.push(Share {
            cause: SentimentCause::Emphasis,
            written: Written::Marks(marks),
            amount: delta,
            factor: Some(factor),
        });
    }
}

/// The shares of `text`'s raw valence `raw` as contributions to its score: the same cause
/// written the same way counts once, the largest `limit` by `|effect|` first.
fn contributions(
    text: &str,
    raw: f64,
    shares: Vec<Share>,
    limit: usize,
) -> Vec<SentimentContribution> {
    let scale = 1.0 / (raw * raw + ALPHA).sqrt();
    let mut merged: Vec<(SentimentContribution, f64)> = Vec::new();
    for share in shares {
        let written = written(text, share.written);
        let same = merged.iter_mut().find(|(contribution, _)| {
            contribution.cause == share.cause && contribution.text == written
        });
        match same {
            Some((_, amount)) => *amount += share.amount,
            None => merged.push((
                SentimentContribution {
                    cause: share.cause,
                    text: written,
                    effect: 0.0,
                    factor: share.factor.map(|factor| (factor * 100.0).round() / 100.0),
                },
                share.amount,
            )),
        }
    }
    let mut contributions: Vec<SentimentContribution> = merged
        .into_iter()
        .map(|(contribution, amount)| SentimentContribution {
            effect: (amount * scale * 1e4).round() / 1e4,
            ..contribution
        })
        .filter(|contribution| contribution.effect != 0.0)
        .collect();
    // Stable: equal effects keep the order of the text.
    contributions.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
    contributions.truncate(limit);
    contributions
}

/// How a cause is written in `text`: its span, widened over the variation selectors and
/// skin tones that follow an emoji ("❤️", "👍🏽"); or its marks ("!!").
fn written(text: &str, written: Written) -> String {
    match written {
        Written::Span(span) => {
            let rest = text.get(span.end..).unwrap_or_default();
            let modifiers: usize = rest
                .chars()
                .take_while(|&c| matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}'))
                .map(char::len_utf8)
                .sum();
            text.get(span.start..span.end + modifiers)
                .unwrap_or_default()
                .to_owned()
        }
        Written::Marks(marks) => std::iter::repeat_n(marks.mark, marks.count as usize).collect(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::score;
    use super::*;
    use SentimentCause::*;

    /// Every share of `text`'s raw valence, merged and unlimited, with the raw valence.
    fn all_contributions(text: &str) -> (f64, Vec<SentimentContribution>) {
        let (raw, ledger) = rules::valence::<Ledger>(text, lexicon::lexicon());
        (raw, contributions(text, raw, ledger.entries, usize::MAX))
    }

    /// Asserts that the explanation of `text` lists `expected` as (cause, text) first, in
    /// that order, and that its score is `score(text)`.
    fn check(text: &str, expected: &[(SentimentCause, &str)]) {
        let explanation = explain(text);
        assert_eq!(explanation.score, score(text), "{text:?}");
        let listed: Vec<(SentimentCause, &str)> = explanation
            .contributions
            .iter()
            .map(|contribution| (contribution.cause, contribution.text.as_str()))
            .collect();
        assert_eq!(
            listed, expected,
            "{text:?}: {:#?}",
            explanation.contributions
        );
    }

    #[test]
    fn words_and_symbols_are_named_as_written() {
        check(
            "so slow!",
            &[(Word, "slow"), (Degree, "so"), (Emphasis, "!")],
        );
        check("hahaha", &[(Laughter, "hahaha")]);
        check("hello", &[]);
        check("I ❤️ it", &[(Symbol, "❤️")]);
        check("👍🏽", &[(Symbol, "👍🏽")]);
        check("thanks:(", &[(Symbol, ":("), (Word, "thanks")]);
        check("10/10", &[(Symbol, "10/10")]);
    }

    #[test]
    fn rules_are_named_with_the_words_that_triggered_them() {
        check("not good", &[(Negation, "not"), (Word, "good")]);
        check("this is GREAT", &[(Word, "GREAT"), (Capitals, "GREAT")]);
        check("still waiting", &[(Phrase, "still waiting")]);
        check("it doesn't work", &[(Phrase, "doesn't work")]);
        check("could be better", &[(Phrase, "could be better")]);
        check("5 stars", &[(Phrase, "5 stars")]);
        check(
            "it keeps crashing",
            &[(Word, "crashing"), (Phrase, "keeps crashing")],
        );
        check("never again", &[(Phrase, "never again")]);
        check("is it good?", &[(Word, "good"), (Question, "?")]);
        check("is the food good", &[(Word, "good"), (Question, "is")]);
        check("the chicken was raw", &[(Word, "raw")]);
        check("billed me twice", &[(Phrase, "billed me twice")]);
        check("the agent hung up on me", &[(Phrase, "hung up")]);
    }

    #[test]
    fn but_halves_what_came_before_and_weighs_what_follows() {
        let explanation = explain("the food was good but delivery was slow");
        let factors: Vec<(SentimentCause, Option<f64>)> = explanation
            .contributions
            .iter()
            .filter(|contribution| contribution.text == "but")
            .map(|contribution| (contribution.cause, contribution.factor))
            .collect();
        assert!(factors.contains(&(BeforeBut, Some(0.5))), "{factors:?}");
        assert!(factors.contains(&(AfterBut, Some(1.5))), "{factors:?}");
        assert_eq!(explanation.contributions[0].text, "slow");
    }

    #[test]
    fn multiplying_rules_give_their_factor_and_the_rest_none() {
        let explanation = explain("not good!!");
        let factor = |cause| {
            explanation
                .contributions
                .iter()
                .find(|contribution| contribution.cause == cause)
                .map(|contribution| contribution.factor)
        };
        assert_eq!(factor(Negation), Some(Some(-0.74)));
        assert_eq!(factor(Word), Some(None));
        let emphasis = factor(Emphasis).flatten().unwrap_or_default();
        assert!(emphasis > 1.0, "{explanation:?}");
        let marks = explanation
            .contributions
            .iter()
            .find(|contribution| contribution.cause == Emphasis)
            .map(|contribution| contribution.text.as_str());
        assert_eq!(marks, Some("!!"));
    }

    #[test]
    fn effects_are_signed_and_largest_first() {
        let explanation = explain("the pizza was amazing but the driver was rude and slow");
        let effects: Vec<f64> = explanation
            .contributions
            .iter()
            .map(|contribution| contribution.effect)
            .collect();
        assert!(effects.len() <= MAX_CONTRIBUTIONS);
        assert!(
            effects
                .windows(2)
                .all(|pair| pair[0].abs() >= pair[1].abs()),
            "{effects:?}"
        );
        let effect_of = |text: &str| {
            explanation
                .contributions
                .iter()
                .find(|contribution| contribution.text == text)
                .map(|contribution| contribution.effect)
                .unwrap_or_default()
        };
        assert!(effect_of("rude") < 0.0 && effect_of("slow") < 0.0);
        assert!(effect_of("amazing") > 0.0);
    }

    #[test]
    fn sarcasm_repetition_and_laughter_beside_a_complaint_are_explained() {
        let causes = |text: &str| -> Vec<SentimentCause> {
            all_contributions(text)
                .1
                .iter()
                .map(|contribution| contribution.cause)
                .collect()
        };
        assert!(causes("great, another error").contains(&Sarcasm));
        assert!(causes("this is the third time I asked").contains(&Repeated));
        assert!(causes("lol still waiting").contains(&LaughterWithComplaint));
    }

    #[test]
    fn lone_praise_sarcasm_is_shown_on_the_praise_and_tears_of_joy_are_not_shown() {
        let sarcasm = |text: &str| -> Vec<String> {
            all_contributions(text)
                .1
                .into_iter()
                .filter(|contribution| contribution.cause == Sarcasm)
                .map(|contribution| contribution.text)
                .collect()
        };
        assert_eq!(
            sarcasm("lovely, my order got cancelled for no reason"),
            ["lovely"]
        );
        assert_eq!(sarcasm("thanks. still no reply. Great."), ["Great"]);
        let tears = all_contributions("the movers even built the crib 😭 thank youuu").1;
        assert!(tears.iter().all(|contribution| contribution.text != "😭"));
        let sad = all_contributions("my order is late 😭").1;
        assert!(sad.iter().any(|contribution| contribution.text == "😭"));
    }

    /// The labelled chat sets' texts.
    fn chat_texts() -> Vec<&'static str> {
        [
            include_str!("../../tests/data/sentiment_chat.tsv"),
            include_str!("../../tests/data/sentiment_chat_holdout.tsv"),
            include_str!("../../tests/data/sentiment_chat_tricky.tsv"),
            include_str!("../../tests/data/sentiment_chat_holdout2.tsv"),
            include_str!("../../tests/data/sentiment_chat_holdout3.tsv"),
            include_str!("../../tests/data/sentiment_chat_holdout4.tsv"),
            include_str!("../../tests/data/sentiment_chat_holdout5.tsv"),
            include_str!("../../tests/data/sentiment_chat_holdout6.tsv"),
        ]
        .into_iter()
        .flat_map(str::lines)
        .filter_map(|line| line.split('\t').nth(1))
        .collect()
    }

    /// The contributions of `text`, all of them, add up to its unrounded score.
    fn assert_adds_up(text: &str) {
        let (raw, contributions) = all_contributions(text);
        let unrounded = raw / (raw * raw + ALPHA).sqrt();
        let sum: f64 = contributions
            .iter()
            .map(|contribution| contribution.effect)
            .sum();
        // Each effect is rounded to 1e-4.
        let tolerance = 1e-4 * (contributions.len() as f64 + 1.0);
        assert!(
            (sum - unrounded).abs() <= tolerance,
            "{text:?}: effects add up to {sum}, the score is {unrounded}: {contributions:#?}"
        );
    }

    #[test]
    fn on_the_chat_sets_explanations_agree_with_scores_and_add_up() {
        let texts = chat_texts();
        assert!(texts.len() > 300, "only {} texts", texts.len());
        for text in texts {
            assert_eq!(explain(text).score, score(text), "{text:?}");
            assert_adds_up(text);
        }
    }

    proptest! {
        #[test]
        fn any_text_explains_to_its_score(text in any::<String>()) {
            prop_assert_eq!(explain(&text).score, score(&text));
            assert_adds_up(&text);
        }

        #[test]
        fn chat_like_text_explains_to_its_score(
            text in "(so |not |but |very |GREAT |sooo |good |bad |slow |still waiting |haha |:\\( |😡 |❤️ |\\? |! |, |never again |could be better |another |third time |asked ){0,12}"
        ) {
            prop_assert_eq!(explain(&text).score, score(&text));
            assert_adds_up(&text);
            let explanation = explain(&text);
            prop_assert!(explanation.contributions.len() <= MAX_CONTRIBUTIONS);
            for contribution in &explanation.contributions {
                prop_assert!(!contribution.text.is_empty(), "{:?}", contribution);
                prop_assert!(contribution.effect != 0.0);
            }
        }
    }
}
