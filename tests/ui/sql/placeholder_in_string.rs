influx::query_pattern! {
    trait Q {
        fn rooms(room: &str) -> Vec<(String, f64)> = sql "SELECT room, temp FROM home WHERE room = '{room}'";
    }
}

fn main() {}
