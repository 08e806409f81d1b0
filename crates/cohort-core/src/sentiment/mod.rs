//! Sentiment of chat messages: a lexicon-and-rules scorer tuned for what users type to a
//! business bot (laughter, elongation, emoji and emoticons, negation, caps and "!!!",
//! complaints about the bot), giving each message a score in [-1, 1] and a label.
//!
//! The base is VADER's lexicon and rules (Hutto & Gilbert 2014, MIT licence, see
//! `VADER_LICENSE.txt`), reimplemented here; the 710 words of AFINN-165 (Finn Årup Nielsen
//! 2011, Open Database License v1.0, see `AFINN_LICENSE.txt`) that VADER lacks fill gaps in
//! it ("atrocious", "breakthrough"), and 226 adjectives of Pattern's lexicon (De Smedt &
//! Daelemans 2012, PDDL, see `PATTERN_LICENSE.txt`) that both lack fill more ("incredible",
//! "mediocre"). Cohort's chat-domain overrides win over all three:
//! - greetings and one-word answers ("ok", "yes", "no", "hi", "good morning") are neutral,
//!   so politeness does not tilt a user's average; "thanks" is mildly positive (about +0.2)
//!   and "no thanks" is neutral;
//! - complaints about the bot count even without a sentiment word: "not working", "never
//!   arrived", "you don't understand", "still waiting", "talk to a human", "taking forever";
//! - positive words inside a question ("is delivery free?", "what do you recommend?") describe
//!   the question, not the user, and do not count;
//! - "!" and "?" only emphasise a score; a message with no sentiment stays exactly 0;
//! - misleading phrasings take their meaning: "could be better", "is it down?" and
//!   "nothing happens" complain, "no problem" is a courtesy, and praise beside a repeated
//!   complaint is sarcasm ("great… another error", "oh perfect, it crashed again");
//! - complaints without a sentiment word count: time a user spent ("I waited 45 minutes",
//!   "trying to cancel for weeks", "… for nothing"), something missing ("came without the
//!   sauce"), "this is a joke"; an improvement is praise ("much faster now");
//! - service failures that carry no sentiment word complain: not being told or answered
//!   ("nobody told me", "no one picked up", "without telling me", "it's not here"), "hung up
//!   on me", "logs me out", "charged twice", "it's been 3 weeks", "this is the last time",
//!   "I want a refund", "so much for …", "for no reason", "I expected more"; faults and
//!   qualities count when they describe something ("the chicken was raw", "very
//!   professional", "arrived cracked") and not when they name a kind ("raw honey", "the
//!   professional plan"); praise without one counts too ("couldn't be happier", "spot on",
//!   "above and beyond", "will order again", "made my day"); changes "without asking" or
//!   "without any notice", "I was promised …", "someone else's order", "where is my
//!   refund", "3 days already", money "taken from my account", "the app says delivered",
//!   "looked nothing like", "I'll switch to another provider", "explained this to 4
//!   different agents", "what is going on" complain; a fixed problem does not ("fixed my
//!   issue"); deeds praise ("not looking back", "on time every month", "it means a lot",
//!   "never looked this good", "can't stop wearing it", "top tier", "u made our
//!   anniversary", "you guys rock", "definately coming back", "got my money back next day", "shoutout to
//!   the night shift"); "this is how u treat me", "done with this", "still no food", "45
//!   mins on hold", "never showed up", "nobody mentioned it", "smelled a bit funny",
//!   "smelled like smoke", "5 days no internet", "the rider cancelled on me", "it was
//!   supposed to arrive Monday", "the third agent I've explained this to" and "that was
//!   my last order", "following up for the fifth time", "2 hours waiting", "ghosted me"
//!   complain, a notice does not ("I'll be arriving late"); courtesies, wishes and
//!   sign-offs carry nothing ("sorry to bother you", "is it a problem if I'm late?",
//!   "I'd love to book a class", "kind regards", "kindly share the receipt"); "well
//!   deserved", "saves me so much time" and "keep doing what ur doing" praise, "scammers"
//!   and "it would be nice if someone read my messages" complain; "honestly" only
//!   emphasises; "less" turns the next word around as "least" does ("way less
//!   stressful"); misfortunes named to get help carry no feeling about the business by
//!   themselves ("had an accident, what do I need for the claim", "flowers for a
//!   funeral"), the words around them do ("a terrible accident"); a crying emoji beside thanks or praise and no
//!   complaint is tears of joy ("the movers even assembled the crib 😭 thank youuu"); "I'm taking it elsewhere" and "last time ordering from you" threaten;
//!   a condition that opens a sentence is a case ("if flowers arrive wilted, what's the
//!   process"); "the button does nothing" and "the parcel came open" complain, and so does
//!   asking whether anyone is there when impatient ("hello??? anyone???", "is anyone even
//!   there?"; a plain "is anyone there?" only asks);
//! - words in double quotes name things ("the "worry free" plan") and carry nothing, nor
//!   does a name ("my name is Joy"); irony: 🙃, 🙄, 🤡, 🫠 and praise in scare quotes ("the "fresh"
//!   bread") make the praise, words and emoji, beside a complaint sarcasm; so does a clause of
//!   nothing but praise beside a complaint ("lovely, my order got cancelled for no reason",
//!   "still waiting on my refund. Great.", "still no reply. cool cool cool"), and praise of waiting is sarcasm in itself ("love waiting
//!   40 minutes", "waiting is so much fun");
//! - a question is one without its "?" when it opens as one ("is the store open on public
//!   holidays"), and a how-to question names its topic ("how do I report a problem"), so
//!   neither its positive nor its negative words count, nor do a question's cases ("what
//!   should I do if my card is stolen"), kinds of thing ("the refund policy for damaged
//!   items"), what a shop sells or a plan covers ("do you sell killer sudoku books",
//!   "does the warranty cover water damage"), what a word means ("what does error 404
//!   mean") or what is allowed ("is there a penalty if I end the contract early"); a
//!   question's case holds no complaint, not even a negated one ("what should I do if the
//!   locker doesn't open"), where an ultimatum's does ("if it isn't fixed by Friday I'm
//!   cancelling"); asking politely for an agent is a question, demanding one a complaint;
//! - "ok 👍" only acknowledges and "👌?" only asks: neither approves;
//! - code-switched chat counts: Singlish and Malay/Indonesian praise and complaints
//!   ("shiok", "terima kasih", "bagus", "power lah", "sian", "lambat", "lama sangat",
//!   "jialat") and negators ("tak", "belum"), Taglish ("salamat po", "ang bilis", "grabe ang tagal"; "po" is a
//!   courtesy; "2 weeks na po"), Malay time ("dah 3 jam tunggu"), Hinglish ("kya mazak
//!   hai"), Spanish, Portuguese, French, Italian and German ("pésimo servicio",
//!   "valeu demais", "inadmissible", "grazie mille", "danke"), a little Vietnamese
//!   ("chán quá") and more Hinglish and Tagalog ("bahut badhiya", "isang buwan na"); words with accents and in other scripts are looked up in
//!   lower case like any other;
//! - tweets: emoji that carry no valence of their own lean positive in a statement of three
//!   or more words with nothing else in it ("Lisbon in May 🇵🇹"; not "👋 hi", not in a
//!   question), as people mostly use emoji in a positive sense (Novak et al. 2015);
//!   "can't wait" and "can't stop" own their negation ("can't stop smiling", "never stop
//!   posting", "can't wait to get it"); "killed it", "nailed it", "mind blown", "blew my
//!   mind" praise; a capitalised word beside an acronym or a number is a name ("the AFC
//!   Championship", "Battlefield 1"), but a sentence's first word keeps its sentiment
//!   ("Terrible Customer Service"); "can't come soon enough" and "so ready" are eager,
//!   "could've been worse" is relief, "let's go" and "Go Hawks" cheer, "couldn't stop
//!   watching" owns its negation, and a negative word before praise only says how much
//!   ("scary good", "stupid fast");
//! - a negative word weighs 1.5 times a positive one of the same valence: complaints are
//!   what an admin looks for, and people use positive words far more often than negative
//!   ones (the "Pollyanna" bias), so one mild complaint outweighs one mild compliment.
//!
//! Scoring is pure and allocation-free: the lexicon is parsed once, on first use. `explain`
//! runs the same rules and also says which words, symbols and rules moved the score most.

mod explain;
mod lexicon;
mod record;
mod rules;
mod symbols;
mod tokens;

pub use explain::{Explanation, MAX_CONTRIBUTIONS, explain};

use crate::api::FieldError;
use crate::limits::{MAX_MESSAGE_CHARS, MAX_SENTIMENT_TEXTS};

/// Checks the texts of a `POST /sentiment` request: 1 to `MAX_SENTIMENT_TEXTS` of them
/// (else one error at `/texts`), each at most `MAX_MESSAGE_CHARS` characters (else an
/// error at `/texts/<index>` for each one too long).
pub fn check_texts(texts: &[String]) -> Result<(), Vec<FieldError>> {
    if texts.is_empty() || texts.len() > MAX_SENTIMENT_TEXTS {
        return Err(vec![FieldError::new(
            "/texts",
            format!("send 1 to {MAX_SENTIMENT_TEXTS} texts"),
        )]);
    }
    let errors: Vec<FieldError> = texts
        .iter()
        .enumerate()
        .filter(|(_, text)| text.chars().count() > MAX_MESSAGE_CHARS)
        .map(|(index, _)| {
            FieldError::new(
                format!("/texts/{index}"),
                format!("a text is at most {MAX_MESSAGE_CHARS} characters"),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// Scores at or above this are positive; at or below its negative, negative.
pub const THRESHOLD: f64 = 0.05;

/// VADER's normalisation constant: a raw sum `x` becomes `x / sqrt(x² + ALPHA)`.
const ALPHA: f64 = 15.0;

/// How many quantisation steps make 1.0 (scores are kept to 1e-4).
const STEPS: f64 = 10_000.0;

/// The sentiment of one message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// The score in [-1, 1], already rounded to 1e-4 (so `quantize` is exact on it).
    #[cfg_attr(feature = "openapi", schema(example = -0.4588))]
    pub score: f64,
    /// The label of the score: positive at ≥ 0.05, negative at ≤ −0.05, else neutral.
    pub label: Label,
}

/// A sentiment label: `positive` (score ≥ 0.05), `negative` (≤ −0.05) or `neutral`.
// The API sends it beside every score and the app shows it as sent: the thresholds live
// here only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = SentimentLabel))]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// Score ≥ 0.05.
    Positive,
    /// Score strictly between −0.05 and 0.05.
    Neutral,
    /// Score ≤ −0.05.
    Negative,
}

impl Label {
    /// The label as serialised and shown: "positive", "neutral" or "negative".
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Positive => "positive",
            Label::Neutral => "neutral",
            Label::Negative => "negative",
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// The sentiment of a chat message. The score is in [-1, 1], rounded to 1e-4, and never
/// NaN; empty text and text without sentiment score exactly 0 (neutral).
pub fn score(text: &str) -> Score {
    let (raw, record::Unrecorded) = rules::valence(text, lexicon::lexicon());
    score_of(raw)
}

/// The score of a raw valence sum.
fn score_of(raw: f64) -> Score {
    let normalised = raw / (raw * raw + ALPHA).sqrt();
    let score = f64::from(quantize(normalised)) / STEPS;
    Score {
        score,
        label: label_for(score),
    }
}

/// The label of a score: ≥ 0.05 positive, ≤ −0.05 negative, otherwise (and for NaN) neutral.
pub fn label_for(score: f64) -> Label {
    if score >= THRESHOLD {
        Label::Positive
    } else if score <= -THRESHOLD {
        Label::Negative
    } else {
        Label::Neutral
    }
}

/// A score as a whole number of 1e-4 steps, in [-10000, 10000]: `score × 10⁴` rounded half
/// away from zero, clamped to the range; NaN gives 0.
///
/// Stats sum these integers, so a user's total is exact and the same in whatever order
/// messages arrive (an incremental update and a full rebuild always agree), where a sum of
/// `f64`s would depend on the order. `score()` already rounds its score to this grid, so
/// `quantize(score(text).score) as f64 / 1e4 == score(text).score`.
pub fn quantize(score: f64) -> i32 {
    if score.is_nan() {
        return 0;
    }
    // In range after the clamp, so the cast neither saturates nor truncates.
    (score.clamp(-1.0, 1.0) * STEPS).round() as i32
}
