//! The HTML shell and the router.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::home::HomePage;
use crate::i18n::*;
use crate::layout::{Layout, NotFound};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
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

    view! {
        <I18nContextProvider cookie_options=crate::layout::language_cookie()>
            <Stylesheet id="cairn" href="/pkg/cairn.css" />
            <PageTitle />
            <Router>
                <Layout>
                    <Routes fallback=NotFound>
                        // Async: the server waits for the page's data and sends complete HTML,
                        // readable before (or without) the wasm.
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn PageTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || format!("{} · {}", t_string!(i18n, app_name), t_string!(i18n, tagline)) /> }
}
