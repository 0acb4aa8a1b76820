//! Carrying forward: once, linked both ways, alignment kept, undoable.

use super::Cycle;
use crate::support::roles::post_form;

pub(super) async fn carry_forward(c: &Cycle) {
    let carry = |cookie: String, objective: i64| async move {
        post_form(
            c.demo.url(),
            &cookie,
            "carry_forward",
            format!("objective={objective}&period={}", c.q4),
        )
        .await
    };
    let parent_of = |id: i64| {
        format!(
            "SELECT parent_objective_id FROM alignments WHERE child_id = {id} AND valid_to IS NULL"
        )
    };
    // An objective whose parent goes on (a 2026 objective): the copy keeps it.
    let continuing = c
        .count(&format!(
            "SELECT o.id FROM objectives o JOIN alignments a ON a.child_id = o.id AND a.valid_to IS NULL \
             JOIN objectives p ON p.id = a.parent_objective_id JOIN periods pp ON pp.id = p.period_id \
             WHERE o.period_id = {} AND pp.kind = 'year' ORDER BY o.id LIMIT 1",
            c.q3
        ))
        .await;
    let (status, body) = carry(c.admin.clone(), continuing).await;
    assert_eq!(status, 200, "{body}");
    let copy: i64 = body.trim().parse().unwrap();
    assert_eq!(
        c.count(&parent_of(copy)).await,
        c.count(&parent_of(continuing)).await
    );

    // A parent in the same quarter: the child's copy aligns to the parent's copy.
    let parent = c.count(&parent_of(c.objective)).await;
    let (status, body) = carry(c.admin.clone(), parent).await;
    assert_eq!(status, 200, "{body}");
    let parent_copy: i64 = body.trim().parse().unwrap();
    let (status, body) = carry(c.lead.clone(), c.objective).await;
    assert_eq!(status, 200, "{body}");
    let copy: i64 = body.trim().parse().unwrap();
    assert_eq!(
        c.count(&format!(
            "SELECT carried_from FROM objectives WHERE id = {copy}"
        ))
        .await,
        c.objective
    );
    assert_eq!(c.count(&parent_of(copy)).await, parent_copy);
    // Twice: refused, naming the copy; nothing made.
    let objectives = c.count("SELECT count(*) FROM objectives").await;
    let (status, body) = carry(c.lead.clone(), c.objective).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("AlreadyCarried") && body.contains(&copy.to_string()),
        "{body}"
    );
    assert_eq!(c.count("SELECT count(*) FROM objectives").await, objectives);
    // Links both ways.
    let page = c
        .page(&c.member, &format!("/objectives/{}", c.objective))
        .await;
    assert!(
        page.contains("carried-to") && page.contains(&format!("/objectives/{copy}\"")),
        "{page}"
    );
    let page = c.page(&c.member, &format!("/objectives/{copy}")).await;
    assert!(
        page.contains("carried-from") && page.contains(&format!("/objectives/{}\"", c.objective)),
        "{page}"
    );

    // Cancel right after carrying offers to undo it: not for a member, then done.
    let edit = c.page(&c.lead, &format!("/objectives/{copy}/edit")).await;
    assert!(
        edit.contains("undo-carry-form") && edit.contains("Undo carrying forward"),
        "{edit}"
    );
    let undo = format!("/objectives/{copy}/undo-carry");
    c.form(&c.member, &undo, &[]).await;
    assert_eq!(
        c.count(&format!(
            "SELECT count(*) FROM objectives WHERE id = {copy}"
        ))
        .await,
        1
    );
    let (status, location) = c.form(&c.lead, &undo, &[]).await;
    assert_eq!(
        (status, location),
        (303, format!("/objectives/{}/grade", c.objective))
    );
    assert_eq!(
        c.count(&format!(
            "SELECT count(*) FROM objectives WHERE id = {copy}"
        ))
        .await,
        0
    );
    assert_eq!(
        c.count("SELECT count(*) FROM audit_events WHERE action = 'objective.carry_undo'")
            .await,
        1
    );
    // Carried again; once checked in on, it stays.
    let (status, body) = carry(c.lead.clone(), c.objective).await;
    assert_eq!(status, 200, "{body}");
    let again: i64 = body.trim().parse().unwrap();
    let kr = c
        .count(&format!(
            "SELECT min(id) FROM key_results WHERE objective_id = {again} AND kind = 'metric'"
        ))
        .await;
    if kr > 0 {
        let (status, body) = post_form(
            c.demo.url(),
            &c.lead,
            "check_in",
            format!("key_result={kr}&value=1&confidence=7"),
        )
        .await;
        assert_eq!(status, 200, "a planned quarter takes check-ins: {body}");
        c.form(&c.lead, &format!("/objectives/{again}/undo-carry"), &[])
            .await;
        assert_eq!(
            c.count(&format!(
                "SELECT count(*) FROM objectives WHERE id = {again}"
            ))
            .await,
            1
        );
        let edit = c.page(&c.lead, &format!("/objectives/{again}/edit")).await;
        assert!(edit.contains("changed or checked in on"), "{edit}");
    }
}
