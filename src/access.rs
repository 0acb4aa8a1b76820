//! Who may change what. Everyone signed in reads everything; writing is limited:
//! a person edits their own OKRs, a unit's leads edit the unit's (and those of the
//! units below it), an admin edits everything. Check-ins are a team's routine, so
//! the members of the owning unit and a key result's own owner may check in too.

use serde::{Deserialize, Serialize};

use crate::ids::{PersonId, UnitId};
use crate::model::{Owner, Role};
use crate::values::ValueError;

/// A signed-in person, with what their rights depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub person: PersonId,
    pub admin: bool,
    /// Units where the person is a lead (or a unit admin).
    pub leads: Vec<UnitId>,
    /// Units where the person is a member of any role.
    pub member_of: Vec<UnitId>,
}

/// What an objective's rights depend on: its owner, and for a unit owner the
/// unit's chain up to the organisation (the unit itself first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership {
    pub owner: Owner,
    pub unit_chain: Vec<UnitId>,
}

impl Actor {
    /// The rights of a person from their account and memberships.
    pub fn new(person: PersonId, admin: bool, memberships: &[(UnitId, Role)]) -> Actor {
        Actor {
            person,
            admin,
            leads: memberships
                .iter()
                .filter(|(_, role)| matches!(role, Role::Lead | Role::Admin))
                .map(|(unit, _)| *unit)
                .collect(),
            member_of: memberships.iter().map(|(unit, _)| *unit).collect(),
        }
    }

    /// May create, edit, move or grade the objective and its key results.
    pub fn may_edit(&self, target: &Ownership) -> bool {
        if self.admin {
            return true;
        }
        match target.owner {
            Owner::Person(person) => person == self.person,
            Owner::Unit(_) => target.unit_chain.iter().any(|u| self.leads.contains(u)),
        }
    }

    /// May record a check-in on a key result of the objective; `key_result_owner`
    /// is the key result's own owner, when it has one.
    pub fn may_check_in(&self, target: &Ownership, key_result_owner: Option<PersonId>) -> bool {
        if self.may_edit(target) || key_result_owner == Some(self.person) {
            return true;
        }
        match target.owner {
            Owner::Unit(unit) => self.member_of.contains(&unit),
            Owner::Person(_) => false,
        }
    }
}

/// A new password: long enough to resist guessing, short enough to hash quickly.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 256;

    pub fn parse(raw: &str) -> Result<Password, ValueError> {
        if raw.trim().is_empty() {
            return Err(ValueError::Empty);
        }
        let length = raw.chars().count();
        if length < Self::MIN {
            return Err(ValueError::TooShort { min: Self::MIN });
        }
        if length > Self::MAX {
            return Err(ValueError::TooLong { max: Self::MAX });
        }
        if raw.chars().any(char::is_control) {
            return Err(ValueError::ControlCharacters);
        }
        Ok(Password(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: UnitId = UnitId(3);
    const DEPARTMENT: UnitId = UnitId(2);
    const ORG: UnitId = UnitId(1);

    fn team_objective() -> Ownership {
        Ownership {
            owner: Owner::Unit(TEAM),
            unit_chain: vec![TEAM, DEPARTMENT, ORG],
        }
    }

    fn personal(of: i64) -> Ownership {
        Ownership {
            owner: Owner::Person(PersonId(of)),
            unit_chain: vec![],
        }
    }

    #[test]
    fn each_role_gets_its_rights_on_a_team_objective() {
        let other = Actor::new(PersonId(9), false, &[(UnitId(7), Role::Lead)]);
        let member = Actor::new(PersonId(10), false, &[(TEAM, Role::Member)]);
        let lead = Actor::new(PersonId(11), false, &[(TEAM, Role::Lead)]);
        let department_lead = Actor::new(PersonId(12), false, &[(DEPARTMENT, Role::Lead)]);
        let admin = Actor::new(PersonId(13), true, &[]);
        let target = team_objective();
        let table = [
            (&other, false, false),
            (&member, false, true),
            (&lead, true, true),
            (&department_lead, true, true),
            (&admin, true, true),
        ];
        for (actor, edit, check_in) in table {
            assert_eq!(actor.may_edit(&target), edit, "{actor:?} edit");
            assert_eq!(
                actor.may_check_in(&target, None),
                check_in,
                "{actor:?} check in"
            );
        }
    }

    #[test]
    fn personal_objectives_are_their_owners() {
        let owner = Actor::new(PersonId(5), false, &[(TEAM, Role::Member)]);
        let colleague = Actor::new(PersonId(6), false, &[(TEAM, Role::Lead)]);
        assert!(owner.may_edit(&personal(5)));
        assert!(!colleague.may_edit(&personal(5)));
        assert!(!colleague.may_check_in(&personal(5), None));
        // A key result's own owner checks in on it, even on someone else's objective.
        assert!(colleague.may_check_in(&personal(5), Some(PersonId(6))));
        assert!(Actor::new(PersonId(1), true, &[]).may_edit(&personal(5)));
    }

    #[test]
    fn passwords_are_long_enough_and_plain_text() {
        assert_eq!(Password::parse(""), Err(ValueError::Empty));
        assert_eq!(Password::parse("   "), Err(ValueError::Empty));
        assert_eq!(
            Password::parse("short"),
            Err(ValueError::TooShort { min: 10 })
        );
        assert_eq!(
            Password::parse(&"x".repeat(257)),
            Err(ValueError::TooLong { max: 256 })
        );
        assert_eq!(
            Password::parse("line\nbreak-in-it"),
            Err(ValueError::ControlCharacters)
        );
        assert!(Password::parse("correct horse battery").is_ok());
        // Length counts characters, not bytes.
        assert!(Password::parse("ééééééééé").is_err());
        assert!(Password::parse("éééééééééé").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("correct horse").unwrap()),
            "Password(***)"
        );
    }
}
