//! Derive a point type, write a few points, read them back.
//!
//! `scripts/demo.sh` runs this against a throwaway server; or set `INFLUX_URL`.
use chrono::{DateTime, Utc};
use influx::{Client, InfluxPoint};

/// One CPU sample. Unannotated fields are fields; the measurement is `cpu_sample`
/// (the struct name in snake_case) unless `#[influx(measurement = "...")]` says otherwise.
#[derive(InfluxPoint)]
struct CpuSample {
    #[tag]
    host: String,
    #[tag]
    region: &'static str,
    usage: f64,
    cores: u32,
    #[influx(rename = "model name")]
    model: Option<String>,
    #[time]
    at: DateTime<Utc>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> influx::Result<()> {
    let url = std::env::var("INFLUX_URL").unwrap_or_else(|_| "http://127.0.0.1:8086".into());
    let client = Client::new(url, "quickstart")?;
    println!("connected to InfluxDB {}", client.ping().await?);
    client.query("CREATE DATABASE quickstart").await?;

    let start = DateTime::from_timestamp(1_700_000_000, 0).expect("valid instant");
    let samples: Vec<CpuSample> = (0..3)
        .map(|i| CpuSample {
            host: format!("web-{i}"),
            region: "eu west",
            usage: 0.25 * f64::from(i + 1),
            cores: 8,
            model: (i != 1).then(|| "Xeon \"Gold\" 6354".to_owned()),
            at: start + chrono::Duration::seconds(i.into()),
        })
        .collect();
    client.write(&samples).await?;
    println!("wrote {} points to `{}`", samples.len(), CpuSample::MEASUREMENT);

    let answer = client.query(&format!("SELECT * FROM \"{}\" ORDER BY time", CpuSample::MEASUREMENT)).await?;
    for series in answer.results.iter().flat_map(|r| &r.series) {
        println!("{}: {}", series.name, series.columns.join(" | "));
        for row in &series.values {
            let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
            println!("  {}", cells.join(" | "));
        }
    }
    Ok(())
}
