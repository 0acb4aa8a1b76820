//! Where a form or link may send the browser next (`next=`, `to=`, `back=`): a
//! place on this site, judged the way the browser will read it.
//!
//! Browsers drop tabs and newlines from addresses, read a backslash as a slash and
//! resolve `//host` against the scheme, so `/\t/evil.example` leads off-site. The
//! address is therefore parsed as a browser parses it (the WHATWG URL rules, as
//! the `url` crate implements them) and kept only when it stays on this origin.

use url::{Position, Url};

/// An origin nothing else can have: a relative address that still points to it
/// after parsing stays on Cairn.
const HERE: &str = "http://cairn.invalid/";

/// Why a return address was refused outright (answered 400): it could split or
/// forge a header, or hides what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    ControlCharacter,
}

/// The path (with query and fragment) to send the browser to: `to` when it names
/// a place on this site, `/` when it is missing or leads elsewhere. Control
/// characters (CR, LF, tab, ...) are refused.
pub fn local(to: Option<&str>) -> Result<String, Refused> {
    let Some(to) = to else {
        return Ok("/".to_string());
    };
    if to.chars().any(char::is_control) {
        return Err(Refused::ControlCharacter);
    }
    if !to.starts_with('/') {
        return Ok("/".to_string());
    }
    let Ok(base) = Url::parse(HERE) else {
        return Ok("/".to_string());
    };
    match base.join(to) {
        Ok(url) if url.origin() == base.origin() => Ok(url[Position::BeforePath..].to_string()),
        _ => Ok("/".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_are_kept() {
        assert_eq!(
            local(Some("/units/7?tab=okrs")).unwrap(),
            "/units/7?tab=okrs"
        );
        assert_eq!(local(Some("/tree?q=x#row-3")).unwrap(), "/tree?q=x#row-3");
        assert_eq!(local(None).unwrap(), "/");
        // An encoded slash stays encoded: the browser does not decode it either.
        assert_eq!(
            local(Some("/%2F%2Fevil.example/")).unwrap(),
            "/%2F%2Fevil.example/"
        );
        assert_eq!(local(Some("/a/../b")).unwrap(), "/b");
    }

    #[test]
    fn anything_that_leads_elsewhere_goes_home() {
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example/",
            "tree",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(local(Some(bad)).unwrap(), "/", "{bad:?}");
        }
    }

    #[test]
    fn control_characters_are_refused() {
        for bad in [
            "/\t/evil.example/",
            "/a\r\nSet-Cookie: x=1",
            "/\n/evil",
            "/\0",
        ] {
            assert_eq!(local(Some(bad)), Err(Refused::ControlCharacter), "{bad:?}");
        }
    }
}
