influx::query_pattern! {
    trait Q {
        fn rooms(table: &str) -> Vec<(String, f64)> = sql "SELECT room, temp FROM {table}";
    }
}

fn main() {}
