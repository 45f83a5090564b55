#[derive(influx::InfluxPoint)]
struct Cpu {
    #[tag]
    host: String,
    user: f64,
    system: f64,
    #[time]
    time: i64,
}

influx::query_pattern! {
    #[flux]
    trait Q {
        fn usage(host: &str) -> Vec<Cpu> =
            r#"from(bucket: "b") |> range(start: -1h) |> filter(fn: (r) => r.host == {host})"#;
    }
}

fn main() {}
