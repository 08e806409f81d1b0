//! The meaning of a filter, evaluated on one user in memory. The SQL the store generates
//! must select exactly the users this selects; the store's property tests check that.

use super::ast::{Expr, NumberField, NumberTest, Test, TextField, TextTest, TimeField, TimeTest};
use crate::api::User;
use crate::text::{self, fold};
use crate::time::{Micros, to_micros};

/// Whether `user` matches `expr` at time `now` (microseconds, for relative times).
pub fn matches(expr: &Expr, user: &User, now: Micros) -> bool {
    match expr {
        Expr::All(children) => children.iter().all(|child| matches(child, user, now)),
        Expr::Any(children) => children.iter().any(|child| matches(child, user, now)),
        Expr::Condition(condition) => passes(&condition.test, user, now) != condition.negated,
    }
}

fn passes(test: &Test, user: &User, now: Micros) -> bool {
    match test {
        Test::Text { field, test } => text_passes(&fold(&text_field(user, *field)), test),
        Test::Number { field, test } => {
            number_field(user, *field).is_some_and(|n| number_passes(n, test))
        }
        Test::Time { field, test } => {
            time_field(user, *field).is_some_and(|t| time_passes(t, test, now))
        }
        Test::ChannelIn(channels) => {
            let channel = fold(&user.channel);
            channels.contains(&channel)
        }
        Test::HasAnyTag(tags) => tags.iter().any(|tag| has_tag(user, tag)),
        Test::HasAllTags(tags) => tags.iter().all(|tag| has_tag(user, tag)),
        Test::AttributeText { key, test } => user
            .attributes
            .get(key)
            .is_some_and(|value| text_passes(&fold(value), test)),
        Test::AttributeNumber { key, test } => user
            .attributes
            .get(key)
            .and_then(|value| text::attribute_number(value))
            .is_some_and(|number| number_passes(number, test)),
    }
}

fn text_field(user: &User, field: TextField) -> String {
    match field {
        TextField::FirstName => user.first_name.clone(),
        TextField::LastName => user.last_name.clone(),
        TextField::Name => text::full_name(&user.first_name, &user.last_name),
        TextField::Email => user.email.clone().unwrap_or_default(),
        TextField::ExternalId => user.external_id.clone(),
    }
}

fn number_field(user: &User, field: NumberField) -> Option<f64> {
    match field {
        NumberField::Sessions => Some(user.sessions as f64),
        NumberField::MessagesSent => Some(user.messages_sent as f64),
        NumberField::Clicks => Some(user.clicks as f64),
        NumberField::TimeSpentSecs => Some(user.time_spent_secs as f64),
        NumberField::AverageSentiment => user.average_sentiment,
    }
}

fn time_field(user: &User, field: TimeField) -> Option<Micros> {
    match field {
        TimeField::LastMessageAt => user.last_message_at.map(to_micros),
        TimeField::CreatedAt => Some(to_micros(user.created_at)),
    }
}

fn has_tag(user: &User, folded_tag: &str) -> bool {
    user.tags.iter().any(|tag| fold(tag) == folded_tag)
}

/// A text test on an already folded value; an empty value passes nothing.
fn text_passes(folded: &str, test: &TextTest) -> bool {
    if folded.is_empty() {
        return false;
    }
    match test {
        TextTest::Equals(operand) => folded == operand,
        TextTest::Contains(operand) => folded.contains(operand.as_str()),
        TextTest::StartsWith(operand) => folded.starts_with(operand.as_str()),
        TextTest::EndsWith(operand) => folded.ends_with(operand.as_str()),
        TextTest::IsSet => true,
    }
}

fn number_passes(number: f64, test: &NumberTest) -> bool {
    match *test {
        NumberTest::Compare(op, operand) => op.holds(number, operand),
        NumberTest::Between(low, high) => low <= number && number <= high,
        NumberTest::IsSet => true,
    }
}

fn time_passes(time: Micros, test: &TimeTest, now: Micros) -> bool {
    match *test {
        TimeTest::Before(bound) => time < bound,
        TimeTest::After(bound) => time > bound,
        TimeTest::Between(start, end) => start <= time && time <= end,
        TimeTest::WithinLast(span) => time >= now.saturating_sub(span),
        TimeTest::MoreThanAgo(span) => time < now.saturating_sub(span),
        TimeTest::IsSet => true,
    }
}

#[cfg(test)]
mod tests;
