//! The HTML shell and the router. Rendered on the server only: the browser receives
//! HTML, and only the islands (`#[island]` components) become interactive.

use leptos::prelude::*;
use leptos_i18n::context::init_i18n_context;
use leptos_meta::{Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::admin::{
    AdminImportPage, AdminOutboxPage, AdminPeoplePage, AdminSignInPage, AdminUnitsPage,
};
use crate::audit::AuditPage;
use crate::auth::{AccountPage, ForgotPage, SignInLinkPage, SignInPage};
use crate::editor::{EditObjectivePage, NewObjectivePage};
use crate::grading::{GradePage, PeriodsPage, SummaryPage};
use crate::home::HomePage;
use crate::i18n::*;
use crate::layout::{Layout, NotFound};
use crate::mine::MyOkrsPage;
use crate::notices::{InboxPageView, UnsubscribePage};
use crate::objectives::ObjectivePageView;
use crate::people::PersonPageView;
use crate::plan::PlanPageView;
use crate::search::SearchPage;
use crate::tree::TreePageView;
use crate::units::UnitPageView;

/// The document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let path = page_path();
    let options = bundle_for_page(options, &path);
    let routed = crate::bundles::routed(&path);
    // The bundle's directory carries its content hash: the stylesheet is cached
    // as long as the bundle it belongs to.
    let stylesheet = format!("/{}/cairn.css", options.site_pkg_dir);
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="cairn" href=stylesheet />
                // islands_router: links and forms fetch the next page and patch the
                // document, so navigation stays client-side (where the page allows).
                <HydrationScripts options islands=true islands_router=routed />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The whole application: language, page metadata and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The language follows Accept-Language; the server puts a remembered choice
    // (the LANGUAGE_COOKIE) there before the page renders.
    // leptos_i18n is patched not to start an effect here (see vendor/README.md):
    // on the server it could run after the page is gone and panic.
    let i18n = init_i18n_context::<Locale>();
    provide_context(i18n);
    // Read now, not in a closure: the document's head is rendered after the body,
    // when this component's reactive values may already be gone.
    let lang = i18n.get_locale_untracked().as_str();

    view! {
        <Html attr:lang=lang attr:dir="ltr" />
        <PageTitle />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    // Async: the server waits for the page's data and sends complete
                    // HTML, readable before (or without) the wasm.
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/units/:id") view=UnitPageView ssr=SsrMode::Async />
                    <Route path=path!("/people/:id") view=PersonPageView ssr=SsrMode::Async />
                    <Route path=path!("/objectives/new") view=NewObjectivePage ssr=SsrMode::Async />
                    <Route path=path!("/objectives/:id/edit") view=EditObjectivePage ssr=SsrMode::Async />
                    <Route path=path!("/objectives/:id/grade") view=GradePage ssr=SsrMode::Async />
                    <Route path=path!("/objectives/:id/delete") view=crate::removal::DeleteObjectivePage ssr=SsrMode::Async />
                    <Route path=path!("/objectives/:id") view=ObjectivePageView ssr=SsrMode::Async />
                    <Route path=path!("/periods") view=PeriodsPage ssr=SsrMode::Async />
                    <Route path=path!("/periods/:id/summary") view=SummaryPage ssr=SsrMode::Async />
                    <Route path=path!("/periods/:id/close") view=crate::grading::ClosePage ssr=SsrMode::Async />
                    <Route path=path!("/units/:id/grade") view=crate::grading::UnitGradingPage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/tree") view=TreePageView ssr=SsrMode::Async />
                    <Route path=path!("/plan/:id") view=PlanPageView ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in/link/:token") view=SignInLinkPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/my") view=MyOkrsPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/people") view=AdminPeoplePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/units") view=AdminUnitsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/import") view=AdminImportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/sheets") view=crate::sheets::SheetImportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/export") view=crate::exchange::AdminExportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/sign-in") view=AdminSignInPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view=AdminOutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tokens") view=crate::tokens::AdminTokensPage ssr=SsrMode::Async />
                    <Route path=path!("/webhooks") view=crate::webhooks::WebhooksListPage ssr=SsrMode::Async />
                    <Route path=path!("/webhooks/:id") view=crate::webhooks::WebhookDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/inbox") view=InboxPageView ssr=SsrMode::Async />
                    <Route path=path!("/sign-in/forgot") view=ForgotPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/unsubscribe/:person/:kind/:signature")
                        view=UnsubscribePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}

#[component]
fn PageTitle() -> impl IntoView {
    let i18n = use_i18n();
    // A plain string: leptos_meta renders the title into the head after the body,
    // and a closure read then may find its reactive owner disposed (a panic under
    // concurrent requests).
    let title = format!(
        "{} · {}",
        t_string!(i18n, app_name),
        t_string!(i18n, tagline)
    );
    view! { <Title text=title /> }
}

/// Scripts run only with this page's nonce (Leptos puts it on every script it
/// writes) or when loaded by one of them; nothing frames the page.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{HeaderValue, header};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The path of the page being rendered.
#[cfg(feature = "ssr")]
fn page_path() -> String {
    use_context::<axum::http::request::Parts>()
        .map(|parts| parts.uri.path().to_string())
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn page_path() -> String {
    String::new()
}

/// The bundle the page loads (see `crate::bundles`). Links into a page that
/// loads another bundle load it in full (rel=external).
#[cfg(feature = "ssr")]
fn bundle_for_page(mut options: LeptosOptions, path: &str) -> LeptosOptions {
    if let Some(suffix) = crate::bundles::Bundle::for_path(path).suffix() {
        options.output_name = format!("{}-{suffix}", options.output_name).into();
    }
    options
}

#[cfg(not(feature = "ssr"))]
fn bundle_for_page(options: LeptosOptions, _path: &str) -> LeptosOptions {
    options
}
