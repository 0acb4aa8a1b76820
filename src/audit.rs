//! What the audit trail records: every change has one action, named by a stable
//! text in the database and by a variant everywhere else.

use crate::named;

named! {
    /// A kind of change, as the audit trail records it.
    Action {
        CheckIn = "check_in.create",
        /// One's own newest check-in, corrected.
        CheckInCorrect = "check_in.correct",
        /// One's own newest check-in, taken back.
        CheckInDelete = "check_in.delete",
        ObjectiveCreate = "objective.create",
        ObjectiveUpdate = "objective.update",
        ObjectiveGrade = "objective.grade",
        /// An admin's correction of a closed period's grades.
        ObjectiveGradeCorrection = "objective.grade_correction",
        ObjectiveCarryForward = "objective.carry_forward",
        /// A carried copy removed again, untouched, right after carrying.
        ObjectiveCarryUndo = "objective.carry_undo",
        /// Deleted by its owner, with its key results, check-ins and comments.
        ObjectiveDelete = "objective.delete",
        KeyResultCreate = "key_result.create",
        /// Aligned to another parent.
        Move = "alignment.move",
        /// Another place among the same siblings.
        Reorder = "alignment.reorder",
        /// Moved apart to make room for a sibling.
        Reposition = "alignment.reposition",
        PeriodCreate = "period.create",
        PeriodState = "period.state",
        UnitCreate = "unit.create",
        UnitUpdate = "unit.update",
        UnitDeactivate = "unit.deactivate",
        UnitReactivate = "unit.reactivate",
        PersonCreate = "person.create",
        PersonUpdate = "person.update",
        PersonDeactivate = "person.deactivate",
        PersonReactivate = "person.reactivate",
        MembershipSet = "membership.set",
        MembershipRemove = "membership.remove",
        AccountGrant = "account.grant",
        AccountPassword = "account.password",
        SignInLink = "account.sign_in_link",
        SignInLinkUsed = "account.sign_in_link_used",
        /// A provider's account tied to a person (first sign-in through it).
        IdentityLink = "account.identity_link",
        CommentCreate = "comment.create",
        /// How a person hears of a kind of notice (also by an unsubscribe link).
        NoticePreference = "person.notice_preference",
        /// A unit's weekly rhythm of reminders and digests.
        UnitCadence = "unit.cadence",
        /// An API token made (never its secret).
        TokenCreate = "token.create",
        TokenRevoke = "token.revoke",
        /// A webhook subscribed, switched on again, or removed.
        WebhookCreate = "webhook.create",
        WebhookEnable = "webhook.enable",
        WebhookDelete = "webhook.delete",
        /// Switched off after failing too often in a row.
        WebhookDisable = "webhook.disable",
        OrganisationImport = "organisation.import",
        DemoImport = "import.demo",
    }
}

named! {
    /// What a change is about: a row of one of these (named by its table).
    Entity {
        Objective = "objectives",
        KeyResult = "key_results",
        Person = "people",
        Unit = "org_units",
        Period = "periods",
        /// The installation itself (its name, a demo or an import).
        Instance = "instance",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_text() {
        let mut texts = std::collections::HashSet::new();
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(*action));
            assert!(
                texts.insert(action.as_str()),
                "{action:?} has a text of its own"
            );
        }
        assert_eq!(Action::parse("check_in.erase"), None);
        for entity in Entity::ALL {
            assert_eq!(Entity::parse(entity.as_str()), Some(*entity));
        }
    }

    #[test]
    fn the_wire_carries_the_stored_text() {
        let wire = serde_json::to_string(&Action::ObjectiveGradeCorrection).unwrap();
        assert_eq!(wire, r#""objective.grade_correction""#);
        let back: Entity = serde_json::from_str(r#""key_results""#).unwrap();
        assert_eq!(back, Entity::KeyResult);
    }
}
