//! One unit and period as a document: generated installations cut every way
//! they can be; each slice holds what its rule says, imports into an empty
//! installation, and comes out of it again as the same records.

use std::collections::{BTreeMap, BTreeSet};

use app::storage::Db;
use app::storage::exchange::{ExchangeError, Quiet, Slice, SliceError, export_slice};
use serde_json::{Map, Value as Json};

use super::{export_text, first_difference, fresh, generate, import_text, seeds};
use crate::on_both;

on_both!(every_slice_imports_on_its_own_and_comes_back_whole,);

async fn slice_text(db: &Db, slice: Slice) -> Result<String, ExchangeError> {
    let mut out = Vec::new();
    export_slice(db, slice, &mut out, &Quiet).await?;
    Ok(String::from_utf8(out).unwrap())
}

/// The records of a document by type, each as its JSON object.
fn records(text: &str) -> BTreeMap<String, Vec<Map<String, Json>>> {
    let mut by_type: BTreeMap<String, Vec<Map<String, Json>>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let Json::Object(map) = serde_json::from_str::<Json>(line).unwrap() else {
            panic!("not an object: {line}")
        };
        let kind = map["type"].as_str().unwrap().to_string();
        by_type.entry(kind).or_default().push(map);
    }
    by_type
}

fn ids_of(records: &BTreeMap<String, Vec<Map<String, Json>>>, kind: &str) -> BTreeSet<i64> {
    records
        .get(kind)
        .into_iter()
        .flatten()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

fn field(record: &Map<String, Json>, name: &str) -> Option<i64> {
    record.get(name).and_then(Json::as_i64)
}

/// The objectives the slice is about, read from the whole document: of the
/// period, owned by the unit or one below it, or by one of their members.
fn chosen(whole: &BTreeMap<String, Vec<Map<String, Json>>>, slice: Slice) -> BTreeSet<i64> {
    let mut below = BTreeSet::from([slice.unit]);
    loop {
        let more: BTreeSet<i64> = whole["unit"]
            .iter()
            .filter(|u| field(u, "parent_id").is_some_and(|p| below.contains(&p)))
            .map(|u| field(u, "id").unwrap())
            .collect();
        if more.is_subset(&below) {
            break;
        }
        below.extend(more);
    }
    let members: BTreeSet<i64> = whole
        .get("membership")
        .into_iter()
        .flatten()
        .filter(|m| below.contains(&field(m, "unit_id").unwrap()))
        .map(|m| field(m, "person_id").unwrap())
        .collect();
    whole
        .get("objective")
        .into_iter()
        .flatten()
        .filter(|o| field(o, "period_id") == Some(slice.period))
        .filter(|o| {
            field(o, "owner_unit_id").is_some_and(|u| below.contains(&u))
                || field(o, "owner_person_id").is_some_and(|p| members.contains(&p))
        })
        .map(|o| field(o, "id").unwrap())
        .collect()
}

/// `objectives` and every objective they lead up to, read from the whole
/// document: what they align to (now or before), were carried from, or hold a
/// check-in one of their comments is about.
fn upwards(
    whole: &BTreeMap<String, Vec<Map<String, Json>>>,
    mut objectives: BTreeSet<i64>,
) -> BTreeSet<i64> {
    let all = |kind: &str| whole.get(kind).into_iter().flatten();
    let objective_of_kr: BTreeMap<i64, i64> = all("key_result")
        .map(|k| (field(k, "id").unwrap(), field(k, "objective_id").unwrap()))
        .collect();
    let kr_of_check_in: BTreeMap<i64, i64> = all("check_in")
        .map(|c| (field(c, "id").unwrap(), field(c, "key_result_id").unwrap()))
        .collect();
    loop {
        let mut more = BTreeSet::new();
        for a in all("alignment") {
            if objectives.contains(&field(a, "child_id").unwrap()) {
                more.extend(field(a, "parent_objective_id"));
                more.extend(field(a, "parent_key_result_id").map(|k| objective_of_kr[&k]));
            }
        }
        for o in all("objective") {
            if objectives.contains(&field(o, "id").unwrap()) {
                more.extend(field(o, "carried_from"));
            }
        }
        for c in all("comment") {
            if objectives.contains(&field(c, "objective_id").unwrap()) {
                more.extend(
                    field(c, "check_in_id").map(|ci| objective_of_kr[&kr_of_check_in[&ci]]),
                );
            }
        }
        if more.is_subset(&objectives) {
            return objectives;
        }
        objectives.extend(more);
    }
}

/// The slice's document with its header as the whole document's: what a full
/// export of an installation holding just the slice writes.
fn as_whole(text: &str) -> String {
    let mut lines = text.lines();
    let mut header: Map<String, Json> = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert!(
        header.remove("slice").is_some(),
        "the header names the slice"
    );
    let mut out = Json::Object(header).to_string();
    for line in lines {
        out.push('\n');
        out.push_str(line);
    }
    out.push('\n');
    out
}

async fn every_slice_imports_on_its_own_and_comes_back_whole(db: Db) {
    let mut cut = 0;
    for seed in seeds(3) {
        let doc = generate::document(seed).text();
        let (source, _keep) = fresh(&db).await;
        import_text(&source, &doc).await.unwrap();
        let whole = records(&doc);
        for unit in ids_of(&whole, "unit") {
            for period in ids_of(&whole, "period") {
                let slice = Slice { unit, period };
                let text = slice_text(&source, slice)
                    .await
                    .unwrap_or_else(|e| panic!("seed {seed} {slice:?}: {e}"));
                let part = records(&text);

                // Its objectives are the chosen ones and those they lead up to.
                let objectives = ids_of(&part, "objective");
                let expected = upwards(&whole, chosen(&whole, slice));
                assert_eq!(objectives, expected, "seed {seed} {slice:?}");
                assert!(ids_of(&part, "unit").contains(&unit));
                assert!(ids_of(&part, "period").contains(&period));

                // It goes into an empty installation, and comes out the same.
                let (target, _target_keep) = fresh(&db).await;
                import_text(&target, &text)
                    .await
                    .unwrap_or_else(|e| panic!("seed {seed} {slice:?}: {e}\n{text}"));
                let back = export_text(&target).await;
                let expected = as_whole(&text);
                assert!(
                    back == expected,
                    "seed {seed} {slice:?}: {}",
                    first_difference(&expected, &back)
                );
                cut += 1;
            }
        }
        // A unit or period that is not there is said so, and nothing is written.
        let missing = ids_of(&whole, "unit").last().unwrap() + 1000;
        let period = *ids_of(&whole, "period").first().unwrap();
        let refused = slice_text(
            &source,
            Slice {
                unit: missing,
                period,
            },
        )
        .await;
        assert!(matches!(
            refused,
            Err(ExchangeError::Slice(SliceError::NoSuchUnit(u))) if u == missing
        ));
        let refused = slice_text(
            &source,
            Slice {
                unit: missing - 1000,
                period: -1,
            },
        )
        .await;
        assert!(matches!(
            refused,
            Err(ExchangeError::Slice(SliceError::NoSuchPeriod(-1)))
        ));
    }
    assert!(cut > 0);
}
