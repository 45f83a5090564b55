influx::query_pattern! {
    trait Q {
        fn load() = "SELECT mean(load)";
    }
}

fn main() {}
