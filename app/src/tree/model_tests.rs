//! The tree model's flattening, moves and live updates.

use super::*;

fn node(id: i64, parent: Option<Parent>, position: i64) -> NodeData {
    NodeData {
        id,
        period: 1,
        title: format!("Objective {id}"),
        owner: 0,
        progress: 0.5,
        weight: 1.0,
        parent,
        position,
        version: 1,
    }
}

fn forest() -> Forest {
    let o = |id| Some(Parent::Objective(ObjectiveId(id)));
    Forest::new(TreeData {
        period: 1,
        elapsed: 0.5,
        objectives: vec![
            node(1, None, 0),
            node(2, o(1), 0),
            node(3, o(1), 1),
            node(4, Some(Parent::KeyResult(KeyResultId(10))), 0),
            node(5, o(2), 0),
        ],
        key_results: vec![KrData {
            id: 10,
            objective: 1,
            title: "Revenue grows".into(),
            progress: 0.2,
            confidence: Some(7),
        }],
        owners: vec![OwnerData {
            key: "unit:1".into(),
            name: "Sales".into(),
        }],
        read_only: false,
        editable: Vec::new(),
        paces: Vec::new(),
        period_names: Vec::new(),
        beyond: Vec::new(),
        mark: 0,
    })
}

fn kinds(rows: &[Row]) -> Vec<(u16, RowKind)> {
    rows.iter().map(|r| (r.depth, r.kind)).collect()
}

#[test]
fn collapsed_objectives_hide_what_is_below() {
    let forest = forest();
    let collapsed = forest.rows(&ViewState::default());
    assert_eq!(kinds(&collapsed), vec![(0, RowKind::Objective(1))]);
    let view = ViewState {
        expanded: HashSet::from([1]),
        ..ViewState::default()
    };
    assert_eq!(
        kinds(&forest.rows(&view)),
        vec![
            (0, RowKind::Objective(1)),
            (1, RowKind::KeyResult(10)),
            (2, RowKind::Objective(4)),
            (1, RowKind::Objective(2)),
            (1, RowKind::Objective(3)),
        ]
    );
}

#[test]
fn a_search_opens_the_way_to_its_hits() {
    let forest = forest();
    let view = ViewState {
        query: "objective 5".into(),
        ..ViewState::default()
    };
    let rows = forest.rows(&view);
    assert_eq!(
        kinds(&rows),
        vec![
            (0, RowKind::Objective(1)),
            (1, RowKind::Objective(2)),
            (2, RowKind::Objective(5))
        ]
    );
    assert!(rows[2].hit && !rows[0].hit && rows[0].context);
    let focused = ViewState {
        focus: Some(2),
        expanded: HashSet::from([2]),
        ..ViewState::default()
    };
    assert_eq!(
        kinds(&forest.rows(&focused)),
        vec![(0, RowKind::Objective(2)), (1, RowKind::Objective(5))]
    );
}

#[test]
fn moves_apply_and_drops_place_among_siblings() {
    let mut forest = forest();
    assert_eq!(
        forest.placement(5, Drop::Before(3)),
        (Some(Parent::Objective(ObjectiveId(1))), 1)
    );
    assert_eq!(
        forest.placement(2, Drop::After(3)),
        (Some(Parent::Objective(ObjectiveId(1))), 1)
    );
    assert_eq!(
        forest
            .placement(5, Drop::Onto(Parent::KeyResult(KeyResultId(10))))
            .1,
        1
    );
    assert_eq!(forest.placement(5, Drop::Top), (None, 0));
    assert!(forest.apply_move(&MoveChange {
        objective: 5,
        parent: Some(Parent::Objective(ObjectiveId(1))),
        siblings: vec![2, 5, 3],
        version: 2,
    }));
    assert_eq!(
        forest.children(Some(Parent::Objective(ObjectiveId(1)))),
        vec![2, 5, 3]
    );
    assert_eq!(forest.ancestors(5), vec![1]);
    assert!(!forest.apply_move(&MoveChange {
        objective: 99,
        parent: None,
        siblings: vec![],
        version: 1,
    }));
}

#[test]
fn the_wire_form_reads_back_the_same() {
    let data = forest().data;
    let text = serde_json::to_string(&data).unwrap();
    assert!(
        !text.contains("\"title\""),
        "no field names per node: {text}"
    );
    let back: TreeData = serde_json::from_str(&text).unwrap();
    assert_eq!(back, data);
    assert_eq!(back.owners[0].href(), "/units/1");
}

#[test]
fn check_ins_move_the_figures_and_the_cascade() {
    let mut forest = forest();
    let before = forest.cascade()[&1];
    forest.apply_check_in(&CheckInChange {
        key_result: 10,
        objective: 4,
        progress: 1.0,
        objective_progress: 1.0,
        confidence: 9,
        value: Some(50.0),
        check_in: None,
        withdrawn: None,
    });
    assert_eq!(forest.objective(4).unwrap().progress, 1.0);
    assert!(forest.cascade()[&1] > before, "the roll-up above moves too");
}
