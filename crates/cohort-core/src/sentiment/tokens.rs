//! The hand-written tokeniser: splits chat text into words, emoji, emoticons, laughter,
//! numbers and clause or sentence breaks, looking each word up in the lexicon as it goes.
//!
//! Words are lower-cased into a buffer on the stack and looked up by bytes, so scoring a
//! message allocates nothing. Elongated words ("sooo", "gooood", "slowww") are found by
//! collapsing repeated letters when the word itself is unknown.

use super::lexicon::{Entry, Lexicon, Marker, role};
use super::symbols;

/// The longest word looked up; longer ones are unknown.
const MAX_WORD: usize = 32;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) enum Kind {
    /// A word (known or not); its entry is in `Token::entry`.
    #[default]
    Word,
    /// An emoji, emoticon or rating, whose valence is in `Token::entry.valence`.
    Symbol,
    /// "haha", "lol", 😂: its valence is in `Token::entry.valence`.
    Laughter,
    /// A whole number ("5" in "5 stars").
    Number(u32),
}

/// One token with what the lexicon knows about it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Token {
    pub kind: Kind,
    pub entry: Entry,
    /// Written in capitals, at least two letters ("GREAT").
    pub caps: bool,
    /// Written with a letter held for three or more ("sooo").
    pub elongated: bool,
    /// Ends in "ing" ("keeps crashing").
    pub ends_ing: bool,
    /// Written with a capital first letter and lower-case after it ("Good", "McDonald's").
    pub title: bool,
    /// Written between double quotes ("the "express" shipping"): scare quotes.
    pub quoted: bool,
}

/// Where a clause or a sentence ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Break {
    /// A comma, semicolon, colon or bracket: negation and boosters stop here.
    Clause,
    /// A full stop, an exclamation mark or a new line.
    Sentence,
    /// A question mark.
    Question,
}

/// What the tokeniser hands the rules, in order.
pub(super) enum Event {
    Token(Token),
    Break(Break),
}

/// Where a token or break is in the text, in bytes: `text[start..end]` is it as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    fn at(start: usize, length: usize) -> Self {
        Span {
            start,
            end: start + length,
        }
    }
}

/// How many exclamation and question marks the text holds (they emphasise, never create,
/// sentiment), and where its first emoji without a valence of its own is ("✈️", "🇯🇵",
/// "👩🏽‍💻", with its modifiers).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Marks {
    pub exclamations: u32,
    pub questions: u32,
    pub picture: Option<Span>,
}

/// Splits `text` into events, handing each to `sink` with where it is; returns the text's
/// marks.
pub(super) fn tokenize(text: &str, lexicon: &Lexicon, sink: &mut impl FnMut(Event, Span)) -> Marks {
    let mut tokenizer = Tokenizer {
        lexicon,
        sink,
        marks: Marks::default(),
        offset: 0,
        quotes: Quotes::of(text),
    };
    let bytes = text.as_bytes();
    let mut position = 0;
    while position < bytes.len() {
        let start = position;
        while position < bytes.len() && !bytes.get(position).is_some_and(u8::is_ascii_whitespace) {
            position += 1;
        }
        if let Some(run) = text.get(start..position)
            && !run.is_empty()
        {
            tokenizer.offset = start;
            tokenizer.run(run);
        }
        let mut new_line = None;
        while let Some(&byte) = bytes.get(position) {
            if !byte.is_ascii_whitespace() {
                break;
            }
            if byte == b'\n' {
                new_line.get_or_insert(position);
            }
            position += 1;
        }
        if let Some(at) = new_line {
            (tokenizer.sink)(Event::Break(Break::Sentence), Span::at(at, 1));
        }
    }
    tokenizer.marks
}

struct Tokenizer<'a, F> {
    lexicon: &'a Lexicon,
    sink: &'a mut F,
    marks: Marks,
    /// Where the current run starts in the text.
    offset: usize,
    quotes: Quotes,
}

/// The spans between pairs of double quotes (`"…"` or `“…”`), at most `Quotes::MAX`, each
/// at most `Quotes::LONGEST` bytes: scare quotes and names ("the "24h support" line", "the
/// "worry free" plan"), not quoted speech.
#[derive(Default)]
struct Quotes {
    spans: [(usize, usize); Quotes::MAX],
    count: usize,
}

impl Quotes {
    const MAX: usize = 4;
    const LONGEST: usize = 40;

    fn of(text: &str) -> Self {
        let mut quotes = Quotes::default();
        let mut open = None;
        for (at, character) in text.char_indices() {
            if !matches!(character, '"' | '\u{201C}' | '\u{201D}') {
                continue;
            }
            match open.take() {
                None => open = Some(at),
                Some(start) => {
                    if at - start <= Self::LONGEST
                        && let Some(slot) = quotes.spans.get_mut(quotes.count)
                    {
                        *slot = (start, at);
                        quotes.count += 1;
                    }
                }
            }
        }
        quotes
    }

    /// Whether the word at `start` in the text is inside a pair of quotes.
    fn contain(&self, start: usize) -> bool {
        self.spans
            .iter()
            .take(self.count)
            .any(|&(open, close)| open < start && start < close)
    }
}

impl<F: FnMut(Event, Span)> Tokenizer<'_, F> {
    /// One run of text between ASCII white space.
    fn run(&mut self, run: &str) {
        // A link names a place; it says nothing, and its dots and colons are no breaks.
        let lower_prefix = |prefix: &str| {
            run.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        };
        if lower_prefix("http://") || lower_prefix("https://") || lower_prefix("www.") {
            return;
        }
        // An emoticon escaped for HTML ("&lt;3" is "<3") is still the emoticon.
        if let Some(valence) = symbols::emoticon(run).or_else(|| symbols::escaped_emoticon(run)) {
            self.emit_symbol(
                Kind::Symbol,
                valence,
                Marker::None,
                Span::at(self.offset, run.len()),
            );
            return;
        }
        if let Some(start) = symbols::glued_emoticon_start(run)
            && let (Some(before), Some(emoticon)) = (run.get(..start), run.get(start..))
        {
            self.characters(before);
            if let Some(valence) = symbols::emoticon(emoticon) {
                let span = Span::at(self.offset + start, emoticon.len());
                self.emit_symbol(Kind::Symbol, valence, Marker::None, span);
            }
            return;
        }
        self.characters(run);
    }

    /// Words, emoji and punctuation within a run.
    fn characters(&mut self, run: &str) {
        let mut word_start: Option<usize> = None;
        let mut characters = run.char_indices().peekable();
        let mut previous = '\0';
        while let Some((index, character)) = characters.next() {
            let next = characters.peek().map_or('\0', |&(_, next)| next);
            let in_number = previous.is_ascii_digit() && next.is_ascii_digit();
            let is_word_character = character.is_ascii_alphanumeric()
                || character == '\''
                || character == '\u{2019}'
                || (in_number && matches!(character, '.' | ',' | ':' | '/'))
                || (!character.is_ascii() && character.is_alphabetic());
            previous = character;
            if is_word_character {
                word_start.get_or_insert(index);
                continue;
            }
            if let Some(start) = word_start.take()
                && let Some(word) = run.get(start..index)
            {
                let hashtag = start > 0 && run.as_bytes().get(start - 1) == Some(&b'#');
                let quoted = self.quotes.contain(self.offset + start);
                self.word(word, self.offset + start, hashtag, quoted);
            }
            let span = Span::at(self.offset + index, character.len_utf8());
            // An @handle names an account and an HTML entity ("&amp;", "&gt;") escapes a
            // character: neither is a word ("gt" would read as "good times").
            if character == '@' && (next.is_ascii_alphanumeric() || next == '_') {
                while characters
                    .next_if(|&(_, c)| c.is_ascii_alphanumeric() || c == '_')
                    .is_some()
                {}
                continue;
            }
            if character == '&'
                && let Some(length) = run.get(index..).and_then(symbols::html_entity)
            {
                while characters.next_if(|&(at, _)| at < index + length).is_some() {}
                continue;
            }
            match character {
                '!' => {
                    self.marks.exclamations += 1;
                    (self.sink)(Event::Break(Break::Sentence), span);
                }
                '?' => {
                    self.marks.questions += 1;
                    (self.sink)(Event::Break(Break::Question), span);
                }
                '.' | '\u{2026}' => (self.sink)(Event::Break(Break::Sentence), span),
                ',' | ';' | ':' | '(' | ')' | '[' | ']' | '\u{2013}' | '\u{2014}' => {
                    (self.sink)(Event::Break(Break::Clause), span);
                }
                _ if character.is_ascii() => {}
                _ if symbols::is_modifier(character) => {
                    self.extend_picture(span);
                }
                _ => {
                    if let Some(valence) = symbols::emoji(character) {
                        let kind = if symbols::is_laughing(character) {
                            Kind::Laughter
                        } else {
                            Kind::Symbol
                        };
                        let marker = if symbols::is_approving(character) {
                            Marker::Approval
                        } else if symbols::is_ironic(character) {
                            Marker::Irony
                        } else if symbols::is_crying(character) {
                            Marker::Tears
                        } else {
                            Marker::None
                        };
                        self.emit_symbol(kind, valence, marker, span);
                    } else if symbols::is_pictograph(character) && !self.extend_picture(span) {
                        self.marks.picture.get_or_insert(span);
                    }
                }
            }
        }
        if let Some(start) = word_start
            && let Some(word) = run.get(start..)
        {
            let hashtag = start > 0 && run.as_bytes().get(start - 1) == Some(&b'#');
            let quoted = self.quotes.contain(self.offset + start);
            self.word(word, self.offset + start, hashtag, quoted);
        }
    }

    /// Extends the first emoji without a valence over `span` when `span` follows it
    /// directly (the second half of a flag, a skin tone, a joiner and what it joins), so
    /// that an explanation shows "🇵🇹", not half of it; whether it did.
    fn extend_picture(&mut self, span: Span) -> bool {
        match &mut self.marks.picture {
            Some(picture) if picture.end == span.start => {
                picture.end = span.end;
                true
            }
            _ => false,
        }
    }

    fn emit_symbol(&mut self, kind: Kind, valence: f32, marker: Marker, span: Span) {
        let token = Token {
            kind,
            entry: Entry {
                valence,
                marker,
                ..Entry::default()
            },
            ..Token::default()
        };
        (self.sink)(Event::Token(token), span);
    }

    /// One word (letters, digits and apostrophes; or a number such as "10/10") that starts
    /// at `start` in the text.
    /// A hashtag's capitals are its style, not a name's ("#GoodVibes"); one that is no word
    /// is read as two when it splits into two known words ("#notgood", "#greatday").
    /// `quoted` when double quotes surround it; single quotes around it ('fresh') count
    /// too.
    fn word(&mut self, word: &str, start: usize, hashtag: bool, quoted: bool) {
        let is_quote = |c| c == '\'' || c == '\u{2019}' || c == '\u{2018}';
        let unquoted = word.trim_start_matches(is_quote);
        let opened = unquoted.len() < word.len();
        let start = start + (word.len() - unquoted.len());
        let word = unquoted.trim_end_matches(is_quote);
        let quoted = quoted || (opened && word.len() < unquoted.len());
        if word.is_empty() {
            return;
        }
        let mut token = if word.bytes().all(|b| b.is_ascii_digit()) {
            number(word)
        } else if word.contains('/') {
            rating(word)
        } else {
            self.lexical(word)
        };
        if hashtag {
            token.title = false;
            if token.kind == Kind::Word
                && token.entry == Entry::default()
                && let Some(at) = self.split(word)
                && let (Some(first), Some(second)) = (word.get(..at), word.get(at..))
            {
                for (part, offset) in [(first, 0), (second, at)] {
                    let mut token = self.lexical(part);
                    token.title = false;
                    (self.sink)(Event::Token(token), Span::at(start + offset, part.len()));
                }
                return;
            }
        }
        token.quoted = quoted;
        (self.sink)(Event::Token(token), Span::at(start, word.len()));
    }

    /// Where an unknown hashtag splits into two words the lexicon knows, at least one of
    /// them carrying sentiment or negating ("notgood" → "not" + "good"); the longest first
    /// word wins.
    fn split(&self, word: &str) -> Option<usize> {
        let bytes = word.as_bytes();
        if bytes.len() > MAX_WORD || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let mut lower = [0u8; MAX_WORD];
        let lower = lower.get_mut(..bytes.len())?;
        for (slot, byte) in lower.iter_mut().zip(bytes) {
            *slot = byte.to_ascii_lowercase();
        }
        if self.lexicon.get(lower).is_some() {
            return None;
        }
        let carries = |entry: &Entry| {
            entry.valence != 0.0 || entry.booster != 0.0 || entry.roles & role::NEGATOR != 0
        };
        (2..bytes.len().saturating_sub(1)).rev().find(|&at| {
            let (first, second) = lower.split_at(at);
            match (self.lexicon.get(first), self.lexicon.get(second)) {
                (Some(first), Some(second)) => carries(first) || carries(second),
                _ => false,
            }
        })
    }

    fn lexical(&self, word: &str) -> Token {
        // A capital then digits names a road or a seat ("the N1", "seat B12"), not the chat
        // slang "n1" (nice one).
        if let [first, rest @ ..] = word.as_bytes()
            && first.is_ascii_uppercase()
            && !rest.is_empty()
            && rest.iter().all(u8::is_ascii_digit)
        {
            return Token::default();
        }
        let mut buffer = [0u8; MAX_WORD];
        let mut length = 0;
        let mut letters = 0;
        let mut capitals = 0;
        let initial_capital = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
        for character in word.chars() {
            let byte = match character {
                '\u{2019}' => b'\'',
                c if c.is_ascii() => c as u8,
                // Other letters in lower case, as UTF-8 ("pésimo", "lỗi").
                c => {
                    for lower in c.to_lowercase() {
                        let width = lower.len_utf8();
                        let Some(slot) = buffer.get_mut(length..length + width) else {
                            return Token::default();
                        };
                        lower.encode_utf8(slot);
                        length += width;
                    }
                    continue;
                }
            };
            let Some(slot) = buffer.get_mut(length) else {
                return Token::default();
            };
            letters += usize::from(byte.is_ascii_alphabetic());
            capitals += usize::from(byte.is_ascii_uppercase());
            *slot = byte.to_ascii_lowercase();
            length += 1;
        }
        let lower = buffer.get(..length).unwrap_or_default();
        let mut token = Token {
            caps: letters >= 2 && capitals == letters,
            title: initial_capital && capitals < letters,
            ends_ing: lower.ends_with(b"ing"),
            ..Token::default()
        };
        if let Some(valence) = symbols::laughter(lower) {
            token.kind = Kind::Laughter;
            token.entry.valence = valence;
            return token;
        }
        if let Some(entry) = self.lexicon.get(lower) {
            token.entry = *entry;
            return token;
        }
        self.elongated(lower, token)
    }

    /// Tries the collapsed forms of an unknown word with repeated letters: runs of three or
    /// more cut to two ("gooood" → "good") and to one ("sooo" → "so"), then every run cut
    /// to one ("sooorryyy" → "sory" is no word, so nothing); a doubled last letter alone
    /// ("hii", "lovee") is cut to one.
    fn elongated(&self, lower: &[u8], mut token: Token) -> Token {
        let longest_run = runs(lower).map(|(_, length)| length).max().unwrap_or(0);
        let trailing_run = runs(lower).last().map_or(0, |(_, length)| length);
        let mut candidates: [Option<([u8; MAX_WORD], usize)>; 3] = [None; 3];
        if longest_run >= 3 {
            candidates[0] = Some(collapse(
                lower,
                |length| if length >= 3 { 2 } else { length },
            ));
            candidates[1] = Some(collapse(
                lower,
                |length| if length >= 3 { 1 } else { length },
            ));
            candidates[2] = Some(collapse(lower, |_| 1));
        } else if trailing_run == 2 {
            // The doubled last letter cut to one: the word less its last byte.
            let shorter = lower.len().saturating_sub(1);
            candidates[0] = Some(collapse(
                lower.get(..shorter).unwrap_or_default(),
                |length| length,
            ));
        }
        for (buffer, length) in candidates.iter().flatten() {
            let Some(candidate) = buffer.get(..*length) else {
                continue;
            };
            if let Some(valence) = symbols::laughter(candidate) {
                token.kind = Kind::Laughter;
                token.entry.valence = valence + 0.3;
                return token;
            }
            if let Some(entry) = self.lexicon.get(candidate) {
                token.entry = *entry;
                token.elongated = longest_run >= 3;
                if token.elongated {
                    emphatic_interjection(&mut token.entry);
                }
                return token;
            }
        }
        token
    }
}

/// A held "yesss" cheers and a held "nooo" despairs; neither is a plain answer any more.
fn emphatic_interjection(entry: &mut Entry) {
    match entry.marker {
        Marker::Yes => entry.valence = 1.5,
        Marker::No => {
            entry.valence = -1.5;
            entry.roles &= !(role::NEGATOR | role::FILLER);
        }
        _ => {}
    }
}

/// The runs of equal bytes in `word`: (byte, length).
fn runs(word: &[u8]) -> impl Iterator<Item = (u8, usize)> + '_ {
    let mut rest = word;
    std::iter::from_fn(move || {
        let (&first, _) = rest.split_first()?;
        let length = rest.iter().take_while(|&&b| b == first).count();
        rest = rest.get(length..).unwrap_or_default();
        Some((first, length))
    })
}

/// `word` with each run of equal bytes cut to the length `keep` gives it.
fn collapse(word: &[u8], mut keep: impl FnMut(usize) -> usize) -> ([u8; MAX_WORD], usize) {
    let mut buffer = [0u8; MAX_WORD];
    let mut length = 0;
    for (byte, run) in runs(word) {
        for _ in 0..keep(run).min(run) {
            if let Some(slot) = buffer.get_mut(length) {
                *slot = byte;
                length += 1;
            }
        }
    }
    (buffer, length)
}

/// A whole number; 0 negates as "no" does ("0 lag").
fn number(digits: &str) -> Token {
    let value = digits.parse().unwrap_or(u32::MAX);
    let mut token = Token {
        kind: Kind::Number(value),
        ..Token::default()
    };
    if value == 0 {
        token.entry.roles |= role::NEGATOR;
    }
    token
}

/// "10/10" and friends; any other number with slashes ("3/10/2024") is neutral.
fn rating(word: &str) -> Token {
    let mut parts = word.split('/');
    let valence = match (parts.next(), parts.next(), parts.next()) {
        (Some(score), Some(out_of), None) => match (score.parse(), out_of.parse()) {
            (Ok(score), Ok(out_of)) => symbols::rating(score, out_of),
            _ => None,
        },
        _ => None,
    };
    match valence {
        Some(valence) => Token {
            kind: Kind::Symbol,
            entry: Entry {
                valence,
                ..Entry::default()
            },
            ..Token::default()
        },
        None => Token::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(text, lexicon(), &mut |event, _| {
            out.push(match event {
                Event::Token(token) => match token.kind {
                    Kind::Word => format!("w{}", token.entry.valence),
                    Kind::Symbol => format!("s{}", token.entry.valence),
                    Kind::Laughter => "laugh".to_owned(),
                    Kind::Number(n) => format!("n{n}"),
                },
                Event::Break(Break::Clause) => ",".to_owned(),
                Event::Break(Break::Sentence) => ".".to_owned(),
                Event::Break(Break::Question) => "?".to_owned(),
            });
        });
        out
    }

    #[test]
    fn tokens_cover_words_emoji_emoticons_and_breaks() {
        let check = |text: &str, expected: &[&str]| assert_eq!(kinds(text), expected, "{text:?}");
        check("great!", &["w3.1", "."]);
        check("GREAT, thanks", &["w3.1", ",", "w0.8"]);
        check("👍🏽 ❤️", &["s1.8", "s3"]);
        check("thanks:)", &["w0.8", "s2"]);
        check(":-(", &["s-2"]);
        check("hahahaha lolll", &["laugh", "laugh"]);
        check("sooo gooood", &["w0", "w1.9"]);
        check("slowww", &["w-1.5"]);
        check("10/10 at 3/10/2024", &["s3", "w0", "w0"]);
        check("5 stars", &["n5", "w0"]);
        check("don’t", &["w0"]);
        check("12:30\nok", &["w0", ".", "w0"]);
        check("", &[]);
    }

    #[test]
    fn held_letters_mark_a_word_elongated() {
        let mut tokens = Vec::new();
        tokenize("sooo hii yesss nooo", lexicon(), &mut |event, _| {
            if let Event::Token(token) = event {
                tokens.push((token.elongated, token.entry.valence));
            }
        });
        assert_eq!(
            tokens,
            [(true, 0.0), (false, 0.0), (true, 1.5), (true, -1.5)]
        );
    }

    #[test]
    fn every_event_knows_where_it_is_written() {
        let text = "'Sooo' slow!! 👍🏽 thanks:) 10/10\nok";
        let mut written = Vec::new();
        tokenize(text, lexicon(), &mut |_, span| {
            written.push(text.get(span.start..span.end).unwrap_or("?").to_owned());
        });
        assert_eq!(
            written,
            [
                "Sooo", "slow", "!", "!", "👍", "thanks", ":)", "10/10", "\n", "ok"
            ]
        );
    }
}
