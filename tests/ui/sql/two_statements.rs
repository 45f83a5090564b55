influx::query_pattern! {
    trait Q {
        fn rooms(min: f64) -> Vec<(String, f64)> = sql "SELECT room, temp FROM home WHERE temp > {min}; DROP TABLE home";
    }
}

fn main() {}
