use influx::InfluxPoint;

#[derive(InfluxPoint)]
enum Reading {
    A { value: f64 },
}

fn main() {}
