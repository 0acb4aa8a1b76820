//! `GET /admin/export`: the whole installation as the exchange document, for an
//! admin to download.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::admin_of;
use crate::storage::Db;
use crate::storage::accounts::SignedIn;

/// `GET /admin/export`: the whole installation as the exchange document, for an
/// admin to download. Written to a scratch file first (memory stays small however
/// large the installation), then sent from it.
pub async fn export_download(
    State(db): State<Db>,
    signed_in: Option<axum::Extension<SignedIn>>,
) -> Response {
    let Some(me) = admin_of(signed_in) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    match export_to_scratch(&db).await {
        Ok((file, summary)) => {
            tracing::info!(
                admin = me.0,
                records = summary.total(),
                "installation exported"
            );
            let day = db.clock().today();
            let body = futures::stream::unfold(file, |mut file| async move {
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
            });
            (
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "application/jsonl; charset=utf-8".to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"cairn-{day}.jsonl\""),
                    ),
                ],
                axum::body::Body::from_stream(body),
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "export failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The document in a scratch file, opened for reading and already unlinked (it
/// goes away once sent).
async fn export_to_scratch(
    db: &Db,
) -> Result<
    (tokio::fs::File, crate::storage::exchange::Summary),
    crate::storage::exchange::ExchangeError,
> {
    use crate::storage::exchange;
    let path = std::env::temp_dir().join(format!(
        "cairn-export-{}-{}.jsonl",
        std::process::id(),
        db.now_ms()
    ));
    let written = async {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&path)?);
        let summary = exchange::export(db, &mut out, &exchange::Quiet).await?;
        std::io::Write::flush(&mut out)?;
        let file = tokio::fs::File::open(&path).await?;
        Ok::<_, exchange::ExchangeError>((file, summary))
    }
    .await;
    let _ = std::fs::remove_file(&path);
    written
}
