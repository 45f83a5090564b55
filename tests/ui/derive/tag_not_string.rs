use influx::InfluxPoint;

#[derive(InfluxPoint)]
struct Reading {
    #[tag]
    sensor_id: u32,
    value: f64,
}

fn main() {}
