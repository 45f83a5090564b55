use influx::InfluxPoint;

#[derive(InfluxPoint)]
struct Cpu {
    #[tag(rename = "h")]
    host: String,
    #[tag]
    #[field]
    region: String,
    usage: f64,
}

fn main() {}
