//! Who may change what, over HTTP on the demo organisation: every mutation called
//! as nobody, another person, a member of the owning team, its lead and an admin;
//! then bad input for the editor and check-ins, each refused with nothing stored.

use crate::support::roles::*;
use serde_json::{Value, json};

#[tokio::test]
async fn every_mutation_answers_each_role_as_it_should() {
    let s = setup().await;
    let version = |url: String, id: i64| async move {
        scalar(
            &url,
            &format!("SELECT version FROM objectives WHERE id = {id}"),
        )
        .await
    };
    // The objective's own parent: the lead moves it to the top, the admin back.
    let home = {
        let objective_parent = scalar(
            &s.url,
            &format!("SELECT coalesce(max(parent_objective_id), 0) FROM alignments WHERE child_id = {} AND valid_to IS NULL", s.objective),
        )
        .await;
        if objective_parent > 0 {
            format!("parent[type]=objective&parent[id]={objective_parent}")
        } else {
            let kr = scalar(
                &s.url,
                &format!("SELECT max(parent_key_result_id) FROM alignments WHERE child_id = {} AND valid_to IS NULL", s.objective),
            )
            .await;
            format!("parent[type]=key_result&parent[id]={kr}")
        }
    };
    //                         anonymous other member lead admin
    let table: [(&str, [u16; 5]); 4] = [
        ("check_in", [401, 403, 200, 200, 200]),
        ("move_objective", [401, 403, 403, 200, 200]),
        ("save_objective (edit)", [401, 403, 403, 200, 200]),
        ("save_objective (new)", [401, 403, 403, 200, 200]),
    ];
    for (mutation, expected) in table {
        for ((actor, cookie), want) in s.actors.iter().zip(expected) {
            let before = footprint(&s.url).await;
            let (status, body) = match mutation {
                "check_in" => {
                    post_form(
                        &s.server.url,
                        cookie,
                        "check_in",
                        format!("key_result={}&value=20&confidence=6", s.key_result),
                    )
                    .await
                }
                "move_objective" => {
                    let v = version(s.url.clone(), s.objective).await;
                    // Each allowed move goes somewhere else: a move to where it
                    // already is changes (and stores) nothing.
                    let to = if *actor == "admin" { format!("&{home}") } else { String::new() };
                    post_form(
                        &s.server.url,
                        cookie,
                        "move_objective",
                        format!("objective={}&version={v}&index=0{to}", s.objective),
                    )
                    .await
                }
                "save_objective (edit)" => {
                    let v = version(s.url.clone(), s.objective).await;
                    let mut d = draft(&format!("Edited by {actor}"));
                    d["key_results"] = json!([]);
                    post_json(
                        &s.server.url,
                        cookie,
                        "save_objective",
                        &json!({ "objective": [s.objective, v], "owner": null, "period": null, "parent": null, "draft": d }),
                    )
                    .await
                }
                _ => {
                    post_json(
                        &s.server.url,
                        cookie,
                        "save_objective",
                        &json!({ "objective": null, "owner": format!("unit:{}", s.team), "period": s.period,
                                 "parent": null, "draft": draft(&format!("New by {actor}")) }),
                    )
                    .await
                }
            };
            assert_eq!(status, want, "{mutation} as {actor}: {body}");
            let after = footprint(&s.url).await;
            if want == 200 {
                assert_ne!(after, before, "{mutation} as {actor} stored something");
            } else {
                assert_eq!(after, before, "{mutation} as {actor} stored nothing");
                let said = if want == 401 {
                    "Unauthenticated"
                } else {
                    "Forbidden"
                };
                assert!(body.contains(said), "{mutation} as {actor}: {body}");
            }
        }
    }
    // Who did it is on record.
    let lead_edit = text(
        &s.url,
        "SELECT p.email FROM audit_events a JOIN people p ON p.id = a.actor_id \
         WHERE a.action = 'objective.create' AND a.after LIKE '%New by lead%'",
    )
    .await;
    assert!(lead_edit.contains('@'));
}

#[tokio::test]
async fn bad_input_to_the_editor_and_check_ins_is_refused_with_nothing_stored() {
    let s = setup().await;
    let admin = &s.actors[4].1;
    let version = scalar(
        &s.url,
        &format!("SELECT version FROM objectives WHERE id = {}", s.objective),
    )
    .await;
    let huge = "x".repeat(10 * 1024 * 1024);
    let foreign_kr = scalar(
        &s.url,
        &format!(
            "SELECT id FROM key_results WHERE objective_id <> {} ORDER BY id LIMIT 1",
            s.objective
        ),
    )
    .await;
    let closed = scalar(
        &s.url,
        "SELECT id FROM periods WHERE state = 'closed' ORDER BY id LIMIT 1",
    )
    .await;
    let new = |d: Value| json!({ "objective": null, "owner": format!("unit:{}", s.team), "period": s.period, "parent": null, "draft": d });
    let with = |path: &str, value: Value| {
        let mut d = draft("Fine title");
        let pointer = d.pointer_mut(path).unwrap();
        *pointer = value;
        new(d)
    };
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "empty title",
            with("/title", json!("  ")),
            422,
            "\"field\":\"title\",\"problem\":{\"Value\":\"Empty\"}",
        ),
        (
            "10 MB description",
            with("/description", json!(huge)),
            422,
            "\"field\":\"description\",\"problem\":{\"Value\":{\"TooLong\"",
        ),
        (
            "NaN target",
            with("/key_results/0/target", json!("NaN")),
            422,
            "key_results.0.target\",\"problem\":{\"Value\":\"NotFinite\"}",
        ),
        (
            "infinite start",
            with("/key_results/0/start", json!("inf")),
            422,
            "key_results.0.start\",\"problem\":{\"Value\":\"NotFinite\"}",
        ),
        (
            "negative weight",
            with("/weight", json!("-1")),
            422,
            "\"field\":\"weight\",\"problem\":{\"Value\":\"NotPositive\"}",
        ),
        (
            "negative kr weight",
            with("/key_results/1/weight", json!("-3")),
            422,
            "key_results.1.weight\",\"problem\":{\"Value\":\"NotPositive\"}",
        ),
        (
            "unknown kind",
            with("/key_results/1/kind", json!("vibes")),
            422,
            "key_results.1.kind\",\"problem\":\"UnknownChoice\"",
        ),
        (
            "unknown owner",
            json!({ "objective": null, "owner": "unit:987654", "period": s.period, "parent": null, "draft": draft("x") }),
            404,
            "NotFound",
        ),
        (
            "unknown parent",
            json!({ "objective": null, "owner": format!("unit:{}", s.team), "period": s.period, "parent": "objective:987654", "draft": draft("x") }),
            404,
            "NotFound",
        ),
        (
            "closed period",
            json!({ "objective": null, "owner": format!("unit:{}", s.team), "period": closed, "parent": null, "draft": draft("x") }),
            422,
            "ClosedPeriod",
        ),
        (
            "another objective's key result",
            {
                let mut d = draft("x");
                d["key_results"][0]["id"] = json!(foreign_kr);
                json!({ "objective": [s.objective, version], "owner": null, "period": null, "parent": null, "draft": d })
            },
            404,
            "NotFound",
        ),
        (
            "unknown objective",
            json!({ "objective": [987654, 1], "owner": null, "period": null, "parent": null, "draft": draft("x") }),
            404,
            "NotFound",
        ),
        (
            "stale version",
            json!({ "objective": [s.objective, version - 1], "owner": null, "period": null, "parent": null, "draft": draft("x") }),
            409,
            "Conflict",
        ),
        ("not JSON", json!("nonsense"), 400, "Malformed"),
    ];
    for (name, body, status, says) in cases {
        let before = footprint(&s.url).await;
        let (got, answer) = post_json(&s.server.url, admin, "save_objective", &body).await;
        assert_eq!(got, status, "{name}: {}", &answer[..answer.len().min(300)]);
        assert!(
            answer.contains(says),
            "{name}: {}",
            &answer[..answer.len().min(300)]
        );
        assert_eq!(footprint(&s.url).await, before, "{name}: nothing stored");
    }
    let check_ins: Vec<(String, u16, &str)> = vec![
        (
            format!("key_result={}&value=&confidence=5", s.key_result),
            422,
            "\"Empty\"",
        ),
        (
            format!("key_result={}&value=NaN&confidence=5", s.key_result),
            422,
            "\"NotFinite\"",
        ),
        (
            format!("key_result={}&value=inf&confidence=5", s.key_result),
            422,
            "\"NotFinite\"",
        ),
        (
            format!("key_result={}&value=5&confidence=11", s.key_result),
            422,
            "\"OutOfRange\"",
        ),
        (
            format!("key_result={}&value=5&confidence=-1", s.key_result),
            422,
            "\"OutOfRange\"",
        ),
        (
            format!(
                "key_result={}&value=5&confidence=5&note={}",
                s.key_result,
                "x".repeat(10_001)
            ),
            422,
            "\"TooLong\"",
        ),
        (
            "key_result=987654&value=5&confidence=5".to_string(),
            404,
            "NotFound",
        ),
        (
            "key_result=abc&value=5&confidence=5".to_string(),
            400,
            "Malformed",
        ),
    ];
    for (body, status, says) in check_ins {
        let before = footprint(&s.url).await;
        let (got, answer) = post_form(&s.server.url, admin, "check_in", body.clone()).await;
        assert_eq!(got, status, "{}: {answer}", &body[..body.len().min(80)]);
        assert!(
            answer.contains(says),
            "{}: {answer}",
            &body[..body.len().min(80)]
        );
        assert_eq!(footprint(&s.url).await, before, "nothing stored");
    }
    // A good draft does go through, and reads back as written.
    let (got, answer) = post_json(
        &s.server.url,
        admin,
        "save_objective",
        &new(draft("Delight every customer")),
    )
    .await;
    assert_eq!(got, 200, "{answer}");
    let id: i64 = answer.parse().unwrap();
    assert_eq!(
        scalar(
            &s.url,
            &format!("SELECT count(*) FROM key_results WHERE objective_id = {id}")
        )
        .await,
        2
    );
    assert_eq!(
        scalar(
            &s.url,
            &format!("SELECT count(*) FROM initiatives WHERE objective_id = {id}")
        )
        .await,
        1
    );
}
