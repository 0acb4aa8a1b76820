//! `/admin/export`: download everything, or one unit and period. Plain forms
//! and links: each answers with a file, not a page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::export_offer;
use super::model::{DOWNLOAD, ExportChoices, Refused, SCHEMA};
use crate::i18n::*;

#[component]
pub fn AdminExportPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| export_offer());
    crate::layout::loaded(data, |choices| view! { <Export choices /> })
}

#[component]
fn Export(choices: ExportChoices) -> impl IntoView {
    let i18n = use_i18n();
    let refused =
        use_query_map().with_untracked(|q| q.get("refused").and_then(|r| Refused::parse(&r)));
    let refusal = refused.map(|refused| {
        let said = match refused {
            Refused::Incomplete => t_string!(i18n, export_refused_incomplete),
            Refused::NoSuchUnit => t_string!(i18n, export_refused_unit),
            Refused::NoSuchPeriod => t_string!(i18n, export_refused_period),
        };
        view! { <p class="form-error" role="alert" id="export-refused">{said}</p> }
    });
    let inactive = t_string!(i18n, admin_inactive).to_string();
    let units = choices
        .units
        .iter()
        .map(|u| {
            let mut label = format!("{}{}", "\u{a0}\u{a0}".repeat(u.depth), u.name);
            if !u.active {
                label.push_str(&format!(" ({inactive})"));
            }
            view! { <option value=u.id.to_string()>{label}</option> }
        })
        .collect_view();
    let periods = choices
        .periods
        .iter()
        .map(|p| view! { <option value=p.id.to_string() selected=choices.current == Some(p.id)>{p.name.clone()}</option> })
        .collect_view();
    view! {
        <section class="page-head">
            <div>
                <p class="eyebrow">{t!(i18n, admin_eyebrow)}</p>
                <h1>{t!(i18n, admin_export_title)}</h1>
                <p class="lead">{t!(i18n, export_lead)}</p>
                <p class="page-links">
                    <a href=SCHEMA rel="external">{t!(i18n, export_schema)}</a>
                </p>
            </div>
        </section>
        <section class="editor export-part" aria-labelledby="export-whole">
            <h2 id="export-whole">{t!(i18n, export_whole_title)}</h2>
            <p class="hint">{t!(i18n, export_whole_hint)}</p>
            <div class="editor-actions">
                <a class="button primary" href=DOWNLOAD download="" rel="external" id="export-everything">
                    {t!(i18n, export_whole_button)}
                </a>
            </div>
        </section>
        <form class="editor export-part" method="get" action=DOWNLOAD aria-labelledby="export-slice">
            <h2 id="export-slice">{t!(i18n, export_slice_title)}</h2>
            <p class="hint">{t!(i18n, export_slice_hint)}</p>
            {refusal}
            <div class="field">
                <label for="export-unit">{t!(i18n, unit)}</label>
                <select id="export-unit" name="unit" required>{units}</select>
            </div>
            <div class="field">
                <label for="export-period">{t!(i18n, period)}</label>
                <select id="export-period" name="period" required>{periods}</select>
            </div>
            <div class="editor-actions">
                <button type="submit" class="primary">{t!(i18n, export_slice_button)}</button>
            </div>
        </form>
    }
}
