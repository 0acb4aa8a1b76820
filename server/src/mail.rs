//! `cairn mail test` and the outbox's mail sender of `cairn serve`.

use std::time::Duration;

use app::mail::Mail;
use app::mail::drain::Drain;
use app::mail::sender::{MailSettings, Sender};
use app::storage::Db;
use app::storage::outbox::{self, Channel, MessageKind, Outgoing};

use crate::cli::GlobalArgs;
use crate::cli::mail::{MailArgs, MailTestArgs};
use crate::database;
use crate::error::StartupError;

/// The test message, in both languages: nobody chose one for it.
fn test_mail(public_base: &str) -> Mail {
    Mail {
        subject: "Cairn: test message / testbericht".into(),
        text: format!(
            "This message was sent by `cairn mail test`: mail from Cairn ({public_base}) reaches you.\n\n\
             Dit bericht is verstuurd met `cairn mail test`: mail van Cairn ({public_base}) komt bij je aan.\n"
        ),
        html: None,
        unsubscribe: None,
    }
}

/// `cairn mail test --to ...`: sends one message and prints the server's answer
/// (or with --queue, puts it in the outbox for a running Cairn).
pub async fn run_test(global: &GlobalArgs, args: &MailTestArgs) -> Result<(), StartupError> {
    let mail = test_mail(&global.public_base());
    if args.queue {
        let db = database::open(global).await?;
        let message = Outgoing {
            channel: Channel::Mail,
            kind: MessageKind::Test,
            recipient: args.to.clone(),
            payload: serde_json::to_string(&mail)
                .map_err(|e| StartupError::MailTest(e.to_string()))?,
        };
        let queued = outbox::queue(&db, &message).await;
        db.close().await;
        println!(
            "queued as message {}; a running Cairn with mail settings sends it",
            queued?
        );
        return Ok(());
    }
    let settings = args
        .mail
        .settings()
        .map_err(StartupError::Mail)?
        .ok_or_else(|| StartupError::Mail(vec!["give --smtp-host and --mail-from".into()]))?;
    let sender = Sender::new(&settings).map_err(|e| StartupError::Mail(vec![e]))?;
    let answer = sender
        .send(&args.to, &mail, None)
        .await
        .map_err(|e| StartupError::MailTest(e.to_string()))?;
    println!(
        "sent to {} through {}:{}; the server answered: {answer}",
        args.to, settings.host, settings.port
    );
    Ok(())
}

/// The outbox's mail sender for `serve`.
pub fn drain(db: &Db, settings: &MailSettings, args: &MailArgs) -> Result<Drain, StartupError> {
    let sender = Sender::new(settings).map_err(|e| StartupError::Mail(vec![e]))?;
    tracing::info!(host = %settings.host, port = settings.port, "mail is sent through this SMTP server");
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "node".into());
    Ok(Drain {
        db: db.clone(),
        sender,
        owner: format!(
            "{host}:{}:{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ),
        poll: Duration::from_millis(500),
        retry_ms: i64::from(args.mail_retry_seconds) * 1000,
        max_attempts: i64::from(args.mail_max_attempts),
    })
}
