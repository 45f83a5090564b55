//! `query_pattern!` and the management API against the server at `INFLUX_URL`
//! (default `http://127.0.0.1:8086`): creates a database, writes, queries with
//! patterns on the async client, prints the rendered queries, and cleans up.
use influx::influxql::Duration;
use influx::{Management, Render};

influx::query_pattern! {
    /// Queries about CPU load.
    pub trait CpuQueries {
        /// Mean load of one host over the last `days` days.
        fn host_load(host: &str, days: u32) -> Vec<(i64, f64)> =
            "SELECT mean(load) AS load FROM cpu_stats WHERE host = {host} AND time > now() - {days}d";
        /// Peak load per interval, per host.
        fn peak_load(host: &str, every: Duration) -> Vec<(i64, Option<f64>)> =
            "SELECT max(load) FROM cpu_stats WHERE host = {host} AND time > now() - 1d GROUP BY time({every}) fill(none)";
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> influx::Result<()> {
    let url = std::env::var("INFLUX_URL").unwrap_or_else(|_| "http://127.0.0.1:8086".into());
    let db = "influx_patterns_example";
    let client = influx::Client::new(url, db)?;
    client.create_database(db).await?;
    client.create_retention_policy("week", "7d", 1, None, false, None).await?;

    let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let lp =
        format!("cpu_stats,host=server01 load=0.5 {now}\ncpu_stats,host=server01 load=1.5 {}", now - 60_000_000_000);
    client.write_lp(lp, &Default::default()).await?;

    let hostile = "server01' OR host =~ /.*/ --";
    println!("rendered: {}", Render.host_load(hostile, 7)?.text());
    println!("hostile host matches {} rows", client.host_load(hostile, 7).await?.len());
    println!("mean load: {:?}", client.host_load("server01", 7).await?);
    println!("peaks: {:?}", client.peak_load("server01", Duration::from_hours(1)).await?);
    for rp in client.get_list_retention_policies(None).await? {
        println!("retention policy {} keeps {} (default: {})", rp.name, rp.duration, rp.default);
    }
    client.drop_database(db).await?;
    Ok(())
}
