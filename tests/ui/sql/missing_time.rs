#[derive(influx::InfluxPoint)]
#[influx(measurement = "home")]
struct Home {
    #[tag]
    room: String,
    temp: f64,
    #[time]
    time: i64,
}

influx::query_pattern! {
    trait Q {
        fn homes(min: f64) -> Vec<Home> = sql "SELECT room, temp FROM home WHERE temp > {min}";
    }
}

fn main() {}
