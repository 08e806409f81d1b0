//! The scorer's tests: one table per rule, the labelled chat set, and properties that must
//! hold for any text.

use proptest::prelude::*;

use super::*;

/// Asserts the label of `text`, showing its score when it is wrong.
fn check(text: &str, expected: Label) {
    let scored = score(text);
    assert_eq!(scored.label, expected, "{text:?} scored {}", scored.score);
}

use Label::{Negative, Neutral, Positive};

#[test]
fn seed_examples_have_their_labels() {
    check("hahaha", Positive);
    check("hello", Neutral);
    check("so slow!", Negative);
}

#[test]
fn laughter_is_positive_however_it_is_spelt() {
    check("haha", Positive);
    check("hahahahaha", Positive);
    check("ahahah", Positive);
    check("hehe", Positive);
    check("lol", Positive);
    check("LOL", Positive);
    check("lolll", Positive);
    check("lmaooo", Positive);
    check("xD", Positive);
    check("XDDD", Positive);
}

#[test]
fn held_letters_keep_the_word_and_add_emphasis() {
    check("sooo gooood", Positive);
    check("slowww", Negative);
    check("loveee it", Positive);
    check("yesss", Positive);
    check("noooo", Negative);
    check("hiii", Neutral);
    check("okkk", Neutral);
    assert!(score("gooood").score > score("good").score);
}

#[test]
fn emoji_count_with_or_without_variation_selectors_and_skin_tones() {
    check("❤️", Positive);
    check("❤", Positive);
    check("😍", Positive);
    check("😂", Positive);
    check("🙏", Positive);
    check("🙏🏼", Positive);
    check("👍", Positive);
    check("👍🏽", Positive);
    check("😡", Negative);
    check("😭", Negative);
    check("🙁", Negative);
    check("👎🏻", Negative);
    check("👋", Neutral);
    check("🍕", Neutral);
    check("thanks😊", Positive);
}

#[test]
fn emoticons_count_alone_and_glued_to_words() {
    check(":)", Positive);
    check(":-)", Positive);
    check(":D", Positive);
    check(";)", Positive);
    check("<3", Positive);
    check(":)))", Positive);
    check(":(", Negative);
    check(":'(", Negative);
    check("</3", Negative);
    check("ok:(", Negative);
    check("thanks:)", Positive);
    check("at 10:30", Neutral);
}

#[test]
fn negation_turns_words_around() {
    check("not helpful", Negative);
    check("isn't working", Negative);
    check("this isnt working", Negative);
    check("I don't like it", Negative);
    check("I don’t like it", Negative);
    check("never again", Negative);
    check("I'm never ordering from you again", Negative);
    check("no good", Negative);
    check("not bad at all", Positive);
    // A courtesy, like "no thanks": politeness does not tilt a user's average.
    check("no problem", Neutral);
    check("not happy", Negative);
    check("nothing works", Negative);
    check("I didn't get my order", Negative);
    check("it never arrived", Negative);
    check("nobody answers", Negative);
}

#[test]
fn negation_stops_at_punctuation() {
    check("no, it's great", Positive);
    check("nope, still broken", Negative);
}

#[test]
fn intensifiers_raise_and_dampeners_lower() {
    assert!(score("very good").score > score("good").score);
    assert!(score("so good").score > score("good").score);
    assert!(score("really good").score > score("good").score);
    assert!(score("kinda good").score < score("good").score);
    assert!(score("a bit slow").score > score("slow").score);
    assert!(score("sort of bad").score > score("bad").score);
    check("kinda good", Positive);
    check("a bit slow", Negative);
    check("super slow", Negative);
    check("very bad", Negative);
}

#[test]
fn caps_and_exclamation_marks_emphasise() {
    assert!(score("this is GREAT").score > score("this is great").score);
    assert!(score("TERRIBLE").score < score("terrible").score);
    assert!(score("great!!!").score > score("great").score);
    assert!(score("awful!!!").score < score("awful").score);
    check("GREAT", Positive);
    check("TERRIBLE", Negative);
}

#[test]
fn punctuation_never_creates_sentiment() {
    check("!!!", Neutral);
    check("where is my order???", Neutral);
    check("HELLO!!!", Neutral);
    check("ok!", Neutral);
    assert_eq!(score("?!?!?!").score, 0.0);
    assert_eq!(score("WHAT").score, 0.0);
}

#[test]
fn complaints_about_the_bot_are_negative() {
    check("useless", Negative);
    check("you don't understand", Negative);
    check("still waiting", Negative);
    check("I've been waiting for an hour", Negative);
    check("I want a real person", Negative);
    check("let me talk to a human", Negative);
    check("give me an agent please", Negative);
    check("not working", Negative);
    check("doesn't work", Negative);
    check("doesnt work", Negative);
    check("stupid bot", Negative);
    check("waste of time", Negative);
    check("this is taking forever", Negative);
    check("why is it taking so long", Negative);
    check("still nothing", Negative);
    check("no reply yet", Negative);
    check("you keep sending me the same link", Negative);
    check("I want my money back", Negative);
    check("are you kidding me", Negative);
    check("this is the third time I'm asking", Negative);
    check("why did you cancel my order", Negative);
    check("im so done", Negative);
    check("I've been on hold for 40 minutes", Negative);
}

#[test]
fn requests_that_merely_mention_people_or_work_are_neutral() {
    check("are you a human?", Neutral);
    check("can I speak to someone about a bulk order?", Neutral);
    // Asking politely for an agent is a question, not a complaint (holdout2 labels it so).
    check("can I speak to an agent please", Neutral);
    check("Friday works for me", Neutral);
    check("how does it work?", Neutral);
    check("I'll wait", Neutral);
    check("how long does delivery take?", Neutral);
}

#[test]
fn but_weighs_what_follows_more() {
    check("it was kinda slow but the food was delicious", Positive);
    check("the food was good but the delivery was terrible", Negative);
    check("the staff is nice but the food was awful", Negative);
    check("it was a bit late but totally worth it", Positive);
}

#[test]
fn greetings_and_one_word_answers_are_neutral() {
    for text in [
        "ok",
        "okay",
        "OK",
        "yes",
        "YES",
        "no",
        "sure",
        "hi",
        "hey",
        "hello",
        "Hello!",
        "good morning",
        "Good Morning!",
        "good night",
        "good evening",
        "good afternoon",
        "yep",
        "nope",
        "alright",
        "fine",
        "k",
        "please",
        "yes please",
        "no thanks",
        "no, thank you",
        "not yet",
        "maybe",
        "got it",
        "hmm",
        "",
    ] {
        check(text, Neutral);
    }
}

#[test]
fn thanks_is_mildly_positive_and_never_negated() {
    check("thanks", Positive);
    check("thank you", Positive);
    check("thx", Positive);
    check("ok thanks", Positive);
    check("thank you so much!", Positive);
    let thanks = score("thanks").score;
    assert!((0.05..0.3).contains(&thanks), "thanks scored {thanks}");
    check("no thanks", Neutral);
    check("thanks for nothing", Negative);
}

#[test]
fn positive_words_in_questions_describe_the_question() {
    check("is delivery free?", Neutral);
    check("what do you recommend?", Neutral);
    check("is the chicken good?", Neutral);
    check("can you help me?", Neutral);
    check("great, can I order another one?", Positive);
    check("is it broken?", Negative);
    check("why is it so slow?", Negative);
}

#[test]
fn like_is_liking_only_as_a_verb_of_liking() {
    check("I like it", Positive);
    check("I really like the new design", Positive);
    check("I'd like to order a pizza", Neutral);
    check("I would like a refund", Neutral);
    check("looks like it shipped", Neutral);
    check("that's very kind of you", Positive);
    check("what kind of pizza do you have", Neutral);
}

#[test]
fn ratings_count_when_they_are_idiomatic() {
    check("10/10 would order again", Positive);
    check("0/10", Negative);
    check("5 stars", Positive);
    check("1 star", Negative);
    check("3 stars", Neutral);
    check("deliver on 3/10 please", Neutral);
}

#[test]
fn labels_follow_the_thresholds() {
    assert_eq!(label_for(1.0), Positive);
    assert_eq!(label_for(0.05), Positive);
    assert_eq!(label_for(0.0499), Neutral);
    assert_eq!(label_for(0.0), Neutral);
    assert_eq!(label_for(-0.0499), Neutral);
    assert_eq!(label_for(-0.05), Negative);
    assert_eq!(label_for(-1.0), Negative);
    assert_eq!(label_for(f64::NAN), Neutral);
}

#[test]
fn labels_serialise_as_lower_case_words() {
    for (label, text) in [
        (Positive, "positive"),
        (Neutral, "neutral"),
        (Negative, "negative"),
    ] {
        assert_eq!(label.as_str(), text);
        assert_eq!(label.to_string(), text);
        assert_eq!(
            serde_json::to_value(label).ok(),
            Some(serde_json::json!(text))
        );
        assert_eq!(
            serde_json::from_value::<Label>(serde_json::json!(text)).ok(),
            Some(label)
        );
    }
    for other in ["Negative", "happy", ""] {
        assert!(serde_json::from_value::<Label>(serde_json::json!(other)).is_err());
    }
    let scored = serde_json::to_value(score("so slow!")).ok();
    assert_eq!(
        scored.as_ref().and_then(|value| value.get("label")),
        Some(&serde_json::json!("negative"))
    );
}

#[test]
fn misleading_phrasings_from_issue_11_take_their_meaning() {
    check("could be better", Negative);
    check("the service could have gone better", Negative);
    check("better now, thanks", Positive);
    check("no problem", Neutral);
    check("no problem at all, thanks!", Positive);
    check("that's a problem", Negative);
    check("not bad at all", Positive);
    check("doesn't work", Negative);
    check("took forever", Negative);
    check("is it down?", Negative);
    check("the site is down again", Negative);
    check("scroll down please", Neutral);
    check("thanks for nothing", Negative);
    check("nothing happens when I click pay", Negative);
    check("you're not listening", Negative);
    check("not what I expected", Negative);
    check("wicked good fries", Positive);
}

#[test]
fn effort_wasted_for_nothing_complains() {
    check("I waited 45 minutes for nothing", Negative);
    check("we queued an hour for nothing", Negative);
    check("thanks for nothing", Negative);
    check("you can have it for nothing", Neutral);
}

#[test]
fn time_a_user_spent_complains() {
    check("I waited 45 minutes", Negative);
    check("I've been trying to cancel for weeks", Negative);
    check("been chasing this for a month", Negative);
    check("I'll be there in 10 minutes", Neutral);
    check("what are your opening hours", Neutral);
    check("delivery takes 2 days", Neutral);
}

#[test]
fn calling_something_a_joke_complains() {
    check("this is a joke", Negative);
    check("what a joke", Negative);
    check("your service is an absolute joke", Negative);
    check("tell me a joke", Neutral);
}

#[test]
fn an_approving_emoji_after_ok_only_acknowledges() {
    check("ok 👍", Neutral);
    check("noted 👌", Neutral);
    check("👍", Positive);
    check("perfect 👍", Positive);
    check("ok thanks 👍", Positive);
}

#[test]
fn positive_symbols_in_a_question_without_words_ask() {
    check("👌?", Neutral);
    check("👍?", Neutral);
    check("👌", Positive);
    check("😭?", Negative);
    check("is it ready? 😊", Positive);
}

#[test]
fn something_that_came_without_what_was_ordered_is_missing() {
    check("the order came without the sauce, again", Negative);
    check("my burger arrived without cheese", Negative);
    check("without onions please", Neutral);
    check("it arrived without any damage", Positive);
}

#[test]
fn an_improvement_now_is_praise() {
    check("the app is much faster now", Positive);
    check("checkout is easier now", Positive);
    check("is it faster now?", Neutral);
    check("it's not faster now", Negative);
    check("last time was cheaper", Neutral);
}

#[test]
fn praise_beside_a_repeated_complaint_is_sarcasm() {
    check("great… another error", Negative);
    check("great, another error", Negative);
    check("oh great, it crashed again", Negative);
    check("wow, another delay. amazing.", Negative);
    check("great, thanks again", Positive);
    check("another great meal", Positive);
}

#[test]
fn praise_opening_a_message_before_a_complaint_is_sarcasm() {
    check("lovely, my order got cancelled for no reason", Negative);
    check("perfect, it arrived without the charger", Negative);
    check("great, still waiting", Negative);
    // Praise before a negative word alone, or before a question, is no sarcasm.
    check("lovely, sorry for the trouble", Positive);
    check("perfect, when will it arrive?", Positive);
    check("great service, the order came early", Positive);
}

#[test]
fn praising_waiting_is_sarcasm() {
    check("love waiting 40 minutes for a reply", Negative);
    check("sure, because waiting is so much fun", Negative);
    check("waiting is great fun", Negative);
    check("thanks for waiting", Positive);
    check("it was worth the wait", Positive);
    check("happy to wait, no rush", Positive);
}

#[test]
fn asking_whether_anyone_is_there_complains_when_impatient() {
    check("hello??? anyone???", Negative);
    check("anyone there??", Negative);
    check("is anyone even there?", Negative);
    check("hello, is anyone there?", Neutral);
    check("anyone?", Neutral);
    check("can anyone help me with billing??", Neutral);
}

#[test]
fn faults_without_a_sentiment_word_complain() {
    check("the button does nothing", Negative);
    check("you did absolutely nothing", Negative);
    check("the parcel came open", Negative);
    check("it arrived open at one end", Negative);
    check("the store is open until 9", Neutral);
    check("is the store open?", Neutral);
}

#[test]
fn names_and_topics_of_questions_carry_nothing() {
    check("my name is Joy", Neutral);
    check("my name is joy", Neutral);
    check("what does error 404 mean?", Neutral);
    check("what do I need to bring for the bad credit loan", Neutral);
    check("do you sell killer sudoku books?", Neutral);
    check("do u stock gluten free bread", Neutral);
    // A question's complaint still counts.
    check("what did you do to my account, it's ruined", Negative);
    check(
        "do you sell anything that works? mine broke twice",
        Negative,
    );
}

#[test]
fn tears_beside_thanks_or_praise_are_of_joy() {
    check(
        "the movers even assembled the crib 😭 thank youuu",
        Positive,
    );
    check("she can make it to the wedding now 😭❤️", Positive);
    check("my order is late 😭", Negative);
    check("😭😭😭", Negative);
    check("thanks but it broke again 😭", Negative);
}

#[test]
fn more_service_failures_complain() {
    check("45 mins on hold. still holding.", Negative);
    check("this is how u treat me", Negative);
    check("I'm done with you guys", Negative);
    check("cancel my membership. done with this.", Negative);
    check("that was my last order from u 👋", Negative);
    check("ordered at 12 and still no food", Negative);
    check("the points never showed up", Negative);
    check("a fee nobody mentioned", Negative);
    check("the salmon smelled a bit funny tbh", Negative);
    check("the milk tastes off", Negative);
    check("I want my money back", Negative);
    check("I never got my money back", Negative);
    // Not complaints: a how-to, a question, a joke, an update.
    check("how do you treat a burn", Neutral);
    check("are you done with it?", Neutral);
    check("what was my last order?", Neutral);
    check("that joke was funny", Positive);
    check("still no problem at all", Neutral);
    check("can you show me the menu", Neutral);
}

#[test]
fn coming_back_for_sure_and_a_refund_received_praise() {
    check("definately coming back next summer, 100%", Positive);
    check("I'll be back for sure", Positive);
    check("easiest return ever, got my money back next day", Positive);
    check("I'll be back in 5 minutes", Neutral);
    check("will you be back tomorrow?", Neutral);
}

#[test]
fn a_clown_mocks_and_horns_praise() {
    check(
        "lmao imagine paying premium and still seeing ads 🤡",
        Negative,
    );
    check("wow great, another \"system maintenance\" 🤡", Negative);
    check("you guys rock 🤘", Positive);
    check("u rock", Positive);
    check("this song rocks", Neutral);
}

#[test]
fn facts_of_a_failed_service_complain() {
    check("This is the third agent I've explained this to.", Negative);
    check(
        "5 days no internet, and you want me to pay full month?",
        Negative,
    );
    check("the room smelled like smoke", Negative);
    check("rider cancelled on me 3 times", Negative);
    check("it was supposed to arrive on Monday", Negative);
    check("your plan got throttled after 20GB", Negative);
    check("Nakakainis, na-charge ulit ako", Negative);
    check("Still waiting on my refund. Great.", Negative);
    // Notices and plain facts are not complaints.
    check(
        "I'll be arriving late around 11pm, please keep the room",
        Neutral,
    );
    check("you are supposed to bring ID", Neutral);
    check("I cancelled my order yesterday", Neutral);
    check("Great. Thanks for the quick fix.", Positive);
}

#[test]
fn a_clause_of_nothing_but_praise_beside_a_complaint_is_sarcasm() {
    check("still no reply. cool cool cool", Negative);
    check(
        "wow love that my photos are 4 months late, truly magical 🫠",
        Negative,
    );
    check("Great service, thanks!", Positive);
    check("wow, great. thank you", Positive);
    check("cool cool, see you then", Positive);
}

#[test]
fn courtesies_wishes_and_sign_offs_carry_nothing() {
    check("Sorry to bother, can I move my 2pm to 3pm?", Neutral);
    check("sorry for the trouble, what's my balance", Neutral);
    check("is it a problem if I arrive 10 min late?", Neutral);
    check("I'd love to book a trial class for my daughter", Neutral);
    check("Kind regards, Anna", Neutral);
    check("we have a goat", Neutral);
    check("mid July works", Neutral);
    // The words still count where they mean what they say.
    check("love it", Positive);
    check("this is trouble", Negative);
    check("Ms Priya is the GOAT", Positive);
    check("it's mid", Negative);
    check(
        "Hi, following up for the fifth time on my deposit. Kind regards.",
        Negative,
    );
    check("2 hours waiting at the salon", Negative);
    check("seller ghosted me after I paid", Negative);
}

#[test]
fn replies_to_a_bots_notices_are_read_as_meant() {
    check("kindly share the receipt in PDF format", Neutral);
    check("Ticket closed?? Nobody even contacted me.", Negative);
    check("Rated you 5 on the app, well deserved", Positive);
    check("dhanyavaad, refund mil gaya, bahut badhiya", Positive);
    check("you people are scammers", Negative);
    check("isang buwan na", Negative);
    check("you deserved a better rating, sorry", Positive);
}

#[test]
fn wishes_cases_and_coverage_questions_read_as_meant() {
    check("Does the warranty cover water damage?", Neutral);
    check("does the plan include theft?", Neutral);
    check(
        "is there a penalty if i end the 12 month contract early",
        Neutral,
    );
    check(
        "just in case, what should i do if the locker door doesnt open",
        Neutral,
    );
    check(
        "it would be nice if someone actually read my messages",
        Negative,
    );
    check(
        "so you're telling me my points expired without any warning? cool cool",
        Negative,
    );
    check(
        "I appreciate the apology but I still don't have my money, so honestly I'm done with you guys",
        Negative,
    );
    check("keep doing what ur doing fr 🫡", Positive);
    check("this tool saves me so much time at work honestly", Positive);
    check("you guys are lifesavers honestly", Positive);
    check("honestly amazing", Positive);
    // Controls: a penalty that is not a case, a plain wish, a cover that is not asked about.
    check("the penalty was unfair", Negative);
    check("it would be nice to see you", Positive);
    check("the door doesnt open", Negative);
    check(
        "if my internet isnt fixed by friday im cancelling and going w ur competitor",
        Negative,
    );
}

#[test]
fn misfortunes_told_to_get_help_carry_no_feeling_about_the_business() {
    check(
        "Had an accident on the N1 this morning. What do I need to send for the claim?",
        Neutral,
    );
    check(
        "How far in advance should I book flowers for a funeral on Saturday?",
        Neutral,
    );
    check(
        "sent the photos of the water damage to your email just now",
        Neutral,
    );
    check(
        "Is the number 7 bus running today with the strike?",
        Neutral,
    );
    check(
        "Can someone from HR tell me how many leave days I have left?",
        Neutral,
    );
    check("it arrived without any damage", Positive);
    // The feeling is in the words around them.
    check(
        "a terrible accident, and nobody from your team called",
        Negative,
    );
    check("the parcel arrived damaged", Negative);
}

#[test]
fn less_turns_around_and_more_complaints_are_read() {
    check(
        "the new app is really good, my commute is way less stressful now",
        Positive,
    );
    check("the tea with less sugar was PERFECT", Positive);
    check(
        "I've submitted the same documents FOUR times. Do you people even read them?",
        Negative,
    );
    check(
        "Absurdo, o técnico não aparece. Estou muito insatisfeita.",
        Negative,
    );
    check(
        "Muchas gracias, pagó la reparación sin ningún problema.",
        Positive,
    );
    check("very kind of your team", Positive);
    check("took the N1 home", Neutral);
    check("n1 mate", Positive);
}

#[test]
fn emoji_sequences_count_by_their_base() {
    check("\u{2764}\u{FE0F}\u{2764}\u{FE0F}", Positive);
    check("\u{2764}\u{FE0F}\u{200D}\u{1F525}", Positive);
    check("\u{1F44D}\u{1F3FF}\u{1F44D}\u{1F3FF}", Positive);
    check("\u{1F926}\u{1F3FB}\u{200D}\u{2640}\u{FE0F}", Negative);
    check("\u{1F595}", Negative);
    // A family, a flag and a keycap carry no sentiment.
    check(
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
        Neutral,
    );
    check("\u{1F1F8}\u{1F1EC}", Neutral);
    check("1\u{FE0F}\u{20E3}", Neutral);
}

#[test]
fn code_switched_chat_is_understood() {
    check("terima kasih", Positive);
    check("makasih ya", Positive);
    check("bagus sekali", Positive);
    check("shiok lah the laksa", Positive);
    check("mantap bro", Positive);
    check("sian", Negative);
    check("lambat sangat", Negative);
    check("jialat lah this app", Negative);
    check("tak boleh login", Negative);
    check("dah seminggu belum sampai", Negative);
    check("can lah", Neutral);
    check("boleh?", Neutral);
    check("selamat pagi", Neutral);
}

#[test]
fn words_with_accents_and_other_scripts_are_looked_up() {
    check("pésimo servicio, nadie contesta el teléfono", Negative);
    check("péssimo atendimento", Negative);
    check("valeu demais", Positive);
    check("obrigada!", Positive);
    check("chán quá, app lại lỗi", Negative);
    check("ótimo", Positive);
    check("¿dónde está mi pedido?", Neutral);
    check("Zoë Müller", Neutral);
    check("Pessimo servizio, nessun rimborso", Negative);
    check("Franchement inadmissible", Negative);
    check("Grazie mille, foto stupende!", Positive);
    check("Danke! Alles angekommen", Positive);
}

#[test]
fn singlish_power_and_malay_so_long_are_understood() {
    check("power lah", Positive);
    check("the new app power lah", Positive);
    check("lama sangat", Negative);
    check("sangat lama tunggu", Negative);
    check("pelanggan lama", Neutral);
    check("power bank available?", Neutral);
}

#[test]
fn words_from_afinn_fill_gaps_in_vaders_lexicon() {
    check("what an atrocious service", Negative);
    check("a real breakthrough", Positive);
    // Cohort's own table still wins over both lexicons.
    check("ok", Neutral);
}

#[test]
fn handles_links_and_html_entities_are_not_words() {
    // "love" and "happy" name accounts here; "gt" would read as "good times".
    check("@love_bakery see you at 5", Neutral);
    check("@user @happy_dave where is my order", Neutral);
    check("fish &amp; chips &gt; 5pm", Neutral);
    check("https://example.com/best-deals", Neutral);
    check("www.greatfood.com/awesome", Neutral);
    // An escaped emoticon is still the emoticon.
    check("&lt;3", Positive);
    check("&lt;/3", Negative);
    check("@user thank you &lt;3", Positive);
    // An e-mail's domain is no word either.
    check("mail it to bob@awesome.com", Neutral);
}

#[test]
fn capitalised_names_and_titles_carry_no_sentiment() {
    check("we watched The Good Wife last night", Neutral);
    check("meet me at Best Buy tomorrow", Neutral);
    check(
        "can you check if Great Wall restaurant delivers here",
        Neutral,
    );
    check("is Happy Valley on tonight", Neutral);
    // The first word of a sentence is capitalised anyway.
    check("Great food", Positive);
    check("ok. Lovely service, thanks", Positive);
    // A lone capital is emphasis or style, not a name.
    check("the food was Great", Positive);
    // A text that capitalises every word marks no names with it.
    check("Very Good Service", Positive);
    check("Thank You So Much", Positive);
}

#[test]
fn cant_wait_and_looking_forward_are_eager() {
    check("can't wait to try it", Positive);
    check("I cannot wait for the weekend", Positive);
    check("looking forward to it", Positive);
    check("we look forward to your reply", Positive);
    check("not looking forward to monday", Negative);
    assert!(score("I can't wait any longer").score <= 0.0);
    check("please forward this to the manager", Neutral);
}

#[test]
fn least_turns_the_next_word_around_except_at_least() {
    check("my least favorite place", Negative);
    check("the least helpful agent", Negative);
    check("at least good", Positive);
    check("the very least helpful thing", Positive);
}

#[test]
fn vaders_rated_phrases_and_boosters_count() {
    check("I can't stand this app", Negative);
    check("fed up with this", Negative);
    check("yeah right", Negative);
    check("yeah right there", Neutral);
    check("the cake is to die for", Positive);
    assert!(score("a total disaster").score < score("a disaster").score);
    assert!(score("an incredible mess").score < score("a mess").score);
    assert!(score("a slight delay").score > score("a delay").score);
}

#[test]
fn hashtags_split_into_known_words_and_are_no_names() {
    check("#notgood", Negative);
    check("delivery took 2 hours #NotHappy", Negative);
    check("#sohappy", Positive);
    check("#verybad", Negative);
    check("#pizzanight", Neutral);
    // Capitals in hashtags are style, not a name.
    check("so #Happy #Blessed today", Positive);
}

#[test]
fn not_being_told_or_answered_and_things_not_there_complain() {
    check("nobody told me the plan auto renews", Negative);
    check("no one picked up the hotline", Negative);
    check("you cancelled my order without telling me", Negative);
    check("my parcel still isn't here", Negative);
    check("no complaints here", Positive);
    check("nobody told me", Negative);
    check("the agent hung up on me", Negative);
    check("the app logs me out every 5 minutes", Negative);
    check("how do i log out", Neutral);
}

#[test]
fn faults_and_qualities_count_only_when_they_describe_something() {
    check("the chicken was raw inside", Negative);
    check("the noodles were so salty", Negative);
    check("the screen arrived cracked", Negative);
    check("do you sell raw honey", Neutral);
    check("the manager was very professional", Positive);
    check("is the professional plan cheaper", Neutral);
    check("the delivery was super fast", Positive);
    check("the internet is blazing fast since the upgrade", Positive);
    check("quick question about my bill", Neutral);
    check("the app isn't fast", Negative);
    check("the room smelled of smoke", Negative);
}

#[test]
fn service_complaints_without_sentiment_words_count() {
    check("I was charged twice", Negative);
    check("I got double charged", Negative);
    check("this is the last time I'm ordering from you", Negative);
    check("when was the last time I ordered", Neutral);
    check("where is my order it's been 3 weeks", Negative);
    check("I've been a customer for 5 years and love it", Positive);
    check("my money is gone and no order", Negative);
    check("I want a refund", Negative);
    check("what is your refund policy", Neutral);
    check("I'll take my business elsewhere", Negative);
    check("so much for next-day delivery", Negative);
    check("thank you so much for your help", Positive);
    check("my order got cancelled for no reason", Negative);
    check("I expected more", Negative);
    check("better than expected", Positive);
    check("feels like daylight robbery", Negative);
}

#[test]
fn praise_without_sentiment_words_counts() {
    check("couldn't be happier", Positive);
    check("couldn't have asked for more", Positive);
    check("couldn't be more disappointed", Negative);
    check("it can't be more than 5 dollars", Neutral);
    check("spot on", Positive);
    check("the driver went above and beyond", Positive);
    check("will order again", Positive);
    check("would definitely buy again", Positive);
    check("I will never order again", Negative);
    check("arrived a day early!", Positive);
    check("you made my day", Positive);
    check("the manager sorted it out quickly", Positive);
}

#[test]
fn questions_count_without_a_question_mark_and_how_to_questions_name_their_topic() {
    check("is the store open on public holidays", Neutral);
    check("what is the interest rate for fixed deposit", Neutral);
    check("what a great service", Positive);
    check("how nice of you", Positive);
    check("how do I report a problem?", Neutral);
    check("how to report a bad driver", Neutral);
    check("what happens if my parcel is lost?", Neutral);
    check("how can you lose my card twice", Negative);
    check("can I speak to an agent", Neutral);
    check("give me an agent now", Negative);
    check("can I speak to a real person", Negative);
}

#[test]
fn changes_without_asking_broken_promises_and_time_gone_by_complain() {
    check("my seat was changed without asking", Negative);
    check("my bill went up without any notice", Negative);
    check("the tutor didnt turn up", Negative);
    check("not what i paid for", Negative);
    check("i was promised a callback", Negative);
    check("it arrived as promised", Positive);
    check("you sent me someone else's order", Negative);
    check("i've sent the same screenshot 3 times now", Negative);
    check("where is my refund", Negative);
    check("it's 3 days already", Negative);
    check("expected way better for the price", Negative);
    check("the bread came mouldy", Negative);
}

#[test]
fn irony_scare_quotes_and_a_fixed_problem_read_as_meant() {
    check(
        "wow amazing service, my flight got moved AGAIN 🙃",
        Negative,
    );
    check("great job guys, the \"fresh\" bread came mouldy", Negative);
    check("the 'fresh' bread came mouldy", Negative);
    check(
        "props to your support team, fixed my issue in 5 mins",
        Positive,
    );
    check("mad respect", Positive);
    check("i'm mad at you", Negative);
    check("my kids are obsessed with the toys", Positive);
}

#[test]
fn questions_about_cases_and_kinds_of_things_do_not_complain() {
    check("what should i do if my card is stolen", Neutral);
    check(
        "are flights rescheduled if there's a storm warning",
        Neutral,
    );
    check("what's your refund policy for damaged items", Neutral);
    check("is there a fee for late payment", Neutral);
    check("is the worst case delivery time 5 days or 7?", Neutral);
    check("what are the baggage limits for economy", Neutral);
    check("what is wrong with your app", Negative);
    check("how do i cancel, it keeps charging me", Negative);
}

#[test]
fn money_taken_broken_claims_and_threats_to_leave_complain() {
    check(
        "u took rm150 from my account and the booking doesnt even exist",
        Negative,
    );
    check(
        "the parcel says delivered but there is nothing at my door",
        Negative,
    );
    check("my parcel still havent reach, already one week", Negative);
    check(
        "the listing photos looked nothing like the actual apartment",
        Negative,
    );
    check(
        "i'll switch to another provider if this happens one more time",
        Negative,
    );
    check("thanks for absolutely nothing i guess", Negative);
    check(
        "water has been brown since this morning, what is going on",
        Negative,
    );
    check("the course videos stop loading halfway", Negative);
    check("i've explained this to 4 different agents now", Negative);
    check("my bill is double what it was last month", Negative);
    check("wow great job charging me twice 🙄", Negative);
    check("card got declined at the store", Negative);
}

#[test]
fn praise_said_by_deeds_counts() {
    check(
        "switched from grab to u guys and not looking back",
        Positive,
    );
    check(
        "my dad gets his meds delivered on time every month, it means a lot",
        Positive,
    );
    check("the delivery is never on time", Negative);
    check("cant believe how easy the portal was this year", Positive);
    check("my hair has never looked this good", Positive);
    check("lightning fast wifi now, gaming with 0 lag", Positive);
    check("can't stop wearing the jacket", Positive);
    check("5 stars from me", Positive);
    check("expected better from a 5 star hotel", Negative);
}

#[test]
fn ultimatums_last_times_and_plain_requests_read_as_meant() {
    check(
        "if my car isnt ready by friday im taking it elsewhere",
        Negative,
    );
    check("last time ordering from u guys tbh", Negative);
    check(
        "why did nobody tell me the appointment was cancelled",
        Negative,
    );
    check(
        "keeps asking me to verify my otp every single time",
        Negative,
    );
    check("keep doing what ur doing fr", Positive);
    check("if flowers arrive wilted whats the process", Neutral);
    check("confirming: pickup at 7pm, 2 bags, block B lobby", Neutral);
    check("ok noted, will drop the car at 8 tmr", Neutral);
    check("id like to book a deep clean for a 3 room flat", Neutral);
    check("the room was clean", Positive);
    check("the sofa has a huge scratch on the side", Negative);
    check("ur customer service is top tier", Positive);
    check("definately ordering again", Positive);
    check("u made our anniversary", Positive);
    check(
        "the locker was right next to my station, so convenient",
        Positive,
    );
    check("dah 3 jam tunggu rider", Negative);
    check(
        "bakit po wala pa rin yung order ko? 2 weeks na po",
        Negative,
    );
    check(
        "ano po requirements para sa refund ng damaged item",
        Neutral,
    );
}

#[test]
fn quoted_words_name_things() {
    check("does the \"worry free\" insurance cover theft", Neutral);
    check("is the \"no regrets\" guarantee on all products", Neutral);
    check("Loved \"Gravity\" but the ending was sad", Negative);
}

#[test]
fn taglish_and_spanish_count() {
    check("salamat po! ang bilis ng delivery 😊", Positive);
    check("pwede po ba mag cod?", Neutral);
    check("qué mal servicio", Negative);
    check("excelente servicio", Positive);
    check("grabe ang tagal, naghihintay ako sa driver", Negative);
    check("bhai refund pending hai, kya mazak hai ye", Negative);
}

#[test]
fn quantize_rounds_to_ten_thousandths() {
    assert_eq!(quantize(0.0), 0);
    assert_eq!(quantize(-0.0), 0);
    assert_eq!(quantize(0.12345), 1235);
    assert_eq!(quantize(-0.12345), -1235);
    assert_eq!(quantize(0.00004), 0);
    assert_eq!(quantize(1.0), 10_000);
    assert_eq!(quantize(-1.0), -10_000);
    assert_eq!(quantize(7.0), 10_000);
    assert_eq!(quantize(f64::NEG_INFINITY), -10_000);
    assert_eq!(quantize(f64::NAN), 0);
}

#[test]
fn stopping_and_waiting_take_their_negation() {
    // "can't stop" and "can't wait" own the "can't": the verb after them is not negated.
    check("Can't stop smiling after my interview today", Positive);
    check("can't stop listening to this album", Positive);
    check("please never stop posting your dog", Positive);
    check("can't wait to get my hands on the new Zelda", Positive);
    check("I can't stop crying", Negative);
    check("the app won't stop crashing", Negative);
    assert!(score("I can't wait any longer to get a reply").score <= 0.0);
}

#[test]
fn emoji_without_a_valence_lean_positive_in_a_statement() {
    check("Just booked my first solo trip Lisbon in May 🇵🇹", Positive);
    check("snow day tomorrow no school ❄️☃️", Positive);
    // Not alone or beside a greeting, not in a question, not beside a complaint.
    for neutral in [
        "🍕",
        "👋 hi",
        "📍 here",
        "🇲🇾🇮🇩",
        "is the shop open on sunday 🍕?",
    ] {
        check(neutral, Neutral);
    }
    check("my parcel arrived broken 📦", Negative);
    // A skin tone and a joiner belong to the emoji an explanation shows.
    let explanation = explain("working from the beach today 👩🏽‍💻");
    assert!(
        explanation
            .contributions
            .iter()
            .any(|share| share.text == "👩🏽‍💻"),
        "{explanation:?}"
    );
    let explanation = explain("Lisbon in May with my mum 🇵🇹");
    assert!(
        explanation
            .contributions
            .iter()
            .any(|share| share.cause == crate::api::SentimentCause::Symbol && share.text == "🇵🇹"),
        "{explanation:?}"
    );
}

#[test]
fn tweet_idioms_praise() {
    check(
        "@user you killed it last night, the solo gave me chills",
        Positive,
    );
    check("nailed it", Positive);
    check(
        "Just tried the new VR headset and my mind is blown",
        Positive,
    );
    check("that finale blew my mind", Positive);
    check("Lin-Manuel is a genius", Positive);
    check("those cupcakes were incredible", Positive);
    check("the villain killed three people", Negative);
}

#[test]
fn titles_next_to_acronyms_and_numbers_are_names() {
    check(
        "Is the new Call of Duty worth it or should I wait for Battlefield 1?",
        Neutral,
    );
    check(
        "The Patriots will face the Steelers in the AFC Championship on Sunday",
        Neutral,
    );
    check("the championship was a great game", Positive);
}

#[test]
fn capitalised_complaints_and_praise_keep_their_sentiment() {
    // A sentence's first word before another capitalised one is no title to skip: chat
    // users capitalise nouns ("Terrible Customer Service").
    check("Terrible Customer Service from your agent", Negative);
    check("Excellent Service today, the driver was early", Positive);
}

#[test]
fn tweets_cheer_anticipate_and_boost() {
    // Anticipation and relief.
    check("November 10th can't come fast enough", Positive);
    check("March can't come soon enough lol", Positive);
    assert!(score("the technician can't come today").score <= 0.0);
    check("the Eagles game could've been way worse", Positive);
    check("could be worse", Positive);
    check("this could be better", Negative);
    check("I'm so ready for Friday", Positive);
    check("is the order ready?", Neutral);
    // Cheering a team, not going somewhere.
    check("Brady's back on Sunday. Let's gooooo", Positive);
    check("lets go Mets", Positive);
    check("Go Hawks!! 12th man ready for Sunday", Positive);
    check("let's go to the cinema on Friday", Neutral);
    check("go to settings and tap reset", Neutral);
    check("Go Back to the menu", Neutral);
    // "couldn't stop" owns its negation as "can't stop" does.
    check("couldn't stop watching", Positive);
    check("the alarm won't stop beeping", Negative);
    // A negative word that says how much before praise.
    check("discover weekly is scary good this week", Positive);
    check("delivery was stupid fast", Positive);
    check("this is a scary place", Negative);
    check("crazy long queue", Negative);
}

/// The labelled chat set (`tests/data/sentiment_chat.tsv`): `label<TAB>text` after a header.
const CHAT_SET: &str = include_str!("../../tests/data/sentiment_chat.tsv");
/// The first holdout, used for development since the issue 11 holdout changes.
const HOLDOUT_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout.tsv");
/// The tricky phrasings of issue 11 (misleading words, emoji sequences, code-switching).
const TRICKY_SET: &str = include_str!("../../tests/data/sentiment_chat_tricky.tsv");
/// The second to fifth holdouts, used for development since the holdout2 to holdout5
/// changes. (The twelfth, `sentiment_chat_holdout12.tsv`, is held out: `just sentiment-eval`
/// measures it, and no test asserts on it, so that nothing is tuned to pass it.)
const HOLDOUT2_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout2.tsv");
const HOLDOUT3_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout3.tsv");
const HOLDOUT4_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout4.tsv");
const HOLDOUT5_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout5.tsv");
/// The sixth to eleventh holdouts, written blind like the others; used for development
/// since the holdout6 to holdout11 changes.
const HOLDOUT6_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout6.tsv");
const HOLDOUT7_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout7.tsv");
const HOLDOUT8_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout8.tsv");
const HOLDOUT9_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout9.tsv");
const HOLDOUT10_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout10.tsv");
const HOLDOUT11_SET: &str = include_str!("../../tests/data/sentiment_chat_holdout11.tsv");
/// The tweets in SemEval-2017 style written for development (`sentiment_tweets_blind.tsv`,
/// written with it, is held out like holdout12).
const TWEETS_DEV_SET: &str = include_str!("../../tests/data/sentiment_tweets_dev.tsv");

/// The accuracy on a labelled set, its size and its misses.
fn accuracy_on(set: &str) -> (f64, usize, Vec<String>) {
    let mut lines = set.lines();
    assert_eq!(lines.next(), Some("label\ttext"));
    let mut total = 0;
    let mut correct = 0;
    let mut misses = Vec::new();
    for line in lines.filter(|line| !line.trim().is_empty()) {
        let (label, text) = line.split_once('\t').unwrap_or(("", line));
        let expected = match label {
            "positive" => Positive,
            "neutral" => Neutral,
            "negative" => Negative,
            other => panic!("unknown label {other:?} in {line:?}"),
        };
        total += 1;
        let scored = score(text);
        if scored.label == expected {
            correct += 1;
        } else {
            misses.push(format!(
                "{expected} got {} ({}): {text}",
                scored.label, scored.score
            ));
        }
    }
    (
        f64::from(correct) / f64::from(total.max(1)),
        total as usize,
        misses,
    )
}

/// Asserts that `set` has at least `size` labelled messages and that the scorer labels at
/// least `floor` of them as labelled, listing the misses when it does not.
fn assert_accuracy(set: &str, size: usize, floor: f64) {
    let (accuracy, total, misses) = accuracy_on(set);
    assert!(total >= size, "only {total} labelled messages");
    assert!(
        accuracy >= floor,
        "accuracy {accuracy:.3}; misses:\n{}",
        misses.join("\n")
    );
}

#[test]
fn labelled_chat_set_is_scored_with_at_least_ninety_five_percent_accuracy() {
    assert_accuracy(CHAT_SET, 300, 0.95);
}

#[test]
fn first_holdout_is_scored_with_at_least_ninety_five_percent_accuracy() {
    assert_accuracy(HOLDOUT_SET, 140, 0.95);
}

#[test]
fn second_holdout_is_scored_with_at_least_ninety_five_percent_accuracy() {
    assert_accuracy(HOLDOUT2_SET, 150, 0.95);
}

#[test]
fn third_holdout_is_scored_with_at_least_ninety_five_percent_accuracy() {
    assert_accuracy(HOLDOUT3_SET, 150, 0.95);
}

#[test]
fn fourth_holdout_is_scored_with_at_least_ninety_percent_accuracy() {
    assert_accuracy(HOLDOUT4_SET, 150, 0.90);
}

#[test]
fn fifth_holdout_is_scored_with_at_least_eighty_percent_accuracy() {
    assert_accuracy(HOLDOUT5_SET, 150, 0.80);
}

#[test]
fn sixth_holdout_is_scored_with_at_least_eighty_five_percent_accuracy() {
    assert_accuracy(HOLDOUT6_SET, 150, 0.85);
}

#[test]
fn seventh_holdout_is_scored_with_at_least_eighty_five_percent_accuracy() {
    assert_accuracy(HOLDOUT7_SET, 150, 0.85);
}

#[test]
fn eighth_holdout_is_scored_with_at_least_ninety_percent_accuracy() {
    assert_accuracy(HOLDOUT8_SET, 150, 0.90);
}

#[test]
fn ninth_holdout_is_scored_with_at_least_ninety_percent_accuracy() {
    assert_accuracy(HOLDOUT9_SET, 150, 0.90);
}

#[test]
fn tenth_holdout_is_scored_with_at_least_ninety_five_percent_accuracy() {
    assert_accuracy(HOLDOUT10_SET, 150, 0.95);
}

#[test]
fn eleventh_holdout_is_scored_with_at_least_eighty_five_percent_accuracy() {
    assert_accuracy(HOLDOUT11_SET, 150, 0.85);
}

#[test]
fn tweet_development_set_is_scored_with_at_least_seventy_five_percent_accuracy() {
    assert_accuracy(TWEETS_DEV_SET, 300, 0.75);
}

#[test]
fn tricky_set_is_scored_with_at_least_ninety_five_percent_accuracy() {
    assert_accuracy(TRICKY_SET, 150, 0.95);
}

/// Chat-like text for the property tests: words, marks, emoticons, emoji and rule words.
const CHAT_LIKE: &str = concat!(
    "([a-zA-Z' ]{0,12}|!|\\?|:\\)|:\\(|😂|❤\u{FE0F}|👍🏽|",
    "so|not|but|no|very|GREAT|slowww){0,40}"
);

proptest! {
    #[test]
    fn any_text_scores_within_bounds_on_the_grid(text in any::<String>()) {
        let scored = score(&text);
        prop_assert!(!scored.score.is_nan());
        prop_assert!((-1.0..=1.0).contains(&scored.score));
        prop_assert_eq!(f64::from(quantize(scored.score)) / STEPS, scored.score);
        prop_assert_eq!(scored.label, label_for(scored.score));
    }

    #[test]
    fn chat_like_text_scores_within_bounds(
        text in CHAT_LIKE
    ) {
        let scored = score(&text);
        prop_assert!((-1.0..=1.0).contains(&scored.score), "{} for {:?}", scored.score, text);
    }

    #[test]
    fn emphasis_marks_alone_never_create_sentiment(marks in "[!?.,: ]{0,20}") {
        prop_assert_eq!(score(&marks).score, 0.0);
    }
}
