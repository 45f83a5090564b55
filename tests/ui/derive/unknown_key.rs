use influx::InfluxPoint;

#[derive(InfluxPoint)]
#[influx(measurment = "cpu")]
struct Cpu {
    #[influx(renam = "u")]
    usage: f64,
}

fn main() {}
