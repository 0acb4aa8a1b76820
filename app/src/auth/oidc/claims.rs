//! What a provider says about a person, read from the verified ID token's claims
//! and the user info answer, by the claim names the settings give.

use cairn::values::{Email, Name};
use serde_json::{Map, Value};

use super::ProviderSettings;
use crate::auth::notice::SsoRefusal;

/// A person as the provider vouches for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Vouched {
    pub subject: String,
    pub email: Email,
    pub name: Name,
    pub groups: Vec<String>,
}

/// The claims of a JWT whose signature has been verified already (by the
/// `openidconnect` crate): its payload as JSON.
pub fn payload(jwt: &str) -> Option<Map<String, Value>> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Reads the person out of the claims (the ID token's, with the user info's
/// over them).
pub fn vouched(
    settings: &ProviderSettings,
    subject: &str,
    claims: &Map<String, Value>,
) -> Result<Vouched, SsoRefusal> {
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let email = text(&settings.email_claim)
        .and_then(|raw| Email::parse(raw).ok())
        .ok_or(SsoRefusal::NoEmail)?;
    let verified = match claims.get("email_verified") {
        Some(Value::Bool(verified)) => *verified,
        Some(Value::String(text)) => text.eq_ignore_ascii_case("true"),
        _ => false,
    };
    if !verified && !settings.trust_email {
        return Err(SsoRefusal::Unverified);
    }
    let joined = [text("given_name"), text("family_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let local = email.as_str().split('@').next().unwrap_or_default();
    let name = [
        text(&settings.name_claim),
        Some(joined.as_str()).filter(|j| !j.is_empty()),
        text("preferred_username"),
        Some(local),
    ]
    .into_iter()
    .flatten()
    .find_map(|candidate| {
        let clean: String = candidate
            .chars()
            .filter(|c| !c.is_control())
            .take(Name::MAX)
            .collect();
        Name::parse(&clean).ok()
    })
    .ok_or(SsoRefusal::NoEmail)?;
    let groups = match claims.get(&settings.groups_claim) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    };
    Ok(Vouched {
        subject: subject.to_string(),
        email,
        name,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_settings_name_the_claims() {
        let mut settings = ProviderSettings::new("corp", "https://id.example.org", "cairn");
        let person = vouched(
            &settings,
            "s-1",
            &claims(json!({
                "email": "Ada@Example.org", "email_verified": "true",
                "given_name": "Ada", "family_name": "Lovelace", "groups": ["a", 3, "b"]
            })),
        )
        .unwrap();
        assert_eq!(person.email.as_str(), "ada@example.org");
        assert_eq!(person.name.as_str(), "Ada Lovelace");
        assert_eq!(person.groups, ["a", "b"]);

        settings.email_claim = "upn".into();
        settings.groups_claim = "roles".into();
        let upn = claims(json!({ "upn": "b@example.org", "roles": "okr-admins" }));
        assert_eq!(vouched(&settings, "s", &upn), Err(SsoRefusal::Unverified));
        settings.trust_email = true;
        let person = vouched(&settings, "s", &upn).unwrap();
        assert_eq!(
            person.name.as_str(),
            "b",
            "no name claim: the email's local part"
        );
        assert_eq!(person.groups, ["okr-admins"]);
    }

    #[test]
    fn no_email_or_an_unverified_one_is_refused() {
        let settings = ProviderSettings::new("corp", "https://id.example.org", "cairn");
        for bad in [
            json!({ "name": "x" }),
            json!({ "email": "not an address", "email_verified": true }),
        ] {
            assert_eq!(
                vouched(&settings, "s", &claims(bad)),
                Err(SsoRefusal::NoEmail)
            );
        }
        let unverified = json!({ "email": "a@example.org", "email_verified": false });
        assert_eq!(
            vouched(&settings, "s", &claims(unverified)),
            Err(SsoRefusal::Unverified)
        );
    }

    #[test]
    fn a_payload_reads_without_padding() {
        use base64::Engine;
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"sub":"x"}"#);
        assert_eq!(payload(&format!("h.{body}.s")).unwrap()["sub"], "x");
        assert!(payload("no-dots").is_none());
    }
}
