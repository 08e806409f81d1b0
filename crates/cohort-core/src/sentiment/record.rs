//! What the rules tell a recorder while they score: each share of the raw valence and what
//! caused it. Scoring uses `Unrecorded`, whose methods do nothing and compile away, so
//! `score` pays nothing for explanations; `explain` uses a `Ledger` (in `explain.rs`). Both
//! run the same rules, so an explanation's score is always the score.
//!
//! A token's contribution is recorded in parts as the rules build it (its degree words,
//! capitals and held letters, then the word itself, then the rules that multiply it) and
//! counted when committed; rules that change the running sums later (a "but", a question,
//! sarcasm, the marks) are recorded as adjustments. The parts and adjustments of a text
//! always add up to its raw valence.

use crate::api::SentimentCause;

use super::tokens::Span;

/// Where marks emphasise: which mark and how many of them the text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct EmphasisMarks {
    pub mark: char,
    pub count: u32,
}

/// Receives the shares of a text's raw valence as the rules compute them.
pub(super) trait Recorder: Default {
    /// Where a token is: a `Span` when explaining, nothing when only scoring.
    type Span: Copy + Default;

    /// `span` as this recorder keeps it.
    fn span(span: Span) -> Self::Span;

    /// The text from the start of `first` to the end of `last`.
    fn join(first: Self::Span, last: Self::Span) -> Self::Span;

    /// A part of the current token's contribution, caused by the token at `span`.
    fn part(&mut self, cause: SentimentCause, span: Self::Span, amount: f64);

    /// The current token's contribution is `value` so far; what its parts do not explain is
    /// the token's own.
    fn rest(&mut self, cause: SentimentCause, span: Self::Span, value: f64);

    /// A rule caused by the token at `span` multiplied the current token's contribution.
    fn factor(&mut self, cause: SentimentCause, span: Self::Span, factor: f64);

    /// The current token's contribution was weighted as a whole, by no cause of its own (a
    /// negative word weighs 1.5 times): each part is weighted alike.
    fn weight(&mut self, factor: f64);

    /// The current token's contribution now counts.
    fn commit(&mut self);

    /// A rule caused by the token at `span` changed the running valence by `delta`,
    /// multiplying what it applies to by `factor` if it multiplies.
    fn adjust(&mut self, cause: SentimentCause, span: Self::Span, delta: f64, factor: Option<f64>);

    /// Marks changed the valence by `delta`, multiplying it by `factor`.
    fn emphasis(&mut self, marks: EmphasisMarks, delta: f64, factor: f64);
}

/// The recorder of plain scoring: keeps nothing.
#[derive(Debug, Default)]
pub(super) struct Unrecorded;

impl Recorder for Unrecorded {
    type Span = ();

    #[inline(always)]
    fn span(_: Span) {}

    #[inline(always)]
    fn join((): (), (): ()) {}

    #[inline(always)]
    fn part(&mut self, _: SentimentCause, (): (), _: f64) {}

    #[inline(always)]
    fn rest(&mut self, _: SentimentCause, (): (), _: f64) {}

    #[inline(always)]
    fn factor(&mut self, _: SentimentCause, (): (), _: f64) {}

    #[inline(always)]
    fn weight(&mut self, _: f64) {}

    #[inline(always)]
    fn commit(&mut self) {}

    #[inline(always)]
    fn adjust(&mut self, _: SentimentCause, (): (), _: f64, _: Option<f64>) {}

    #[inline(always)]
    fn emphasis(&mut self, _: EmphasisMarks, _: f64, _: f64) {}
}
