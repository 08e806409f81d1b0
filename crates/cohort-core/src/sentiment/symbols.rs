//! Sentiment carried by symbols rather than words: emoji, ASCII emoticons, laughter
//! ("hahaha", "lol") and ratings ("10/10", "5 stars"), on VADER's scale.

/// Emoji and their valence, sorted by code point for binary search. Variation selectors,
/// skin tones and joiners are skipped by the tokeniser, so "👍🏽" and "❤️" find their base.
#[rustfmt::skip]
const EMOJI: &[(char, f32)] = &[
    ('\u{2639}', -1.8), // ☹ frowning face
    ('\u{263A}', 2.0),  // ☺ smiling face
    ('\u{2665}', 2.5),  // ♥ heart suit
    ('\u{26A0}', -0.5), // ⚠ warning
    ('\u{2705}', 1.0),  // ✅ check mark
    ('\u{270C}', 1.2),  // ✌ victory hand
    ('\u{2728}', 1.0),  // ✨ sparkles
    ('\u{274C}', -1.0), // ❌ cross mark
    ('\u{2763}', 2.5),  // ❣ heart exclamation
    ('\u{2764}', 3.0),  // ❤ red heart
    ('\u{2B50}', 1.0),  // ⭐ star
    ('\u{1F31F}', 1.5), // 🌟 glowing star
    ('\u{1F339}', 1.5), // 🌹 rose
    ('\u{1F37E}', 1.5), // 🍾 champagne
    ('\u{1F382}', 1.2), // 🎂 birthday cake
    ('\u{1F389}', 2.0), // 🎉 party popper
    ('\u{1F38A}', 2.0), // 🎊 confetti ball
    ('\u{1F44C}', 1.8), // 👌 OK hand
    ('\u{1F44D}', 1.8), // 👍 thumbs up
    ('\u{1F44E}', -1.8), // 👎 thumbs down
    ('\u{1F44F}', 1.8), // 👏 clapping hands
    ('\u{1F490}', 1.5), // 💐 bouquet
    ('\u{1F493}', 2.5), // 💓 beating heart
    ('\u{1F494}', -2.5), // 💔 broken heart
    ('\u{1F495}', 2.5), // 💕 two hearts
    ('\u{1F496}', 2.5), // 💖 sparkling heart
    ('\u{1F497}', 2.5), // 💗 growing heart
    ('\u{1F498}', 2.5), // 💘 heart with arrow
    ('\u{1F499}', 2.5), // 💙 blue heart
    ('\u{1F49A}', 2.5), // 💚 green heart
    ('\u{1F49B}', 2.5), // 💛 yellow heart
    ('\u{1F49C}', 2.5), // 💜 purple heart
    ('\u{1F49D}', 2.5), // 💝 heart with ribbon
    ('\u{1F49E}', 2.5), // 💞 revolving hearts
    ('\u{1F4A9}', -1.5), // 💩 pile of poo
    ('\u{1F4AA}', 1.5), // 💪 flexed biceps
    ('\u{1F4AF}', 2.0), // 💯 hundred points
    ('\u{1F525}', 1.2), // 🔥 fire (praise in chat)
    ('\u{1F595}', -2.5), // 🖕 middle finger
    ('\u{1F600}', 2.0), // 😀 grinning face
    ('\u{1F601}', 2.0), // 😁 beaming face
    ('\u{1F602}', 2.0), // 😂 tears of joy
    ('\u{1F603}', 2.0), // 😃 grinning face, big eyes
    ('\u{1F604}', 2.0), // 😄 grinning face, smiling eyes
    ('\u{1F605}', 0.8), // 😅 grinning face with sweat
    ('\u{1F606}', 2.0), // 😆 grinning squinting face
    ('\u{1F607}', 1.5), // 😇 halo
    ('\u{1F609}', 1.5), // 😉 winking face
    ('\u{1F60A}', 2.0), // 😊 smiling eyes
    ('\u{1F60B}', 2.0), // 😋 savouring food
    ('\u{1F60C}', 1.0), // 😌 relieved
    ('\u{1F60D}', 3.0), // 😍 heart eyes
    ('\u{1F60E}', 1.5), // 😎 sunglasses
    ('\u{1F60F}', 0.3), // 😏 smirk
    ('\u{1F610}', -0.3), // 😐 neutral face
    ('\u{1F611}', -0.8), // 😑 expressionless
    ('\u{1F612}', -1.5), // 😒 unamused
    ('\u{1F613}', -1.0), // 😓 downcast with sweat
    ('\u{1F614}', -1.5), // 😔 pensive
    ('\u{1F615}', -1.2), // 😕 confused
    ('\u{1F616}', -1.8), // 😖 confounded
    ('\u{1F618}', 2.5), // 😘 blowing a kiss
    ('\u{1F619}', 1.5), // 😙 kissing, smiling eyes
    ('\u{1F61A}', 1.5), // 😚 kissing, closed eyes
    ('\u{1F61B}', 1.5), // 😛 tongue
    ('\u{1F61C}', 1.5), // 😜 winking with tongue
    ('\u{1F61D}', 1.5), // 😝 squinting with tongue
    ('\u{1F61E}', -1.8), // 😞 disappointed
    ('\u{1F61F}', -1.5), // 😟 worried
    ('\u{1F620}', -2.5), // 😠 angry
    ('\u{1F621}', -3.0), // 😡 pouting (rage)
    ('\u{1F622}', -2.0), // 😢 crying
    ('\u{1F623}', -1.8), // 😣 persevering
    ('\u{1F624}', -2.2), // 😤 steam from nose
    ('\u{1F625}', -1.5), // 😥 sad but relieved
    ('\u{1F626}', -1.2), // 😦 frowning, open mouth
    ('\u{1F627}', -1.5), // 😧 anguished
    ('\u{1F628}', -1.8), // 😨 fearful
    ('\u{1F629}', -2.0), // 😩 weary
    ('\u{1F62A}', -1.0), // 😪 sleepy
    ('\u{1F62B}', -2.0), // 😫 tired
    ('\u{1F62C}', -0.8), // 😬 grimacing
    ('\u{1F62D}', -2.0), // 😭 loudly crying
    ('\u{1F630}', -1.8), // 😰 anxious with sweat
    ('\u{1F631}', -1.8), // 😱 screaming in fear
    ('\u{1F633}', -0.3), // 😳 flushed
    ('\u{1F635}', -1.2), // 😵 dizzy
    ('\u{1F638}', 2.0), // 😸 grinning cat
    ('\u{1F639}', 2.0), // 😹 cat with tears of joy
    ('\u{1F63A}', 2.0), // 😺 grinning cat
    ('\u{1F63B}', 3.0), // 😻 heart-eyes cat
    ('\u{1F63E}', -2.0), // 😾 pouting cat
    ('\u{1F63F}', -2.0), // 😿 crying cat
    ('\u{1F641}', -1.8), // 🙁 slightly frowning
    ('\u{1F642}', 1.2), // 🙂 slightly smiling
    ('\u{1F643}', -0.8), // 🙃 upside-down face: irony in chat ("moved AGAIN 🙃")
    ('\u{1F644}', -1.5), // 🙄 rolling eyes
    ('\u{1F64C}', 2.0), // 🙌 raising hands
    ('\u{1F64F}', 1.5), // 🙏 folded hands (thanks, please)
    ('\u{1F90D}', 2.5), // 🤍 white heart
    ('\u{1F90E}', 2.5), // 🤎 brown heart
    ('\u{1F911}', 0.8), // 🤑 money-mouth
    ('\u{1F914}', -0.2), // 🤔 thinking
    ('\u{1F917}', 2.0), // 🤗 hugging
    ('\u{1F918}', 1.5), // 🤘 sign of the horns
    ('\u{1F91D}', 1.2), // 🤝 handshake
    ('\u{1F91E}', 1.0), // 🤞 crossed fingers
    ('\u{1F921}', -1.5), // 🤡 clown face (mockery)
    ('\u{1F922}', -2.2), // 🤢 nauseated
    ('\u{1F923}', 2.0), // 🤣 rolling on the floor laughing
    ('\u{1F924}', 1.2), // 🤤 drooling
    ('\u{1F926}', -1.5), // 🤦 facepalm
    ('\u{1F929}', 2.8), // 🤩 star-struck
    ('\u{1F92C}', -3.0), // 🤬 cursing
    ('\u{1F92E}', -2.5), // 🤮 vomiting
    ('\u{1F970}', 3.0), // 🥰 smiling with hearts
    ('\u{1F971}', -0.8), // 🥱 yawning
    ('\u{1F972}', 0.5), // 🥲 smiling with tear
    ('\u{1F973}', 2.5), // 🥳 partying
    ('\u{1F979}', 1.5), // 🥹 holding back tears
    ('\u{1F97A}', -0.5), // 🥺 pleading
    ('\u{1F9E1}', 2.5), // 🧡 orange heart
    ('\u{1FAE0}', -1.0), // 🫠 melting face (dismay)
    ('\u{1FAE1}', 1.5), // 🫡 saluting face
    ('\u{1FAF6}', 2.5), // 🫶 heart hands
];

/// The valence of an emoji, if it carries one.
pub(super) fn emoji(symbol: char) -> Option<f32> {
    EMOJI
        .binary_search_by(|(candidate, _)| candidate.cmp(&symbol))
        .ok()
        .and_then(|index| EMOJI.get(index))
        .map(|&(_, valence)| valence)
}

/// Whether a code point is an emoji picture (pictographs, dingbats, regional indicators
/// of flags), whether or not it has a valence in the table.
pub(super) fn is_pictograph(symbol: char) -> bool {
    matches!(
        u32::from(symbol),
        0x2600..=0x27BF | 0x1F1E6..=0x1F1FF | 0x1F300..=0x1FAFF
    )
}

/// Whether an emoji is ironic (🙃 🙄 🤡 🫠): praise beside it and a complaint is sarcasm.
pub(super) fn is_ironic(symbol: char) -> bool {
    matches!(
        symbol,
        '\u{1F643}' | '\u{1F644}' | '\u{1F921}' | '\u{1FAE0}'
    )
}

/// Whether an emoji cries (😭 😢 😿): beside thanks or praise, tears of joy.
pub(super) fn is_crying(symbol: char) -> bool {
    matches!(symbol, '\u{1F62D}' | '\u{1F622}' | '\u{1F63F}')
}

/// Whether an emoji approves (👍 👌): after "ok" it only acknowledges.
pub(super) fn is_approving(symbol: char) -> bool {
    matches!(symbol, '\u{1F44C}' | '\u{1F44D}')
}

/// Whether an emoji is laughter (😂 🤣 😆 😹): it then counts as laughter does.
pub(super) fn is_laughing(symbol: char) -> bool {
    matches!(
        symbol,
        '\u{1F602}' | '\u{1F923}' | '\u{1F606}' | '\u{1F639}'
    )
}

/// Code points that only modify the symbol before them: variation selectors, skin tones,
/// the zero-width joiner and the keycap mark.
pub(super) fn is_modifier(symbol: char) -> bool {
    matches!(
        symbol,
        '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{20E3}' | '\u{1F3FB}'..='\u{1F3FF}'
    )
}

/// The valence of an ASCII emoticon, case-sensitive (":D", "xD"). A repeated last character
/// counts once (":)))", "<333", "xDDD").
pub(super) fn emoticon(text: &str) -> Option<f32> {
    let bytes = text.as_bytes();
    let last = *bytes.last()?;
    let mut end = bytes.len();
    while end > 2 && bytes.get(end - 2) == Some(&last) {
        end -= 1;
    }
    let valence = match bytes.get(..end)? {
        b":)" | b":-)" | b":]" | b"=)" | b"(:" | b"(-:" | b":o)" => 2.0,
        b":D" | b":-D" | b"=D" | b";D" => 2.3,
        b"xD" | b"XD" => 2.0,
        b";)" | b";-)" | b";]" => 1.5,
        b":P" | b":p" | b":-P" | b":-p" | b";P" | b";p" | b"=P" => 1.5,
        b"<3" => 2.5,
        b"^^" | b"^_^" | b"^.^" | b"^-^" => 1.8,
        b":*" | b":-*" => 1.8,
        b":3" => 1.2,
        b":(" | b":-(" | b":[" | b"=(" | b"):" | b")-:" | b";(" => -2.0,
        b":'(" | b":'-(" | b";_;" | b"T_T" | b"T.T" => -2.5,
        b">:(" | b">:-(" | b":@" => -2.8,
        b"</3" => -2.5,
        b":/" | b":-/" | b":\\" | b":-\\" | b"=/" => -1.0,
        b":|" | b":-|" => -0.6,
        b"-_-" | b"-.-" => -1.2,
        _ => return None,
    };
    Some(valence)
}

/// The valence of an emoticon written with HTML escapes ("&lt;3" for "<3", "&gt;:(" for
/// ">:("), as text copied from web pages and feeds often has it.
pub(super) fn escaped_emoticon(text: &str) -> Option<f32> {
    let (symbol, rest) = if let Some(rest) = text.strip_prefix("&lt;") {
        ('<', rest)
    } else {
        ('>', text.strip_prefix("&gt;")?)
    };
    let mut buffer = [0u8; 16];
    let (first, tail) = buffer.split_first_mut()?;
    *first = symbol as u8;
    tail.get_mut(..rest.len())?.copy_from_slice(rest.as_bytes());
    emoticon(std::str::from_utf8(buffer.get(..=rest.len())?).ok()?)
}

/// The length of the HTML entity that `text` starts with ("&amp;", "&gt;", "&#39;"), if it
/// starts with one.
pub(super) fn html_entity(text: &str) -> Option<usize> {
    let body = text.strip_prefix('&')?;
    let end = body.bytes().take(10).position(|b| b == b';')?;
    let name = body.get(..end)?;
    let named = (2..=8).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphabetic());
    let numeric = name.strip_prefix('#').is_some_and(|digits| {
        let digits = digits.strip_prefix(['x', 'X']).unwrap_or(digits);
        (1..=6).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_hexdigit())
    });
    (named || numeric).then_some(end + 2)
}

/// Where an emoticon glued to the end of a word starts ("thanks:)", "ok:("), if one is.
pub(super) fn glued_emoticon_start(run: &str) -> Option<usize> {
    let bytes = run.as_bytes();
    let last = *bytes.last()?;
    if !matches!(last, b')' | b'(' | b'D' | b'P' | b'p' | b'/') {
        return None;
    }
    let earliest = bytes.len().saturating_sub(6);
    let start = (earliest..bytes.len().saturating_sub(1))
        .find(|&index| matches!(bytes.get(index), Some(b':' | b';' | b'=')))?;
    let start = if start > 0 && bytes.get(start - 1) == Some(&b'>') {
        start - 1
    } else {
        start
    };
    let word_before = start > 0 && bytes.get(start - 1).is_some_and(u8::is_ascii_alphanumeric);
    (word_before && emoticon(run.get(start..)?).is_some()).then_some(start)
}

/// The valence of laughter, if a lower-case word is laughter: "haha", "hehe", "ahahah",
/// "hihi", "jajaja", "lol", "lool", "lolol", "lmao", "lmfao", "rofl", "xd", "xdd".
pub(super) fn laughter(word: &[u8]) -> Option<f32> {
    let is_ha = word.len() >= 4
        && word.iter().all(|b| matches!(b, b'h' | b'a' | b'e' | b'i'))
        && word.iter().filter(|&&b| b == b'h').count() >= 2
        && word.iter().filter(|&&b| b != b'h').count() >= 2
        && !word.windows(2).any(|pair| pair == b"hh");
    let is_ja = word.len() >= 4
        && word.iter().all(|b| matches!(b, b'j' | b'a'))
        && word.iter().filter(|&&b| b == b'j').count() >= 2;
    if is_ha || is_ja {
        return Some(if word.len() >= 6 { 2.4 } else { 2.0 });
    }
    let is_lol = word.len() >= 3
        && word.first() == Some(&b'l')
        && word.iter().all(|b| matches!(b, b'l' | b'o'))
        && word.contains(&b'o')
        && word.last() == Some(&b'l');
    let is_xd =
        word.len() >= 2 && word.first() == Some(&b'x') && word[1..].iter().all(|&b| b == b'd');
    if is_lol {
        return Some(1.8);
    }
    if is_xd {
        return Some(2.0);
    }
    match word {
        b"lmao" | b"lmfao" | b"rofl" | b"roflmao" | b"lulz" | b"lolz" => Some(2.4),
        _ => None,
    }
}

/// The valence of a rating written "10/10" or "0/5"; only the idiomatic extremes count, so
/// dates ("3/10") stay neutral.
pub(super) fn rating(score: u32, out_of: u32) -> Option<f32> {
    match (score, out_of) {
        (10 | 11, 10) | (5, 5) | (100, 100) => Some(3.0),
        (0 | 1, 10) | (0, 5) | (0, 100) => Some(-3.0),
        _ => None,
    }
}

/// The valence of "N stars" for N from 0 to 5: three is neutral.
pub(super) fn stars(count: u32) -> Option<f32> {
    match count {
        0..=5 => Some((count as f32 - 3.0) * 1.2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_table_is_sorted_for_binary_search() {
        assert!(EMOJI.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn emoticons_tolerate_repeated_mouths() {
        assert_eq!(emoticon(":)))"), Some(2.0));
        assert_eq!(emoticon("<333"), Some(2.5));
        assert_eq!(emoticon(":(("), Some(-2.0));
        assert_eq!(emoticon("xDDD"), Some(2.0));
        assert_eq!(emoticon("::"), None);
        assert_eq!(emoticon("10:30"), None);
    }

    #[test]
    fn glued_emoticons_are_found_after_words_only() {
        assert_eq!(glued_emoticon_start("thanks:)"), Some(6));
        assert_eq!(glued_emoticon_start("ok>:("), Some(2));
        assert_eq!(glued_emoticon_start(":)"), None);
        assert_eq!(glued_emoticon_start("https://x"), None);
        assert_eq!(glued_emoticon_start("(see)"), None);
    }

    #[test]
    fn laughter_is_recognised_and_words_are_not() {
        for word in [
            "haha", "hahahaha", "hehe", "ahahah", "jajaja", "lol", "lolol", "xd", "lmao",
        ] {
            assert!(laughter(word.as_bytes()).is_some(), "{word}");
        }
        for word in ["hah", "hhhh", "aahh", "hello", "low", "xl", "lo"] {
            assert!(laughter(word.as_bytes()).is_none(), "{word}");
        }
    }
}
