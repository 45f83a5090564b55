//! Derive a point type, write a few points, read them back as the same struct,
//! and run a compile-checked query pattern.
//!
//! `scripts/demo.sh` runs this against a throwaway server; or set `INFLUX_URL`.
use chrono::{DateTime, Utc};
use influx::{Client, InfluxPoint, Management};

/// One CPU sample. Unannotated fields are fields; the measurement is `cpu_sample`
/// (the struct name in snake_case) unless `#[influx(measurement = "...")]` says otherwise.
#[derive(Debug, InfluxPoint)]
struct CpuSample {
    #[tag]
    host: String,
    #[tag]
    region: String,
    usage: f64,
    cores: u32,
    #[influx(rename = "model name")]
    model: Option<String>,
    #[time]
    at: DateTime<Utc>,
}

influx::query_pattern! {
    /// Queries of this demo: placeholders, their types and the columns are checked at compile time.
    trait DemoQueries {
        /// Samples of one host whose usage is at least `min`.
        fn busy(host: &str, min: f64) -> Vec<CpuSample> =
            "SELECT * FROM cpu_sample WHERE host = {host} AND usage >= {min}";
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> influx::Result<()> {
    let url = std::env::var("INFLUX_URL").unwrap_or_else(|_| "http://127.0.0.1:8086".into());
    let client = Client::new(url, "quickstart")?;
    println!("connected to InfluxDB {}", client.ping().await?);
    client.create_database("quickstart").await?;

    let start = DateTime::from_timestamp(1_700_000_000, 0).expect("valid instant");
    let samples: Vec<CpuSample> = (0..6)
        .map(|i| CpuSample {
            host: format!("web-{}", i % 2),
            region: "eu west".into(),
            usage: 0.15 * f64::from(i + 1),
            cores: 8,
            model: (i != 1).then(|| "Xeon \"Gold\" 6354".to_owned()),
            at: start + chrono::Duration::seconds(i.into()),
        })
        .collect();
    client.write(&samples).await?;
    println!("wrote {} points to `{}`", samples.len(), CpuSample::MEASUREMENT);

    let rows: Vec<CpuSample> = client.query_as("SELECT * FROM cpu_sample ORDER BY time").await?;
    println!("read back {} rows as CpuSample:", rows.len());
    for row in &rows {
        println!("  {row:?}");
    }

    // A hostile host name is just a value: it is quoted, never spliced into the query.
    assert!(client.busy("web-1' OR host = 'web-0", 0.0).await?.is_empty());
    let busy = client.busy("web-1", 0.5).await?;
    println!("web-1 at or above 50%: {:?}", busy.iter().map(|s| s.usage).collect::<Vec<_>>());
    Ok(())
}
