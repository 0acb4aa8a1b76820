//! The wire contract of the export page: what its server function answers and
//! why a download was turned back. Both sides import it; neither imports the
//! other.

use serde::{Deserialize, Serialize};

pub use crate::admin::AdminUnit;

/// Where the download lives; the page is at `/admin/export`.
pub const DOWNLOAD: &str = "/admin/export/download";
/// The page, where a refused download comes back to.
pub const PAGE: &str = "/admin/export";
/// Where the server publishes the document's JSON Schema, for anyone.
pub const SCHEMA: &str = "/exchange/v1.schema.json";

/// A period to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportPeriod {
    pub id: i64,
    pub name: String,
}

/// What can be exported: every unit (depth first) and every period, and the
/// period running today, chosen first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportChoices {
    pub units: Vec<AdminUnit>,
    pub periods: Vec<ExportPeriod>,
    pub current: Option<i64>,
}

/// Why a download of one unit and period was turned back to the page, carried
/// in its address as `?refused=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refused {
    /// A unit and no period, or the other way round, or not a number.
    Incomplete,
    NoSuchUnit,
    NoSuchPeriod,
}

impl Refused {
    pub const ALL: [Refused; 3] = [
        Refused::Incomplete,
        Refused::NoSuchUnit,
        Refused::NoSuchPeriod,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Refused::Incomplete => "incomplete",
            Refused::NoSuchUnit => "unit",
            Refused::NoSuchPeriod => "period",
        }
    }

    pub fn parse(text: &str) -> Option<Refused> {
        Refused::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The page's address saying so.
    pub fn address(self) -> String {
        format!("{PAGE}?refused={}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_reads_back_from_its_address() {
        for refused in Refused::ALL {
            let address = refused.address();
            let word = address.rsplit('=').next().unwrap();
            assert_eq!(Refused::parse(word), Some(refused));
        }
        assert_eq!(Refused::parse("other"), None);
    }
}
