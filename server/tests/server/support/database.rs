//! Databases for tests: a fresh one on the throwaway PostgreSQL, and reading them
//! directly.

/// A new, empty database on the throwaway PostgreSQL server `./x test` starts;
/// returns its URL. `name` must be unique among the tests.
pub async fn fresh_postgres_database(name: &str) -> String {
    use sqlx::Connection;
    let admin = std::env::var("CAIRN_TEST_POSTGRES_URL").expect(
        "run through ./x test, which starts a throwaway PostgreSQL, or set CAIRN_TEST_POSTGRES_URL",
    );
    sqlx::any::install_default_drivers();
    let name = format!("{name}_{}", std::process::id());
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(&sql).execute(&mut conn).await.unwrap();
    }
    format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
}

/// One number the database at `url` answers `sql` with.
pub async fn scalar(url: &str, sql: &str) -> i64 {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

/// Up to `limit` metric key results of the running period, from the demo organisation.
pub async fn metric_key_results(url: &str, limit: u32) -> Vec<i64> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar(&format!(
        "SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id \
         JOIN periods p ON p.id = o.period_id \
         WHERE k.kind = 'metric' AND p.state = 'active' ORDER BY k.id LIMIT {limit}"
    ))
    .fetch_all(&mut conn)
    .await
    .unwrap()
}

/// A metric key result of the running period, from the demo organisation.
pub async fn metric_key_result(url: &str) -> i64 {
    scalar(
        url,
        "SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id \
         JOIN periods p ON p.id = o.period_id \
         WHERE k.kind = 'metric' AND p.state = 'active' ORDER BY k.id LIMIT 1",
    )
    .await
}

/// Runs one statement on the database at `url`, as an operator would by hand.
pub async fn execute(url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query(sql).execute(&mut conn).await.unwrap();
}
