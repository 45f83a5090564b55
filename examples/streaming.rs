//! Streaming a large result chunk by chunk, with bounded memory.
//!
//! `scripts/with-influxd.sh cargo run --release --example streaming`
use futures::TryStreamExt;
use influx::{Client, InfluxPoint, Query, WriteOptions};

#[derive(Debug, InfluxPoint)]
struct Reading {
    #[time]
    time: i64,
    #[tag]
    sensor: String,
    value: f64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> influx::Result<()> {
    let url = std::env::var("INFLUX_URL").unwrap_or_else(|_| "http://127.0.0.1:8086".into());
    let client = Client::new(url, "streaming_example")?;
    client.query("CREATE DATABASE streaming_example").await?;
    let lp: Vec<String> = (0..200_000).map(|i| format!("reading,sensor=s{} value={}.5 {}", i % 10, i, i)).collect();
    client.write_lp(lp.join("\n"), &WriteOptions::new()).await?;

    // Typed rows, decoded one 5,000-row chunk at a time as they arrive.
    let mut rows = client.query_stream::<Reading>(Query::new("SELECT * FROM reading").chunk_size(5_000)).await?;
    let (mut n, mut sum) = (0u64, 0.0);
    while let Some(r) = rows.try_next().await? {
        n += 1;
        sum += r.value;
    }
    println!("streamed {n} rows, mean {:.2}", sum / n as f64);

    // Raw chunks (aioinflux's iterchunks).
    let mut chunks =
        client.query_chunks(Query::new("SELECT value FROM reading GROUP BY sensor").chunk_size(50_000)).await?;
    while let Some(chunk) = chunks.try_next().await? {
        let series = &chunk.results[0].series;
        println!("chunk: {} series, {} points", series.len(), chunk.iter_points().count());
    }
    client.query("DROP DATABASE streaming_example").await?;
    Ok(())
}
