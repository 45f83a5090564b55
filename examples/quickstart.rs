//! Placeholder until the derive lands: pings the server given by `INFLUX_URL`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> influx::Result<()> {
    let url = std::env::var("INFLUX_URL").unwrap_or_else(|_| "http://127.0.0.1:8086".into());
    let client = influx::Client::new(url, "quickstart")?;
    println!("server version {}", client.ping().await?);
    Ok(())
}
