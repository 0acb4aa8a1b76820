//! The front page's views.

use cairn::{Progress, metric_progress};
use leptos::prelude::*;

use super::{Overview, get_overview};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::{ProgressBar, use_hydrated, use_island_i18n};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = OnceResource::new(get_overview());

    view! {
        <section class="hero">
            <Suspense fallback=move || view! { <h1>{t!(i18n, app_name)}</h1> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(o) => {
                            let organisation = o.organisation.clone();
                            let date = o.since.format("%Y-%m-%d").to_string();
                            view! {
                                <h1>{t!(i18n, welcome_title, organisation = move || organisation.clone())}</h1>
                                <p class="since">
                                    <time datetime=o.since.to_rfc3339()>{t!(i18n, since, date = move || date.clone())}</time>
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            let reason = e.to_string();
                            view! {
                                <h1>{t!(i18n, app_name)}</h1>
                                <p class="error" role="alert">{t!(i18n, status_error, reason = move || reason.clone())}</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <p class="lead">{t!(i18n, welcome_lead)}</p>
        </section>
        <div class="cards">
            <KeyResultPreview />
            <InstallationStatus data />
        </div>
    }
}

/// Facts about this installation, read from the database through a server function.
#[component]
fn InstallationStatus(data: OnceResource<Result<Overview, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card status" aria-labelledby="status-title">
            <h2 id="status-title">{t!(i18n, status_title)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    data.await
                        .ok()
                        .map(|o| {
                            view! {
                                <dl>
                                    <dt>{t!(i18n, status_database)}</dt>
                                    <dd data-testid="database">{o.database}</dd>
                                    <dt>{t!(i18n, status_schema)}</dt>
                                    <dd data-testid="schema-version">{o.schema_version}</dd>
                                </dl>
                            }
                        })
                })}
            </Suspense>
        </section>
    }
}

const START: f64 = 400.0;
const TARGET: f64 = 1000.0;
const STEP: f64 = 50.0;

/// A sample key result whose progress follows its current value, using the
/// domain's rule in the browser. An island: the only part of this page that ships
/// as wasm; its buttons work once it has hydrated.
#[island]
fn KeyResultPreview() -> impl IntoView {
    let i18n = use_island_i18n();
    let hydrated = use_hydrated();
    let (current, set_current) = signal(700.0_f64);
    let progress = Signal::derive(move || {
        metric_progress(START, TARGET, current.get()).unwrap_or(Progress::ZERO)
    });
    let step = move |delta: f64| set_current.update(|v| *v = (*v + delta).clamp(0.0, 2.0 * TARGET));

    view! {
        <section class="card try" aria-labelledby="try-title" data-ready=move || hydrated.get().then_some("")>
            <h2 id="try-title">{t!(i18n, try_title)}</h2>
            <p>{t!(i18n, try_lead)}</p>
            <p class="kr-title">{t!(i18n, try_kr, start = || START, target = || TARGET)}</p>
            <ProgressBar progress label=Signal::derive(move || t_string!(i18n, progress_label).to_string()) />
            <p class="progress-text" data-testid="progress-text" aria-live="polite">
                {t!(i18n, progress_of, percent = move || progress.get().percent())}
            </p>
            <div class="stepper">
                <button type="button" on:click=move |_| step(-STEP) aria-label=move || t_string!(i18n, step_down, step = STEP).to_string()>
                    "−"
                </button>
                <output data-testid="current-value" aria-label=move || t_string!(i18n, current_value).to_string()>
                    {move || current.get()}
                </output>
                <button type="button" on:click=move |_| step(STEP) aria-label=move || t_string!(i18n, step_up, step = STEP).to_string()>
                    "+"
                </button>
            </div>
        </section>
    }
}
