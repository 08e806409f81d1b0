//! The word lexicon: VADER's valences, parsed once, with AFINN-165's words that VADER lacks,
//! Cohort's chat-domain overrides and the markers the rules in `rules.rs` look for.
//!
//! Valences use VADER's scale (about -4 to +4). A word's entry also says how it behaves in
//! context: whether it negates, boosts or dampens its neighbours, what it is worth when
//! negated ("not working" is a complaint although "working" is neutral), and which phrase
//! rules it takes part in ("still waiting", "talk to a human", "good morning").

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// VADER's word entries, `token<TAB>valence`; `#` lines are comments.
const VADER_LEXICON: &str = include_str!("vader_lexicon.txt");

/// AFINN-165's words that VADER lacks, `token<TAB>valence` on AFINN's scale (-5 to +5).
const AFINN_EXTRA: &str = include_str!("afinn_extra.txt");
/// AFINN's scale to VADER's.
const AFINN_TO_VADER: f32 = 0.8;

/// Pattern's adjectives that neither VADER nor AFINN-165 rates, `token<TAB>polarity` on
/// Pattern's scale (-1 to +1).
const PATTERN_EXTRA: &str = include_str!("pattern_extra.txt");
/// Pattern's scale to VADER's: the least-squares slope of VADER's valence on Pattern's
/// polarity over the 466 words both rate.
const PATTERN_TO_VADER: f32 = 3.17;

/// How much a booster ("very") raises, and a dampener ("kinda") lowers, the next word.
pub(super) const BOOST: f32 = 0.293;
const DAMPEN: f32 = -0.293;

/// The words that phrase rules recognise. A word has at most one marker; its roles (below)
/// say which wider classes it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Marker {
    #[default]
    None,
    A,
    Again,
    At,
    Another,
    Any,
    Anymore,
    Back,
    Been,
    Better,
    Bit,
    But,
    Cant,
    Could,
    Die,
    Done,
    Down,
    Fed,
    For,
    Forever,
    Forward,
    Good,
    Hold,
    Keep,
    Kidding,
    Kind,
    Least,
    Like,
    Long,
    Look,
    /// "killed", "nailed": "you killed it" praises.
    Kill,
    /// "it".
    It,
    /// "mind": "mind blown", "blew my mind".
    Mind,
    /// "blown", "blew".
    Blown,
    Money,
    Never,
    No,
    Nothing,
    Of,
    On,
    Problem,
    Right,
    So,
    Sort,
    Stand,
    Star,
    Still,
    Thanks,
    Times,
    To,
    Too,
    Up,
    Very,
    Wait,
    Well,
    Why,
    Yes,
    Yeah,
    /// Arriving or being sent ("came", "arrived", "delivered"): "came without the sauce".
    Arrived,
    Without,
    /// A unit of time ("minutes", "weeks"): "I waited 45 minutes", "trying for weeks".
    Duration,
    Joke,
    Now,
    /// An approving emoji (👍 👌): after "ok" it only acknowledges.
    Approval,
    /// "hung", "hanging": "the agent hung up on me".
    Hung,
    /// "last": "this is the last time I'm ordering".
    Last,
    /// "twice", "double": "charged me twice", "double charged".
    Twice,
    /// A smell ("smells", "smelled"): "the room smelled of smoke".
    Smell,
    /// "here": "it's not here yet".
    Here,
    /// "spot": "spot on".
    Spot,
    /// "above": "went above and beyond".
    Above,
    /// "beyond".
    Beyond,
    /// "expected": "I expected more".
    Expected,
    /// "happens": "what happens if my parcel is lost" asks about a case.
    Happens,
    /// "how": "how do I …", "how to …".
    How,
    /// "than": "can't be more than $5" compares.
    Than,
    /// "out": "the app logs me out".
    Out,
    /// "me".
    Me,
    /// "much": "so much for next-day delivery".
    Much,
    /// "reason": "cancelled for no reason".
    Reason,
    /// "refund": "I want a refund".
    Refund,
    /// "business": "I'll take my business elsewhere".
    Business,
    /// "elsewhere".
    Elsewhere,
    /// "gone": "my money is gone".
    Gone,
    /// "early": "arrived a day early".
    Early,
    /// "made", "makes": "you made my day".
    Made,
    /// "my".
    My,
    /// An ironic emoji (🙃), or a word in scare quotes ("the "express" shipping").
    Irony,
    /// "promised": "I was promised a callback".
    Promised,
    /// "if": in a question, what follows is a case, not what happened.
    If,
    /// "already": "3 days already".
    Already,
    /// "says", "shows": "the app says delivered".
    Says,
    /// "account": "took rm150 from my account".
    Account,
    /// "switch", "switching", "moving": "I'll switch to another provider".
    Switch,
    /// "believe": "can't believe how easy".
    Believe,
    /// "stop", "stopped": "the videos stop loading".
    Stop,
    /// "going": "what is going on".
    Going,
    /// "lot": "it means a lot".
    Lot,
    /// "means", "meant".
    Means,
    /// "this", "that": "never looked this good".
    This,
    /// "top": "top tier".
    Top,
    /// "tier", "notch".
    Tier,
    /// "anyone", "anybody": "is anyone there?", "anyone???".
    Anyone,
    /// "there": "is anyone even there".
    There,
    /// "does", "did", "do": "the button does nothing".
    Does,
    /// "open": "the parcel came open".
    Open,
    /// "name": "my name is Joy".
    Name,
    /// "what": "what does error 404 mean".
    What,
    /// "lah": "power lah".
    Lah,
    /// "power": "power lah".
    Power,
    /// "lama" (Malay: long, of time): "lama sangat".
    Lama,
    /// "even": "is anyone even there".
    Even,
    /// A crying emoji (😭 😢 😿): beside thanks or praise, tears of joy.
    Tears,
    /// "with": "done with this".
    With,
    /// "treat", "treated": "this is how u treat me".
    Treat,
    /// "sure": "I'll be back for sure".
    Sure,
    /// "got": "got my money back".
    Got,
    /// "supposed": "it was supposed to arrive on Monday".
    Supposed,
    /// "rock", "rocks": "you guys rock".
    Rock,
    /// "guys": "you guys rock".
    Guys,
    /// "late": "I'll be arriving late" (a notice, not a complaint).
    Late,
    /// "love": "I'd love to book a class" (a wish, not praise).
    Love,
    /// "sorry": "sorry to bother you" (a courtesy).
    Sorry,
    /// "regards": "kind regards" (a sign-off).
    Regards,
    /// "goat": "Ms Priya is the GOAT".
    Goat,
    /// "deserved": "well deserved".
    Deserved,
    /// "doing": "keep doing what you're doing".
    Doing,
    /// "saves", "saved", "saving": "saves me so much time".
    Saves,
    /// "worse": "could've been worse".
    Worse,
    /// "go": "let's go", "Go Hawks".
    Go,
    /// "let's", "lets": "let's go".
    Lets,
    /// "ready": "so ready for Friday".
    Ready,
}

/// Classes of words, as bits of `Entry::roles`.
pub(super) mod role {
    /// Negates the sentiment of the next few words ("not", "never", "doesn't").
    pub const NEGATOR: u64 = 1 << 0;
    /// Opens a question whose positive words describe what is asked about ("is it good?").
    pub const QUESTION: u64 = 1 << 1;
    /// Carries nothing at the start of a sentence ("hi", "ok", "so").
    pub const FILLER: u64 = 1 << 2;
    /// Says the person is real ("real", "actual", "live", "human" in "human agent").
    pub const REAL: u64 = 1 << 3;
    /// Someone a user may ask the bot for ("human", "agent", "manager").
    pub const HUMAN: u64 = 1 << 4;
    /// Someone, said plainly ("person", "someone"): a complaint only after `REAL`.
    pub const PERSON: u64 = 1 << 5;
    /// Asks to be put through ("talk", "speak", "give", "need").
    pub const REQUEST: u64 = 1 << 6;
    /// Reaching out that a user may have had to repeat ("asked", "called", "told").
    pub const CONTACT: u64 = 1 << 7;
    /// Says how many times ("third", "several").
    pub const REPEAT: u64 = 1 << 8;
    /// Before "like", makes it the verb of liking ("I like", "really like").
    pub const LIKER: u64 = 1 << 9;
    /// Taking time ("taking", "wait", "took").
    pub const TAKING: u64 = 1 << 10;
    /// After "why", asks for an excuse ("why did", "why didn't").
    pub const WHY_AUX: u64 = 1 << 11;
    /// Who is blamed after "why did" ("you", "it").
    pub const BLAMED: u64 = 1 << 12;
    /// A time of day that makes "good" a greeting ("morning", "night").
    pub const DAYTIME: u64 = 1 << 13;
    /// Addressed to someone after "kind of" ("you", "them").
    pub const ADDRESSEE: u64 = 1 << 14;
    /// Before "down", makes it an outage ("is it down", "the site down").
    pub const OUTAGE: u64 = 1 << 15;
    /// A bare acknowledgement ("ok", "noted", "sure"): an approving emoji after it only
    /// acknowledges.
    pub const ACK: u64 = 1 << 16;
    /// Effort a user spent ("waited", "trying", "chasing"): "trying for weeks" complains.
    pub const EFFORT: u64 = 1 << 17;
    /// Says what something is ("is", "what", "such"): "this is a joke", "what a joke".
    pub const COPULA: u64 = 1 << 18;
    /// A comparative of improvement ("faster", "cheaper"): praise in "faster now".
    pub const IMPROVED: u64 = 1 << 19;
    /// A state that carries its valence only when it describes something, after a copula,
    /// a degree word or an arrival ("the chicken was raw", "very professional", "came
    /// cracked"), not when it names a kind of thing ("raw honey", "the professional plan").
    pub const DESCRIBED: u64 = 1 << 20;
    /// Taking money ("charged", "billed"): twice is a complaint.
    pub const CHARGED: u64 = 1 << 21;
    /// Opens a question by itself ("what", "how", "where"): with or without "?".
    pub const WH: u64 = 1 << 22;
    /// An auxiliary that opens a question when a subject follows ("is the store open",
    /// "can I pay", not "will order again").
    pub const INVERTED: u64 = 1 << 23;
    /// A subject after an inverted auxiliary ("I", "you", "the", "there").
    pub const SUBJECT: u64 = 1 << 24;
    /// After "how", asks how to do something ("how do I report a problem", "how to
    /// cancel"): the words of such a question name what it is about.
    pub const PROCEDURE: u64 = 1 << 25;
    /// Cannot, said of a possibility: "couldn't be happier", "can't ask for more".
    pub const IMPOSSIBLE: u64 = 1 << 26;
    /// A comparative that "couldn't be …" makes the best there is ("happier", "better").
    pub const COMPARATIVE: u64 = 1 << 27;
    /// Buying or using something that a user may do again ("order", "buy", "use").
    pub const PATRONISE: u64 = 1 << 28;
    /// Says what a user means to do ("will", "I'll", "definitely").
    pub const INTENT: u64 = 1 << 29;
    /// The one asking ("I", "we"): "how do I" asks how to do something.
    pub const ASKER: u64 = 1 << 30;
    /// Putting a user out ("logs", "kicked"): "logs me out".
    pub const EJECT: u64 = 1 << 31;
    /// Fixing something ("fixed", "solved"): the problem it names is its object, not a
    /// complaint ("fixed my issue in 5 mins").
    pub const RESOLVING: u64 = 1 << 32;
    /// A determiner or preposition before a noun ("the", "my", "for"): in a question, a
    /// negative word between it and a noun names a kind of thing ("the refund policy for
    /// damaged items", "is there a fee for late payment").
    pub const DETERMINER: u64 = 1 << 33;
    /// A count in words ("one", "two", "a couple"): "already one week".
    pub const COUNT: u64 = 1 << 34;
    /// Taking money ("took", "deducted", "left"): "took rm150 from my account".
    pub const TAKEN: u64 = 1 << 35;
    /// "star", not "stars": "a 5 star hotel" names a kind of hotel.
    pub const SINGULAR: u64 = 1 << 36;
    /// A verb's bare form ("keep", not "keeps"): first in its clause, a request.
    pub const BARE: u64 = 1 << 37;
    /// What a shop sells after "do you" ("sell", "stock", "carry"): "do you sell killer
    /// sudoku books" names a kind of thing.
    pub const SELLS: u64 = 1 << 38;
    /// Odd to the senses ("funny", "weird", "off") after a smell or a taste: "the salmon
    /// smelled a bit funny".
    pub const ODD: u64 = 1 << 39;
    /// What a customer buys or books ("order", "booking", "purchase"): "that was my last
    /// order from u".
    pub const PURCHASE: u64 = 1 << 40;
    /// Coming back ("coming", "come", "be"): "definitely coming back".
    pub const RETURNING: u64 = 1 << 41;
    /// Sure of an intent ("definitely", "definately", "surely"): "definately coming back".
    pub const SURE: u64 = 1 << 42;
    /// Leaving someone stranded ("cancelled", "bailed"): "the rider cancelled on me".
    pub const STRANDED: u64 = 1 << 43;
    /// A past copula ("was", "were"): "it was supposed to arrive Monday".
    pub const PAST: u64 = 1 << 44;
    /// Wishing ("i'd", "would"): "I'd love to book a class".
    pub const WISH: u64 = 1 << 45;
    /// What a courtesy apologises for ("bother", "trouble"): "sorry to bother you".
    pub const COURTESY: u64 = 1 << 46;
    /// What a plan or warranty covers ("cover", "include"): "does the warranty cover water
    /// damage" names a kind of thing.
    pub const COVERS: u64 = 1 << 47;
    /// A misfortune named to get help ("accident", "damage", "funeral"): no feeling about
    /// the business by itself.
    pub const MISHAP: u64 = 1 << 48;
    /// Soon or fast ("soon", "fast", "quick"): "can't come soon enough" is eager.
    pub const SOON: u64 = 1 << 49;
    /// A negative word that only says how much before praise ("scary good", "stupid fast",
    /// "insanely good"): a booster there, not a complaint.
    pub const DEGREE: u64 = 1 << 50;
}

/// What the lexicon knows about one lower-case word.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Entry {
    /// The word's own valence, on VADER's scale.
    pub valence: f32,
    /// The valence of the negated word when the word itself is neutral ("not working").
    pub negated: f32,
    /// What the word adds to the magnitude of the next sentiment word (boosters and dampeners).
    pub booster: f32,
    /// The phrase rules the word takes part in.
    pub marker: Marker,
    /// Bits from `role`.
    pub roles: u64,
}

/// One line of Cohort's own table: a change to a word's entry, or a new word.
struct Override {
    word: &'static str,
    valence: Option<f32>,
    negated: f32,
    marker: Marker,
    roles: u64,
}

/// A line of the table for `word` that changes nothing yet.
const fn w(word: &'static str) -> Override {
    Override {
        word,
        valence: None,
        negated: 0.0,
        marker: Marker::None,
        roles: 0,
    }
}

impl Override {
    /// Sets the word's own valence (replacing VADER's).
    const fn v(mut self, valence: f32) -> Self {
        self.valence = Some(valence);
        self
    }
    /// The word is neutral but a complaint when negated ("not working", "no reply").
    const fn when_negated(mut self, valence: f32) -> Self {
        self.negated = valence;
        self
    }
    const fn marker(mut self, marker: Marker) -> Self {
        self.marker = marker;
        self
    }
    const fn roles(mut self, roles: u64) -> Self {
        self.roles |= roles;
        self
    }
}

use role::*;

/// Negators: VADER's list, with and without apostrophes, plus chat spellings.
const NEGATORS: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "neednt",
    "none",
    "nope",
    "nor",
    "not",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "without",
    "wont",
    "wouldnt",
    "rarely",
    "seldom",
    "despite",
    "nobody",
    "nah",
    "nothin",
    "aren't",
    "ain't",
    "can't",
    "couldn't",
    "didn't",
    "doesn't",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "needn't",
    "shan't",
    "shouldn't",
    "wasn't",
    "weren't",
    "won't",
    "wouldn't",
    "never",
    "no",
    "nothing",
    "neva",
    // Malay and Indonesian: "tak boleh" (cannot), "belum sampai" (not arrived yet).
    "tak",
    "tidak",
    "belum",
    "gak",
    "nggak",
    "bukan",
];

/// Degree adverbs: VADER's boosters and dampeners, plus chat ones ("too", "super", "pretty").
const BOOSTERS: &[(&str, f32)] = &[
    ("absolutely", BOOST),
    ("amazingly", BOOST),
    ("awfully", BOOST),
    ("completely", BOOST),
    ("considerably", BOOST),
    ("decidedly", BOOST),
    ("deeply", BOOST),
    ("effing", BOOST),
    ("enormously", BOOST),
    ("entirely", BOOST),
    ("especially", BOOST),
    ("exceptionally", BOOST),
    ("extremely", BOOST),
    ("extra", BOOST),
    ("fabulously", BOOST),
    ("flipping", BOOST),
    ("freaking", BOOST),
    ("fricking", BOOST),
    ("frigging", BOOST),
    ("fully", BOOST),
    ("fucking", BOOST),
    ("greatly", BOOST),
    ("hella", BOOST),
    ("highly", BOOST),
    ("hugely", BOOST),
    ("incredibly", BOOST),
    ("insanely", BOOST),
    ("intensely", BOOST),
    ("literally", BOOST),
    ("majorly", BOOST),
    ("more", BOOST),
    ("most", BOOST),
    ("particularly", BOOST),
    ("pretty", BOOST),
    ("purely", BOOST),
    ("quite", BOOST),
    ("real", BOOST),
    ("really", BOOST),
    ("remarkably", BOOST),
    ("seriously", BOOST),
    ("so", BOOST),
    ("soo", BOOST),
    ("substantially", BOOST),
    ("super", BOOST),
    ("thoroughly", BOOST),
    ("too", BOOST),
    ("totally", BOOST),
    ("tremendously", BOOST),
    ("truly", BOOST),
    ("honestly", BOOST),
    ("uber", BOOST),
    ("unbelievably", BOOST),
    ("unusually", BOOST),
    ("utterly", BOOST),
    ("very", BOOST),
    ("way", BOOST),
    ("wicked", BOOST),
    ("blazing", BOOST),
    ("mad", BOOST),
    ("lightning", BOOST),
    ("huge", BOOST),
    ("grabe", BOOST),
    // VADER's boosters that the list above lacked.
    ("considerable", BOOST),
    ("enormous", BOOST),
    ("exceptional", BOOST),
    ("extreme", BOOST),
    ("flippin", BOOST),
    ("frackin", BOOST),
    ("fracking", BOOST),
    ("frickin", BOOST),
    ("friggin", BOOST),
    ("fuckin", BOOST),
    ("fuggin", BOOST),
    ("fugging", BOOST),
    ("incredible", BOOST),
    ("major", BOOST),
    ("total", BOOST),
    ("tremendous", BOOST),
    ("utter", BOOST),
    ("sangat", BOOST),
    ("bahut", BOOST),
    ("muito", BOOST),
    ("sekali", BOOST),
    ("gila", BOOST),
    ("betul", BOOST),
    ("almost", DAMPEN),
    ("barely", DAMPEN),
    ("hardly", DAMPEN),
    ("kinda", DAMPEN),
    ("kindof", DAMPEN),
    ("less", DAMPEN),
    ("little", DAMPEN),
    ("marginally", DAMPEN),
    ("occasionally", DAMPEN),
    ("partly", DAMPEN),
    ("scarcely", DAMPEN),
    ("slightly", DAMPEN),
    ("somewhat", DAMPEN),
    ("sorta", DAMPEN),
    ("sortof", DAMPEN),
    ("marginal", DAMPEN),
    ("occasional", DAMPEN),
    ("scarce", DAMPEN),
    ("slight", DAMPEN),
];

/// Cohort's chat-domain table, applied after VADER's lexicon and the lists above. Each line
/// says what it changes; a valence it sets replaces VADER's.
#[rustfmt::skip]
const CHAT: &[Override] = &[
    // Greetings and one-word answers carry no sentiment: they must not tilt every average.
    w("hi").v(0.0).roles(FILLER), w("hello").v(0.0).roles(FILLER), w("hey").v(0.0).roles(FILLER),
    w("hiya").v(0.0).roles(FILLER), w("heya").v(0.0).roles(FILLER), w("howdy").v(0.0).roles(FILLER),
    w("greetings").v(0.0).roles(FILLER), w("yo").v(0.0).roles(FILLER), w("welcome").v(0.0),
    w("morning").v(0.0).roles(DAYTIME | FILLER), w("afternoon").v(0.0).roles(DAYTIME),
    w("evening").v(0.0).roles(DAYTIME), w("night").v(0.0).roles(DAYTIME),
    w("nite").v(0.0).roles(DAYTIME), w("day").v(0.0).roles(DAYTIME),
    w("weekend").v(0.0).roles(DAYTIME),
    w("gm").v(0.0).roles(FILLER), w("gn").v(0.0),
    w("ok").v(0.0).roles(FILLER), w("okay").v(0.0).roles(FILLER), w("okey").v(0.0).roles(FILLER),
    w("k").v(0.0).roles(FILLER), w("kk").v(0.0).roles(FILLER), w("alright").v(0.0).roles(FILLER),
    w("aight").v(0.0), w("fine").v(0.0), w("sure").v(0.0),
    w("yes").v(0.0).marker(Marker::Yes).roles(FILLER),
    w("yeah").v(0.0).marker(Marker::Yeah).roles(FILLER), w("yep").v(0.0).roles(FILLER), w("yup").v(0.0).roles(FILLER),
    w("ya").v(0.0), w("yea").v(0.0), w("no").v(0.0).marker(Marker::No).roles(FILLER),
    w("nope").v(0.0), w("nah").v(0.0), w("please").v(0.0).roles(FILLER),
    w("pls").v(0.0).roles(FILLER),
    w("plz").v(0.0).roles(FILLER), w("np").v(0.0), w("so").marker(Marker::So).roles(FILLER),
    w("and").roles(FILLER), w("also").roles(FILLER), w("um").roles(FILLER), w("uh").roles(FILLER),
    w("hmm").roles(FILLER), w("btw").roles(FILLER), w("oh").roles(FILLER),
    w("sorry").v(0.0).roles(FILLER),
    w("excuse").v(0.0).roles(FILLER), w("apologize").v(0.0), w("there").roles(FILLER),
    w("well").v(0.0).marker(Marker::Well).roles(FILLER), w("god").v(0.0), w("omg").v(0.0),
    // Thanks is mildly positive (a user's average stays near neutral from politeness alone);
    // "no thanks" declines and is neutral, and thanks is never negated.
    w("thanks").v(0.8).marker(Marker::Thanks), w("thank").v(0.8).marker(Marker::Thanks),
    w("thankyou").v(0.8).marker(Marker::Thanks), w("thanku").v(0.8).marker(Marker::Thanks),
    w("thx").v(0.8).marker(Marker::Thanks), w("thnx").v(0.8).marker(Marker::Thanks),
    w("thanx").v(0.8).marker(Marker::Thanks), w("thnks").v(0.8).marker(Marker::Thanks),
    w("thks").v(0.8).marker(Marker::Thanks), w("tnx").v(0.8).marker(Marker::Thanks),
    w("ty").v(0.8).marker(Marker::Thanks), w("tysm").v(1.2).marker(Marker::Thanks),
    w("tyvm").v(1.2).marker(Marker::Thanks), w("cheers").v(1.0).marker(Marker::Thanks),
    w("gracias").v(0.8).marker(Marker::Thanks), w("merci").v(0.8).marker(Marker::Thanks),
    w("danke").v(0.8).marker(Marker::Thanks),
    // Words that name business things, not feelings ("free delivery", "customer care").
    w("help").v(0.0).when_negated(-1.5), w("helping").v(0.0).when_negated(-1.5),
    w("helps").v(1.0).when_negated(-1.5), w("helped").v(1.2).when_negated(-1.5),
    w("want").v(0.0), w("wants").v(0.0), w("number").v(0.0), w("accept").v(0.0),
    w("pay").v(0.0).when_negated(-1.2), w("paid").v(0.0), w("credit").v(0.0),
    w("free").v(0.0), w("gift").v(0.0), w("loyalty").v(0.0), w("reward").v(0.0),
    w("rewards").v(0.0), w("bonus").v(0.0), w("care").v(0.0), w("support").v(0.0),
    w("ready").v(0.0), w("true").v(0.0), w("matter").v(0.0), w("important").v(0.0),
    w("interested").v(0.0), w("chance").v(0.0), w("share").v(0.0), w("join").v(0.0),
    w("clear").v(0.0), w("top").v(0.0), w("value").v(0.0), w("stop").v(0.0),
    w("urgent").v(0.0), w("save").v(0.5), w("hope").v(1.0), w("wish").v(0.5),
    w("cancel").v(0.0), w("cancelled").v(0.0), w("canceled").v(0.0), w("joke").v(0.0),
    w("agree").v(0.8), w("trust").v(1.0),
    // Context-dependent: "I like it" but "I'd like to order"; "kind" but "kind of".
    w("like").v(1.5).marker(Marker::Like), w("kind").marker(Marker::Kind),
    w("sort").marker(Marker::Sort),
    w("of").marker(Marker::Of), w("a").marker(Marker::A), w("to").marker(Marker::To),
    w("bit").marker(Marker::Bit), w("tad").marker(Marker::Bit), w("too").marker(Marker::Too),
    w("good").marker(Marker::Good), w("but").marker(Marker::But), w("however").marker(Marker::But),
    w("never").marker(Marker::Never), w("nothing").marker(Marker::Nothing),
    w("still").marker(Marker::Still), w("been").marker(Marker::Been), w("for").marker(Marker::For),
    w("again").marker(Marker::Again),
    // Speed and delivery.
    w("slow").v(-1.5), w("slower").v(-1.3), w("slowest").v(-1.8), w("sluggish").v(-1.5),
    w("late").v(-1.2), w("later").v(0.0), w("delayed").v(-1.3), w("laggy").v(-1.5),
    w("lagging").v(-1.5), w("wait").marker(Marker::Wait).roles(TAKING),
    w("waiting").marker(Marker::Wait).roles(TAKING), w("waited").marker(Marker::Wait).roles(TAKING),
    w("long").marker(Marker::Long), w("forever").marker(Marker::Forever),
    w("ages").marker(Marker::Forever), w("eternity").marker(Marker::Forever),
    w("taking").roles(TAKING), w("take").roles(TAKING), w("takes").roles(TAKING),
    w("took").roles(TAKING), w("hold").marker(Marker::Hold), w("on").marker(Marker::On),
    w("put").roles(REQUEST),
    // Food and goods.
    w("cold").v(-0.8), w("soggy").v(-1.5), w("stale").v(-1.5), w("burnt").v(-1.5),
    w("overcooked").v(-1.5), w("undercooked").v(-1.5), w("greasy").v(-1.2), w("bland").v(-1.2),
    w("expensive").v(-1.0), w("overpriced").v(-1.8), w("pricey").v(-0.8), w("ripoff").v(-2.0),
    w("tasty").v(2.0), w("yum").v(2.0), w("smooth").v(1.5), w("smoothly").v(1.5),
    w("exactly").v(1.0), w("legend").v(2.0), w("fixed").v(0.8).when_negated(-1.5),
    w("resolved").v(1.0).when_negated(-1.5), w("solved").v(1.1).when_negated(-1.5),
    w("gud").v(1.9), w("gr8").v(3.1), w("luv").v(3.2), w("awsome").v(3.1), w("perfecto").v(2.7),
    // Things going wrong.
    w("crashing").v(-1.8), w("crashes").v(-1.8), w("crashed").v(-1.8), w("glitch").v(-1.5),
    w("glitchy").v(-1.5), w("buggy").v(-1.5), w("bug").v(-1.0), w("bugs").v(-1.0),
    w("issue").v(-1.0), w("issues").v(-1.0), w("scammed").v(-2.7), w("unprofessional").v(-2.0),
    w("useless").v(-2.2), w("pointless").v(-1.8), w("meh").v(-0.8), w("sigh").v(-1.0),
    w("argh").v(-1.5), w("hmph").v(-1.0), w("ffs").v(-2.0), w("delay").v(-1.3),
    // Neutral verbs that complain when negated ("doesn't work", "never arrived", "no reply").
    w("work").when_negated(-1.6), w("works").when_negated(-1.6), w("working").when_negated(-1.6),
    w("worked").when_negated(-1.6), w("function").when_negated(-1.5),
    w("arrive").when_negated(-1.5), w("arrived").when_negated(-1.5), w("come").when_negated(-1.2),
    w("came").when_negated(-1.2), w("receive").when_negated(-1.5), w("received").when_negated(-1.5),
    w("get").when_negated(-1.2).roles(REQUEST), w("got").when_negated(-1.2),
    w("gotten").when_negated(-1.2), w("deliver").when_negated(-1.5),
    w("delivered").when_negated(-1.5), w("understand").when_negated(-1.5),
    w("understands").when_negated(-1.5), w("understanding").when_negated(-1.5),
    w("sense").when_negated(-1.5), w("answer").when_negated(-1.5), w("answers").when_negated(-1.5),
    w("answered").when_negated(-1.5), w("answering").when_negated(-1.5),
    w("reply").when_negated(-1.5), w("replied").when_negated(-1.5), w("replies").when_negated(-1.5),
    w("response").when_negated(-1.5), w("respond").when_negated(-1.5),
    w("responded").when_negated(-1.5), w("responding").when_negated(-1.5),
    w("load").when_negated(-1.5), w("loading").when_negated(-1.5), w("loads").when_negated(-1.5),
    w("open").when_negated(-1.2), w("log").when_negated(-1.5), w("login").when_negated(-1.5),
    w("access").when_negated(-1.2), w("connect").when_negated(-1.2).roles(REQUEST),
    w("fix").when_negated(-1.5), w("happen").when_negated(-1.0), w("happened").when_negated(-1.0),
    w("asked").when_negated(-1.2).roles(CONTACT), w("ordered").when_negated(-1.2),
    w("sent").when_negated(-1.2), w("show").when_negated(-1.2), w("showing").when_negated(-1.2),
    w("shows").when_negated(-1.2), w("update").when_negated(-1.0), w("updated").when_negated(-1.0),
    // Asking for a person instead of the bot.
    w("real").roles(REAL), w("actual").roles(REAL), w("live").roles(REAL),
    w("human").roles(REAL | HUMAN), w("humans").roles(HUMAN), w("agent").roles(HUMAN),
    w("representative").roles(HUMAN), w("rep").roles(HUMAN), w("operator").roles(HUMAN),
    w("manager").roles(HUMAN), w("supervisor").roles(HUMAN), w("person").roles(PERSON),
    w("someone").roles(PERSON), w("somebody").roles(PERSON), w("people").roles(PERSON),
    w("talk").roles(REQUEST), w("speak").roles(REQUEST), w("chat").roles(REQUEST),
    w("transfer").roles(REQUEST), w("give").roles(REQUEST), w("need").roles(REQUEST),
    // Other chat complaints: "you keep sending", "I want my money back", "are you kidding me",
    // "third time I'm asking", "why did you", "I'm so done", and praise: "well done".
    w("keep").marker(Marker::Keep), w("keeps").marker(Marker::Keep), w("kept").marker(Marker::Keep),
    w("money").marker(Marker::Money), w("back").marker(Marker::Back),
    w("kidding").v(0.4).marker(Marker::Kidding), w("done").marker(Marker::Done),
    w("why").marker(Marker::Why), w("time").marker(Marker::Times), w("times").marker(Marker::Times),
    w("star").marker(Marker::Star), w("stars").marker(Marker::Star),
    w("second").roles(REPEAT), w("third").roles(REPEAT), w("fourth").roles(REPEAT),
    w("fifth").roles(REPEAT), w("2nd").roles(REPEAT), w("3rd").roles(REPEAT),
    w("4th").roles(REPEAT),
    w("three").roles(REPEAT), w("four").roles(REPEAT), w("five").roles(REPEAT),
    w("several").roles(REPEAT), w("multiple").roles(REPEAT), w("many").roles(REPEAT),
    w("hundred").roles(REPEAT), w("million").roles(REPEAT), w("ten").roles(REPEAT),
    w("ask").roles(CONTACT), w("asking").roles(CONTACT), w("told").roles(CONTACT),
    w("tell").roles(CONTACT), w("telling").roles(CONTACT), w("called").roles(CONTACT),
    w("calling").roles(CONTACT | REQUEST), w("call").roles(CONTACT | REQUEST),
    w("said").roles(CONTACT),
    w("saying").roles(CONTACT), w("tried").roles(CONTACT), w("trying").roles(CONTACT),
    w("contacted").roles(CONTACT), w("messaged").roles(CONTACT), w("emailed").roles(CONTACT),
    w("explained").roles(CONTACT), w("explaining").roles(CONTACT), w("repeat").roles(CONTACT),
    w("did").roles(WHY_AUX | QUESTION), w("didn't").roles(WHY_AUX), w("didnt").roles(WHY_AUX),
    w("would").roles(WHY_AUX | QUESTION), w("haven't").roles(WHY_AUX), w("havent").roles(WHY_AUX),
    w("hasn't").roles(WHY_AUX), w("hasnt").roles(WHY_AUX), w("won't").roles(WHY_AUX),
    w("wont").roles(WHY_AUX), w("can't").roles(WHY_AUX), w("cant").roles(WHY_AUX),
    w("isn't").roles(WHY_AUX), w("isnt").roles(WHY_AUX),
    w("you").roles(BLAMED | ADDRESSEE | LIKER), w("u").roles(BLAMED | ADDRESSEE | LIKER),
    w("it").roles(BLAMED), w("they").roles(BLAMED | LIKER), w("them").roles(ADDRESSEE),
    w("him").roles(ADDRESSEE), w("her").roles(ADDRESSEE),
    // Who likes: "I like", "we really like", "don't like".
    w("i").roles(LIKER), w("we").roles(LIKER), w("really").roles(LIKER), w("just").roles(LIKER),
    w("totally").roles(LIKER), w("definitely").roles(LIKER), w("actually").roles(LIKER),
    w("do").roles(LIKER | QUESTION), w("does").roles(LIKER | QUESTION), w("don't").roles(LIKER),
    w("dont").roles(LIKER), w("doesn't").roles(LIKER), w("doesnt").roles(LIKER),
    w("not").roles(LIKER), w("also").roles(LIKER), w("kinda").roles(LIKER),
    // Words that open a question.
    w("what").roles(QUESTION), w("how").roles(QUESTION), w("which").roles(QUESTION),
    w("who").roles(QUESTION), w("where").roles(QUESTION), w("when").roles(QUESTION),
    w("can").roles(QUESTION), w("could").roles(QUESTION), w("will").roles(QUESTION),
    w("is").roles(QUESTION), w("are").roles(QUESTION), w("am").roles(QUESTION),
    w("should").roles(QUESTION), w("shall").roles(QUESTION), w("may").roles(QUESTION),
    w("have").roles(QUESTION), w("has").roles(QUESTION), w("any").roles(QUESTION),
    w("anyone").roles(QUESTION), w("whats").roles(QUESTION), w("what's").roles(QUESTION),
    w("hows").roles(QUESTION), w("how's").roles(QUESTION), w("wheres").roles(QUESTION),
    w("where's").roles(QUESTION), w("was").roles(QUESTION), w("were").roles(QUESTION),
    // "could be better" and "could have gone better" complain; "no problem" is a courtesy.
    w("could").marker(Marker::Could).roles(QUESTION), w("could've").marker(Marker::Could),
    w("couldve").marker(Marker::Could), w("better").marker(Marker::Better),
    w("problem").marker(Marker::Problem),
    // "is it down?", "the site is down again"; "great, another error" is sarcasm.
    w("down").marker(Marker::Down), w("another").marker(Marker::Another),
    w("site").roles(OUTAGE), w("website").roles(OUTAGE), w("app").roles(OUTAGE),
    w("server").roles(OUTAGE), w("system").roles(OUTAGE), w("it").roles(OUTAGE),
    w("is").roles(OUTAGE), w("was").roles(OUTAGE), w("are").roles(OUTAGE),
    w("still").roles(OUTAGE), w("it's").roles(OUTAGE), w("its").roles(OUTAGE),
    // More neutral verbs that complain when negated ("nothing happens", "not listening").
    w("happens").when_negated(-1.2), w("expected").when_negated(-1.2),
    w("listening").when_negated(-1.5), w("found").when_negated(-1.2),
    w("moved").when_negated(-1.0), w("called").when_negated(-1.2),
    w("sampai").when_negated(-1.5), w("boleh").when_negated(-1.2),
    // Code-switched chat: Singlish, Malay and Indonesian praise and complaints.
    w("kasih").v(0.8).marker(Marker::Thanks), w("makasih").v(0.8).marker(Marker::Thanks),
    w("bagus").v(1.9), w("mantap").v(2.0), w("mantul").v(2.0), w("shiok").v(2.2),
    w("syok").v(2.0), w("sedap").v(2.0), w("steady").v(1.2),
    w("sian").v(-1.5), w("lambat").v(-1.5), w("jialat").v(-2.0), w("walao").v(-1.5),
    w("walau").v(-1.5), w("alamak").v(-1.0), w("aiyo").v(-1.0), w("aiyoh").v(-1.0),
    w("aiyah").v(-1.0), w("buruk").v(-2.0), w("teruk").v(-2.0), w("rosak").v(-1.5),
    w("kecewa").v(-2.0), w("bodoh").v(-2.0), w("siao").v(-1.5), w("lemak").v(0.0),
    // "can't wait" and "looking forward to" are eager (VADER's "eager", +1.5); "least"
    // turns the next word around unless it is "at least" or "very least" (VADER's rule).
    w("can't").marker(Marker::Cant), w("cant").marker(Marker::Cant),
    w("cannot").marker(Marker::Cant), w("forward").marker(Marker::Forward),
    // "you killed it", "nailed it", "mind blown", "it blew my mind" praise.
    w("killed").marker(Marker::Kill), w("kill").marker(Marker::Kill),
    w("killing").marker(Marker::Kill), w("nailed").marker(Marker::Kill),
    w("nailing").marker(Marker::Kill), w("it").marker(Marker::It),
    w("mind").marker(Marker::Mind), w("blown").marker(Marker::Blown),
    w("blew").marker(Marker::Blown), w("hyped").v(2.0), w("genius").v(2.5),
    w("look").marker(Marker::Look), w("looks").marker(Marker::Look),
    w("looking").marker(Marker::Look), w("looked").marker(Marker::Look),
    w("least").marker(Marker::Least), w("at").marker(Marker::At),
    w("very").marker(Marker::Very), w("any").marker(Marker::Any),
    w("anymore").marker(Marker::Anymore),
    // VADER's rated phrases: "can't stand" (-2.0) and "fed up" (-1.8) from its lexicon,
    // "yeah right" (-2) and "to die for" (+3) from its special cases.
    w("stand").marker(Marker::Stand), w("fed").marker(Marker::Fed), w("up").marker(Marker::Up),
    w("right").marker(Marker::Right), w("die").marker(Marker::Die),
    // Complaints that carry no sentiment word: "came without the sauce", "I waited 45
    // minutes", "trying to cancel for weeks", "this is a joke"; and praise without one:
    // "much faster now".
    w("came").marker(Marker::Arrived), w("come").marker(Marker::Arrived),
    w("arrived").marker(Marker::Arrived), w("arrive").marker(Marker::Arrived),
    w("delivered").marker(Marker::Arrived), w("sent").marker(Marker::Arrived),
    w("received").marker(Marker::Arrived), w("without").marker(Marker::Without),
    w("minutes").marker(Marker::Duration), w("mins").marker(Marker::Duration),
    w("hours").marker(Marker::Duration), w("hrs").marker(Marker::Duration),
    w("days").marker(Marker::Duration), w("weeks").marker(Marker::Duration),
    w("months").marker(Marker::Duration), w("min").marker(Marker::Duration),
    w("hour").marker(Marker::Duration), w("hr").marker(Marker::Duration),
    w("week").marker(Marker::Duration), w("month").marker(Marker::Duration),
    w("waited").roles(EFFORT), w("waiting").roles(EFFORT), w("trying").roles(EFFORT),
    w("tried").roles(EFFORT), w("chasing").roles(EFFORT), w("calling").roles(EFFORT),
    w("queuing").roles(EFFORT), w("queueing").roles(EFFORT), w("queued").roles(EFFORT),
    w("stuck").roles(EFFORT), w("spent").roles(EFFORT),
    w("joke").marker(Marker::Joke), w("an").marker(Marker::A),
    w("is").roles(COPULA), w("was").roles(COPULA), w("it's").roles(COPULA),
    w("its").roles(COPULA), w("that's").roles(COPULA), w("thats").roles(COPULA),
    w("what").roles(COPULA), w("such").roles(COPULA), w("are").roles(COPULA),
    w("now").marker(Marker::Now),
    w("faster").roles(IMPROVED), w("quicker").roles(IMPROVED), w("cheaper").roles(IMPROVED),
    w("easier").roles(IMPROVED), w("smoother").roles(IMPROVED), w("simpler").roles(IMPROVED),
    w("ok").roles(ACK), w("okay").roles(ACK), w("okey").roles(ACK), w("k").roles(ACK),
    w("kk").roles(ACK), w("noted").roles(ACK), w("sure").roles(ACK), w("alright").roles(ACK),
    w("yes").roles(ACK), w("yep").roles(ACK), w("yup").roles(ACK), w("ya").roles(ACK),
    w("yeah").roles(ACK), w("roger").roles(ACK),
    // Not being told, called back or answered complains: "nobody told me", "no one picked
    // up", "cancelled without telling me"; and so does what is not there: "it's not here".
    w("told").when_negated(-1.2), w("telling").when_negated(-1.2), w("tells").when_negated(-1.2),
    w("informed").when_negated(-1.2), w("notified").when_negated(-1.2),
    w("warned").when_negated(-1.2), w("picked").when_negated(-1.2),
    w("bothered").when_negated(-1.2), w("here").marker(Marker::Here),
    // "hung up on me"; "this is the last time"; "charged me twice"; "smelled of smoke".
    w("hung").marker(Marker::Hung), w("hanging").marker(Marker::Hung),
    w("last").marker(Marker::Last), w("twice").marker(Marker::Twice),
    w("double").marker(Marker::Twice),
    w("charged").roles(CHARGED), w("billed").roles(CHARGED), w("deducted").roles(CHARGED),
    w("debited").roles(CHARGED), w("charging").roles(CHARGED),
    w("smell").marker(Marker::Smell), w("smells").marker(Marker::Smell),
    w("smelled").marker(Marker::Smell), w("smelt").marker(Marker::Smell),
    w("reeks").marker(Marker::Smell), w("were").roles(COPULA), w("be").roles(COPULA),
    // Faults in what was delivered, and the qualities of service, when they describe it.
    w("raw").v(-1.5).roles(DESCRIBED), w("salty").v(-1.2).roles(DESCRIBED),
    w("watery").v(-1.2).roles(DESCRIBED), w("mushy").v(-1.2).roles(DESCRIBED),
    w("expired").v(-1.2).roles(DESCRIBED), w("melted").v(-1.2).roles(DESCRIBED),
    w("leaking").v(-1.5).roles(DESCRIBED), w("cracked").v(-1.5).roles(DESCRIBED),
    w("dented").v(-1.5).roles(DESCRIBED), w("torn").v(-1.2).roles(DESCRIBED),
    w("wet").v(-1.0).roles(DESCRIBED), w("squashed").v(-1.5).roles(DESCRIBED),
    w("smashed").v(-1.8).roles(DESCRIBED), w("spilled").v(-1.2), w("spilt").v(-1.2),
    w("smelly").v(-1.5), w("overcharged").v(-2.0), w("robbery").v(-2.5),
    w("unreachable").v(-1.5), w("unresponsive").v(-1.8),
    w("professional").v(1.5).roles(DESCRIBED), w("patient").v(1.5).roles(DESCRIBED),
    w("fast").v(1.2).roles(DESCRIBED), w("quick").v(1.0).roles(DESCRIBED),
    w("sorted").v(1.0).when_negated(-1.5),
    // "spot on", "went above and beyond", "couldn't be happier", "can't ask for more",
    // "will order again"; "I expected more" complains.
    w("spot").marker(Marker::Spot), w("above").marker(Marker::Above),
    w("beyond").marker(Marker::Beyond), w("expected").marker(Marker::Expected),
    w("couldn't").roles(IMPOSSIBLE), w("couldnt").roles(IMPOSSIBLE),
    w("can't").roles(IMPOSSIBLE), w("cant").roles(IMPOSSIBLE), w("cannot").roles(IMPOSSIBLE),
    w("happier").roles(COMPARATIVE), w("better").roles(COMPARATIVE),
    w("more").roles(COMPARATIVE),
    w("order").roles(PATRONISE), w("buy").roles(PATRONISE), w("shop").roles(PATRONISE),
    w("book").roles(PATRONISE), w("use").roles(PATRONISE), w("purchase").roles(PATRONISE),
    w("will").roles(INTENT), w("i'll").roles(INTENT), w("ill").roles(INTENT),
    w("we'll").roles(INTENT), w("definitely").roles(INTENT), w("def").roles(INTENT),
    w("gonna").roles(INTENT), w("would").roles(INTENT), w("than").marker(Marker::Than),
    w("how").marker(Marker::How),
    // "the app logs me out", "it's been 3 weeks", "my money is gone", "I want a refund",
    // "I'll take my business elsewhere", "so much for next-day delivery", "cancelled for no
    // reason"; "arrived a day early".
    w("out").marker(Marker::Out), w("me").marker(Marker::Me),
    w("logs").roles(EJECT), w("logged").roles(EJECT), w("logging").roles(EJECT),
    w("kicks").roles(EJECT), w("kicked").roles(EJECT), w("kicking").roles(EJECT),
    w("throws").roles(EJECT), w("threw").roles(EJECT), w("signs").roles(EJECT),
    w("signed").roles(EJECT), w("signing").roles(EJECT),
    w("much").marker(Marker::Much), w("reason").marker(Marker::Reason),
    w("refund").marker(Marker::Refund), w("business").marker(Marker::Business),
    w("elsewhere").marker(Marker::Elsewhere), w("gone").marker(Marker::Gone),
    w("early").marker(Marker::Early),
    // "you made my day".
    w("made").marker(Marker::Made), w("makes").marker(Marker::Made),
    w("make").marker(Marker::Made), w("my").marker(Marker::My),
    w("recommending").v(1.5), w("recommends").v(1.5),
    // Not asked, warned or notified, and not what was paid for: "changed without asking",
    // "went up without any notice", "didn't turn up", "not what I paid for".
    w("asking").when_negated(-1.2), w("notice").when_negated(-1.2),
    w("notification").when_negated(-1.2), w("warning").when_negated(-1.2),
    w("permission").when_negated(-1.2), w("consent").when_negated(-1.2),
    w("turn").when_negated(-1.2), w("paid").when_negated(-1.2),
    w("sent").roles(CONTACT), w("else's").v(-1.2),
    // "I was promised a callback", "you promised".
    w("promised").marker(Marker::Promised),
    // Goods gone bad; chat's praise: "props", "mad respect", "obsessed with", "bragging".
    w("mouldy").v(-2.0), w("moldy").v(-2.0), w("props").v(2.0), w("obsessed").v(1.5),
    w("bragging").v(1.0),
    // Business words, not feelings: "baggage limits", "delivery charges", "warning" (a
    // storm warning; unasked-for changes are "without warning", above).
    w("limit").v(0.0), w("limits").v(0.0), w("charges").v(0.0), w("warning").v(0.0),
    // Taglish and Spanish: "po" is Tagalog's courtesy ("salamat po"), not VADER's
    // "pissed off".
    w("po").v(0.0), w("salamat").v(0.8).marker(Marker::Thanks), w("bilis").v(1.5),
    w("galing").v(2.0), w("ganda").v(2.0), w("bagal").v(-1.5), w("pangit").v(-2.0),
    w("sayang").v(-1.2), w("mal").v(-1.5), w("malo").v(-1.5), w("mala").v(-1.5),
    w("pesimo").v(-2.5), w("pesima").v(-2.5), w("excelente").v(2.5), w("bueno").v(1.5),
    w("buena").v(1.5), w("genial").v(2.5), w("increible").v(2.5),
    // "fixed my issue": the problem is what was fixed.
    w("fixed").roles(RESOLVING), w("solved").roles(RESOLVING),
    w("resolved").roles(RESOLVING), w("sorted").roles(RESOLVING),
    w("handled").roles(RESOLVING), w("replaced").roles(RESOLVING),
    w("the").roles(DETERMINER), w("a").roles(DETERMINER),
    w("an").roles(DETERMINER), w("my").roles(DETERMINER),
    w("your").roles(DETERMINER), w("our").roles(DETERMINER),
    w("for").roles(DETERMINER), w("of").roles(DETERMINER),
    w("any").roles(DETERMINER), w("about").roles(DETERMINER),
    w("if").marker(Marker::If), w("already").marker(Marker::Already),
    // "haven't reach" (Singlish), "doesn't pick up"; "the app says delivered"; money
    // "taken from my account"; "card got declined"; "not looking back"; "switch to another
    // provider"; "thanks for absolutely nothing"; "what is going on"; "the videos stop
    // loading"; "explained to 4 different agents"; "on time", "it means a lot"; "my bill
    // is double"; "never looked this good"; "can't believe how easy".
    w("reach").when_negated(-1.5), w("pick").when_negated(-1.2), w("picks").when_negated(-1.2),
    w("says").marker(Marker::Says), w("said").marker(Marker::Says),
    w("shows").marker(Marker::Says), w("showing").marker(Marker::Says),
    w("marked").marker(Marker::Says),
    w("account").marker(Marker::Account), w("took").roles(TAKEN),
    w("taken").roles(TAKEN), w("left").roles(TAKEN), w("deducted").roles(TAKEN),
    w("debited").roles(TAKEN), w("withdrawn").roles(TAKEN),
    w("declined").v(-1.0), w("star").roles(SINGULAR),
    w("switch").marker(Marker::Switch), w("switching").marker(Marker::Switch),
    w("moving").marker(Marker::Switch), w("going").marker(Marker::Going),
    w("believe").marker(Marker::Believe),
    w("stop").marker(Marker::Stop), w("stops").marker(Marker::Stop),
    w("stopped").marker(Marker::Stop),
    w("agents").roles(HUMAN), w("reps").roles(HUMAN),
    w("different").roles(REPEAT),
    w("lot").marker(Marker::Lot), w("means").marker(Marker::Means),
    w("meant").marker(Marker::Means), w("this").marker(Marker::This),
    w("that").marker(Marker::This), w("bill").roles(CHARGED), w("invoice").roles(CHARGED),
    w("one").roles(COUNT), w("two").roles(COUNT), w("three").roles(COUNT),
    w("four").roles(COUNT), w("five").roles(COUNT), w("couple").roles(COUNT),
    w("few").roles(COUNT), w("several").roles(COUNT),
    w("ur").roles(DETERMINER), w("on").roles(DETERMINER),
    w("in").roles(DETERMINER), w("with").roles(DETERMINER),
    w("zero").roles(NEGATOR), w("smoother").roles(COMPARATIVE),
    w("smoothest").roles(COMPARATIVE),
    // Hinglish and Tagalog: "kya mazak hai" (what a joke), "bakwas" (rubbish), "grabe ang
    // tagal" (so long), "naghihintay" (waiting).
    w("mazak").v(-1.5), w("bakwas").v(-2.0), w("bekar").v(-1.5), w("mast").v(1.5),
    w("shukriya").v(0.8).marker(Marker::Thanks), w("dhanyavad").v(0.8).marker(Marker::Thanks),
    w("tagal").v(-1.2), w("naghihintay").roles(EFFORT), w("hintay").roles(EFFORT),
    // Malay and Tagalog time: "dah 3 jam tunggu" (3 hours waiting already), "2 weeks na po"
    // (already), "wala pa" (not yet), "bakit" (why), "ano" (what), "paano" (how).
    w("jam").marker(Marker::Duration), w("minit").marker(Marker::Duration),
    w("hari").marker(Marker::Duration), w("minggu").marker(Marker::Duration),
    w("oras").marker(Marker::Duration), w("araw").marker(Marker::Duration),
    w("linggo").marker(Marker::Duration), w("tunggu").roles(EFFORT),
    w("dah").marker(Marker::Already), w("sudah").marker(Marker::Already),
    w("na").marker(Marker::Already), w("wala").roles(NEGATOR), w("sejuk").v(-0.8),
    w("bakit").marker(Marker::Why), w("ano").roles(QUESTION | WH),
    w("paano").roles(QUESTION | WH), w("saan").roles(QUESTION | WH),
    w("kailan").roles(QUESTION | WH), w("ng").roles(DETERMINER),
    w("sa").roles(DETERMINER), w("para").roles(DETERMINER),
    // Faults in furniture and goods; conveniences; "top tier"; "huge" only boosts the
    // next word ("huge scratch"); "clean" describes ("the room was clean", not "book a
    // deep clean"); "block" and "drop" are an address and a drop-off.
    w("scratch").v(-1.2), w("scratched").v(-1.2), w("scratches").v(-1.2),
    w("wobbles").v(-1.2), w("wobbly").v(-1.2), w("stained").v(-1.2),
    w("convenient").v(1.5), w("top").marker(Marker::Top), w("tier").marker(Marker::Tier),
    w("notch").marker(Marker::Tier), w("clean").roles(DESCRIBED), w("block").v(0.0),
    w("drop").v(0.0),
    // "why did nobody tell me"; "definately ordering again"; "u made our anniversary".
    w("nobody").roles(BLAMED), w("ordering").roles(PATRONISE),
    w("buying").roles(PATRONISE), w("booking").roles(PATRONISE), w("using").roles(PATRONISE),
    w("keep").roles(BARE), w("definately").roles(INTENT), w("defo").roles(INTENT), w("deffo").roles(INTENT),
    w("our").marker(Marker::My), w("anniversary").roles(DAYTIME),
    w("birthday").roles(DAYTIME), w("wedding").roles(DAYTIME), w("want").roles(REQUEST), w("demand").roles(REQUEST), w("i").roles(ASKER), w("we").roles(ASKER),
    // "how do I …", "how to …", "what happens if …" ask how things work.
    w("do").roles(PROCEDURE), w("does").roles(PROCEDURE),
    w("can").roles(PROCEDURE), w("should").roles(PROCEDURE), w("happens").marker(Marker::Happens),
    // Questions chat writes without "?": "what is the interest rate", "is the store open
    // on public holidays" (not "what a day", "how nice", "will order again").
    w("what").roles(WH), w("how").roles(WH), w("which").roles(WH), w("where").roles(WH),
    w("when").roles(WH), w("who").roles(WH), w("whats").roles(WH), w("what's").roles(WH),
    w("hows").roles(WH), w("how's").roles(WH), w("wheres").roles(WH), w("where's").roles(WH),
    w("is").roles(INVERTED), w("are").roles(INVERTED), w("do").roles(INVERTED),
    w("does").roles(INVERTED), w("did").roles(INVERTED), w("can").roles(INVERTED),
    w("could").roles(INVERTED), w("should").roles(INVERTED), w("may").roles(INVERTED),
    w("will").roles(INVERTED), w("would").roles(INVERTED), w("was").roles(INVERTED),
    w("were").roles(INVERTED), w("have").roles(INVERTED), w("has").roles(INVERTED),
    w("i").roles(SUBJECT), w("you").roles(SUBJECT), w("u").roles(SUBJECT),
    w("it").roles(SUBJECT), w("the").roles(SUBJECT), w("there").roles(SUBJECT),
    w("this").roles(SUBJECT), w("that").roles(SUBJECT), w("my").roles(SUBJECT),
    w("your").roles(SUBJECT), w("ur").roles(SUBJECT), w("we").roles(SUBJECT),
    w("they").roles(SUBJECT), w("he").roles(SUBJECT), w("she").roles(SUBJECT),
    w("these").roles(SUBJECT), w("those").roles(SUBJECT), w("anyone").roles(SUBJECT),
    w("a").roles(SUBJECT), w("an").roles(SUBJECT),
    // "is anyone there?", "anyone???"; "the button does nothing"; "the parcel came open";
    // "my name is Joy"; "what does error 404 mean"; "do you sell killer sudoku books";
    // "power lah"; "lama sangat" (so long).
    w("anyone").marker(Marker::Anyone), w("anybody").marker(Marker::Anyone).roles(SUBJECT),
    w("there").marker(Marker::There), w("does").marker(Marker::Does),
    w("did").marker(Marker::Does), w("do").marker(Marker::Does), w("open").marker(Marker::Open),
    w("name").marker(Marker::Name), w("what").marker(Marker::What), w("lah").marker(Marker::Lah),
    w("power").marker(Marker::Power), w("lama").marker(Marker::Lama),
    w("even").marker(Marker::Even),
    w("sell").roles(SELLS), w("stock").roles(SELLS), w("carry").roles(SELLS),
    // "nobody mentioned it"; "smelled a bit funny", "tastes off"; "pésimo servicio", "valeu
    // demais", "obrigada"; "done with this"; "45 mins on hold", "still holding"; "this is
    // how u treat me"; "never showed up"; "that was my last order"; "definately coming
    // back", "I'll be back for sure"; "got my money back"; "shoutout to the night shift".
    w("mentioned").when_negated(-1.2), w("informed").when_negated(-1.2),
    w("warned").when_negated(-1.2), w("showed").when_negated(-1.5),
    w("show").when_negated(-1.2), w("shows").when_negated(-1.2),
    w("funny").roles(ODD), w("weird").roles(ODD), w("strange").roles(ODD), w("off").roles(ODD),
    w("odd").roles(ODD), w("taste").marker(Marker::Smell), w("tastes").marker(Marker::Smell),
    w("tasted").marker(Marker::Smell),
    w("pésimo").v(-3.0), w("pésima").v(-3.0), w("péssimo").v(-3.0), w("péssima").v(-3.0),
    w("horrível").v(-2.5), w("ótimo").v(2.0), w("ótima").v(2.0), w("excelente").v(2.5),
    w("valeu").v(0.8).marker(Marker::Thanks), w("obrigado").v(0.8).marker(Marker::Thanks),
    w("obrigada").v(0.8).marker(Marker::Thanks), w("nadie").roles(NEGATOR),
    w("ninguém").roles(NEGATOR), w("contesta").when_negated(-1.5),
    w("responde").when_negated(-1.5), w("chán").v(-1.5), w("lỗi").v(-1.2),
    w("shoutout").v(2.0), w("downhill").v(-1.5), w("buffers").v(-1.5),
    w("buffering").v(-1.5), w("with").marker(Marker::With),
    w("holding").marker(Marker::Wait), w("treat").marker(Marker::Treat),
    w("treated").marker(Marker::Treat), w("sure").marker(Marker::Sure),
    w("got").marker(Marker::Got),
    w("order").roles(PURCHASE), w("purchase").roles(PURCHASE), w("booking").roles(PURCHASE),
    w("coming").roles(RETURNING), w("come").roles(RETURNING), w("be").roles(RETURNING),
    w("definitely").roles(SURE), w("definately").roles(SURE), w("defo").roles(SURE),
    w("deffo").roles(SURE), w("surely").roles(SURE), w("def").roles(SURE),
    // "throttled"; "nakakainis" (Tagalog: so annoying), "mazaak"; "the rider cancelled on
    // me"; "it was supposed to arrive Monday"; "you guys rock"; "5th time".
    w("throttled").v(-1.5), w("throttling").v(-1.5), w("nakakainis").v(-2.0),
    w("mazaak").v(-1.5), w("cancelled").roles(STRANDED), w("canceled").roles(STRANDED),
    w("bailed").roles(STRANDED), w("flaked").roles(STRANDED),
    w("supposed").marker(Marker::Supposed), w("rock").marker(Marker::Rock),
    w("rocks").marker(Marker::Rock), w("guys").marker(Marker::Guys), w("5th").roles(REPEAT),
    w("6th").roles(REPEAT), w("late").marker(Marker::Late), w("was").roles(PAST),
    w("were").roles(PAST),
    // "I'd love to book"; "sorry to bother you"; "kind regards"; "the GOAT"; "chuffed",
    // "ghosted", "bleeding", "it's mid"; "following up for the fifth time"; "2 hours
    // waiting"; "why does it say delivered"; French, Italian and German praise and
    // complaints ("inadmissible", "pessimo servizio", "grazie mille", "bravissimo",
    // "danke").
    w("love").marker(Marker::Love), w("i'd").roles(WISH), w("we'd").roles(WISH),
    w("would").roles(WISH), w("sorry").marker(Marker::Sorry), w("bother").roles(COURTESY),
    w("bothering").roles(COURTESY), w("trouble").roles(COURTESY),
    w("inconvenience").roles(COURTESY), w("disturb").roles(COURTESY),
    w("regards").marker(Marker::Regards), w("goat").marker(Marker::Goat),
    w("chuffed").v(2.5), w("ghosted").v(-2.0), w("bleeding").v(-1.5),
    w("mid").v(-1.5).roles(DESCRIBED), w("following").roles(CONTACT),
    w("follow").roles(CONTACT), w("say").marker(Marker::Says),
    w("inadmissible").v(-2.5), w("nul").v(-2.0), w("pessimo").v(-3.0), w("pessima").v(-3.0),
    w("bravissimo").v(2.5), w("bravissima").v(2.5), w("stupendo").v(2.5),
    w("stupende").v(2.5), w("stupenda").v(2.5), w("grazie").v(0.8).marker(Marker::Thanks),
    w("danke").v(0.8).marker(Marker::Thanks),
    // "kindly share the receipt" (a courtesy); "nobody even contacted me"; Tagalog "isang
    // buwan na" (a month already), "hindi ko natanggap" (I didn't receive); Hindi
    // "dhanyavaad", "bahut badhiya"; "scammers"; "well deserved".
    w("kindly").v(0.0), w("contacted").when_negated(-1.2), w("buwan").marker(Marker::Duration),
    w("isang").roles(COUNT), w("dalawang").roles(COUNT),
    w("natanggap").when_negated(-1.5), w("dhanyavaad").v(0.8).marker(Marker::Thanks),
    w("dhanyawad").v(0.8).marker(Marker::Thanks), w("badhiya").v(2.0), w("badiya").v(2.0),
    w("scammers").v(-2.7), w("scammer").v(-2.7), w("deserved").marker(Marker::Deserved),
    // "without any warning"; "does the warranty cover water damage"; "keep doing what ur
    // doing"; "honestly" only emphasises.
    w("warning").when_negated(-1.2), w("cover").roles(COVERS), w("covers").roles(COVERS),
    w("include").roles(COVERS), w("includes").roles(COVERS), w("doing").marker(Marker::Doing),
    w("honestly").v(0.0), w("lifesavers").v(2.8), w("saves").marker(Marker::Saves),
    w("saved").marker(Marker::Saves), w("saving").marker(Marker::Saves),
    // Misfortunes named to get help ("had an accident, what do I need for the claim",
    // "flowers for a funeral", "photos of the water damage", "is the bus running with the
    // strike?") are events, not a feeling about the business: the feeling is in the words
    // around them ("a terrible accident"). Days of "leave" are not leaving.
    w("accident").v(0.0).roles(MISHAP), w("accidents").v(0.0).roles(MISHAP),
    w("damage").v(0.0).when_negated(1.0).roles(MISHAP), w("fire").v(0.0).roles(MISHAP),
    w("funeral").v(0.0).roles(MISHAP), w("death").v(0.0).roles(MISHAP),
    w("injury").v(0.0).roles(MISHAP), w("emergency").v(0.0).roles(MISHAP),
    w("burglary").v(0.0).roles(MISHAP), w("strike").v(0.0).roles(MISHAP), w("leave").v(0.0),
    // "way less stressful" (turned around as "least" is); "submitted the same documents FOUR times";
    // "very kind of your team"; Portuguese "absurdo", "muito insatisfeita"; Spanish "sin"
    // (without).
    w("less").marker(Marker::Least), w("submitted").roles(CONTACT), w("uploaded").roles(CONTACT),
    w("your").roles(ADDRESSEE), w("absurdo").v(-2.0), w("insatisfeita").v(-2.0),
    w("insatisfeito").v(-2.0), w("sin").v(0.0),
    // Tweets: "can't come soon enough" is eager, "could've been worse" relieved, "so
    // ready" eager, "let's go" and "Go Hawks" cheer.
    w("soon").roles(SOON), w("sooner").roles(SOON),
    w("fast").roles(SOON), w("quick").roles(SOON), w("quickly").roles(SOON),
    w("worse").marker(Marker::Worse), w("ready").marker(Marker::Ready),
    w("go").marker(Marker::Go), w("let's").marker(Marker::Lets), w("lets").marker(Marker::Lets),
    // "scary good", "stupid fast", "insanely good", "ridiculously cheap".
    w("scary").roles(DEGREE), w("scarily").roles(DEGREE), w("crazy").roles(DEGREE),
    w("stupid").roles(DEGREE), w("stupidly").roles(DEGREE), w("insanely").roles(DEGREE),
    w("insane").roles(DEGREE), w("ridiculously").roles(DEGREE), w("wicked").roles(DEGREE),
    w("sick").roles(DEGREE), w("dead").roles(DEGREE), w("terribly").roles(DEGREE),
    w("awfully").roles(DEGREE), w("freakishly").roles(DEGREE), w("obscenely").roles(DEGREE),
    w("criminally").roles(DEGREE), w("disgustingly").roles(DEGREE), w("damn").roles(DEGREE),
];

/// A fast, deterministic hasher for the short lower-case keys (FxHash's mixing step).
#[derive(Default)]
pub(super) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }
}

/// Every known word, by its lower-case bytes.
pub(super) struct Lexicon {
    entries: HashMap<&'static [u8], Entry, BuildHasherDefault<WordHasher>>,
}

impl Lexicon {
    /// The entry of a lower-case word, if the lexicon knows it.
    pub(super) fn get(&self, word: &[u8]) -> Option<&Entry> {
        self.entries.get(word)
    }

    fn build() -> Self {
        let mut entries: HashMap<&'static [u8], Entry, BuildHasherDefault<WordHasher>> =
            HashMap::with_capacity_and_hasher(8192, BuildHasherDefault::default());
        for line in VADER_LEXICON.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(word), Some(valence)) = (fields.next(), fields.next()) else {
                continue;
            };
            let Ok(valence) = valence.trim().parse::<f32>() else {
                continue;
            };
            // A later line wins, as in Python VADER's dictionary.
            entries.insert(
                word.as_bytes(),
                Entry {
                    valence,
                    ..Entry::default()
                },
            );
        }
        // The other lexicons fill gaps only: VADER's valence wins where both rate a word.
        for (list, scale) in [
            (AFINN_EXTRA, AFINN_TO_VADER),
            (PATTERN_EXTRA, PATTERN_TO_VADER),
        ] {
            for (word, valence) in list.lines().filter_map(|line| line.split_once('\t')) {
                let Ok(valence) = valence.trim().parse::<f32>() else {
                    continue;
                };
                entries.entry(word.as_bytes()).or_insert(Entry {
                    valence: valence * scale,
                    ..Entry::default()
                });
            }
        }
        for &word in NEGATORS {
            entries.entry(word.as_bytes()).or_default().roles |= NEGATOR;
        }
        for &(word, booster) in BOOSTERS {
            entries.entry(word.as_bytes()).or_default().booster = booster;
        }
        for line in CHAT {
            let entry = entries.entry(line.word.as_bytes()).or_default();
            if let Some(valence) = line.valence {
                entry.valence = valence;
            }
            if line.negated != 0.0 {
                entry.negated = line.negated;
            }
            if line.marker != Marker::None {
                entry.marker = line.marker;
            }
            entry.roles |= line.roles;
        }
        Self { entries }
    }
}

/// The lexicon, built on first use and shared after that.
pub(super) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vader_words_load_with_their_valence() {
        let lexicon = lexicon();
        assert!(lexicon.entries.len() > 7000);
        let check = |word: &str, expected: f32| {
            let entry = lexicon.get(word.as_bytes()).copied().unwrap_or_default();
            assert_eq!(entry.valence, expected, "{word}");
        };
        check("great", 3.1);
        check("heart", 3.2);
        check("lol", 1.8);
        check("ok", 0.0);
        check("thanks", 0.8);
        check("slow", -1.5);
        check("qwertyuiop", 0.0);
    }

    /// The tokeniser looks words up in lower case: a word written otherwise here would never
    /// be found.
    #[test]
    fn every_chat_word_is_lower_case() {
        for line in CHAT {
            assert!(
                line.word.chars().all(|c| c.is_ascii_lowercase()
                    || c.is_ascii_digit()
                    || c == '\''
                    || (!c.is_ascii() && c.is_alphabetic() && c.to_lowercase().eq([c]))),
                "{}",
                line.word
            );
        }
    }
}
