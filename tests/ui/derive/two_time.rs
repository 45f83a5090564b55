use influx::InfluxPoint;

#[derive(InfluxPoint)]
struct Reading {
    value: f64,
    #[time]
    at: i64,
    #[time]
    received: i64,
}

fn main() {}
