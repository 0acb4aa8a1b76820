//! `cairn serve`: bind, open the database, serve until asked to stop.

use app::live::server::Hub;
use tokio::net::TcpListener;

use crate::cli::{GlobalArgs, ServeArgs};
use crate::error::StartupError;
use crate::{database, http, shutdown};

pub async fn run(global: &GlobalArgs, args: &ServeArgs) -> Result<(), StartupError> {
    // Bind first: a busy port is reported before any work is done.
    let listener = TcpListener::bind(args.bind)
        .await
        .map_err(|error| StartupError::bind(args.bind, error))?;
    let addr = listener
        .local_addr()
        .map_err(|error| StartupError::bind(args.bind, error))?;

    let stop = shutdown::install().map_err(StartupError::Signals)?;
    let db = database::open(global).await?;
    if args.demo_if_empty {
        database::demo_if_empty(&db).await?;
    }
    let live = Hub::start(db.clone()).await?;
    let router = http::router(db.clone(), live.clone(), &args.site_root, addr);
    // Open event streams never finish by themselves: end them when asked to stop.
    let stop = async move {
        stop.await;
        live.close();
    };

    tracing::info!("Cairn is listening on http://{addr}");
    axum::serve(listener, router)
        .with_graceful_shutdown(stop)
        .await
        .map_err(StartupError::Serve)?;

    db.close().await;
    tracing::info!("stopped");
    Ok(())
}
