//! The blocking client: the same API without async.
//!
//! `scripts/with-influxd.sh cargo run --example blocking`
use influx::blocking::Client;
use influx::{InfluxPoint, Query};

#[derive(Debug, InfluxPoint)]
struct Mem {
    #[time]
    time: i64,
    #[tag]
    host: String,
    used: i64,
}

fn main() -> influx::Result<()> {
    let url = std::env::var("INFLUX_URL").unwrap_or_else(|_| "http://127.0.0.1:8086".into());
    let client = Client::new(url, "blocking_example")?;
    println!("server {}", client.ping()?);
    client.query("CREATE DATABASE blocking_example")?;
    let points: Vec<Mem> =
        (0..10).map(|i| Mem { time: 1_700_000_000_000_000_000 + i, host: "a".into(), used: i * 1024 }).collect();
    client.write(&points)?;
    let rows: Vec<Mem> = client.query_as("SELECT * FROM mem")?;
    println!("{} rows, last {:?}", rows.len(), rows.last());
    let big: i64 = client
        .query_iter::<Mem>(Query::new("SELECT * FROM mem WHERE used > $min").bind("min", 4096))?
        .map(|r| r.map(|m| m.used))
        .sum::<influx::Result<i64>>()?;
    println!("sum of large: {big}");
    client.query("DROP DATABASE blocking_example")?;
    Ok(())
}
