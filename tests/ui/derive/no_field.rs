use influx::InfluxPoint;

#[derive(InfluxPoint)]
struct OnlyTags {
    #[tag]
    host: String,
    #[time]
    at: i64,
}

fn main() {}
