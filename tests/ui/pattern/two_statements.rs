influx::query_pattern! {
    trait Q {
        fn load() = "SELECT * FROM cpu; DROP DATABASE telemetry";
    }
}

fn main() {}
