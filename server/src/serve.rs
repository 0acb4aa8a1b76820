//! `cairn serve`: bind, open the database, serve until asked to stop.

use app::live::server::Hub;
use tokio::net::TcpListener;

use crate::cli::{GlobalArgs, ServeArgs};
use crate::error::StartupError;
use crate::metrics::{Metrics, Scrape};
use crate::{database, http, shutdown};

pub async fn run(global: &GlobalArgs, args: &ServeArgs) -> Result<(), StartupError> {
    // Bind first: a busy port is reported before any work is done.
    let listener = TcpListener::bind(args.bind)
        .await
        .map_err(|error| StartupError::bind(args.bind, error))?;
    let addr = listener
        .local_addr()
        .map_err(|error| StartupError::bind(args.bind, error))?;

    let metrics_listener = match args.metrics_bind {
        Some(bind) => Some(
            TcpListener::bind(bind)
                .await
                .map_err(|error| StartupError::bind(bind, error))?,
        ),
        None => None,
    };
    let stop = shutdown::install().map_err(StartupError::Signals)?;
    let sign_in = args
        .sign_in
        .settings(global.public_url.clone())
        .map_err(StartupError::SignIn)?;
    // Checked before the database is opened, like the sign-in settings.
    let mail = args.mail.settings().map_err(StartupError::Mail)?;

    let db = database::open(global).await?;
    if let Some(day) = global.today {
        tracing::info!(%day, "the clock starts on a day of its own: as if today were {day}");
    }
    if args.demo_if_empty {
        database::demo_if_empty(&db).await?;
    }
    let base = global
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    if let Some(path) = crate::admin::first_start(&db).await? {
        // Printed, not only logged: the operator needs it to get in at all.
        println!(
            "No admin yet: created {}. Sign in once, within 24 hours, at:\n{base}{path}",
            crate::admin::FIRST_ADMIN_EMAIL
        );
        tracing::info!(link = %format!("{base}{path}"), "first admin's one-time sign-in link");
    }
    // A provider that cannot be reached does not stop Cairn: its button says so.
    tokio::spawn({
        let providers = sign_in.providers.clone();
        async move { providers.discover_all().await }
    });
    let mail_route = mail.as_ref().map(|m| format!("{}:{}", m.host, m.port));
    if let Some(settings) = &mail {
        let drain = crate::mail::drain(&db, settings, &args.mail)?;
        // Ends with the process: a message half-sent then is tried again once
        // its lease runs out, under the same Message-ID.
        tokio::spawn(drain.run(std::future::pending()));
    }
    let postman = app::notices::Postman::new(
        &base,
        &app::storage::notices::signing_key(&db).await?,
        mail.is_some(),
    );
    // Reminders, digests and batched mentions: every node looks, each moment is
    // acted on once (see app::notices::schedule).
    tokio::spawn(
        app::notices::schedule::Scheduler {
            db: db.clone(),
            postman: postman.clone(),
            batch_gap_ms: i64::from(args.mail.mail_batch_minutes) * 60_000,
            every: std::time::Duration::from_secs(5),
        }
        .run(std::future::pending()),
    );
    // Webhooks: every node sends what is queued, one webhook at a time each.
    let webhook_settings = args.api.webhook_settings();
    let sender = app::webhooks::deliver::Sender::new(db.clone(), postman.clone(), webhook_settings)
        .map_err(|e| StartupError::Webhooks(e.to_string()))?;
    tokio::spawn(sender.run(std::time::Duration::from_secs(1), std::future::pending()));
    // The next quarter, ahead of time, if asked for: every node looks; the
    // calendar's unique index lets one make it.
    if let Some(days) = args.plan_periods_ahead {
        tokio::spawn(
            app::grading::server::periods::Planner {
                db: db.clone(),
                days,
                every: std::time::Duration::from_secs(60),
            }
            .run(std::future::pending()),
        );
    }
    let live = Hub::start(db.clone()).await?;
    let metrics = Metrics::install(args.metrics_token.clone()).map_err(StartupError::Metrics)?;
    let scrape = Scrape {
        metrics: metrics.clone(),
        db: db.clone(),
        live: live.clone(),
    };
    if let Some(listener) = metrics_listener {
        serve_metrics(listener, scrape, live.clone());
    }
    let router = http::router(http::Site {
        db: db.clone(),
        live: live.clone(),
        files: crate::site::Site::open(args.site_root.as_deref()),
        site_root: args.site_root.as_deref(),
        addr,
        https: global.https(),
        trusted_proxies: app::auth::client::TrustedProxies::new(args.trusted_proxies.clone()),
        metrics,
        sign_in,
        mail_route,
        postman,
        api_limits: app::api::Limits::per_minute(args.api.api_requests_per_minute),
        webhooks: webhook_settings,
        plan_ahead_days: args.plan_periods_ahead,
    });
    // Open event streams never finish by themselves: end them when asked to stop.
    let stop = async move {
        stop.await;
        live.close();
    };

    tracing::info!("Cairn is listening on http://{addr}");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
    .map_err(StartupError::Serve)?;

    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Serves `/metrics` on its own address until the hub closes (at shutdown).
fn serve_metrics(listener: TcpListener, scrape: Scrape, live: Hub) {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!("metrics are served at http://{addr}/metrics");
    }
    tokio::spawn(async move {
        let served = axum::serve(listener, http::metrics_router(scrape))
            .with_graceful_shutdown(async move { live.closed().await })
            .await;
        if let Err(error) = served {
            tracing::error!(%error, "the metrics listener stopped");
        }
    });
}
