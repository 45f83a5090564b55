influx::query_pattern! {
    trait Q {
        fn rooms(min: f64) -> Vec<(String, f64)> = sql "SELEC room, temp FROM home WHERE temp > {min}";
    }
}

fn main() {}
