//! The rules that turn a message's tokens into a raw valence sum: VADER's (boosters,
//! capitals, negation, "but", emphasis marks) and Cohort's chat rules (complaints about the
//! bot, greetings, questions, "never again", "no thanks").
//!
//! Tokens stream through with one token of look-ahead and four of history, so the whole
//! message is scored in one pass without collecting its tokens. The scorer tells a
//! `Recorder` (see `record.rs`) what each share of the valence comes from; plain scoring's
//! recorder does nothing.

use std::cell::Cell;

use crate::api::SentimentCause as Cause;

use super::lexicon::{BOOST, Entry, Lexicon, Marker, role};
use super::record::{EmphasisMarks, Recorder};
use super::symbols;
use super::tokens::{Break, Event, Kind, Marks, Token, tokenize};

/// VADER's empirical constants: a negated word's factor, the capitals bonus, the bonus per
/// "!" (at most four count) and per "?" (two or three count; more add a fixed amount).
const NEGATION: f64 = -0.74;
const CAPS: f64 = 0.733;
const ELONGATION: f64 = 0.3;
const EXCLAMATION: f64 = 0.292;
const QUESTION: f64 = 0.18;
const MANY_QUESTIONS: f64 = 0.96;
/// How far back negation and boosters reach.
const SCOPE: usize = 3;
/// How much more a negative word weighs than a positive one of the same valence.
const NEGATIVITY: f64 = 1.5;
/// VADER's valence of "eager": what "can't wait" and "looking forward" are worth.
const EAGER: f64 = 1.5;
/// What emoji without a valence of their own add to a statement that carries none.
const PICTURES: f64 = 0.6;
/// Words a message needs beside its emoji to be a statement ("👋 hi", "📍 here" and "🍕🍕"
/// are none).
const STATEMENT_WORDS: u32 = 3;
/// A booster's weight by distance.
const BOOSTER_DECAY: [f64; SCOPE] = [1.0, 0.95, 0.9];

/// The raw valence sum of `text` (unbounded; zero when nothing carries sentiment), and the
/// recorder that saw how it came about.
pub(super) fn valence<R: Recorder>(text: &str, lexicon: &Lexicon) -> (f64, R) {
    let mut scorer = Scorer::<R> {
        sentence_start: true,
        headline: is_headline(text),
        ..Scorer::default()
    };
    let marks = tokenize(text, lexicon, &mut |event, span| {
        scorer.event(event, R::span(span));
    });
    scorer.finish(marks)
}

/// Whether no word of `text` starts with a lower-case letter (an @handle aside): then its
/// capitals are its style ("Thank You So Much"), not the marks of a name.
fn is_headline(text: &str) -> bool {
    let mut previous = b' ';
    for &byte in text.as_bytes() {
        let starts_word = !previous.is_ascii_alphanumeric()
            && !matches!(previous, b'@' | b'_' | b'\'' | b'&' | b'#');
        if starts_word && byte.is_ascii_lowercase() {
            return false;
        }
        previous = byte;
    }
    true
}

/// A token after the rules ran on it, as later tokens see it.
#[derive(Debug, Clone, Copy, Default)]
struct Past<S> {
    token: Token,
    /// A clause or sentence break came between this token and the one before it.
    break_before: bool,
    /// Where the token is written (for explanations).
    span: S,
}

impl<S> Past<S> {
    fn marker(&self) -> Marker {
        self.token.entry.marker
    }
    fn has(&self, role: u64) -> bool {
        self.token.entry.roles & role != 0
    }
}

/// What the phrase rules make of a token in its context.
struct Context<S> {
    /// The word's valence in context ("like" in "I'd like to" is 0).
    valence: f64,
    /// A phrase's final valence ("still waiting"), neither negated nor dropped in questions.
    phrase: Option<f64>,
    /// Says nothing about what a sentence is ("hi", "good" in "good morning").
    filler: bool,
    /// Dampens the words after it ("of" in "kind of", "bit" in "a bit").
    dampens: bool,
    /// Says a user had to repeat themselves ("third time").
    repeated: bool,
    /// Where the phrase starts ("still" in "still waiting").
    start: S,
    /// The phrase takes in the next token too ("kind of you", "keeps crashing").
    forward: bool,
}

/// Whether the sentence so far opens as a question ("is it good?").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Lead {
    #[default]
    Unknown,
    Question,
    Statement,
}

#[derive(Default)]
struct Scorer<R: Recorder> {
    recorder: R,
    /// The last tokens processed, most recent first.
    history: [Option<Past<R::Span>>; 4],
    /// The token waiting for its successor to be known.
    pending: Option<Past<R::Span>>,
    break_pending: bool,
    total: f64,
    /// This sentence's positive words (dropped if it turns out to be a question).
    sentence_positive: f64,
    /// This sentence's other contributions.
    sentence_rest: f64,
    /// This sentence's positive symbols (dropped if it is a question without words: "👌?").
    sentence_symbols: f64,
    /// Laughter, which counts half in a message that also complains ("lol still waiting").
    laughter: f64,
    complained: bool,
    /// 1.5 after "but", as in VADER.
    after_but: bool,
    /// The last "but".
    but: R::Span,
    /// The last "never".
    never: R::Span,
    lead: Lead,
    /// The sentence opens as a question even without "?" ("what is the rate", "is the
    /// store open"): a wh-word not starting an exclamation, or an auxiliary before its
    /// subject.
    asks: bool,
    /// The word that opened this sentence's question.
    asking: R::Span,
    /// The sentence asks how something is done ("how do I report a problem", "what
    /// happens if my parcel is lost"): its words name the topic, not a feeling.
    procedure: bool,
    /// "how" then "do", "can", "should": a procedure if "I" or "we" follows ("how do I"),
    /// not a reproach ("how can you lose my card").
    procedure_pending: bool,
    /// After "if" in a question ("what should I do if my card is stolen"): a case, not
    /// what happened.
    hypothetical: bool,
    /// The case is a question's ("what should I do if the locker doesn't open"): not even
    /// a negated complaint in it counts (an ultimatum's does: "if it isn't fixed by
    /// Friday I'm cancelling").
    asked_case: bool,
    never_in_sentence: bool,
    /// "third time", "3 times" ...
    repeated: bool,
    /// ... "I'm asking", "I called".
    contacted: bool,
    /// The positive words' share of `total` ("great" in "great, another error").
    positive_words: f64,
    /// The positive symbols' share of `total` ("👏" in "nice, it broke again 👏").
    positive_symbols: f64,
    /// "another" or "again": with a complaint, the message's praise is sarcasm.
    sarcasm_cue: bool,
    /// A clause of nothing but praise ("lovely, my order got cancelled for no reason", "…
    /// Great.", "cool cool cool"): with a complaint phrase in the message, the praise is
    /// sarcasm.
    lone_praise: bool,
    /// Whether this clause's words so far are all praise (fillers and boosters aside):
    /// `None` before its first word.
    clause_praise: Option<bool>,
    /// The clause's last praise word.
    clause_praise_span: R::Span,
    /// A complaint phrase (not just a negative word) counted: "for no reason", "still
    /// waiting".
    grieved: bool,
    /// Where the message asks whether anyone is there ("anyone there?", "anyone???"): with
    /// two or more "?" it complains that nobody answers.
    presence: Option<R::Span>,
    /// Crying emoji's share of `total` (not counted in `complained`): beside thanks or
    /// praise and no complaint, tears of joy ("the movers even assembled the crib 😭 thank
    /// youuu").
    tears: f64,
    /// The last crying emoji.
    crying: R::Span,
    /// The last "another" or "again".
    sarcasm: R::Span,
    /// Where "third time" or "3 times" is written.
    repetition: R::Span,
    /// The last laughter.
    laughing: R::Span,
    /// No word has been scored yet in this sentence.
    sentence_start: bool,
    /// The text writes every word with a capital (see `is_headline`).
    headline: bool,
    /// Words that are not fillers.
    words: u32,
}

/// Up to `count` tokens of `history` in the clause of `current`, nearest first; "but" ends a
/// clause. The n-th is `history[n]`.
fn clause<'h, S>(
    history: &'h [Option<Past<S>>; 4],
    current: &Past<S>,
    count: usize,
) -> impl Iterator<Item = &'h Past<S>> {
    let mut blocked = current.break_before;
    history.iter().take(count).map_while(move |past| {
        let past = past.as_ref().filter(|_| !blocked)?;
        blocked = past.break_before;
        (past.marker() != Marker::But).then_some(past)
    })
}

impl<R: Recorder> Scorer<R> {
    fn event(&mut self, event: Event, span: R::Span) {
        match event {
            Event::Token(token) => {
                if let Some(pending) = self.pending.take() {
                    self.process(pending, Some((&token, span)));
                }
                self.pending = Some(Past {
                    token,
                    break_before: self.break_pending,
                    span,
                });
                self.break_pending = false;
            }
            Event::Break(kind) => {
                if let Some(pending) = self.pending.take() {
                    self.process(pending, None);
                }
                self.end_clause();
                self.break_pending = true;
                // A how-to or a hypothetical reaches to the end of its clause: "how do I
                // cancel, it keeps charging me" complains after the comma.
                self.procedure = false;
                self.hypothetical = false;
                self.asked_case = false;
                if kind != Break::Clause {
                    self.end_sentence(kind == Break::Question, span);
                }
            }
        }
    }

    fn finish(mut self, marks: Marks) -> (f64, R) {
        if let Some(pending) = self.pending.take() {
            self.process(pending, None);
        }
        self.end_clause();
        // Chat often leaves out the last "?": a message that ends in a sentence opening as a
        // question ("is the store open on public holidays") is one.
        let asking = self.asks && self.lead == Lead::Question;
        self.end_sentence(asking, self.asking);
        if self.repeated && self.contacted {
            self.recorder
                .adjust(Cause::Repeated, self.repetition, -1.5, None);
            self.total -= 1.5;
            self.complained = true;
        }
        // "😭 thank youuu", "she can make it to the wedding now 😭❤️": tears of joy.
        if self.tears < 0.0 {
            if !self.complained && self.positive_words + self.positive_symbols > 0.0 {
                self.recorder
                    .adjust(Cause::Symbol, self.crying, -self.tears, Some(0.0));
                self.total -= self.tears;
            } else {
                self.complained = true;
            }
        }
        // "hello??? anyone???", "anyone there??": impatience, not a question.
        if let Some(span) = self.presence
            && marks.questions >= 2
        {
            self.recorder.adjust(Cause::Phrase, span, -1.5, None);
            self.total -= 1.5;
            self.complained = true;
            self.grieved = true;
        }
        // "great, another error", "oh perfect, it crashed again", "nice, the "24h support"
        // line doesn't pick up 👏", "lovely, cancelled for no reason": the praise, words and
        // symbols, is sarcasm.
        let praise = self.positive_words + self.positive_symbols;
        let sarcastic = (self.sarcasm_cue && self.complained) || (self.lone_praise && self.grieved);
        if sarcastic && praise > 0.0 {
            self.recorder
                .adjust(Cause::Sarcasm, self.sarcasm, -praise, Some(0.0));
            self.total -= praise;
        }
        self.total += if self.complained {
            self.recorder.adjust(
                Cause::LaughterWithComplaint,
                self.laughing,
                -self.laughter * 0.5,
                Some(0.5),
            );
            self.laughter * 0.5
        } else {
            self.laughter
        };
        // Emoji without a valence of their own ("Lisbon in May 🇵🇹", "snow day tomorrow
        // ❄️☃️") lean positive when nothing else in a statement carries sentiment: people
        // mostly use emoji in a positive sense (Novak et al. 2015, "Sentiment of Emojis").
        if self.total == 0.0
            && self.words >= STATEMENT_WORDS
            && marks.questions == 0
            && !asking
            && let Some(picture) = marks.picture
        {
            self.recorder
                .adjust(Cause::Symbol, R::span(picture), PICTURES, None);
            self.total += PICTURES;
        }
        // Marks emphasise whatever sentiment there is; they never create any.
        let exclamation = f64::from(marks.exclamations.min(4)) * EXCLAMATION;
        let question = match marks.questions {
            0 | 1 => 0.0,
            2 | 3 => f64::from(marks.questions) * QUESTION,
            _ => MANY_QUESTIONS,
        };
        let total = self.total;
        if total != 0.0 {
            for (mark, count, amount) in [
                ('!', marks.exclamations, exclamation),
                ('?', marks.questions, question),
            ] {
                if amount > 0.0 {
                    let factor = (total.abs() + amount) / total.abs();
                    let marks = EmphasisMarks { mark, count };
                    self.recorder
                        .emphasis(marks, amount * total.signum(), factor);
                }
            }
        }
        let emphasis = exclamation + question;
        let valence = if total > 0.0 {
            total + emphasis
        } else if total < 0.0 {
            total - emphasis
        } else {
            0.0
        };
        (valence, self.recorder)
    }

    /// Ends a clause: one of nothing but praise is a lone praise (and, unless "another"
    /// or "again" came first, where a sarcasm is shown).
    fn end_clause(&mut self) {
        if self.clause_praise.take() == Some(true) {
            self.lone_praise = true;
            if !self.sarcasm_cue {
                self.sarcasm = self.clause_praise_span;
            }
        }
    }

    /// Ends a sentence at the break `span`, a question mark if `question`.
    fn end_sentence(&mut self, question: bool, span: R::Span) {
        if !(question && self.lead == Lead::Question) {
            self.total += self.sentence_positive;
            self.positive_words += self.sentence_positive;
        } else if self.sentence_positive != 0.0 {
            self.recorder
                .adjust(Cause::Question, span, -self.sentence_positive, Some(0.0));
        }
        // "👌?" asks whether something is fine; it approves of nothing.
        if question && self.lead == Lead::Unknown && self.sentence_symbols > 0.0 {
            self.recorder
                .adjust(Cause::Question, span, -self.sentence_symbols, None);
            self.sentence_rest -= self.sentence_symbols;
        } else {
            self.positive_symbols += self.sentence_symbols;
        }
        self.sentence_symbols = 0.0;
        self.total += self.sentence_rest;
        self.sentence_positive = 0.0;
        self.sentence_rest = 0.0;
        self.lead = Lead::Unknown;
        self.asks = false;
        self.procedure = false;
        self.procedure_pending = false;
        self.hypothetical = false;
        self.asked_case = false;
        self.never_in_sentence = false;
        self.sentence_start = true;
    }

    /// How far back a "thanks" is among the last `count` tokens, across any break.
    fn thanks_within(&self, count: usize) -> Option<usize> {
        self.history
            .iter()
            .take(count)
            .flatten()
            .position(|past| past.marker() == Marker::Thanks)
    }

    /// The token just before, across any break.
    fn previous(&self) -> Option<&Past<R::Span>> {
        self.history.first().and_then(Option::as_ref)
    }

    /// Where the text from the token before `current` to `current` is written.
    fn with_previous(&self, current: &Past<R::Span>) -> R::Span {
        let first = self.previous().map_or(current.span, |past| past.span);
        R::join(first, current.span)
    }

    fn process(&mut self, mut current: Past<R::Span>, next: Option<(&Token, R::Span)>) {
        // A capitalised word inside a run of capitalised words is part of a name or title
        // ("The Good Wife", "at Best Buy"): it names something and carries no sentiment.
        // The first word of a sentence is capitalised anyway, so it only counts as a
        // neighbour; in a text that capitalises every word capitals mark nothing.
        let sentence_start = std::mem::replace(&mut self.sentence_start, false);
        // "scary good", "stupid fast": a negative word before praise only says how much.
        if current.token.entry.roles & role::DEGREE != 0
            && current.token.entry.valence < 0.0
            && next.is_some_and(|(next, _)| next.entry.valence > 0.0)
        {
            current.token.entry.valence = 0.0;
            current.token.entry.negated = 0.0;
            current.token.entry.booster = BOOST;
        }
        if current.token.title && !sentence_start && !self.headline {
            let previous_title =
                !current.break_before && self.previous().is_some_and(|past| past.token.title);
            // A title's neighbours: another capitalised word, an acronym ("the AFC
            // Championship") or a number ("Battlefield 1", "Hot 100").
            let previous_title = previous_title
                || (!current.break_before
                    && self
                        .previous()
                        .is_some_and(|past| past.token.caps && past.token.entry.valence == 0.0));
            let next_title = next.is_some_and(|(next, _)| {
                next.title
                    || matches!(next.kind, Kind::Number(_))
                    || (next.caps && next.entry.valence == 0.0)
            });
            if previous_title || next_title {
                current.token.entry.valence = 0.0;
                current.token.entry.negated = 0.0;
                current.token.entry.booster = 0.0;
            }
        }
        // Words in quotes name something or mock it ("the "worry free" plan", "the
        // "express" shipping"): they carry no sentiment, and praise in quotes is irony.
        // Only praise in quotes is a cue ("Loved "Gravity" but the end was sad" is no
        // sarcasm).
        let quoted_praise = current.token.quoted && current.token.entry.valence > 0.0;
        if current.token.quoted {
            current.token.entry.valence = 0.0;
            current.token.entry.negated = 0.0;
            current.token.entry.booster = 0.0;
            current.token.entry.roles &= !role::NEGATOR;
        }
        // "how do I report a problem", "what if it gets lost", "what should I do if the
        // locker doesn't open": the words name the topic of the question, or its case.
        let topic = (self.procedure || self.hypothetical) && current.token.kind == Kind::Word;
        if (self.procedure || self.asked_case) && current.token.kind == Kind::Word {
            current.token.entry.negated = 0.0;
        }
        let token = current.token;
        let entry = token.entry;
        let Context {
            valence,
            phrase,
            filler,
            dampens,
            repeated,
            start,
            forward,
        } = self.context(&current, next.map(|(next, _)| next));
        let valence = if topic { 0.0 } else { valence };
        self.contacted |= entry.roles & role::CONTACT != 0;
        // "great job, the "fresh" bread came mouldy": scare quotes mark praise as irony.
        if matches!(
            entry.marker,
            Marker::Another | Marker::Again | Marker::Irony
        ) || quoted_praise
        {
            self.sarcasm_cue = true;
            self.sarcasm = current.span;
        }
        if repeated {
            self.repeated = true;
            self.repetition = self.with_previous(&current);
        }
        if dampens {
            current.token.entry.booster = -BOOST;
            current.span = self.with_previous(&current);
        }
        // "lovely, my order got cancelled for no reason", "… Great.", "cool cool cool": a
        // clause of nothing but praise (thanks is no praise here).
        if token.kind == Kind::Word && !filler {
            self.words += 1;
        }
        if token.kind == Kind::Word && !filler && (valence != 0.0 || entry.booster == 0.0) {
            let praise = entry.marker != Marker::Thanks && phrase.is_none() && valence > 0.0;
            self.clause_praise = Some(self.clause_praise.unwrap_or(true) && praise);
            if praise {
                self.clause_praise_span = current.span;
            }
        }
        self.grieved |= phrase.is_some_and(|phrase| phrase < 0.0);
        let alone = self.previous().is_none_or(|_| current.break_before) && next.is_none();
        let anyone_there = entry.marker == Marker::There
            && clause(&self.history, &current, 2).any(|past| past.marker() == Marker::Anyone);
        if phrase.is_none() && (anyone_there || entry.marker == Marker::Anyone && alone) {
            let span = if anyone_there {
                self.with_previous(&current)
            } else {
                current.span
            };
            self.presence = Some(span);
        }
        let contribution = match phrase {
            Some(phrase) => {
                let end = next
                    .filter(|_| forward)
                    .map_or(current.span, |(_, span)| span);
                self.emphasised(phrase, &current, Cause::Phrase, R::join(start, end))
            }
            None if token.kind == Kind::Word => self.word(valence, &entry, &current),
            None => {
                let cause = if token.kind == Kind::Laughter {
                    self.laughing = current.span;
                    Cause::Laughter
                } else {
                    Cause::Symbol
                };
                self.recorder.rest(cause, current.span, valence);
                valence
            }
        };
        if entry.marker == Marker::Tears {
            self.crying = current.span;
        }
        self.add(
            contribution,
            phrase.is_none(),
            token.kind,
            entry.marker == Marker::Tears,
        );

        if token.kind == Kind::Word && self.lead == Lead::Unknown && !filler {
            self.lead = if entry.roles & role::QUESTION != 0 {
                Lead::Question
            } else {
                Lead::Statement
            };
            let next = next.map(|(next, _)| next.entry);
            self.asks = match next {
                Some(next) if entry.roles & role::WH != 0 => {
                    next.marker != Marker::A && next.valence == 0.0
                }
                Some(next) if entry.roles & role::INVERTED != 0 => next.roles & role::SUBJECT != 0,
                _ => false,
            };
            self.asking = current.span;
            // "what does error 404 mean", "what do I need to bring": the words name the topic.
            let defining = entry.marker == Marker::What
                && next.is_some_and(|next| {
                    next.marker == Marker::Does && next.roles & role::PROCEDURE != 0
                });
            self.procedure = defining
                || next.is_some_and(|next| {
                    entry.roles & role::WH != 0 && next.marker == Marker::Happens
                        || entry.marker == Marker::How && next.marker == Marker::To
                });
            self.procedure_pending = !defining
                && entry.roles & role::WH != 0
                && next.is_some_and(|next| next.roles & role::PROCEDURE != 0);
        } else if std::mem::take(&mut self.procedure_pending) {
            self.procedure = next.is_some_and(|(next, _)| next.entry.roles & role::ASKER != 0);
        }
        // "do you sell killer sudoku books", "does the warranty cover water damage": what a
        // shop sells or a plan covers is a kind of thing.
        if self.lead == Lead::Question
            && (entry.roles & role::COVERS != 0
                || entry.roles & role::SELLS != 0
                    && self
                        .previous()
                        .is_some_and(|past| past.has(role::ADDRESSEE)))
        {
            self.procedure = true;
        }
        // "can't believe how easy it was": surprise, not a negation of what follows.
        if entry.marker == Marker::Believe
            && let Some(Some(previous)) = self.history.first_mut()
            && previous.marker() == Marker::Cant
        {
            previous.token.entry.roles &= !role::NEGATOR;
        }
        // "what should I do if it gets stolen", "if flowers arrive wilted what's the
        // process", "just in case, what should I do if …": a case, not what happened.
        if entry.marker == Marker::If {
            let asked = self.lead == Lead::Question
                || clause(&self.history, &current, 4).any(|past| past.has(role::WH));
            self.hypothetical |= asked || sentence_start;
            self.asked_case |= asked;
        }
        match entry.marker {
            Marker::Never => {
                self.never_in_sentence = true;
                self.never = current.span;
            }
            Marker::But => {
                let before =
                    self.total + self.sentence_positive + self.sentence_rest + self.laughter;
                self.recorder
                    .adjust(Cause::BeforeBut, current.span, -0.5 * before, Some(0.5));
                self.but = current.span;
                self.total *= 0.5;
                self.sentence_positive *= 0.5;
                self.positive_words *= 0.5;
                self.positive_symbols *= 0.5;
                self.sentence_symbols *= 0.5;
                self.sentence_rest *= 0.5;
                self.laughter *= 0.5;
                self.after_but = true;
            }
            _ => {}
        }
        self.history.rotate_right(1);
        if let Some(first) = self.history.first_mut() {
            *first = Some(current);
        }
    }

    /// What the phrase rules make of `current` between its history and the next token.
    fn context(&self, current: &Past<R::Span>, next: Option<&Token>) -> Context<R::Span> {
        let entry = current.token.entry;
        let (previous, before_previous) = {
            let mut clause = clause(&self.history, current, 2);
            (clause.next().copied(), clause.next().copied())
        };
        let previous_marker = previous.map_or(Marker::None, |past| past.marker());
        let previous_has = |role: u64| previous.is_some_and(|past| past.has(role));
        let next_valence = next.map_or(0.0, |next| next.entry.valence);
        // How far back the phrase found reaches (for explanations).
        let reach = Cell::new(0);
        let within = |count: usize, test: &dyn Fn(&Past<R::Span>) -> bool| {
            let found = clause(&self.history, current, count).position(test);
            if let Some(index) = found {
                reach.set(reach.get().max(index + 1));
            }
            found.is_some()
        };
        let mut forward = false;
        let mut from_never = false;

        let mut valence = f64::from(entry.valence);
        // A phrase rule's valence is final: "never again" is not a negated "again".
        let mut phrase: Option<f64> = None;
        let mut repeated = false;
        let mut filler = entry.roles & role::FILLER != 0;
        // "of" in "kind of" and "bit" in "a bit" dampen the words after them.
        let mut dampens = false;
        match entry.marker {
            Marker::Thanks
                if self
                    .previous()
                    .is_some_and(|past| past.marker() == Marker::No) =>
            {
                valence = 0.0;
            }
            Marker::Good if next.is_some_and(|next| next.entry.roles & role::DAYTIME != 0) => {
                valence = 0.0;
                filler = true;
            }
            // "the room smelled like smoke".
            Marker::Like if previous_marker == Marker::Smell => phrase = Some(-1.2),
            Marker::Like => {
                let liking = previous_has(role::LIKER)
                    && next.is_none_or(|next| next.entry.marker != Marker::To);
                if !liking {
                    valence = 0.0;
                }
            }
            Marker::Kind if next.is_some_and(|next| next.entry.marker == Marker::Of) => {
                valence = 0.0;
            }
            Marker::Of
                if previous_marker == Marker::Kind
                    && next.is_some_and(|next| next.entry.roles & role::ADDRESSEE != 0) =>
            {
                phrase = Some(2.4);
                forward = true;
            }
            Marker::Of if matches!(previous_marker, Marker::Kind | Marker::Sort) => {
                dampens = true;
            }
            Marker::Bit if previous_marker == Marker::A => dampens = true,
            // "can't wait (to)" is eager; "can't wait any longer" is not.
            Marker::Wait
                if previous_marker == Marker::Cant
                    && next.is_none_or(|next| {
                        !matches!(next.entry.marker, Marker::Any | Marker::Anymore)
                    }) =>
            {
                phrase = Some(EAGER);
            }
            // VADER's rated phrases ("fed up" and "can't stand" are in its lexicon, "yeah
            // right" and "to die for" in its special cases).
            Marker::Stand if previous_marker == Marker::Cant => phrase = Some(-2.0),
            Marker::Up if previous_marker == Marker::Fed => phrase = Some(-1.8),
            Marker::Up if previous_marker == Marker::Hung => phrase = Some(-1.5),
            // "this is the last time I order here", "last time ordering from u" (not "last
            // time it was cheaper").
            Marker::Times
                if previous_marker == Marker::Last
                    && self.lead != Lead::Question
                    && (within(3, &|past| past.has(role::COPULA))
                        || next.is_some_and(|next| next.ends_ing)) =>
            {
                phrase = Some(-2.0);
            }
            // "charged me twice", "billed double".
            Marker::Twice if within(3, &|past| past.has(role::CHARGED)) => phrase = Some(-1.5),
            Marker::Of if previous_marker == Marker::Smell => phrase = Some(-1.2),
            // "it's not here yet", "still isn't here" (not "no complaints here").
            Marker::Here
                if previous
                    .is_some_and(|past| past.has(role::NEGATOR) && past.marker() != Marker::No) =>
            {
                phrase = Some(-1.2);
            }
            // "the app logs me out", "kicked me out again" (not "how do I log out").
            Marker::Out
                if previous_marker == Marker::Me
                    && before_previous.is_some_and(|past| past.has(role::EJECT)) =>
            {
                phrase = Some(-1.5);
            }
            Marker::Gone if within(3, &|past| past.marker() == Marker::Money) => {
                phrase = Some(-1.5);
            }
            // "I want a refund", "where is my refund" (not "what is your refund policy").
            Marker::Refund
                if previous_marker == Marker::My
                    || (self.lead != Lead::Question
                        && within(3, &|past| past.has(role::REQUEST))) =>
            {
                phrase = Some(-1.5);
            }
            // "the app says delivered", "tracking shows arrived" (and nothing came).
            Marker::Arrived if previous_marker == Marker::Says => phrase = Some(-1.2),
            // "can't come soon enough", "March can't come fast enough": eager, the phrase
            // takes "soon" (nothing is negated).
            Marker::Arrived
                if (previous_marker == Marker::Cant || previous_has(role::IMPOSSIBLE))
                    && next.is_some_and(|next| next.entry.roles & role::SOON != 0) =>
            {
                phrase = Some(EAGER);
                forward = true;
            }
            // "u took rm150 from my account", "the money left my account".
            Marker::Account if within(4, &|past| past.has(role::TAKEN)) => {
                phrase = Some(-1.5);
            }
            // "switched to you and not looking back".
            Marker::Back
                if previous_marker == Marker::Look
                    && before_previous.is_some_and(|past| past.has(role::NEGATOR)) =>
            {
                phrase = Some(2.0);
            }
            // "I'll switch to another provider", "moving to another bank".
            Marker::Another
                if previous_marker == Marker::To
                    && before_previous.is_some_and(|past| past.marker() == Marker::Switch) =>
            {
                phrase = Some(-1.5);
            }
            // "the videos stop loading", "it stopped working", "stop sending me ads"; but
            // "can't stop wearing it" loves it.
            Marker::Stop if next.is_some_and(|next| next.ends_ing && next.entry.valence <= 0.0) => {
                let loved = (matches!(previous_marker, Marker::Cant | Marker::Never)
                    || previous_has(role::IMPOSSIBLE))
                    && next.is_some_and(|next| next.entry.valence == 0.0);
                phrase = Some(if loved { 1.5 } else { -1.2 });
                reach.set(if loved { 1 } else { usize::MAX });
                forward = true;
            }
            // "what is going on", "what's going on with my order".
            Marker::On
                if previous_marker == Marker::Going && within(3, &|past| past.has(role::WH)) =>
            {
                phrase = Some(-1.0);
            }
            // "it means a lot".
            Marker::Lot
                if previous_marker == Marker::A
                    && before_previous.is_some_and(|past| past.marker() == Marker::Means) =>
            {
                phrase = Some(1.5);
            }
            // "already one week".
            Marker::Duration
                if within(2, &|past| past.marker() == Marker::Already)
                    && previous.is_some_and(|past| {
                        matches!(past.token.kind, Kind::Number(_)) || past.has(role::COUNT)
                    }) =>
            {
                phrase = Some(-1.2);
            }
            // Time gone by: "3 days already", "2 weeks now".
            Marker::Already | Marker::Now
                if previous_marker == Marker::Duration
                    && before_previous.is_some_and(|past| {
                        matches!(past.token.kind, Kind::Number(_))
                            || past.marker() == Marker::A
                            || past.has(role::COUNT)
                    }) =>
            {
                phrase = Some(-1.2);
            }
            // "I'll take my business elsewhere", "im taking it elsewhere".
            Marker::Elsewhere
                if within(3, &|past| {
                    matches!(
                        past.marker(),
                        Marker::Business | Marker::Going | Marker::Switch
                    ) || past.has(role::TAKING)
                }) =>
            {
                phrase = Some(-2.0);
            }
            // "so much for next-day delivery" (not "thanks so much for your help").
            Marker::For
                if previous_marker == Marker::Much
                    && before_previous.is_some_and(|past| past.marker() == Marker::So)
                    && self.thanks_within(4).is_none() =>
            {
                phrase = Some(-1.5);
            }
            Marker::Reason
                if previous_marker == Marker::No
                    && before_previous.is_some_and(|past| past.marker() == Marker::For) =>
            {
                phrase = Some(-1.5);
            }
            Marker::Early if within(3, &|past| past.marker() == Marker::Arrived) => {
                phrase = Some(1.5);
            }
            // "you made my day", "u made our anniversary".
            _ if entry.roles & role::DAYTIME != 0
                && previous_marker == Marker::My
                && before_previous.is_some_and(|past| past.marker() == Marker::Made) =>
            {
                phrase = Some(2.5);
            }
            // "top tier", "top notch".
            Marker::Tier if previous_marker == Marker::Top => phrase = Some(2.0),
            // "I was promised a callback", "you promised" (not "arrived as promised").
            Marker::Promised if previous_has(role::COPULA | role::BLAMED) => {
                phrase = Some(-1.5);
            }
            Marker::Spot if next.is_some_and(|next| next.entry.marker == Marker::On) => {
                phrase = Some(2.0);
                forward = true;
            }
            Marker::Beyond if within(2, &|past| past.marker() == Marker::Above) => {
                phrase = Some(2.5);
            }
            // "will order again", "would definitely buy again" (not "never again").
            Marker::Again
                if !self.never_in_sentence
                    && within(2, &|past| past.has(role::PATRONISE))
                    && within(4, &|past| past.has(role::INTENT)) =>
            {
                phrase = Some(1.5);
            }
            // Sarcasm when it is said on its own ("yeah right."), not "yeah right there".
            Marker::Right if previous_marker == Marker::Yeah && next.is_none() => {
                phrase = Some(-2.0);
            }
            Marker::Die
                if previous_marker == Marker::To
                    && next.is_some_and(|next| next.entry.marker == Marker::For) =>
            {
                phrase = Some(3.0);
            }
            // "you killed it last night", "nailed it": praise, not violence.
            Marker::Kill if next.is_some_and(|next| next.entry.marker == Marker::It) => {
                phrase = Some(2.0);
                forward = true;
            }
            // "mind blown", "my mind is blown", "it blew my mind".
            Marker::Blown if within(2, &|past| past.marker() == Marker::Mind) => {
                phrase = Some(2.5);
            }
            Marker::Mind
                if previous_marker == Marker::My
                    && before_previous.is_some_and(|past| past.marker() == Marker::Blown) =>
            {
                phrase = Some(2.5);
            }
            // "could've been worse", "could have been way worse": relief, as "not bad" is.
            Marker::Worse if within(4, &|past| past.marker() == Marker::Could) => {
                phrase = Some(1.2);
            }
            // "so ready for Friday", "sooo ready": eager (a plain "ready" is not).
            Marker::Ready if previous_marker == Marker::So && self.lead != Lead::Question => {
                phrase = Some(EAGER);
            }
            // Cheering: "let's go!", "lets gooo Mets" (not "let's go to the mall"), and "Go
            // Hawks" opening a clause.
            Marker::Go
                if (previous_marker == Marker::Lets
                    && next.is_none_or(|next| next.title || next.caps))
                    || (previous.is_none()
                        && current.token.title
                        && next.is_some_and(|next| {
                            // A name the lexicon does not know ("Hawks"), not "Go Back".
                            (next.title || next.caps)
                                && next.entry.valence == 0.0
                                && next.entry.marker == Marker::None
                                && next.entry.roles == 0
                        })) =>
            {
                phrase = Some(1.5);
                forward = previous_marker != Marker::Lets || next.is_some();
            }
            // Eagerness can be negated ("not looking forward to it"): a word, not a phrase.
            Marker::Forward if previous_marker == Marker::Look => valence = EAGER,
            Marker::Wait
                if within(2, &|past| {
                    matches!(past.marker(), Marker::Still | Marker::Been | Marker::Keep)
                }) =>
            {
                phrase = Some(-1.8);
            }
            Marker::Nothing if previous_marker == Marker::Still => phrase = Some(-1.5),
            // "thanks for nothing", "thanks for absolutely nothing".
            Marker::Nothing
                if within(2, &|past| past.marker() == Marker::For)
                    && self.thanks_within(4).is_some() =>
            {
                phrase = Some(-3.0);
                reach.set(self.thanks_within(4).map_or(1, |index| index + 1));
            }
            // "the button does nothing", "you did absolutely nothing" (not "why does nothing
            // happen").
            Marker::Nothing
                if self.lead != Lead::Question
                    && within(2, &|past| past.marker() == Marker::Does) =>
            {
                phrase = Some(-1.5);
            }
            // "is anyone even there?": nobody answers (a plain "is anyone there?" asks; see
            // `presence`).
            Marker::There
                if previous_marker == Marker::Even
                    && before_previous.is_some_and(|past| past.marker() == Marker::Anyone) =>
            {
                phrase = Some(-1.2);
                reach.set(2);
            }
            // "the parcel came open", "it arrived open".
            Marker::Open if previous_marker == Marker::Arrived => phrase = Some(-1.5),
            // Singlish "power lah": great.
            Marker::Power if next.is_some_and(|next| next.entry.marker == Marker::Lah) => {
                phrase = Some(2.0);
                forward = true;
            }
            // Malay "lama sangat", "sangat lama", "lama gila": it takes so long.
            Marker::Lama
                if previous.is_some_and(|past| past.token.entry.booster > 0.0)
                    || next.is_some_and(|next| next.entry.booster > 0.0) =>
            {
                phrase = Some(-1.5);
                forward = next.is_some_and(|next| next.entry.booster > 0.0);
            }
            // "the rider cancelled on me", "bailed on me".
            Marker::Me
                if previous_marker == Marker::On
                    && before_previous.is_some_and(|past| past.has(role::STRANDED)) =>
            {
                phrase = Some(-1.5);
                reach.set(2);
            }
            // "it was supposed to arrive on Monday", "you were supposed to call me".
            Marker::Supposed
                if previous_has(role::PAST)
                    && next.is_some_and(|next| next.entry.marker == Marker::To) =>
            {
                phrase = Some(-1.2);
                forward = true;
            }
            // "you rock", "you guys rock".
            Marker::Rock
                if previous_has(role::ADDRESSEE)
                    || (previous_marker == Marker::Guys
                        && before_previous.is_some_and(|past| past.has(role::ADDRESSEE))) =>
            {
                phrase = Some(2.0);
            }
            // "I'll be arriving late", "we will be late": a notice, not a complaint.
            Marker::Late if within(3, &|past| past.has(role::INTENT)) => valence = 0.0,
            // "the photos looked nothing like the apartment".
            Marker::Nothing if next.is_some_and(|next| next.entry.marker == Marker::Like) => {
                phrase = Some(-1.5);
                forward = true;
            }
            Marker::Again if self.never_in_sentence => {
                phrase = Some(-2.0);
                from_never = true;
            }
            Marker::Better if within(3, &|past| past.marker() == Marker::Could) => {
                phrase = Some(-1.2);
            }
            Marker::Problem if previous_marker == Marker::No => valence = 0.0,

            // "I'd love to book a trial class": a wish, not praise.
            Marker::Love
                if previous_has(role::WISH)
                    && next.is_some_and(|next| next.entry.marker == Marker::To) =>
            {
                valence = 0.0;
            }
            // "Ms Priya is the GOAT" (not a goat).
            Marker::Goat if current.token.caps => valence = 2.5,
            Marker::Down if previous_has(role::OUTAGE) => phrase = Some(-1.5),
            Marker::Long
                if previous_marker == Marker::Too
                    || (previous_marker == Marker::So
                        && within(3, &|past| past.has(role::TAKING))) =>
            {
                phrase = Some(-1.2);
            }
            Marker::Forever if within(2, &|past| past.has(role::TAKING)) => phrase = Some(-1.2),
            Marker::Hold
                if previous_marker == Marker::On
                    && within(4, &|past| {
                        matches!(
                            past.marker(),
                            Marker::Been | Marker::Still | Marker::Keep | Marker::Duration
                        ) || past.has(role::REQUEST)
                    }) =>
            {
                phrase = Some(-1.2);
            }
            // "it keeps crashing", "you keep sending me", "keeps asking me"; not "keep
            // doing what you're doing", which asks for more of it.
            Marker::Keep
                if (previous.is_some() || entry.roles & role::BARE == 0)
                    && next.is_some_and(|next| next.ends_ing && next.entry.valence <= 0.0) =>
            {
                phrase = Some(-1.0);
                reach.set(usize::MAX);
                forward = true;
            }
            // "I want my money back" (not "got my money back next day", unless "never got").
            Marker::Back
                if previous_marker == Marker::Money
                    && (within(4, &|past| past.has(role::NEGATOR))
                        || !within(4, &|past| {
                            matches!(past.marker(), Marker::Got | Marker::Arrived)
                        })) =>
            {
                phrase = Some(-1.5);
            }
            // "definately coming back", "will definitely be back".
            Marker::Back
                if previous_has(role::RETURNING) && within(4, &|past| past.has(role::SURE)) =>
            {
                phrase = Some(1.5);
            }
            // "I'll be back for sure".
            Marker::Sure
                if previous_marker == Marker::For
                    && before_previous.is_some_and(|past| past.marker() == Marker::Back) =>
            {
                phrase = Some(1.5);
                reach.set(2);
            }
            // "this is how u treat me", "is this how you treat loyal customers".
            Marker::Treat
                if previous_has(role::ADDRESSEE)
                    && before_previous.is_some_and(|past| past.marker() == Marker::How) =>
            {
                phrase = Some(-2.0);
                reach.set(2);
            }
            // "done with this", "I'm done with you guys" (not "are you done with it?").
            _ if (entry.marker == Marker::This || entry.roles & role::ADDRESSEE != 0)
                && previous_marker == Marker::With
                && before_previous.is_some_and(|past| past.marker() == Marker::Done)
                && self.lead != Lead::Question =>
            {
                phrase = Some(-1.5);
                reach.set(2);
            }
            // "that was my last order from u", "this is my last booking".
            _ if entry.roles & role::PURCHASE != 0
                && previous_marker == Marker::Last
                && self.lead != Lead::Question
                && within(3, &|past| past.has(role::COPULA)) =>
            {
                phrase = Some(-2.0);
            }
            // "still no food", "still no update", "5 days no internet".
            _ if current.token.kind == Kind::Word
                && previous_marker == Marker::No
                && before_previous.is_some_and(|past| {
                    matches!(past.marker(), Marker::Still | Marker::Duration)
                })
                && self.lead != Lead::Question =>
            {
                phrase = Some(-1.5);
                reach.set(2);
            }
            Marker::Kidding if previous_has(role::BLAMED) => phrase = Some(-1.5),
            Marker::Done if previous_marker == Marker::So => phrase = Some(-1.5),
            Marker::Done if previous_marker == Marker::Well => phrase = Some(2.0),
            Marker::Deserved if previous_marker == Marker::Well => phrase = Some(2.0),
            Marker::Times
                if previous_has(role::REPEAT)
                    || previous.is_some_and(
                        |past| matches!(past.token.kind, Kind::Number(n) if n >= 2),
                    ) =>
            {
                repeated = true;
            }
            // "5 stars", "5 stars from me"; not "a 5 star hotel", which names a kind.
            Marker::Star
                if entry.roles & role::SINGULAR == 0
                    || next.is_none_or(|next| {
                        next.kind != Kind::Word
                            || next.entry.valence != 0.0
                            || next.entry.marker != Marker::None
                            || next.entry.roles != 0
                    }) =>
            {
                if let Some(Kind::Number(count)) = previous.map(|past| past.token.kind) {
                    phrase = symbols::stars(count).map(f64::from);
                }
            }
            // "I waited 45 minutes for nothing": effort wasted.
            Marker::Nothing
                if previous_marker == Marker::For
                    && within(4, &|past| past.has(role::EFFORT | role::TAKING)) =>
            {
                phrase = Some(-1.5);
            }
            // Time a user spent: "I waited 45 minutes", "trying to cancel for weeks", "been
            // chasing this for a month" (not "I'll be there in 10 minutes").
            Marker::Duration
                if within(2, &|past| {
                    matches!(past.token.kind, Kind::Number(_))
                        || matches!(past.marker(), Marker::For | Marker::A)
                }) && within(4, &|past| {
                    past.has(role::EFFORT) || past.marker() == Marker::Been
                }) =>
            {
                phrase = Some(-1.5);
            }
            // "this is a joke", "what a joke", "it's an absolute joke" (not "tell me a joke").
            Marker::Joke
                if within(2, &|past| past.marker() == Marker::A)
                    && within(3, &|past| past.has(role::COPULA)) =>
            {
                phrase = Some(-1.5);
            }
            // "ok 👍" acknowledges; "perfect 👍" and "👍" alone approve.
            Marker::Approval if previous_has(role::ACK) => valence = 0.0,
            _ => {}
        }
        // "the order came without the sauce": something is missing (not "arrived without any
        // damage", where the next word has its own valence or names a misfortune).
        if current.token.kind == Kind::Word
            && phrase.is_none()
            && entry.valence == 0.0
            && previous_marker == Marker::Without
            && before_previous.is_some_and(|past| past.marker() == Marker::Arrived)
            && next_valence >= 0.0
            && next.is_none_or(|next| next.entry.roles & role::MISHAP == 0)
        {
            phrase = Some(-1.5);
            reach.set(2);
        }
        // "couldn't be happier", "can't ask for more", "couldn't have asked for better"
        // (not "couldn't be more disappointed").
        if entry.roles & role::COMPARATIVE != 0
            && (previous_has(role::COPULA)
                || previous_marker == Marker::For
                || (previous_marker == Marker::A
                    && before_previous.is_some_and(|past| past.marker() == Marker::For)))
            && within(4, &|past| past.has(role::IMPOSSIBLE))
            && next
                .is_none_or(|next| next.entry.valence == 0.0 && next.entry.marker != Marker::Than)
        {
            phrase = Some(2.5);
        }
        // "explained this to 4 different agents" (not "told 2 people about you").
        // "the third agent I've explained this to".
        if entry.roles & role::HUMAN != 0
            && (previous_has(role::REPEAT)
                || within(
                    2,
                    &|past| matches!(past.token.kind, Kind::Number(n) if n >= 2),
                ))
        {
            repeated = true;
        }
        // "delivered on time every month" (a word, so "never on time" complains).
        if entry.marker == Marker::Times && previous_marker == Marker::On {
            valence = 1.0;
        }
        // "I expected more", "expected better" (not "better than expected").
        if entry.roles & role::COMPARATIVE != 0
            && within(2, &|past| past.marker() == Marker::Expected)
            && next.is_none_or(|next| next.entry.valence == 0.0)
        {
            phrase = Some(-1.2);
        }
        // "is it a problem if I arrive 10 min late?", "is there a penalty if I end the
        // contract early": what is allowed.
        if valence < 0.0
            && self.lead == Lead::Question
            && next.is_some_and(|next| next.entry.marker == Marker::If)
        {
            valence = 0.0;
        }
        // "it would be nice if someone read my messages": a wish for what is missing.
        if valence > 0.0
            && previous_has(role::COPULA)
            && before_previous.is_some_and(|past| past.has(role::WISH))
            && next.is_some_and(|next| next.entry.marker == Marker::If)
        {
            phrase = Some(-1.2);
            reach.set(2);
        }
        // "this tool saves me so much time", "saved us 2 hours".
        if matches!(entry.marker, Marker::Times | Marker::Duration)
            && phrase.is_none()
            && within(4, &|past| past.marker() == Marker::Saves)
        {
            phrase = Some(1.5);
        }
        // "keep doing what ur doing": more of the same, please.
        if entry.marker == Marker::Keep
            && previous.is_none()
            && next.is_some_and(|next| next.entry.marker == Marker::Doing)
        {
            phrase = Some(1.5);
            forward = true;
        }
        // "sorry to bother you", "sorry for the trouble": a courtesy.
        if entry.roles & role::COURTESY != 0 && within(3, &|past| past.marker() == Marker::Sorry) {
            valence = 0.0;
        }
        // "kind regards", "best regards": a sign-off.
        if valence > 0.0 && next.is_some_and(|next| next.entry.marker == Marker::Regards) {
            valence = 0.0;
        }
        // "2 hours waiting at the salon".
        if entry.roles & role::EFFORT != 0
            && phrase.is_none()
            && previous_marker == Marker::Duration
            && before_previous.is_some_and(|past| matches!(past.token.kind, Kind::Number(_)))
        {
            phrase = Some(-1.5);
            reach.set(2);
        }
        // "the salmon smelled a bit funny", "the milk tastes off".
        if entry.roles & role::ODD != 0 && within(3, &|past| past.marker() == Marker::Smell) {
            phrase = Some(-1.5);
        }
        // "my name is Joy": a name carries nothing.
        if previous_has(role::COPULA)
            && before_previous.is_some_and(|past| past.marker() == Marker::Name)
        {
            valence = 0.0;
        }
        // "love waiting 40 minutes for a reply", "waiting is so much fun": praise of waiting
        // is sarcasm.
        if valence > 0.0 && entry.marker != Marker::Thanks && phrase.is_none() {
            let praises_waiting =
                next.is_some_and(|next| next.entry.marker == Marker::Wait && next.ends_ing);
            let mut after_copula = false;
            let waiting_is = clause(&self.history, current, 4).position(|past| {
                let found = after_copula && past.marker() == Marker::Wait;
                after_copula = past.has(role::COPULA);
                found
            });
            if praises_waiting || waiting_is.is_some() {
                phrase = Some(-valence);
                forward = praises_waiting;
                reach.set(waiting_is.map_or(usize::MAX, |index| index + 1));
            }
        }
        // "fixed my issue in 5 mins": the problem is what was fixed.
        if valence < 0.0 && within(2, &|past| past.has(role::RESOLVING)) {
            valence = 0.0;
        }
        // In a question, a negative word between a determiner and a noun names a kind of
        // thing: "the refund policy for damaged items", "a fee for late payment", "the
        // worst case delivery time" (not "what is wrong with it").
        if valence < 0.0
            && self.lead == Lead::Question
            && self.asks
            && previous.is_some_and(|past| past.has(role::DETERMINER))
            && next.is_some_and(|next| {
                next.kind == Kind::Word
                    && next.entry.valence == 0.0
                    && next.entry.marker == Marker::None
                    && next.entry.roles == 0
            })
        {
            valence = 0.0;
        }
        // "double charged".
        if entry.roles & role::CHARGED != 0 && previous_marker == Marker::Twice && phrase.is_none()
        {
            phrase = Some(-1.5);
        }
        // "the chicken was raw", "very professional", "arrived cracked", "isn't fast"; not
        // "raw honey" or "the professional plan".
        if entry.roles & role::DESCRIBED != 0 {
            let describes = previous.is_some_and(|past| {
                past.has(role::COPULA | role::NEGATOR)
                    || past.token.entry.booster != 0.0
                    || matches!(
                        past.marker(),
                        Marker::Still | Marker::Been | Marker::Arrived | Marker::Look
                    )
            });
            if !describes {
                valence = 0.0;
            }
        }
        // "the app is much faster now": an improvement is praise; it can be negated ("not
        // faster now") and asked about ("is it faster now?").
        if entry.roles & role::IMPROVED != 0
            && next.is_some_and(|next| next.entry.marker == Marker::Now)
        {
            valence = 1.5;
        }
        if entry.roles & role::BLAMED != 0
            && previous_has(role::WHY_AUX)
            && before_previous.is_some_and(|past| past.marker() == Marker::Why)
        {
            phrase = Some(-1.0);
            reach.set(2);
        }
        if entry.roles & (role::HUMAN | role::PERSON) != 0 {
            let real = previous_has(role::REAL);
            // Asking politely for an agent ("can I speak to an agent") is a question;
            // demanding one ("give me an agent") or a real person complains.
            let requested = entry.roles & role::HUMAN != 0
                && self.lead != Lead::Question
                && within(4, &|past| past.has(role::REQUEST));
            if real || requested {
                phrase = Some(-1.5);
            }
        }
        // A booster that is also a word ("super", "seriously") boosts when a sentiment word
        // follows, and speaks for itself otherwise ("super!", "seriously??").
        if entry.booster != 0.0 && next_valence != 0.0 {
            valence = 0.0;
        }
        // Where the phrase starts: the earliest token it took in (at least the previous
        // one; "keeps crashing" starts at "keeps" itself, "never … again" at "never").
        let start = match reach.get() {
            _ if from_never => self.never,
            usize::MAX => current.span,
            reach => self
                .history
                .get(reach.max(1) - 1)
                .and_then(Option::as_ref)
                .map_or(current.span, |past| past.span),
        };
        Context {
            valence,
            phrase,
            filler,
            dampens,
            repeated,
            start,
            forward,
        }
    }

    /// A lexicon word's contribution: boosters, capitals, held letters, then negation; a
    /// neutral word that complains when negated ("not working") takes its negated valence.
    fn word(&mut self, valence: f64, entry: &Entry, current: &Past<R::Span>) -> f64 {
        // "couldn't be more disappointed" is very disappointed, and "never looked this
        // good" very good: neither is its opposite.
        let superlative = {
            let mut clause = clause(&self.history, current, 2);
            let previous = clause.next();
            let more = previous
                .is_some_and(|past| past.has(role::COMPARATIVE) && past.token.entry.booster != 0.0);
            let this = previous.is_some_and(|past| past.marker() == Marker::This);
            (more && clause.next().is_some_and(|past| past.has(role::COPULA)))
                || (this && self.never_in_sentence)
        };
        // A negator that "wait" or "stop" follows is theirs: "can't wait to get it" is
        // eager and "can't stop smiling" smiles, so neither "get" nor "smiling" is negated;
        // nor is "fast" in "can't come fast enough".
        let negator = if entry.marker == Marker::Thanks || superlative {
            None
        } else {
            let mut after = current.token.entry.marker;
            clause(&self.history, current, SCOPE)
                .find(|past| {
                    let taken = matches!(after, Marker::Wait | Marker::Stop)
                        || (after == Marker::Arrived && entry.roles & role::SOON != 0);
                    after = past.marker();
                    past.has(role::NEGATOR) && !taken
                })
                .or_else(|| self.least(current))
                .map(|past| past.span)
        };
        if valence == 0.0 {
            return match negator {
                Some(negator) => {
                    let negated = f64::from(entry.negated);
                    // "not working", "without any warning": a complaint phrase.
                    self.grieved |= negated < 0.0;
                    let phrase = R::join(negator, current.span);
                    self.recorder.rest(Cause::Phrase, phrase, negated);
                    negated
                }
                None => 0.0,
            };
        }
        let emphasised = self.emphasised(valence, current, Cause::Word, current.span);
        match negator {
            Some(negator) => {
                self.recorder.factor(Cause::Negation, negator, NEGATION);
                emphasised * NEGATION
            }
            None => emphasised,
        }
    }

    /// The "least" (or "less") just before `current` that turns it around ("the least
    /// helpful", "way less stressful"), as VADER's rule has it: not in "at least" or "very
    /// least".
    fn least(&self, current: &Past<R::Span>) -> Option<&Past<R::Span>> {
        let mut clause = clause(&self.history, current, 2);
        let least = clause
            .next()
            .filter(|past| past.marker() == Marker::Least)?;
        let before = clause.next().map_or(Marker::None, |past| past.marker());
        (!matches!(before, Marker::At | Marker::Very)).then_some(least)
    }

    /// `valence` raised in magnitude by boosters before it, capitals and held letters; what
    /// is left is recorded as the own contribution of `cause` at `span`.
    fn emphasised(
        &mut self,
        valence: f64,
        current: &Past<R::Span>,
        cause: Cause,
        span: R::Span,
    ) -> f64 {
        if valence == 0.0 {
            return 0.0;
        }
        let sign = valence.signum();
        let mut magnitude = valence.abs();
        for (distance, past) in clause(&self.history, current, SCOPE).enumerate() {
            let booster = f64::from(past.token.entry.booster);
            if booster == 0.0 {
                continue;
            }
            let mut scalar = booster;
            if past.token.caps {
                scalar += CAPS * booster.signum();
            }
            if past.token.elongated {
                scalar += ELONGATION * booster.signum();
            }
            let boost = scalar * BOOSTER_DECAY.get(distance).copied().unwrap_or(0.0);
            self.recorder.part(Cause::Degree, past.span, sign * boost);
            magnitude += boost;
        }
        if current.token.caps {
            self.recorder
                .part(Cause::Capitals, current.span, sign * CAPS);
            magnitude += CAPS;
        }
        if current.token.elongated {
            self.recorder
                .part(Cause::HeldLetters, current.span, sign * ELONGATION);
            magnitude += ELONGATION;
        }
        // Dampeners weaken a word; they never turn it around.
        let emphasised = sign * magnitude.max(0.1);
        self.recorder.rest(cause, span, emphasised);
        emphasised
    }

    /// Adds a token's contribution; `lexical` when it is a word's own (not a phrase's),
    /// `tears` when it is a crying emoji's.
    fn add(&mut self, contribution: f64, lexical: bool, kind: Kind, tears: bool) {
        let weighted = if self.after_but {
            self.recorder.factor(Cause::AfterBut, self.but, 1.5);
            contribution * 1.5
        } else {
            contribution
        };
        let weighted = if weighted < 0.0 {
            self.recorder.weight(NEGATIVITY);
            weighted * NEGATIVITY
        } else {
            weighted
        };
        self.recorder.commit();
        if tears {
            self.tears += weighted;
        } else {
            self.complained |= weighted < 0.0;
        }
        match kind {
            Kind::Laughter => self.laughter += weighted,
            Kind::Word if lexical && weighted > 0.0 => self.sentence_positive += weighted,
            Kind::Symbol if weighted > 0.0 => {
                self.sentence_symbols += weighted;
                self.sentence_rest += weighted;
            }
            _ => self.sentence_rest += weighted,
        }
    }
}
