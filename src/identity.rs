//! Signing in with an identity provider: which email domains may arrive by
//! themselves, and what a person's groups at the provider make them in Cairn.
//!
//! A group map is a list of rules, `group=admin`, `group=Unit name` (a member) or
//! `group=Unit name:lead`. It is applied at every sign-in and manages exactly what
//! it names: the units it mentions (someone in none of a unit's groups leaves it)
//! and, when a rule grants it, the admin right. Everything else stays as admins set it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Role;
use crate::values::Email;

/// What a group grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grant {
    /// The admin right.
    Admin,
    /// Membership of the unit of this name, with this role.
    Unit { name: String, role: Role },
}

/// One rule of a group map: members of `group` get `grant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRule {
    pub group: String,
    pub grant: Grant,
}

/// Why a group map rule was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupMapError {
    #[error("`{0}` has no `=`; write group=admin, group=Unit or group=Unit:lead")]
    NoEquals(String),
    #[error("`{0}` names no group before the `=`")]
    NoGroup(String),
    #[error("`{0}` names no unit after the `=`")]
    NoUnit(String),
}

/// Parses one rule: `group=admin`, `group=Unit name`, `group=Unit name:lead` or
/// `group=Unit name:member`. The role goes after the last colon, so a unit's name
/// may hold colons of its own.
pub fn parse_rule(text: &str) -> Result<GroupRule, GroupMapError> {
    let (group, target) = text
        .split_once('=')
        .ok_or_else(|| GroupMapError::NoEquals(text.to_string()))?;
    let (group, target) = (group.trim(), target.trim());
    if group.is_empty() {
        return Err(GroupMapError::NoGroup(text.to_string()));
    }
    let grant = if target.eq_ignore_ascii_case("admin") {
        Grant::Admin
    } else {
        let (name, role) = match target.rsplit_once(':') {
            Some((name, "lead")) => (name.trim(), Role::Lead),
            Some((name, "member")) => (name.trim(), Role::Member),
            _ => (target, Role::Member),
        };
        if name.is_empty() {
            return Err(GroupMapError::NoUnit(text.to_string()));
        }
        Grant::Unit {
            name: name.to_string(),
            role,
        }
    };
    Ok(GroupRule {
        group: group.to_string(),
        grant,
    })
}

/// What a person's groups make them, for what the map manages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standing {
    /// Admin or not; None when no rule grants the admin right (it stays as it is).
    pub admin: Option<bool>,
    /// Every unit the map names, by name: the role the groups give, or None for
    /// "not a member". A lead rule wins over a member rule for the same unit.
    pub units: BTreeMap<String, Option<Role>>,
}

/// Applies the map to the groups a person is in.
pub fn standing(rules: &[GroupRule], groups: &[String]) -> Standing {
    let mut standing = Standing::default();
    for rule in rules {
        let member = groups.iter().any(|g| g == &rule.group);
        match &rule.grant {
            Grant::Admin => {
                standing.admin = Some(standing.admin.unwrap_or(false) || member);
            }
            Grant::Unit { name, role } => {
                let entry = standing.units.entry(name.clone()).or_insert(None);
                if member {
                    *entry = Some(entry.map_or(*role, |had| had.max(*role)));
                }
            }
        }
    }
    standing
}

/// Whether an email's domain is one of `domains` (compared without case; a
/// leading `@` or `.` in the list is allowed). Subdomains do not count.
pub fn domain_allowed(email: &Email, domains: &[String]) -> bool {
    let Some((_, domain)) = email.as_str().rsplit_once('@') else {
        return false;
    };
    domains
        .iter()
        .map(|d| d.trim().trim_start_matches(['@', '.']))
        .any(|d| d.eq_ignore_ascii_case(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(texts: &[&str]) -> Vec<GroupRule> {
        texts.iter().map(|t| parse_rule(t).unwrap()).collect()
    }

    #[test]
    fn rules_read_admin_units_and_roles() {
        assert_eq!(parse_rule("okr-admins=admin").unwrap().grant, Grant::Admin);
        assert_eq!(
            parse_rule(" platform = Platform: Team:lead ").unwrap(),
            GroupRule {
                group: "platform".into(),
                grant: Grant::Unit {
                    name: "Platform: Team".into(),
                    role: Role::Lead
                }
            }
        );
        assert_eq!(
            parse_rule("g=Sales").unwrap().grant,
            Grant::Unit {
                name: "Sales".into(),
                role: Role::Member
            }
        );
        assert!(matches!(
            parse_rule("nothing"),
            Err(GroupMapError::NoEquals(_))
        ));
        assert!(matches!(
            parse_rule("=admin"),
            Err(GroupMapError::NoGroup(_))
        ));
        assert!(matches!(
            parse_rule("g=:lead"),
            Err(GroupMapError::NoUnit(_))
        ));
    }

    #[test]
    fn groups_decide_only_what_the_map_names() {
        let map = rules(&[
            "admins=admin",
            "platform=Platform",
            "platform-leads=Platform:lead",
            "sales=Sales",
        ]);
        let of = |groups: &[&str]| {
            standing(
                &map,
                &groups.iter().map(|g| g.to_string()).collect::<Vec<_>>(),
            )
        };
        let lead = of(&["platform-leads", "platform", "unrelated"]);
        assert_eq!(lead.admin, Some(false));
        assert_eq!(lead.units["Platform"], Some(Role::Lead));
        assert_eq!(lead.units["Sales"], None, "named, so managed: not a member");
        assert_eq!(of(&["admins"]).admin, Some(true));
        let nothing = standing(&rules(&["x=Sales"]), &[]);
        assert_eq!(nothing.admin, None, "no admin rule: admin stays as it is");
    }

    #[test]
    fn domains_match_whole_and_without_case() {
        let email = Email::parse("Ada@Example.org").unwrap();
        assert!(domain_allowed(&email, &["example.org".into()]));
        assert!(domain_allowed(&email, &["@EXAMPLE.ORG".into()]));
        assert!(!domain_allowed(&email, &["mail.example.org".into()]));
        assert!(!domain_allowed(
            &Email::parse("ada@evil-example.org").unwrap(),
            &["example.org".into()]
        ));
        assert!(!domain_allowed(&email, &[]));
    }
}
