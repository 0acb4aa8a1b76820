//! The wire contract of the audit trail: what its server functions answer, built on the
//! server and read in the browser. Both sides import it; neither imports the other.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub at_ms: i64,
    pub actor: Option<(i64, String)>,
    pub action: cairn::audit::Action,
    pub entity: cairn::audit::Entity,
    pub entity_id: i64,
    /// Where the object lives in the portal, if it has a page.
    pub href: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditTrail {
    pub lines: Vec<AuditLine>,
    /// The filter as understood: person (id, name), entity, id.
    pub person: Option<(i64, String)>,
    pub entity: Option<cairn::audit::Entity>,
    pub entity_id: Option<i64>,
    /// Where the next (older) page starts, when there is one.
    pub older: Option<i64>,
}
