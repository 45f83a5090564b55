use influx::InfluxPoint;

// Every mistake is reported in one compile.
#[derive(InfluxPoint)]
#[influx(measurement = "#cpu")]
struct Cpu {
    #[tag]
    #[influx(rename = "")]
    host: String,
    #[influx(rename = "host")]
    other: String,
    #[influx(rename = "bad\\")]
    usage: f64,
    time: i64,
    #[time]
    #[influx(rename = "ts")]
    at: i64,
    #[time]
    at2: i64,
}

fn main() {}
