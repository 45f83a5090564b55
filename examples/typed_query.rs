//! Typed reads: write derived points, read them back as the same struct, as tuples, per statement.
//!
//! `scripts/with-influxd.sh cargo run --example typed_query`
use chrono::{DateTime, Utc};
use influx::{Client, InfluxPoint, Query};

#[derive(Debug, InfluxPoint)]
#[influx(measurement = "cpu")]
struct Cpu {
    #[time]
    time: DateTime<Utc>,
    #[tag]
    host: String,
    #[tag]
    region: Option<String>,
    usage: f64,
    cores: Option<i64>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> influx::Result<()> {
    let url = std::env::var("INFLUX_URL").unwrap_or_else(|_| "http://127.0.0.1:8086".into());
    let client = Client::new(url, "typed_query_example")?;
    client.query("CREATE DATABASE typed_query_example").await?;

    let now = Utc::now();
    let points: Vec<Cpu> = (0..6)
        .map(|i| Cpu {
            time: now - chrono::Duration::seconds(i),
            host: format!("web-{}", i % 2),
            region: (i % 3 == 0).then(|| "eu".to_owned()),
            usage: 0.1 * i as f64,
            cores: Some(8),
        })
        .collect();
    client.write(&points).await?;

    // Straight back into the struct: columns are matched to members once per series.
    let rows: Vec<Cpu> = client.query_as("SELECT * FROM cpu").await?;
    println!("{} rows, first: {:?}", rows.len(), rows[0]);

    // GROUP BY tags fill #[tag] members from the series; values are bound, never formatted in.
    let q = Query::new("SELECT usage, cores FROM cpu WHERE usage > $min GROUP BY host, region").bind("min", 0.15);
    for cpu in client.query_as::<Cpu>(q).await? {
        println!("{} {:?} {:.1}", cpu.host, cpu.region, cpu.usage);
    }

    // Tuples for ad-hoc shapes; several statements, each typed on its own.
    let res = client.query_multi("SELECT count(usage) FROM cpu; SHOW TAG VALUES FROM cpu WITH KEY = host").await?;
    let count: Vec<(i64, i64)> = res.rows(0)?;
    let hosts: Vec<(String, String)> = res.rows(1)?;
    println!("count {}, hosts {:?}", count[0].1, hosts.iter().map(|h| &h.1).collect::<Vec<_>>());

    // Schema drift check before writing more.
    for conflict in client.verify::<Cpu>().await? {
        println!("drift: {conflict}");
    }
    client.query("DROP DATABASE typed_query_example").await?;
    Ok(())
}
