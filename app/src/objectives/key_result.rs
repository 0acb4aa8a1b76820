//! One key result on its objective's page: owner and due day, its bar, the
//! check-in form, the chart and the check-in history (its count moving live).

use leptos::prelude::*;

use super::model::KeyResultDetail;
use crate::checkins::{CheckInForm, CheckInWords};
use crate::i18n::*;
use crate::okr::{Meter, ReadingText};
use crate::ui::{LineChart, ShortDate, day_month, full_date, percent};

#[component]
pub(super) fn KeyResultDetailView(detail: KeyResultDetail) -> impl IntoView {
    let i18n = use_i18n();
    let KeyResultDetail {
        view: kr,
        milestones,
        history,
        chart,
        check_in,
    } = detail;
    let id = kr.id;
    let title = kr.title.clone();
    let chart_label = format!("{title}: {} %", percent(kr.progress));
    let (start_label, end_label) = (
        day_month(i18n, chart.start_ms),
        day_month(i18n, chart.end_ms),
    );
    let history_count = history.len();
    // The newest check-in shown: a live check-in after it adds one to the count.
    let newest = history.iter().map(|h| h.id).max().unwrap_or(0);
    view! {
        <article class="kr-detail card" id=format!("kr-{id}") aria-labelledby=format!("kr-title-{id}")>
            <h3 id=format!("kr-title-{id}")>{title.clone()}</h3>
            {(kr.owner.is_some() || kr.due.is_some()).then(|| {
                let both = kr.owner.is_some() && kr.due.is_some();
                view! {
                <p class="attention-meta">
                    {kr.owner.map(|(pid, name)| view! { {t!(i18n, owner)} ": " <a href=format!("/people/{pid}")>{name}</a> })}
                    {both.then_some(" · ")}
                    {kr.due.map(|day| {
                        let ms = day.and_hms_opt(12, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis());
                        let date = full_date(i18n, ms);
                        view! { <span class="kr-due">{t!(i18n, kr_due, date = move || date.clone())}</span> }
                    })}
                </p>
                }
            })}
            <Meter key=format!("k-{id}") progress=kr.progress verdict=kr.verdict explanation=kr.explanation label=title.clone() />
            {(!milestones.is_empty())
                .then(|| {
                    view! {
                        <ul class="milestones">
                            {milestones
                                .into_iter()
                                .map(|(name, done)| view! { <li class:done=done>{if done { "✓ " } else { "○ " }} {name}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
            {check_in.map(|spec| view! { <CheckInForm spec words=check_in_words(i18n) /> })}
            <LineChart chart label=chart_label start_label end_label />
            <details class="history" open=history_count <= 6>
                <summary>{t!(i18n, check_in_history, count = move || view! {
                    <span class="history-count" data-history=format!("k-{id}") data-newest=newest>{history_count}</span>
                })}</summary>
                {if history.is_empty() {
                    view! { <p class="empty">{t!(i18n, no_check_ins)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll">
                            <table>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, date)}</th>
                                        <th scope="col">{t!(i18n, explain_value)}</th>
                                        <th scope="col">{t!(i18n, explain_confidence)}</th>
                                        <th scope="col">{t!(i18n, note_and_author)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {history
                                        .into_iter()
                                        .rev()
                                        .map(|h| {
                                            view! {
                                                <tr>
                                                    <td><ShortDate ms=h.at_ms /></td>
                                                    <td><ReadingText reading=h.reading /></td>
                                                    <td>{format!("{}/10", h.confidence)}</td>
                                                    <td>
                                                        {h.note.map(|note| view! { <span class="note">{note}</span> })}
                                                        {h.author.map(|(pid, name)| view! { <span class="by"><a href=format!("/people/{pid}")>{name}</a></span> })}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }}
            </details>
        </article>
    }
}

pub fn check_in_words(i18n: leptos_i18n::I18nContext<Locale>) -> CheckInWords {
    let s = |text: &str| text.to_string();
    CheckInWords {
        open: s(t_string!(i18n, check_in_open)),
        value: s(t_string!(i18n, check_in_value)),
        done: s(t_string!(i18n, check_in_done)),
        confidence: s(t_string!(i18n, explain_confidence)),
        note: s(t_string!(i18n, check_in_note)),
        save: s(t_string!(i18n, check_in_save)),
        saving: s(t_string!(i18n, check_in_saving)),
        saved: s(t_string!(i18n, check_in_saved)),
        not_saved: s(t_string!(i18n, not_saved)),
        mark: crate::ui::decimal_mark(i18n),
        last: s(t_string!(i18n, check_in_last)),
        correct: s(t_string!(i18n, check_in_correct)),
        correcting: s(t_string!(i18n, check_in_correcting)),
        save_correction: s(t_string!(i18n, check_in_save_correction)),
        cancel: s(t_string!(i18n, cancel)),
        delete: s(t_string!(i18n, check_in_delete)),
        delete_confirm: s(t_string!(i18n, check_in_delete_confirm)),
        delete_yes: s(t_string!(i18n, check_in_delete_yes)),
    }
}
