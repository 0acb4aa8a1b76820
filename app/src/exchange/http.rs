//! `GET /admin/export/download`: the exchange document for an admin to
//! download, the whole installation or, with `unit` and `period`, one slice.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::Refused;
use crate::admin::http::admin_of;
use crate::storage::accounts::SignedIn;
use crate::storage::exchange::{self, ExchangeError, Slice, SliceError, Summary};
use crate::storage::{Db, StorageError, org, periods};

/// What the form sends: both empty for everything.
#[derive(Debug, Default, Deserialize)]
pub struct Choice {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    period: String,
}

impl Choice {
    /// None for the whole installation.
    fn slice(&self) -> Result<Option<Slice>, Refused> {
        match (self.unit.trim(), self.period.trim()) {
            ("", "") => Ok(None),
            (unit, period) => match (unit.parse(), period.parse()) {
                (Ok(unit), Ok(period)) => Ok(Some(Slice { unit, period })),
                _ => Err(Refused::Incomplete),
            },
        }
    }
}

/// `GET /admin/export/download`. Written to a scratch file first (memory stays
/// small however large the installation), then sent from it. A unit or period
/// that is not there sends the admin back to the page, which says so.
pub async fn download(
    State(db): State<Db>,
    signed_in: Option<axum::Extension<SignedIn>>,
    Query(choice): Query<Choice>,
) -> Response {
    let Some(me) = admin_of(signed_in) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let slice = match choice.slice() {
        Ok(slice) => slice,
        Err(refused) => return Redirect::to(&refused.address()).into_response(),
    };
    let name = match file_name(&db, slice).await {
        Ok(name) => name,
        Err(Some(refused)) => return Redirect::to(&refused.address()).into_response(),
        Err(None) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    match export_to_scratch(&db, slice).await {
        Ok((file, summary)) => {
            tracing::info!(
                admin = me.0,
                records = summary.total(),
                unit = slice.map(|s| s.unit),
                period = slice.map(|s| s.period),
                "installation exported"
            );
            // Fused: the compression layer polls once more after the end.
            let body = axum::body::Body::from_stream(futures::StreamExt::fuse(
                futures::stream::unfold(file, |mut file| async move {
                    use tokio::io::AsyncReadExt;
                    let mut chunk = vec![0u8; 1 << 16];
                    match file.read(&mut chunk).await {
                        Ok(0) => None,
                        Ok(n) => {
                            chunk.truncate(n);
                            Some((Ok::<_, std::io::Error>(chunk), file))
                        }
                        Err(error) => Some((Err(error), file)),
                    }
                }),
            ));
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/jsonl; charset=utf-8".to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                body,
            )
                .into_response()
        }
        // Gone between the look-up and the snapshot.
        Err(ExchangeError::Slice(SliceError::NoSuchUnit(_))) => {
            Redirect::to(&Refused::NoSuchUnit.address()).into_response()
        }
        Err(ExchangeError::Slice(SliceError::NoSuchPeriod(_))) => {
            Redirect::to(&Refused::NoSuchPeriod.address()).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "export failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `cairn-2026-12-06.jsonl`, or for a slice `cairn-klantenservice-2026-q4-2026-12-06.jsonl`.
/// Some(refusal) when the unit or period is not there.
async fn file_name(db: &Db, slice: Option<Slice>) -> Result<String, Option<Refused>> {
    let day = db.clock().today();
    let Some(slice) = slice else {
        return Ok(format!("cairn-{day}.jsonl"));
    };
    let missing = |refused: Refused| {
        move |error: StorageError| match error {
            StorageError::NotFound { .. } => Some(refused),
            _ => None,
        }
    };
    let unit = org::unit(db, cairn::ids::UnitId(slice.unit))
        .await
        .map_err(missing(Refused::NoSuchUnit))?;
    let period = periods::period(db, cairn::ids::PeriodId(slice.period))
        .await
        .map_err(missing(Refused::NoSuchPeriod))?;
    Ok(format!(
        "cairn-{}-{}-{day}.jsonl",
        slug(unit.name.as_str(), "unit", slice.unit),
        slug(&period.name, "period", slice.period)
    ))
}

/// A name as letters, digits and dashes a file name can hold anywhere;
/// `unit-7` when nothing of it is left.
fn slug(name: &str, what: &str, id: i64) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        format!("{what}-{id}")
    } else {
        out.chars().take(40).collect()
    }
}

/// The document in a scratch file, opened for reading and already unlinked (it
/// goes away once sent).
async fn export_to_scratch(
    db: &Db,
    slice: Option<Slice>,
) -> Result<(tokio::fs::File, Summary), ExchangeError> {
    let path = std::env::temp_dir().join(format!(
        "cairn-export-{}-{}.jsonl",
        std::process::id(),
        db.now_ms()
    ));
    let written = async {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&path)?);
        let summary = match slice {
            None => exchange::export(db, &mut out, &exchange::Quiet).await?,
            Some(slice) => exchange::export_slice(db, slice, &mut out, &exchange::Quiet).await?,
        };
        std::io::Write::flush(&mut out)?;
        let file = tokio::fs::File::open(&path).await?;
        Ok::<_, ExchangeError>((file, summary))
    }
    .await;
    let _ = std::fs::remove_file(&path);
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_file_names() {
        assert_eq!(slug("Klantenservice", "unit", 3), "klantenservice");
        assert_eq!(slug("2026 Q4", "period", 9), "2026-q4");
        assert_eq!(slug("R&D / Ĳssel \"x\"", "unit", 3), "r-d-ssel-x");
        assert_eq!(slug("日本語", "unit", 7), "unit-7");
        assert_eq!(slug("", "period", 2), "period-2");
    }

    #[test]
    fn a_choice_is_both_or_neither() {
        let choice = |unit: &str, period: &str| Choice {
            unit: unit.into(),
            period: period.into(),
        };
        assert_eq!(choice("", "").slice(), Ok(None));
        assert_eq!(
            choice("3", " 9 ").slice(),
            Ok(Some(Slice { unit: 3, period: 9 }))
        );
        assert_eq!(choice("3", "").slice(), Err(Refused::Incomplete));
        assert_eq!(choice("", "9").slice(), Err(Refused::Incomplete));
        assert_eq!(choice("drie", "9").slice(), Err(Refused::Incomplete));
        assert_eq!(
            choice("99999999999999999999", "9").slice(),
            Err(Refused::Incomplete)
        );
    }
}
