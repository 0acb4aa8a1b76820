use super::*;

fn metric(title: &str, start: &str, target: &str) -> KeyResultDraft {
    KeyResultDraft {
        title: title.into(),
        kind: "metric".into(),
        direction: "increase".into(),
        start: start.into(),
        target: target.into(),
        unit: "%".into(),
        ..KeyResultDraft::default()
    }
}

fn draft() -> ObjectiveDraft {
    ObjectiveDraft {
        title: "Delight our customers".into(),
        commitment: "committed".into(),
        state: "active".into(),
        weight: "".into(),
        key_results: vec![
            metric("NPS from 30 to 50", "30", "50,5"),
            KeyResultDraft {
                title: "Launch the help centre".into(),
                kind: "milestones".into(),
                milestones: vec![
                    (None, "Write".into()),
                    (None, "  ".into()),
                    (None, "Ship".into()),
                ],
                ..KeyResultDraft::default()
            },
        ],
        initiatives: vec!["Interview ten customers".into(), "".into()],
        numbers: NumberStyle::Comma,
        ..ObjectiveDraft::default()
    }
}

fn codes(draft: &ObjectiveDraft) -> Vec<(String, String)> {
    draft
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|p| (p.field, p.problem.code().to_string()))
        .collect()
}

#[test]
fn a_good_draft_is_valid_and_blank_rows_are_dropped() {
    let valid = draft().validate().unwrap();
    assert_eq!(valid.weight.get(), 1.0);
    assert_eq!(valid.key_results.len(), 2);
    assert_eq!(valid.key_results[1].milestones.len(), 2);
    assert_eq!(valid.initiatives.len(), 1);
    assert!(
        matches!(valid.key_results[0].measure, Measure::Metric { target, .. } if target.get() == 50.5)
    );
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let mut bad = draft();
    bad.title = "   ".into();
    bad.weight = "-2".into();
    bad.commitment = "maybe".into();
    bad.key_results[0] = metric("x".repeat(201).as_str(), "NaN", "inf");
    bad.key_results[1].milestones = vec![];
    bad.key_results.push(metric("Down", "10", "5"));
    assert_eq!(
        codes(&bad),
        vec![
            ("title".into(), "empty".into()),
            ("commitment".into(), "unknown_choice".into()),
            ("weight".into(), "not_positive".into()),
            ("key_results.0.title".into(), "too_long".into()),
            ("key_results.0.start".into(), "not_finite".into()),
            ("key_results.0.target".into(), "not_finite".into()),
            ("key_results.1.milestones".into(), "empty".into()),
            (
                "key_results.2.target".into(),
                "target_not_above_start".into()
            ),
        ]
    );
}

#[test]
fn huge_input_is_refused_not_stored() {
    let mut bad = draft();
    bad.description = "x".repeat(10 * 1024 * 1024);
    bad.key_results = vec![metric("ok", "1", "2"); MAX_KEY_RESULTS + 1];
    let found = codes(&bad);
    assert!(found.contains(&("description".into(), "too_long".into())));
    assert!(found.contains(&("key_results".into(), "too_many".into())));
}

#[test]
fn numbers_are_read_in_the_writers_style() {
    let mut dutch = draft();
    dutch.numbers = NumberStyle::Comma;
    dutch.key_results = vec![metric("Omzet", "12.000,5", "1.000.000")];
    let valid = dutch.validate().expect("valid in Dutch");
    let Measure::Metric { start, target, .. } = valid.key_results[0].measure.clone() else {
        panic!("a metric");
    };
    assert_eq!((start.get(), target.get()), (12000.5, 1_000_000.0));
    // "12.000" could be twelve thousand or twelve: asked, not guessed.
    dutch.key_results = vec![metric("Omzet", "0", "12.000")];
    assert_eq!(
        codes(&dutch),
        vec![("key_results.0.target".into(), "ambiguous_number".into())]
    );
    for bad in ["NaN", "inf", "-infinity", "1e999", "twelve"] {
        assert_eq!(
            NumberStyle::Comma.parse(bad),
            Err(ValueError::NotFinite),
            "{bad}"
        );
    }
    // A stored objective, written plainly, is shown in the reader's style
    // and means the same there.
    let mut stored = draft();
    stored.numbers = NumberStyle::Plain;
    stored.key_results = vec![metric("Revenue", "1.125", "12000.5")];
    let shown = stored.clone().written_in(NumberStyle::Comma);
    assert_eq!(
        (
            shown.key_results[0].start.as_str(),
            shown.key_results[0].target.as_str()
        ),
        ("1,1250", "12000,5")
    );
    assert_eq!(shown.validate(), stored.validate());
}

#[test]
fn a_key_result_names_its_owner_and_due_day_or_says_what_is_wrong() {
    let mut d = draft();
    d.key_results[0].owner = "12".into();
    d.key_results[0].due = "2026-11-30".into();
    let valid = d.validate().unwrap();
    assert_eq!(valid.key_results[0].owner, Some(crate::ids::PersonId(12)));
    assert_eq!(
        valid.key_results[0].due,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
    );
    assert_eq!(
        (valid.key_results[1].owner, valid.key_results[1].due),
        (None, None)
    );

    for (owner, due, field) in [
        ("anna", "", "key_results.0.owner"),
        ("-3", "", "key_results.0.owner"),
        ("", "2026-02-30", "key_results.0.due"),
        ("", "30-11-2026", "key_results.0.due"),
        ("", "2026-11-3", "key_results.0.due"),
    ] {
        let mut d = draft();
        d.key_results[0].owner = owner.into();
        d.key_results[0].due = due.into();
        let problems = d.validate().unwrap_err();
        assert_eq!(
            problems
                .iter()
                .map(|p| p.field.as_str())
                .collect::<Vec<_>>(),
            [field],
            "{owner} {due}"
        );
    }
}

#[test]
fn a_duration_is_typed_as_minutes_and_seconds_and_kept_in_seconds() {
    let mut d = draft();
    d.key_results[0] = KeyResultDraft {
        title: "Calls answered faster".into(),
        kind: "duration".into(),
        direction: "decrease".into(),
        start: "4:30".into(),
        target: "2:37".into(),
        ..KeyResultDraft::default()
    };
    let valid = d.validate().unwrap();
    assert_eq!(
        valid.key_results[0].measure,
        Measure::Duration {
            start: Value::parse(270.0).unwrap(),
            target: Value::parse(157.0).unwrap(),
            direction: Direction::Decrease,
        }
    );
    // Written plainly (a file, the API): seconds, shown back as a duration.
    let mut plain = d.clone();
    plain.numbers = NumberStyle::Plain;
    plain.key_results[0].start = "270".into();
    plain.key_results[0].target = "157".into();
    let shown = plain.written_in(NumberStyle::Comma);
    assert_eq!(
        (
            shown.key_results[0].start.as_str(),
            shown.key_results[0].target.as_str()
        ),
        ("4:30", "2:37")
    );
    assert!(shown.validate().is_ok());

    // What is no duration, or a target on the wrong side, is refused by field.
    d.key_results[0].start = "4,5".into();
    d.key_results[0].target = "1:05:00".into();
    assert_eq!(
        codes(&d),
        [(
            "key_results.0.start".to_string(),
            "not_a_duration".to_string()
        )]
    );
    d.key_results[0].start = "30:00".into();
    assert_eq!(
        codes(&d),
        [(
            "key_results.0.target".to_string(),
            "target_not_below_start".to_string()
        )]
    );
}
