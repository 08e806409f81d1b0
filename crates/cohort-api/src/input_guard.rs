//! The one check every request's path and query string pass before routing: no segment,
//! parameter name or value holds, once percent-decoded, NUL or another control character
//! no field may hold (`cohort_core::text::is_forbidden_control`). Such a request is a 400
//! problem pointing at the value (`/path/<segment>`, `/query/<name>`), never passed on to
//! a handler or the database (PostgreSQL refuses NUL in text with an error).
//!
//! Bodies are checked by `JsonBody` (see `strict_json`); header values cannot hold
//! controls (the HTTP parser refuses them).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use cohort_core::api::FieldError;
use cohort_core::text;

use crate::error::ApiError;
use crate::strict_json::escape_pointer;

/// Middleware: refuses a request whose path or query string holds a forbidden control.
pub(crate) async fn refuse_control_characters(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let errors = problems(request.path(), request.query_string());
    if !errors.is_empty() {
        let error = ApiError::from(errors);
        return Ok(request.error_response(error).map_into_right_body());
    }
    next.call(request)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Every forbidden control in a raw (percent-encoded) path and query string.
pub(crate) fn problems(path: &str, query: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let report = |errors: &mut Vec<FieldError>, pointer: String, what: &str, control: char| {
        errors.push(FieldError::new(
            pointer,
            format!(
                "{what} holds the control character {}, which no field accepts",
                text::describe_control(control)
            ),
        ));
    };
    for (index, segment) in path.trim_start_matches('/').split('/').enumerate() {
        let decoded = percent_decode(segment);
        if let Some(control) = text::forbidden_control(&decoded) {
            report(
                &mut errors,
                format!("/path/{index}"),
                "this part of the path",
                control,
            );
        }
    }
    if !query.is_empty() {
        match web::Query::<Vec<(String, String)>>::from_query(query) {
            Ok(pairs) => {
                for (name, value) in pairs.into_inner() {
                    let pointer = format!("/query/{}", escape_pointer(&name));
                    if let Some(control) = text::forbidden_control(&name) {
                        report(&mut errors, pointer, "a parameter's name", control);
                    } else if let Some(control) = text::forbidden_control(&value) {
                        report(&mut errors, pointer, "the parameter", control);
                    }
                }
            }
            Err(error) => errors.push(FieldError::new(
                "/query",
                format!("invalid query string: {error}"),
            )),
        }
    }
    errors
}

/// `%XX` sequences decoded to bytes, read as UTF-8 (invalid sequences replaced).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(path: &str, query: &str) -> Vec<String> {
        problems(path, query)
            .into_iter()
            .map(|error| error.pointer)
            .collect()
    }

    #[test]
    fn controls_in_the_path_or_query_point_at_their_place() {
        assert!(pointers("/api/v1/bots/12/users", "limit=5&sort=-name").is_empty());
        assert_eq!(pointers("/api/v1/bots/%00", ""), ["/path/3"]);
        assert_eq!(
            pointers("/api/v1/bots/1/users", "sort=a%00"),
            ["/query/sort"]
        );
        assert_eq!(pointers("/api/v1/bots", "cursor=%C2%85"), ["/query/cursor"]);
        assert_eq!(pointers("/api/v1/bots", "x%01=1"), ["/query/x\u{1}"]);
        assert!(pointers("/api/v1/bots", "filter=%7B%22a%22%3A%22b%5Cu0000%22%7D").is_empty());
        assert!(pointers("/a%2", "q=%zz").is_empty());
    }
}
