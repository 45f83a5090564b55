use influx::InfluxPoint;

#[derive(InfluxPoint)]
struct Reading(f64, i64);

fn main() {}
