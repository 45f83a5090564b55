use influx::InfluxPoint;

#[derive(InfluxPoint)]
struct Reading {
    values: Vec<f64>,
    #[time]
    at: std::time::Instant,
}

fn main() {}
